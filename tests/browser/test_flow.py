"""The flow-matching page in Chromium: a short field trains on opening, Reflow (the page's main interaction)
reports its measured straightening, and axe-core finds no critical or serious WCAG 2.1 AA violation then."""

import re

import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_reflow_then_accessibility(server, page):
    open_page(page, server, "flow", "train=250", timeout_ms=240_000)
    assert_no_exception(page)
    page.locator(".st-key-do_reflow button").first.click()
    page.get_by_text(re.compile(r"is straighter")).first.wait_for(timeout=240_000)
    wait_idle(page, 120_000)
    assert_no_exception(page)
    assert_accessible(page, "flow page after Reflow")


def test_mnist_guidance_in_the_browser(server, page):
    """Pick digit 7 from the selectbox: the guided samples and the three one-step guesses appear, each with the
    classifier's probability measured now; raising w through the URL keeps the page whole."""
    open_page(page, server, "flow", "train=250&w=3", timeout_ms=240_000)
    page.get_by_text("16 samples, 8 Euler steps").first.wait_for(timeout=120_000)
    page.locator(".st-key-digit input").first.click()
    page.keyboard.type("7")
    page.keyboard.press("Enter")
    page.get_by_text(re.compile(r"The classifier says 7 with probability")).first.wait_for(timeout=120_000)
    wait_idle(page, 120_000)
    assert page.get_by_text(re.compile(r"The classifier says 7 with probability")).count() == 3
    assert page.get_by_text(re.compile(r"digit 7, w = 3")).count() >= 1
    assert "digit=7" in page.url
    assert_no_exception(page)
    page.get_by_text(re.compile(r"The classifier says 7 with probability")).first.scroll_into_view_if_needed()
    screenshot(page, "flow_mnist_guidance")
    page.get_by_text(re.compile(r"At 1 to 4 network evaluations")).first.scroll_into_view_if_needed()
    screenshot(page, "flow_mnist_curves")
