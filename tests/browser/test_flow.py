"""The flow-matching page in Chromium: a short field trains on opening, Reflow (the page's main interaction)
reports its measured straightening, and axe-core finds no critical or serious WCAG 2.1 AA violation then."""

import re

import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_reflow_then_accessibility(server, page):
    open_page(page, server, "flow", "train=250", timeout_ms=240_000)
    assert_no_exception(page)
    page.locator(".st-key-do_reflow button").first.click()
    page.get_by_text(re.compile(r"is straighter")).first.wait_for(timeout=240_000)
    wait_idle(page, 120_000)
    assert_no_exception(page)
    assert_accessible(page, "flow page after Reflow")
