"""WCAG 2.1 A and AA on every page (run by tests/browser/test_every_page.py on each page it opens), checked by
axe-core 4.12 (the engine of Lighthouse and Deque's tools, bundled
by axe-playwright-python) in Chromium: no critical or serious violation.

Streamlit's own markup is GenLab's responsibility too where a setting or a small workaround fixes it: the
sectioned sidebar navigation (a <ul> with <div> children) is why app.py passes a flat page list. A rule that
only Streamlit can fix would be listed in STREAMLIT_OWN with its upstream issue; none is needed today.
"""

from __future__ import annotations


WCAG_AA = ["wcag2a", "wcag2aa", "wcag21a", "wcag21aa"]
SEVERE = ("critical", "serious")
STREAMLIT_OWN: dict[str, str] = {}  # axe rule id -> upstream issue URL, for violations GenLab cannot fix


def axe_violations(pg) -> list[dict]:
    """axe-core's violations of WCAG 2.x A/AA on the page as it is now."""
    from axe_playwright_python.sync_playwright import Axe

    result = Axe().run(pg, options={"runOnly": {"type": "tag", "values": WCAG_AA}})
    return result.response["violations"]


INACTIVE = """(selector) => { const el = document.querySelector(selector);
    const box = el && el.closest('.stElementContainer, .element-container');
    return !!(box && box.querySelector('[aria-disabled="true"], :disabled')); }"""


def drop_inactive(pg, violations: list[dict]) -> list[dict]:
    """Contrast findings on the labels of disabled widgets removed: WCAG 1.4.3 exempts "text that is part of
    an inactive user interface component", but axe-core sees only the label's grey, not the disabled input."""
    out = []
    for v in violations:
        if v["id"] == "color-contrast":
            nodes = [n for n in v["nodes"] if not pg.evaluate(INACTIVE, n["target"][0])]
            if not nodes:
                continue
            v = {**v, "nodes": nodes}
        out.append(v)
    return out


def severe(violations: list[dict]) -> list[str]:
    """One line per critical or serious violation GenLab causes: rule, impact, nodes, the first node's target."""
    return [f"{v['id']} ({v['impact']}, {len(v['nodes'])} nodes, e.g. {v['nodes'][0]['target']}): {v['help']}"
            for v in violations if v["impact"] in SEVERE and v["id"] not in STREAMLIT_OWN]


def assert_accessible(pg, state: str) -> None:
    """No critical or serious WCAG 2.1 A/AA violation on the page as it is now (after an interaction:
    results, messages and live runs bring markup the default state does not have)."""
    found = severe(drop_inactive(pg, axe_violations(pg)))
    assert not found, f"{state}:\n" + "\n".join(found)
