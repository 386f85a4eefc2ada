"""Open every page of the navigation in Chromium: it renders, idles, and shows no exception."""

import pytest

from ui.nav import PAGES

from .conftest import assert_no_exception, open_page, screenshot

pytestmark = pytest.mark.browser


@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_page_renders_without_exception(server, page, spec):
    open_page(page, server, spec.url_path)
    assert_no_exception(page)
    assert page.locator('[data-testid="stSidebarNav"]').count() == 1
    screenshot(page, spec.url_path)
