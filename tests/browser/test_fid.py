"""The FID page in a real browser: upload two zips, read the FID and its terms; a bad upload is explained."""

import re

from models.data import load_images
from tests.fid.helpers import digits_zip, zip_of

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]', has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def test_fid_page_upload_two_zips(server, page, tmp_path):
    x = load_images("digits", "test").x
    a, b = tmp_path / "a.zip", tmp_path / "b.zip"
    a.write_bytes(digits_zip(x[:60]))
    b.write_bytes(digits_zip(x[60:120] * 0.5, "nested/dir/"))
    bad = tmp_path / "notes.zip"
    bad.write_bytes(zip_of({"../evil.png": b"x", "fine.txt.png": b"not an image"}))
    open_page(page, server, "fid", "a_src=upload&b_src=upload&feat=mnist&dataset=digits", timeout_ms=300_000)
    assert_no_exception(page)
    uploads = page.locator('[data-testid=stFileUploader] input[type=file]')
    uploads.nth(0).set_input_files([str(a), str(bad)])
    wait_idle(page)
    uploads.nth(1).set_input_files(str(b))
    wait_idle(page, 180_000)
    assert_no_exception(page)
    fid = float(_metric(page, "FID").replace(",", ""))
    mean_term = float(_metric(page, "mean term").replace(",", ""))
    trace_term = float(_metric(page, "trace term").replace(",", ""))
    assert fid > 0 and abs(fid - mean_term - trace_term) < 0.01 * fid
    assert _metric(page, "N (A, B)") == "60, 60"
    assert page.get_by_text(re.compile("leaves the archive")).count() >= 1
    assert page.get_by_text(re.compile("not an image file")).count() >= 1
    screenshot(page, "fid_uploads")
    assert_accessible(page, "FID after two uploads")
    page.get_by_role("tab", name="FID vs N").click()  # the tabs are lazy: the click reruns the page
    page.get_by_text(re.compile("FID-infinity")).first.wait_for(timeout=120_000)
    wait_idle(page)
    screenshot(page, "fid_vs_n")


def test_fid_page_defaults_and_corruption_curves(server, page):
    open_page(page, server, "fid", "dataset=digits&n=100", timeout_ms=300_000)
    assert_no_exception(page)
    assert float(_metric(page, "FID").replace(",", "")) > 0
    kid_mean, kid_std = _metric(page, "KID × 1000").replace(",", "").split(" ± ")
    assert float(kid_std) > 0  # 100 subsets of 50 images: KID comes with a real spread
    screenshot(page, "fid_default")
    page.get_by_role("tab", name="FID vs corruption").click()
    page.get_by_role("button", name="Compute the curves").click()
    wait_idle(page, 420_000)
    assert_no_exception(page)
    assert page.locator(".js-plotly-plot").count() >= 2
    screenshot(page, "fid_corruption")
