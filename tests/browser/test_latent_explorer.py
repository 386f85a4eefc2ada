"""The latent explorer in Chromium: a slider move redraws the decoded image, buttons, interpolation, deep
links with bad values, and a live beta retrain."""

import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser


def _decoded_src(page) -> str:
    return page.locator('[data-testid="stImage"] img').first.get_attribute("src")


def _wait_change(page, old: str, timeout_ms: int = 180_000) -> str:
    page.wait_for_function(
        "old => { const i = document.querySelector('[data-testid=\"stImage\"] img'); return i && i.src && !i.src.endsWith(old); }",
        arg=old.split("/")[-1], timeout=timeout_ms)
    return _decoded_src(page)


def test_slider_moves_the_decoded_image(server, page):
    open_page(page, server, "latent", timeout_ms=300_000)
    assert_no_exception(page)
    screenshot(page, "latent_explorer")
    assert_accessible(page, "latent explorer after a slider move")
    page.get_by_text("Sliders on the server").click()  # the server-side explorer, under the in-browser pad
    before = _decoded_src(page)
    slider = page.locator('[data-testid="stSlider"] input[type=range], [data-testid="stSlider"] [role="slider"]').first
    slider.focus()
    for _ in range(20):
        page.keyboard.press("ArrowRight")
    after = _wait_change(page, before)
    assert after != before
    assert "z1=" in page.url  # the slider is mirrored in the URL (deep link)
    page.get_by_role("button", name="Sample prior").click()
    _wait_change(page, after)
    wait_idle(page, 300_000)
    assert_no_exception(page)
    page.get_by_role("tab", name="AE vs VAE vs AAE").scroll_into_view_if_needed()
    page.mouse.wheel(0, 300)
    page.wait_for_timeout(1000)
    page.screenshot(path=str(screenshot(page, "latent_explorer").parent / "latent_explorer_compare.png"))
    assert page.get_by_text("lerp: test image #0 to #1", exact=True).count() == 0  # only the open tab is drawn
    page.get_by_role("tab", name="Interpolation").click()
    page.get_by_text("lerp: test image #0 to #1", exact=True).wait_for(timeout=120_000)
    wait_idle(page, 300_000)
    assert_no_exception(page)
    assert page.get_by_text("slerp: test image #0 to #1", exact=True).count() == 1
    assert "section=Interpolation" in page.url


def test_bad_deep_link_values_are_clamped_with_a_notice(server, page):
    open_page(page, server, "latent", "z1=99&steps=100&dim=3&section=Interpolation", timeout_ms=300_000)
    assert_no_exception(page)
    text = page.locator('[data-testid="stMain"]').inner_text()
    assert "z1=99 is outside [-4, 4]; clamped to 4" in text
    assert "steps=100 is outside [3, 16]; clamped to 16" in text
    assert "dim=3 is not one of: 2, 16" in text
    screenshot(page, "latent_explorer_bad_link")


@pytest.mark.slow
def test_beta_retrain_runs_live_in_the_browser(server, page):
    open_page(page, server, "latent", "beta=8&epochs=5&section=beta-VAE", timeout_ms=300_000)
    page.get_by_role("button", name="Play").click()
    page.get_by_text("Retrained with beta = 8").wait_for(timeout=240_000)
    wait_idle(page, 300_000)
    assert_no_exception(page)
    assert page.get_by_text("beta = 8 (retrained)").count() == 1
    screenshot(page, "latent_explorer_beta")
