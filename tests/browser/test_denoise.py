"""Denoise page in Chromium: upload a PNG, a JPEG and a broken file, see the results, download the zip."""

import io
import re
import zipfile

import numpy as np
import pytest
from PIL import Image

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _files(tmp_path):
    from sklearn.datasets import load_sample_images

    photo = load_sample_images().images[1][150:246, 250:378]  # (96, 128, 3)
    Image.fromarray(photo).save(tmp_path / "flower.png")
    Image.fromarray(photo).save(tmp_path / "flower.jpg", quality=95)
    (tmp_path / "broken.jpg").write_bytes(b"\xff\xd8\xff\xe0 truncated")
    return [str(tmp_path / n) for n in ("flower.png", "flower.jpg", "broken.jpg")]


def _open(page, server, query=""):
    open_page(page, server, "denoise", query)


def test_upload_denoise_and_download(server, page, tmp_path):
    _open(page, server, "source=upload")
    assert_no_exception(page)
    page.wait_for_selector("[data-testid=stFileUploader]", timeout=120_000)
    page.locator('[data-testid=stFileUploader] input[type=file]').set_input_files(_files(tmp_path))
    page.wait_for_selector('text=Download 2 PNGs (zip)', timeout=180_000)
    wait_idle(page, 180_000)
    assert_no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "broken.jpg" in body and ("truncated or corrupt" in body or "not an image file" in body)
    assert "PSNR" in body
    screenshot(page, "denoise_uploads")
    assert_accessible(page, "denoise after uploads")
    with page.expect_download(timeout=60_000) as info:
        page.get_by_role("button", name="Download 2 PNGs (zip)").click()
    path = info.value.path()
    with zipfile.ZipFile(path) as z:
        names = z.namelist()
        assert len(names) == 2 and all(n.endswith(".png") for n in names)
        out = np.asarray(Image.open(io.BytesIO(z.read(names[0]))))
        assert out.shape == (96, 128, 3)


def test_sample_photo_and_clamped_sigma(server, page):
    _open(page, server, "sigma=900")
    assert_no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "clamped to 150" in body
    page.wait_for_selector('[data-testid="stImage"]', timeout=120_000)
    screenshot(page, "denoise_sample")


def test_markup_in_a_file_name_is_shown_not_rendered(server, page):
    """A hostile client can name an upload anything; the message shows the name as typed, with no link,
    no image (which would make every viewer's browser fetch an address) and no styling."""
    name = "[prize](http://example.com) ![t](http://127.0.0.1:9/t.png) <b>bold</b> :red[red] $x$.png"
    _open(page, server, "source=upload")
    page.wait_for_selector("[data-testid=stFileUploader]", timeout=120_000)
    page.locator('[data-testid=stFileUploader] input[type=file]').set_input_files(
        [{"name": name, "mimeType": "image/png", "buffer": b"this is not a picture"}])
    alert = page.locator('[data-testid="stAlert"]', has_text="not an image file")
    alert.first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    assert_no_exception(page)
    assert name in alert.first.inner_text().replace("\u2060", "")  # ui.text.WORD_JOINER breaks autolinks
    assert alert.first.locator("a, img, b, strong, .katex").count() == 0


def _psnr_in_caption(page, label: str) -> float:
    caption = page.locator('[data-testid="stImage"]', has_text=label).first.inner_text()
    return float(re.search(r"PSNR ([\d.]+) dB", caption).group(1))


def test_bundled_photo_and_the_x8_self_ensemble(server, page):
    """Pick scikit-image's cameraman from the samples, add the x8 self-ensemble to the denoisers: it runs,
    and scores at least as well as one pass of the same network."""
    _open(page, server, "sample=camera+(scikit-image)")
    page.get_by_text("Photo denoiser (DnCNN family): PSNR").first.wait_for(timeout=120_000)
    assert "512x512 grayscale" in page.locator('[data-testid="stMain"]').inner_text()
    box = page.locator('[data-testid="stMultiSelect"]').first
    box.locator("input").click()
    box.locator("input").fill("x8")
    page.keyboard.press("Enter")
    page.keyboard.press("Escape")
    page.get_by_text("Photo denoiser, x8 self-ensemble: PSNR").first.wait_for(timeout=180_000)
    wait_idle(page, 180_000)
    assert_no_exception(page)
    one, x8 = _psnr_in_caption(page, "(DnCNN family): PSNR"), _psnr_in_caption(page, "x8 self-ensemble: PSNR")
    assert x8 >= one, (one, x8)
    screenshot(page, "denoise_x8")


def test_digit_link_compare_up_close_and_zoom(server, page):
    """``?source=digit`` opens digit mode at the autoencoders' noise level; the comparison shows two large images
    of the same window, and zooming in shows a 7x7 window of the 28x28 digit."""
    _open(page, server, "source=digit&dataset=mnist")
    page.get_by_text("Dense denoising autoencoder: PSNR").first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    assert_no_exception(page)
    body = page.locator('[data-testid="stMain"]').inner_text()
    assert "mnist-test-0.png" in body and "128.0/255 (given)" in body and "Compare up close" in body
    compared = page.locator('[data-testid="stImage"] img').first
    assert compared.bounding_box()["width"] >= 400, "the compared images are large"
    zoom = page.locator('[data-testid="stSlider"]', has_text="Zoom")
    zoom.locator('input[type=range], [role="slider"]').first.focus()
    page.keyboard.press("ArrowRight")
    page.keyboard.press("ArrowRight")
    page.get_by_text("Window: 7x7 pixels").first.wait_for(timeout=60_000)
    wait_idle(page, 60_000)
    assert_no_exception(page)
    screenshot(page, "denoise_digit")
