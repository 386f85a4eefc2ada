"""The first visitor after a server start may arrive by a deep link (a lecture slide's ``/gan?loss=wgan-gp``):
with the README's ``python app.py`` the page opens with no "Page not found" dialog over it. ``ui/launch.py``
says why Streamlit shows one when started as ``streamlit run app.py`` (streamlit/streamlit#9992); the second
test shows that this check does see the dialog where there is one."""

import pytest

from .conftest import assert_no_exception, open_page, running_server

pytestmark = [pytest.mark.browser, pytest.mark.slow]

DIALOG = '[role="dialog"]'


def _first_visit(browser, streamlit_run: bool):
    """Start a fresh server and open the GAN lab's deep link as its very first session.

    Returns (texts of the dialogs shown, the page's heading, the loss the selectbox shows)."""
    with running_server(streamlit_run=streamlit_run) as base:
        context = browser.new_context(viewport={"width": 1400, "height": 1000})
        try:
            page = context.new_page()
            open_page(page, base, "gan", "loss=wgan-gp")
            page.wait_for_timeout(500)  # a dialog arrives with the first run's messages
            assert_no_exception(page)
            dialogs = [d.inner_text() for d in page.locator(DIALOG).all()]
            heading = page.locator("h1").first.inner_text()
            loss = page.locator('[data-testid="stSelectbox"] input[aria-label="Loss"]').first.input_value()
        finally:
            context.close()
    return dialogs, heading, loss


def test_first_visit_by_deep_link_opens_the_page_without_a_dialog(browser):
    dialogs, heading, loss = _first_visit(browser, streamlit_run=False)
    assert dialogs == [], dialogs
    assert "GAN lab" in heading
    assert loss == "wgan-gp"  # the URL's preset reached the page (the default is nonsat)


def test_streamlit_run_shows_the_dialog_this_check_looks_for(browser):
    dialogs, heading, _ = _first_visit(browser, streamlit_run=True)
    assert "GAN lab" in heading  # the right page, under the dialog
    assert any("Page not found" in d for d in dialogs), (
        f"no 'Page not found' dialog with `streamlit run app.py` ({dialogs}): if Streamlit has fixed "
        "streamlit/streamlit#9992, ui/launch.py is no longer needed")
