"""Open every page of the navigation in Chromium: it renders, idles, shows no exception, and meets WCAG 2.1 AA
as axe-core checks it (tests/browser/accessibility.py; one page load serves both checks)."""

import pytest

from ui.nav import PAGES

from .accessibility import axe_violations, drop_inactive, severe
from .conftest import assert_no_exception, open_page, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(server, page, spec):
    open_page(page, server, spec.url_path)
    assert_no_exception(page)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 1
    screenshot(page, spec.url_path)
    page.wait_for_timeout(1000)  # charts and images finish drawing
    found = severe(drop_inactive(page, axe_violations(page)))
    assert not found, "\n".join(found)
