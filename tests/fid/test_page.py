"""AppTest: the FID page computes, uploads two zips and reads the FID, clamps bad URL values."""

from __future__ import annotations

import numpy as np
import pytest

from models.data import load_images
from models.fid.comparison import compare
from models.fid.extractors import extract
from tests.fid.helpers import digits_zip

pytestmark = pytest.mark.slow


def _metric(at, label):
    return next(m for m in at.metric if m.label == label).value


def _number(at, label) -> float:
    """A metric written by models.fid.numbers.sig: 4 significant digits, thousands separators."""
    return float(_metric(at, label).replace(",", ""))


def _no_exception(at):
    assert not at.exception, [e.message for e in at.exception]


def test_default_page_computes_fid_with_terms(app_test):
    at = app_test("fid", timeout=240, n=200)
    _no_exception(at)
    fid, mean_term, trace_term = (_number(at, k) for k in ("FID", "mean term", "trace term"))
    assert fid > 0 and fid == pytest.approx(mean_term + trace_term, rel=2e-3)
    kid_mean, kid_std = (float(v) for v in _metric(at, "KID × 1000").replace(",", "").split(" ± "))
    assert kid_std > 0  # 100 subsets of 100 (half of N = 200): a real spread, not "± 0 (1 subset)"
    assert _metric(at, "d") == "128"
    ids = [str(c.proto.id) for c in at.get("plotly_chart")]
    assert any("terms" in i for i in ids) and any("pca" in i for i in ids), ids  # the open tab's cloud chart
    at.session_state["section"] = "FID vs corruption"
    at.run()
    at.button(key="curve_go").click().run()
    _no_exception(at)
    assert any("curves" in str(c.proto.id) for c in at.get("plotly_chart"))


def test_upload_two_zips_and_read_the_fid(app_test):
    x = load_images("mnist", "test").x
    a, b = x[:120], x[120:240].clamp(0, 1) * 0.5  # dimmed copies of other digits
    at = app_test("fid", timeout=240, a_src="upload", b_src="upload", feat="pixels", dataset="mnist")
    at.file_uploader(key="a_up").set_value(("a.zip", digits_zip(a), "application/zip"))
    at.file_uploader(key="b_up").set_value(("b.zip", digits_zip(b, "nested/dir/"), "application/zip"))
    at.run()
    _no_exception(at)
    # Independent: the same images through PNG rounding, raw pixels, GenLab's backend directly.
    q = lambda t: (t * 255).round() / 255  # noqa: E731
    expected = compare(extract("pixels", q(a)), extract("pixels", q(b)), kid_subsets=1).fid
    assert _number(at, "FID") == pytest.approx(expected, rel=1e-3)
    assert _metric(at, "N (A, B)") == "120, 120"
    assert any("N = 120 images is not more than d = 784" in w.value for w in at.warning)


def test_bad_url_values_are_clamped_with_a_notice(app_test):
    at = app_test("fid", timeout=240, n=99999, feat="nonsense")
    _no_exception(at)
    texts = " ".join(w.value for w in at.warning)
    assert "clamped to 2000" in texts and "feat=nonsense" in texts
    assert np.isfinite(_number(at, "FID"))


def test_leaderboard_tab_measures_every_generator(app_test):
    at = app_test("fid", timeout=300, n=100, section="Leaderboard")
    at.button(key="lb_go").click().run()  # 250 images per contender (at 100, FID's sampling noise can put the
    # DDPM below the real-vs-real floor; tests/fid/test_leaderboard.py checks the order at 200)
    assert not at.exception, at.exception
    table = next(d for d in at.dataframe if "family" in d.value.columns).value
    assert table["model"].iloc[0] == "Real training images"
    assert set(table["family"]) == {"real", "autoencoder", "GAN", "diffusion"}
    assert (table["FID"] > 0).all() and (table["seconds"].iloc[1:] > 0).all()
    assert (table["KID std × 1000"] > 0).all()  # every KID with its spread
    assert any("FID" in str(p.proto.text) for p in at.get("progress")) or at.get("plotly_chart")
