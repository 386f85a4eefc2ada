"""The uses page in Chromium: anomaly detection on MNIST (shipped weights), pretraining on digits."""

import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_uses_anomaly_on_mnist_and_pretraining(server, page):
    open_page(page, server, "ae-uses", "dataset=mnist&digit=2", timeout_ms=180_000)
    assert_no_exception(page)
    assert page.get_by_text("AUC", exact=True).count() >= 1
    slider = page.locator('[data-testid=stSlider] input[type=range]').first
    slider.focus()
    for _ in range(3):
        page.keyboard.press("ArrowRight")
    wait_idle(page)
    assert "pct=90.3" in page.url
    page.get_by_role("button", name="Run the comparison").click()
    page.get_by_text("pretrained accuracy").first.wait_for(state="attached", timeout=400_000)  # a grid header
    wait_idle(page)
    assert_no_exception(page)
    screenshot(page, "ae-uses-mnist")
    assert_accessible(page, "anomaly detection on MNIST")


def test_uses_fashion_offline_message_and_bad_url(server, page):
    open_page(page, server, "ae-uses", "setup=MNIST+vs+Fashion-MNIST&digit=42&pct=7")
    assert_no_exception(page)
    assert page.get_by_text("held-out digit setup above").count() == 1
    assert page.get_by_text("digit=42 is not one of").count() == 1
    screenshot(page, "ae-uses-fashion")
