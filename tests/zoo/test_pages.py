"""AppTest for the zoo page and the uses page: they render, train live on digits, and survive bad URLs."""

import time

import pytest

from models.zoo.config import LABELS

pytestmark = pytest.mark.slow


def _errors(at):
    return [e.value for e in at.exception] + [e.body for e in at.error]


def test_zoo_trains_two_variants_live_on_digits(app_test):
    at = app_test("zoo", dataset="digits", variants="stacked", steps="50")
    assert not _errors(at)
    at.multiselect(key="variants").set_value(["stacked", "tied"]).run()
    at.button(key="zoo_play").click().run()
    for _ in range(600):  # run_every never ticks in AppTest: rerun until the run is done
        time.sleep(0.1)
        at.run()
        if at.dataframe:
            break
    assert not _errors(at), _errors(at)
    table = at.dataframe[0].value
    assert list(table["variant"]) == [LABELS["stacked"], LABELS["tied"]]
    assert (table["linear probe accuracy"] > 0.3).all()  # far above chance (0.1) after 50 steps
    assert "ratio of" in " ".join(m.value for m in at.markdown)


def test_zoo_bad_url_values_are_clamped_with_a_notice(app_test):
    at = app_test("zoo", dataset="digits", code="999", variants="nonsense")
    texts = " ".join(w.value for w in at.warning)
    assert "clamped to 32" in texts and "nonsense" in texts
    assert not at.exception


def test_zoo_on_mnist_loads_shipped_weights(app_test):
    at = app_test("zoo", dataset="mnist", variants="sparse_kl", timeout=180)
    assert not _errors(at), _errors(at)
    assert at.dataframe and at.dataframe[0].value["variant"].tolist() == [LABELS["sparse_kl"]]
    assert any("mean coding activation" in m.label for m in at.metric)


def test_zoo_trains_live_on_28x28_images(app_test):
    """MNIST's "Train live" runs the 28x28 setting through the runner and scores on the held-out MNIST images
    (the same path Fashion-MNIST takes, which ships no weights)."""
    at = app_test("zoo", dataset="mnist", zoo_mode="live", variants="stacked", steps="50", timeout=180)
    assert not _errors(at), _errors(at)
    at.button(key="zoo_play").click().run()
    for _ in range(1200):
        time.sleep(0.1)
        at.run()
        if at.dataframe:
            break
    assert not _errors(at), _errors(at)
    table = at.dataframe[0].value
    assert list(table["variant"]) == [LABELS["stacked"]]
    assert (table["linear probe accuracy"] > 0.3).all()
    assert at.slider(key="code").value == 16  # the 28x28 default code size


def test_uses_page_anomaly_and_pretraining_on_digits(app_test):
    at = app_test("ae-uses", digit="0", timeout=120)
    assert not _errors(at), _errors(at)
    auc = float(next(m for m in at.metric if m.label == "AUC").value)
    assert auc >= 0.8
    at.button(key="run_pretrain").click().run()
    assert not _errors(at), _errors(at)
    assert at.dataframe and len(at.dataframe[0].value) == 3


def test_uses_fashion_setup_explains_it_is_unavailable(app_test):
    at = app_test("ae-uses", setup="MNIST vs Fashion-MNIST", timeout=120)
    assert not at.exception
    assert any("Fashion-MNIST" in e.body for e in at.error)  # DatasetUnavailable's message, offline
    assert any("held-out digit setup" in i.body for i in at.info)
