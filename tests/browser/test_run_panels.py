"""Pause -> Resume in Chromium on every page that trains (issue 21), reached from the keyboard (issue 23).

The GAN lab's toy panel is driven in tests/browser/test_gan_lab.py (also shared between two browsers); here
every other panel: "Skip to the training controls", Enter, Tab puts the focus on Play (WCAG 2.4.1), Enter
starts the page's run, Pause holds it (the panel then offers Resume and the step count stands still), and
Resume sets it training again (the count moves on).
"""

from __future__ import annotations

import re
import time

import pytest

from .conftest import assert_no_exception, open_page

pytestmark = [pytest.mark.browser, pytest.mark.slow]

# page, query, the panel's widget-key prefix (the same panels as tests/test_run_panels.py)
PANELS = [
    ("gan", "mode=images&dataset=digits", "img"),
    ("ddpm", "dataset=digits&train_steps=4000", "train"),  # in the "Train" tab
    ("pca", "epochs=3000", "pca_linear"),
    ("pca", "section=Curved+data&steps=5000", "pca_manifold"),
    ("latent", "dataset=digits&section=beta-VAE", "beta"),
    ("zoo", "dataset=mnist&zoo_mode=live&steps=2000", "zoo"),  # four variants on 28x28: about a minute
]

_PROGRESS_JS = """(prefix) => {
    const box = document.querySelector(`.st-key-${prefix}_play`);
    let node = box;
    while (node && !node.querySelector('[data-testid="stProgress"]')) node = node.parentElement;
    const bar = node && node.querySelector('[data-testid="stProgress"]');
    const m = bar && bar.innerText.match(/Step ([\\d,]+) of/);
    return m ? parseInt(m[1].replace(/,/g, '')) : -1; }"""


def button(pg, key: str):
    return pg.locator(f".st-key-{key} button").first


def progress(pg, prefix: str) -> int:
    """The panel's "Step N of M" (-1 before the first step is drawn)."""
    try:
        return pg.evaluate(_PROGRESS_JS, prefix)
    except Exception:  # noqa: BLE001 - re-rendered while reading
        return -1


def settled(pg, prefix: str, timeout: float = 30.0) -> int:
    """The step count once two reads 1.5 s apart agree."""
    deadline, last = time.time() + timeout, -2
    while time.time() < deadline:
        now = progress(pg, prefix)
        if now >= 0 and now == last:
            return now
        last = now
        time.sleep(1.5)
    raise AssertionError(f"the step count did not settle (last read {last})")


def wait_until(cond, timeout=120.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.5)
    raise AssertionError(f"timed out waiting for {what}")


@pytest.mark.parametrize("url_path,query,prefix", PANELS, ids=[p[2] for p in PANELS])
def test_pause_then_resume_in_the_browser(server, page, url_path, query, prefix):
    open_page(page, server, url_path, query)
    if url_path == "ddpm":
        page.get_by_role("tab", name="Train").click()
    if prefix == "pca_linear":  # 3,000 epochs of a 3-2-3 network take a few seconds: slow motion (20 ms each)
        page.get_by_text("Slow motion").click()
        page.wait_for_timeout(1500)
    play, pause = button(page, f"{prefix}_play"), button(page, f"{prefix}_pause")
    assert re.search(r"Play$", play.inner_text().strip()), play.inner_text()
    page.get_by_role("link", name=re.compile("Skip to the training controls")).first.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.innerText")
    assert "Play" in (focused or ""), f"the focus is on {focused!r}, not Play"
    page.keyboard.press("Enter")
    wait_until(lambda: progress(page, prefix) > 0, what="the run's first steps")
    pause.click()
    wait_until(lambda: re.search(r"Resume$", button(page, f"{prefix}_play").inner_text().strip()),
               what="Resume offered")
    assert pause.is_disabled()
    held = settled(page, prefix)  # the step under way when Pause arrived is drawn a redraw later
    page.wait_for_timeout(2500)  # two more redraws of the panel
    assert progress(page, prefix) == held, "the run trained on while paused"
    button(page, f"{prefix}_play").click()
    wait_until(lambda: progress(page, prefix) > held, what="training to go on after Resume")
    stop = button(page, f"{prefix}_stop")
    if not stop.is_disabled():  # a short run may have reached its last step by now
        stop.click()
    assert_no_exception(page)
