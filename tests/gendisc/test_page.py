"""AppTest of the generative-vs-discriminative page: every tab, deep links, bad input."""

import numpy as np
import pytest

from models.gendisc import classifiers as C, data2d, distributions, learning_curve, outliers

pytestmark = pytest.mark.slow
URL = "gen-vs-disc"


def _no_exception(at):
    assert not at.exception, [e.value for e in at.exception]


def _metric(at, label):
    return float(next(m for m in at.metric if m.label == label).value)


def test_distributions_tab_compares_samples_with_theory(app_test):
    at = app_test(URL, timeout=180)
    _no_exception(at)
    assert at.tabs[0].label == "Distributions" and len(at.get("plotly_chart")) == 2
    assert _metric(at, "theory E[X]") == 0 and _metric(at, "theory Var[X]") == 1
    assert abs(_metric(at, "sample mean")) < 5 * np.sqrt(1 / 10_000)
    assert abs(_metric(at, "sample variance") - 1) < 0.05
    assert any(e.label == "Show the code" for e in at.expander)

    at.selectbox(key="dist").set_value("Poisson").run()
    _no_exception(at)
    assert _metric(at, "theory E[X]") == 4 and _metric(at, "theory Var[X]") == 4
    # the page shows what the backend computes with the sidebar's seed
    conv = distributions.convergence("poisson", {"lam": 4.0}, 10_000, seed=0)
    assert _metric(at, "sample mean") == pytest.approx(conv.means[-1], rel=1e-3)
    assert "lambda" in at.latex[-1].value


def test_bad_url_values_and_bad_parameters_get_messages(app_test):
    at = app_test(URL, timeout=180, dist="Uniform", uniform_a=2, uniform_b=1, draws=7)
    _no_exception(at)
    assert any("draws=7 is not one of" in w.value for w in at.warning)
    assert any("Uniform needs a < b" in e.value for e in at.error)
    at = app_test(URL, timeout=180, dist="Cauchy", gaussian_sigma=99)
    _no_exception(at)
    assert any("dist=Cauchy" in w.value for w in at.warning)
    assert any("clamped to 10" in w.value for w in at.warning)
    assert _metric(at, "theory Var[X]") == pytest.approx(100)


def test_boundaries_tab_and_typed_points(app_test):
    at = app_test(URL, timeout=180, tab="Boundaries", data="moons", n=200)
    _no_exception(at)
    assert len(at.get("plotly_chart")) == 3
    table = at.dataframe[0].value
    assert len(table) == 5 and set(table["kind"]) == {"generative", "discriminative"}
    acc = table["test accuracy (2,000 fresh points)"]
    assert acc["Gaussian mixture per class"] > acc["Logistic regression"]  # moons are not linearly separable
    assert any("cannot do this" in m.value for m in at.markdown)

    at.selectbox(key="data").set_value("points").run()
    _no_exception(at)
    assert at.text_area(key="points").value == data2d.EXAMPLE_POINTS
    assert len(at.get("plotly_chart")) == 4  # the placement canvas, then the three result figures
    at.text_area(key="points").set_value("0, 0, 0\n1, 1, 0\n2, 2, seven").run()
    _no_exception(at)
    assert any("Line 3: the class must be 0 or 1" in e.value for e in at.error)


def test_outliers_tab_shows_the_seeded_curve_with_numbers(app_test):
    at = app_test(URL, timeout=240, tab="Outliers", odata="blobs", on=100, outliers=40)
    _no_exception(at)
    assert len(at.get("plotly_chart")) == 2
    accuracy, shift = at.dataframe[0].value, at.dataframe[1].value
    expected = outliers.outlier_curve(outliers.OutlierConfig("blobs", 100, 0))
    assert list(accuracy.index) == list(shift.index) == list(expected.counts)
    np.testing.assert_allclose(shift["LDA"], expected.shift["lda"])
    np.testing.assert_allclose(accuracy["Logistic regression"], expected.accuracy["logreg"])
    assert any("moved most" in m.value for m in at.markdown)


def test_few_data_tab_shows_the_learning_curve(app_test):
    at = app_test(URL, timeout=240, tab="Few data", cdata="blobs", repeats=1)
    _no_exception(at)
    assert len(at.get("plotly_chart")) == 1
    table = at.dataframe[0].value
    expected = learning_curve.learning_curve(learning_curve.CurveConfig("blobs", repeats=1, seed=0, spread=1.0))
    assert list(table.index) == list(expected.sizes) == [4, 8, 16, 32, 64, 128, 256]
    np.testing.assert_allclose(table["Logistic regression"], expected.mean["logreg"])
    np.testing.assert_allclose(table["LDA"], expected.mean["lda"])
    first = max(expected.mean, key=lambda m: expected.mean[m][0])
    assert any(m.value.startswith(f"Best with 4 points: **{C.MODELS[first].label}**") for m in at.markdown)
