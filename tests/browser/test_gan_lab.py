"""The GAN lab in Chromium: a shared run only its starter controls, a 1280x720 projector, every mode, a diverging run."""

import re
import time

import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


_METRIC_JS = """(label) => { for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    const l = m.querySelector('[data-testid="stMetricLabel"]');
    if (l && l.textContent.trim() === label) { const v = m.querySelector('[data-testid="stMetricValue"]');
        return v ? v.textContent.trim() : null; } } return null; }"""


def metric(pg, label: str) -> str | None:
    """The value of the st.metric whose label is exactly ``label`` (None when absent), read in one round
    trip: the live panel re-renders every second, and element-by-element reads kept hitting detached nodes."""
    try:
        return pg.evaluate(_METRIC_JS, label)
    except Exception:  # noqa: BLE001 - the page navigated or re-rendered while reading
        return None


def step_of(pg) -> int:
    value = metric(pg, "Step")
    return int(value.replace(",", "")) if value and re.fullmatch(r"[\d,]+", value) else -1


def stable_step(pg, timeout=60.0) -> int:
    """The step counter once two reads 2 s apart agree (fragments re-render while we read)."""
    deadline, last = time.time() + timeout, -2
    while time.time() < deadline:
        now = step_of(pg)
        if now >= 0 and now == last:
            return now
        last = now
        time.sleep(2)
    raise AssertionError(f"the step counter did not settle (last read {last})")


