"""The DDPM page in a real browser: move the t slider, sample, denoise an uploaded PNG."""


import numpy as np
from PIL import Image

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle


def _tab(page, name):
    page.get_by_role("tab", name=name).click()
    page.wait_for_timeout(300)


def test_ddpm_page_end_to_end(server, page, tmp_path):
    open_page(page, server, "ddpm", "t=100", timeout_ms=240_000)
    assert_no_exception(page)
    slider = page.locator('[data-testid=stSlider] input[type=range]').first
    slider.focus()
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    wait_idle(page, 240_000)
    assert_no_exception(page)
    assert "t=105" in page.url
    screenshot(page, "ddpm_forward")

    _tab(page, "Reverse process")
    page.get_by_role("button", name="Sample").click()
    wait_idle(page, 120_000)
    assert_no_exception(page)
    gif = page.locator('[data-testid="stDownloadButton"]', has_text="Download the timeline as a GIF")
    gif.first.wait_for(timeout=120_000)  # the result appears when the sampling run ends
    assert page.get_by_text("Network calls").count() >= 1 and gif.count() == 1
    screenshot(page, "ddpm_reverse")
    assert_accessible(page, "DDPM after sampling")

    from models.data import load_images

    digit = load_images("digits", "test").x[7, 0].numpy()
    png = tmp_path / "digit.png"
    Image.fromarray((np.kron(1 - digit, np.ones((10, 10))) * 255).astype(np.uint8)).save(png)
    _tab(page, "Denoise an image")
    page.get_by_text("Upload a picture").filter(visible=True).last.click()  # the open tab's radio
    wait_idle(page, 240_000)
    page.locator('[data-testid=stFileUploader] input[type=file]').last.set_input_files(str(png))
    wait_idle(page, 240_000)
    page.get_by_role("button", name="Denoise", exact=False).last.click()
    wait_idle(page, 120_000)
    assert_no_exception(page)
    page.get_by_text("Noise level: σ =").first.wait_for(timeout=120_000)  # shown with the result
    assert page.locator(".annotation-text", has_text="denoised (PSNR").count() >= 1
    screenshot(page, "ddpm_denoise")

    # a file that is not a picture: a clear message, the page keeps working
    bad = tmp_path / "bad.png"
    bad.write_bytes(b"not an image at all")
    page.locator('[data-testid=stFileUploader] input[type=file]').last.set_input_files(str(bad))
    wait_idle(page, 240_000)
    assert_no_exception(page)
    assert page.locator('[data-testid="stAlert"]').count() >= 1
