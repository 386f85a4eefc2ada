"""The generative-vs-discriminative page in Chromium: a deep link, bad typed points, switching tabs.

The default tab (Distributions) is opened by tests/browser/test_every_page.py; the rest of the page's
behaviour is covered without a browser in tests/gendisc/test_page.py.
"""

import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def test_boundaries_bad_points_and_outliers_tab(server, page):
    page.set_viewport_size({"width": 1400, "height": 2600})  # Streamlit scrolls inside its own container
    open_page(page, server, "gen-vs-disc", "tab=Boundaries&data=moons", timeout_ms=180_000)
    assert_no_exception(page)
    assert page.get_by_text("New data drawn from the generative models").count() == 1
    page.wait_for_function("document.querySelectorAll('.js-plotly-plot').length == 3", timeout=60_000)
    screenshot(page, "gen-vs-disc-boundaries")
    assert_accessible(page, "boundaries tab")

    page.get_by_role("tab", name="Outliers").click()
    page.get_by_text("Boundary shift (area that changed class)").first.wait_for(timeout=180_000)
    wait_idle(page, 180_000)
    assert_no_exception(page)
    assert "tab=Outliers" in page.url
    screenshot(page, "gen-vs-disc-outliers")

    open_page(page, server, "gen-vs-disc", "tab=Boundaries&data=points", timeout_ms=180_000)
    area = page.locator("textarea")
    area.fill("0, 0, 0\n1, 1, 0\n2, 2, seven")
    area.press("Control+Enter")
    wait_idle(page)
    page.get_by_text("Line 3: the class must be 0 or 1").wait_for(timeout=60_000)
    assert_no_exception(page)
    screenshot(page, "gen-vs-disc-bad-points")


def test_clicking_the_grid_places_a_point_of_the_chosen_class(server, page):
    page.set_viewport_size({"width": 1400, "height": 2000})
    open_page(page, server, "gen-vs-disc", "tab=Boundaries&data=points", timeout_ms=180_000)
    area = page.locator("textarea")
    before = area.input_value().strip().splitlines()
    page.locator('[data-testid="stRadio"]', has_text="Class of the points you place").get_by_text(
        "1", exact=True).click()
    wait_idle(page)
    canvas = page.locator(".js-plotly-plot").first
    canvas.scroll_into_view_if_needed()
    point = canvas.locator(".scatterlayer .trace").first.locator("path.point").nth(100)
    point.click(force=True)
    page.wait_for_function("n => document.querySelector('textarea').value.trim().split('\\n').length > n",
                           arg=len(before), timeout=60_000)
    wait_idle(page)
    assert_no_exception(page)
    lines = area.input_value().strip().splitlines()
    assert len(lines) == len(before) + 1 and lines[-1].endswith(", 1")
    screenshot(page, "gen-vs-disc-placed-point")