def wait_until(cond, timeout=90.0, every=0.5, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(every)
    raise AssertionError(f"timed out waiting for {what}")


def dismiss_dialogs(pg) -> None:
    """Close a modal if one is open (the first page load after the server starts can show "Page not
    found" although the page renders; that is the router's, not this page's)."""
    for _ in range(3):
        if pg.locator('[role="dialog"]').count() == 0:
            return
        pg.keyboard.press("Escape")
        pg.wait_for_timeout(300)


def click(pg, name: str) -> None:
    dismiss_dialogs(pg)
    pg.get_by_role("button", name=re.compile(rf"^\W*{name}$")).first.click()


def disabled(pg, name: str) -> bool:
    return pg.get_by_role("button", name=re.compile(rf"^\W*{name}$")).first.is_disabled()


def test_a_shared_run_obeys_only_the_browser_that_started_it(server, browser):
    """The lecturer (a) starts a shared run; a student (b) opening the same URL watches it, is told who
    controls it and cannot pause or stop it; the lecturer can, and both see it."""
    ctx_a = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx_b = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        for ctx in (ctx_a, ctx_b):
            ctx.set_default_timeout(90_000)  # a server busy training on 2 shared cores loads pages slowly
        a, b = ctx_a.new_page(), ctx_b.new_page()
        open_page(a, server, "gan", "shared=true")
        click(a, "New run")  # replaces any shared run an earlier test left
        click(a, "Play")
        # the run is live, so the page's fragment keeps re-running: wait for the counter, not for "idle"
        b.goto(f"{server}/gan?shared=true", wait_until="domcontentloaded")
        b.wait_for_selector('[data-testid="stMetric"]', timeout=180_000)
        wait_until(lambda: step_of(a) > 0 and step_of(b) > 0, timeout=180, what="both browsers to see the shared run")
        b0 = step_of(b)
        wait_until(lambda: step_of(b) > b0, timeout=180, what="the step counter to advance for the student")
        wait_until(lambda: b.get_by_text("Controlled by the browser that started it").count() > 0, timeout=60,
                   what="the student's page to say who controls the run")
        assert a.get_by_text("You control this run").count() > 0
        for name in ("Pause", "Stop", "Step", "New run"):
            assert disabled(b, name), f"the student's {name} button is enabled"
        b.get_by_role("button", name=re.compile(r"^\W*Pause$")).first.click(force=True)  # a disabled button
        b1 = step_of(b)
        wait_until(lambda: step_of(b) > b1, timeout=120, what="the run to go on after the student's click")
        assert not disabled(a, "Pause")
        click(a, "Pause")  # the lecturer can
        # paused: both pages settle on the same count (a busy 2-core server may take a few redraws)
        wait_until(lambda: stable_step(a) == stable_step(b) > 0, timeout=120, what="both pages to show the pause")
        paused_at = step_of(a)
        a.wait_for_timeout(3000)
        assert step_of(a) == step_of(b) == paused_at
        wait_until(lambda: a.get_by_role("button", name=re.compile(r"^\W*Resume$")).count() > 0, timeout=60,
                   what="Resume in the lecturer's page")
        assert disabled(b, "Resume")
        click(a, "Stop")
        for name, pg in (("b (the student)", b), ("a (started the run)", a)):
            wait_until(lambda pg=pg: pg.get_by_text(re.compile(r"Stopped after [\d,]+ steps")).count() > 0,
                       timeout=180, what=f"the stopped message in {name}")
        assert_no_exception(a)
        assert_no_exception(b)
        screenshot(b, "gan_shared_viewer_b")
    finally:
        ctx_a.close()
        ctx_b.close()


def test_controls_and_heat_map_fit_a_1280x720_projector(server, browser):
    """Scrolled to the controls, the whole heat map is on screen too; no button label is cut off."""
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    try:
        pg = ctx.new_page()
        pg.set_default_timeout(90_000)
        open_page(pg, server, "gan")
        dismiss_dialogs(pg)
        play = pg.get_by_role("button", name=re.compile(r"^\W*Play$")).first
        play.scroll_into_view_if_needed()
        scene = pg.locator('[data-testid="stPlotlyChart"]').first
        top = min(play.bounding_box()["y"], scene.bounding_box()["y"])
        bottom = scene.bounding_box()["y"] + scene.bounding_box()["height"]
        assert bottom - top <= 720 - 60, f"controls and heat map span {bottom - top:.0f} px (the view has ~660)"
        cut = pg.evaluate("""() => [...document.querySelectorAll('[data-testid="stMain"] button')]
            .filter(b => b.offsetParent && b.scrollWidth > b.clientWidth + 1).map(b => b.innerText)""")
        assert not cut, f"button labels cut off: {cut}"
        assert pg.evaluate("() => document.documentElement.scrollWidth") <= 1280
        screenshot(pg, "gan_1280x720")
    finally:
        ctx.close()


@pytest.fixture
def page(page):
    page.set_default_timeout(90_000)
    return page


def test_toy_mode_trains_and_draws_every_view(server, page):
    open_page(page, server, "gan", "toy=ring8&loss=nonsat")
    click(page, "Step D")
    wait_until(lambda: metric(page, "D updates") == "1", what="one D update")
    assert step_of(page) == 0
    click(page, "Step G")
    wait_until(lambda: step_of(page) == 1, what="one G update")
    click(page, "Resume")
    wait_until(lambda: step_of(page) > 50, timeout=150, what="training to progress")
    assert page.locator('[data-testid="stPlotlyChart"]').count() >= 4
    assert (metric(page, "Modes") or "").endswith("/ 8")
    screenshot(page, "gan_toy")
    click(page, "Stop")
    wait_until(lambda: page.get_by_text("Stopped after").count() > 0, what="the run to stop")
    wait_idle(page)
    # checked once the run stopped: while a fragment redraws, Streamlit dims its elements for a moment
    assert_accessible(page, "gan toy after training")
    assert_no_exception(page)


def test_diverging_run_shows_a_message_and_the_page_keeps_working(server, page):
    open_page(page, server, "gan", "loss=lsgan&dopt=sgd&gopt=sgd&dlr=10000&glr=10000")
    click(page, "Play")
    wait_until(lambda: page.get_by_text("learning rate is too large").count() > 0, what="the divergence message")
    assert_no_exception(page)
    screenshot(page, "gan_diverged")
    open_page(page, server, "gan", "loss=nonsat")
    click(page, "Step")
    wait_until(lambda: step_of(page) == 1, what="a fresh run after the error")
    assert_no_exception(page)


def test_custom_points_and_image_modes(server, page):
    open_page(page, server, "gan", "toy=custom")
    page.get_by_role("button", name=re.compile("Example: two rings")).click()
    wait_idle(page)
    click(page, "Step")
    wait_until(lambda: step_of(page) == 1, what="a step on the user's points")
    assert_no_exception(page)
    screenshot(page, "gan_custom")
    open_page(page, server, "gan", "mode=images&dataset=digits&kind=cgan&digit=7")
    assert page.get_by_text("Shipped cgan generator").count() > 0 or page.locator(".gtitle").count() > 0
    click(page, "Play")
    wait_until(lambda: step_of(page) > 20, timeout=150, what="the image GAN to train")
    screenshot(page, "gan_images")
    click(page, "Stop")
    assert_no_exception(page)


@pytest.fixture
def capped_server():
    """A server of its own: one training run at a time, no queue, and sessions forgotten 2 s after their
    tab closes (Streamlit's default is 120 s, to allow reconnecting)."""
    from .conftest import running_server

    with running_server({"GENLAB_MAX_RUNS": "1", "GENLAB_MAX_QUEUED": "0",
                         "STREAMLIT_SERVER_DISCONNECTED_SESSION_TTL": "2"}) as base:
        yield base


def test_closing_a_tab_frees_its_training_slot(capped_server, browser):
    ctx_a = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx_b = browser.new_context(viewport={"width": 1400, "height": 1000})
    try:
        for ctx in (ctx_a, ctx_b):
            ctx.set_default_timeout(90_000)
        a, b = ctx_a.new_page(), ctx_b.new_page()
        open_page(a, capped_server, "gan")
        click(a, "Play")
        wait_until(lambda: step_of(a) > 0, timeout=180, what="tab A's own run to train")
        open_page(b, capped_server, "gan")
        click(b, "Play")
        busy = b.get_by_text("The machine is busy")
        wait_until(lambda: busy.count() > 0, timeout=60, what="the busy message in tab B (one slot, no queue)")
        b.wait_for_timeout(3000)
        assert busy.count() > 0 and step_of(b) <= 0  # the message stays while the page redraws; B is not training
        ctx_a.close()  # the student closes tab A: its run must stop and give the slot back
        deadline = time.time() + 150
        play = b.get_by_role("button", name=re.compile(r"^\W*Play$"))
        while time.time() < deadline and step_of(b) <= 0:
            if play.count() and play.first.is_enabled():
                play.first.click()
            b.wait_for_timeout(3000)
        assert step_of(b) > 0, "tab B never got the training slot after tab A closed"
        wait_until(lambda: step_of(b) > 0, timeout=120, what="tab B's run to train")
        assert_no_exception(b)
    finally:
        for ctx in (ctx_a, ctx_b):
            try:
                ctx.close()
            except Exception:  # noqa: BLE001 - already closed
                pass


def test_the_skip_link_takes_the_keyboard_to_play(server, page):
    """WCAG 2.4.1: from the top of the page, Tab to "Skip to the training controls", Enter, Tab: Play has
    the focus (instead of some 90 Tab stops through the settings and charts)."""
    open_page(page, server, "gan", "toy=ring8")
    link = page.get_by_role("link", name=re.compile("Skip to the training controls"))
    link.focus()
    page.keyboard.press("Enter")
    page.wait_for_timeout(300)
    page.keyboard.press("Tab")
    focused = page.evaluate("() => document.activeElement && document.activeElement.innerText")
    assert "Play" in (focused or ""), focused
    page.keyboard.press("Enter")  # plays
    wait_until(lambda: step_of(page) > 5, timeout=150, what="training started from the keyboard")
    click(page, "Pause")
    wait_until(lambda: page.get_by_role("button", name=re.compile("Resume")).count() > 0, what="Resume offered")
    click(page, "Resume")
    paused_at = step_of(page)
    wait_until(lambda: step_of(page) > paused_at + 5, timeout=150, what="training to go on after Resume")
    click(page, "Stop")
    assert_no_exception(page)
