"""Accessibility in numbers (issue 23): axe-core on every page in Chromium, and the keyboard's way to a page.

Rows: WCAG 2.1 A/AA violations GenLab causes (critical or serious; the goal is 0, which
``tests/browser/test_every_page.py`` enforces in CI), those Streamlit itself causes
(``tests/browser/accessibility.STREAMLIT_OWN``, each with its upstream issue), the moderate and minor ones,
and the Tab stops on the heaviest page (what a keyboard crosses; Plotly's modebars are cut to two buttons).
Skipped by --quick (CI runs the same axe check on every page).
"""

from __future__ import annotations

from .stats import row

TAB_STOPS = """() => [...document.querySelectorAll('a[href], button, input, select, textarea, [tabindex]')]
    .filter(e => e.tabIndex >= 0 && !e.disabled && e.offsetParent !== null).length"""


def rows(quick: bool) -> list[dict]:
    if quick:
        return [row("a11y", "WCAG 2.1 AA violations GenLab causes (critical or serious)", None, "violations",
                    goal="0", note="skipped in --quick; tests/browser/test_every_page.py runs axe-core in CI")]
    from tests.browser.accessibility import STREAMLIT_OWN, axe_violations, drop_inactive
    from tests.browser.conftest import open_page
    from ui.nav import PAGES

    from .app import _browser, shared_server

    base = shared_server()
    pw, browser = _browser()
    severe_own = streamlit_own = lesser = 0
    stops: dict[str, int] = {}
    try:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        for spec in PAGES:
            open_page(page, base, spec.url_path, timeout_ms=300_000)
            for v in drop_inactive(page, axe_violations(page)):
                if v["id"] in STREAMLIT_OWN:
                    streamlit_own += len(v["nodes"])
                elif v["impact"] in ("critical", "serious"):
                    severe_own += len(v["nodes"])
                else:
                    lesser += len(v["nodes"])
            stops[spec.url_path] = page.evaluate(TAB_STOPS)
    finally:
        browser.close()
        pw.stop()
    heaviest = max(stops, key=stops.get)
    n = len(stops)
    return [
        row("a11y", "WCAG 2.1 AA violations GenLab causes (critical or serious)", severe_own, "nodes", goal="0",
            note=f"axe-core 4.12 on {n} pages in their default state"),
        row("a11y", "violations from Streamlit's own markup", streamlit_own, "nodes",
            note=f"rules listed with their upstream issue: {', '.join(STREAMLIT_OWN) or 'none'}"),
        row("a11y", "moderate and minor findings", lesser, "nodes", note=f"{n} pages"),
        row("a11y", "Tab stops on the heaviest page", stops[heaviest], "stops",
            note=f"/{heaviest}; every page: " + ", ".join(f"{k} {v}" for k, v in stops.items())),
    ]
