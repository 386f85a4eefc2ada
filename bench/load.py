"""Many users at once: sessions on the latent explorer moving sliders while others train GANs.

Two kinds of session, both against a real GenLab server (``python app.py``):

- **browser tabs** (:func:`run_load`): real Chromium through Playwright's async API. Every tab costs about
  10 CPU-seconds to open the latent explorer, on the same 2 cores as the server, so six tabs are what this
  machine can hold honestly (CI runs them: ``tests/browser/test_load.py``);
- **protocol sessions** (:func:`run_ws_load`): :class:`bench.wsclient.Tab`, Streamlit's websocket protocol
  without a browser, as the server sees a student whose browser runs on the student's own laptop. The
  server does all its work (script and fragment runs, figures, images, training); only the drawing is
  missing. A class of 30 is measured this way, with one real Chromium tab moving its slider meanwhile to
  show what a student sees.

The sessions are simultaneous, as in a lecture hall: all of them open at once, every ``trainers_every``-th
one starts its own GAN training run (which the run pool caps and queues), in the protocol runs some open
the other pages and stay there, and then the rest move their first latent slider a few times, with a second
of "looking at the picture" between moves, all at once.
"""

from __future__ import annotations

import asyncio
import time

from .app import IDLE
from .stats import percentile, percentile_note, row

SLIDER = '[data-testid="stSlider"] input[type=range], [data-testid="stSlider"] [role="slider"]'
THINK_S = 1.0  # between two moves of one student's slider
# the src of the image captioned "decoder at z ..." (the latent explorer's decoded image)
_DECODED_SRC = """() => { for (const el of document.querySelectorAll('[data-testid="stImage"]')) {
    if (el.textContent.includes('decoder at z')) { const img = el.querySelector('img');
        return img ? img.getAttribute('src') : null; } } return null; }"""
_CHANGED = """(before) => { for (const el of document.querySelectorAll('[data-testid="stImage"]')) {
    if (el.textContent.includes('decoder at z')) { const img = el.querySelector('img');
        return !!img && img.getAttribute('src') !== before; } } return false; }"""


async def _open(browser, base: str, path: str, timeout_ms: int):
    ctx = await browser.new_context(viewport={"width": 1300, "height": 900})
    ctx.set_default_timeout(timeout_ms)
    page = await ctx.new_page()
    await page.goto(f"{base}/{path}", wait_until="domcontentloaded")
    await page.wait_for_selector('[data-testid="stApp"]')
    await page.wait_for_timeout(300)
    await page.wait_for_selector(IDLE)
    if path.split("?")[0] == "latent":  # the server's sliders sit in an expander under the in-browser pad
        await page.get_by_text("Sliders on the server").click()
    return ctx, page


async def _move(page, timeout_ms: int, tries: int = 3) -> float:
    """Press → on the first latent slider; seconds until the decoded image's source changes.

    Under load the slider may be re-rendered between focusing it and the key press, and the press is then
    lost (the slider's value stays put). Such a press is retried, timed from the new press; a press that
    moved the slider but brought no new image within ``timeout_ms`` is an error.
    """
    # the image is re-created while its fragment reruns: wait until there is one
    before = await (await page.wait_for_function(_DECODED_SRC, polling=20, timeout=timeout_ms)).json_value()
    slider = page.locator(SLIDER).first
    for attempt in range(tries):
        value = await slider.get_attribute("aria-valuenow")
        await slider.focus()
        t0 = time.perf_counter()
        await slider.press("ArrowRight")
        try:
            await page.wait_for_function(_CHANGED, arg=before, polling=20, timeout=20_000)
            return time.perf_counter() - t0
        except Exception:  # noqa: BLE001 - lost press, or a slow answer
            if attempt < tries - 1 and await slider.get_attribute("aria-valuenow") == value:
                continue  # the press never reached the slider: press again
            await page.wait_for_function(_CHANGED, arg=before, polling=20, timeout=timeout_ms)
            return time.perf_counter() - t0
    raise RuntimeError("unreachable")


# pages a "reader" session opens and stays on (every page but the two the class works on)
READ_PAGES = ("home", "gen-vs-disc", "pca", "zoo", "ae-uses", "ddpm", "fid", "denoise")


def _roles(n: int, trainers_every: int, readers_every: int) -> list[str]:
    """Session i trains a GAN (every ``trainers_every``-th), reads another page (every ``readers_every``-th
    of the rest, cycling through READ_PAGES), or moves latent sliders."""
    roles, k = [], 0
    for i in range(n):
        if trainers_every and i % trainers_every == trainers_every - 1:
            roles.append("gan")
        elif readers_every and i % readers_every == 0:
            roles.append(READ_PAGES[k % len(READ_PAGES)])
            k += 1
        else:
            roles.append("latent")
    return roles


def _fault(exc: BaseException) -> str:
    return f"{type(exc).__name__}: {str(exc)[:120]}"


def _opened(items: list, results: list, roles: list[str], errors: list[str]) -> list:
    """(item, result) for each session that opened; an error message for each that raised instead."""
    kept = []
    for i, (item, res, role) in enumerate(zip(items, results, roles)):
        if isinstance(res, BaseException):
            errors.append(f"session {i} ({role}): {_fault(res)}")
        else:
            kept.append((item, res))
    return kept


async def _load(base: str, n_sessions: int, moves: int, trainers_every: int, think_s: float,
                timeout_ms: int) -> dict:
    from playwright.async_api import async_playwright

    from bench.app import CHROMIUM_ARGS
    from tests.browser.conftest import chromium_path

    errors: list[str] = []
    latencies: list[float] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        roles = _roles(n_sessions, trainers_every, 0)
        t_open = time.perf_counter()
        opened = await asyncio.gather(*(_open(browser, base, r, timeout_ms) for r in roles), return_exceptions=True)
        open_s = time.perf_counter() - t_open
        sessions = [(role, *res) for role, res in _opened(roles, opened, roles, errors)]

        async def play(page) -> None:
            await page.get_by_role("button", name="Play").first.click()

        async def student(j: int, page) -> None:
            for k in range(moves):
                if k:
                    await asyncio.sleep(think_s)
                try:
                    latencies.append(await _move(page, timeout_ms))
                except Exception as exc:  # noqa: BLE001 - every failure is an error to count
                    errors.append(f"slider in session {j}: {_fault(exc)}")

        trainers = [p for role, _, p in sessions if role == "gan"]
        started = await asyncio.gather(*(play(p) for p in trainers), return_exceptions=True)
        errors += [f"Play: {_fault(e)}" for e in started if isinstance(e, BaseException)]
        sliders = [p for role, _, p in sessions if role == "latent"]
        t_moves = time.perf_counter()
        await asyncio.gather(*(student(j, p) for j, p in enumerate(sliders)))
        moves_s = time.perf_counter() - t_moves
        for j, (_, ctx, page) in enumerate(sessions):
            if await page.locator('[data-testid="stException"]').count():
                errors.append(f"session {j}: exception shown")
        held = len(sessions)
        await asyncio.gather(*(ctx.close() for _, ctx, _ in sessions), return_exceptions=True)
        await browser.close()
    return {"sessions": n_sessions, "held": held, "trainers": len(trainers) - sum(isinstance(e, BaseException)
                                                                                 for e in started),
            "slider_sessions": len(sliders), "moves": len(latencies), "errors": errors,
            "open_s": open_s, "moves_s": moves_s,
            "p50": percentile(latencies, 50) if latencies else None,
            "p95": percentile(latencies, 95) if latencies else None, "latencies": latencies}


def run_load(base_url: str, n_sessions: int, moves_per_session: int = 3, trainers_every: int = 4,
             think_s: float = THINK_S, timeout_ms: int = 180_000) -> dict:
    """Open ``n_sessions`` browser sessions at once (every ``trainers_every``-th on the GAN page, which
    starts training; the rest on the latent explorer, each moving a slider ``moves_per_session`` times).

    Returns:
        sessions asked, held (opened without error), trainers, slider_sessions, moves, errors (list of
        messages), open_s and moves_s (wall seconds of each phase), p50 and p95 slider latency (s), and
        the latencies themselves.
    """
    from concurrent.futures import ThreadPoolExecutor

    # in a thread of its own: the caller may hold Playwright's sync API (pytest's browser fixture), whose
    # event loop must not see this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _load(base_url, n_sessions, moves_per_session, trainers_every, think_s,
                                               timeout_ms)).result()


async def _ws_load(base: str, n_sessions: int, moves: int, trainers_every: int, think_s: float,
                   timeout: float, browser_moves: int, readers_every: int, moving=None) -> dict:
    from bench.wsclient import Tab

    errors: list[str] = []
    latencies: list[float] = []
    roles = _roles(n_sessions, trainers_every, readers_every)
    tabs = [Tab(base, role) for role in roles]
    # the Chromium tab opens with the class and starts moving its slider when the class does
    ready, go = asyncio.Event(), asyncio.Event()
    browser = (asyncio.create_task(_browser_student(base, browser_moves, think_s, timeout, ready, go))
               if browser_moves else None)
    t_open = time.perf_counter()
    opened = await asyncio.gather(*(t.open(timeout) for t in tabs), return_exceptions=True)
    open_s = time.perf_counter() - t_open
    live = [tab for tab, _ in _opened(tabs, opened, roles, errors)]
    trainers = [t for t in live if t.page == "gan"]
    started = await asyncio.gather(*(t.click("Play", timeout) for t in trainers), return_exceptions=True)
    errors += [f"Play: {_fault(e)}" for e in started if isinstance(e, BaseException)]
    t_play = time.perf_counter()

    async def student(j: int, tab) -> None:
        slider = tab.slider("z1")
        value = slider.value[0]
        step = 0.05 if value + 0.05 * moves <= slider.proto.max else -0.05
        for k in range(moves):
            if k:
                await asyncio.sleep(think_s)
            value += step
            try:
                latencies.append(await tab.set_slider(slider.label, value, image="decoder at z", timeout=timeout))
            except Exception as exc:  # noqa: BLE001 - every failure is an error to count
                errors.append(f"slider in session {j}: {_fault(exc)}")

    sliders = [t for t in live if t.page == "latent"]
    if browser is not None:
        await ready.wait()
    go.set()
    if moving is not None:
        moving.set()
    t_moves = time.perf_counter()
    await asyncio.gather(*(student(j, t) for j, t in enumerate(sliders)))
    moves_s = time.perf_counter() - t_moves
    in_browser = await browser if browser is not None else {"latencies": [], "errors": []}
    errors += [f"browser tab: {e}" for e in in_browser["errors"]]
    for j, tab in enumerate(live):
        errors += [f"session {j} ({tab.page}) showed an exception: {e}" for e in tab.exceptions]
    train_rate = _training_rate(trainers, t_play)
    await asyncio.gather(*(t.close() for t in live), return_exceptions=True)
    lat_b = in_browser["latencies"]
    return {"sessions": n_sessions, "held": len(live),
            "trainers": len(trainers) - sum(isinstance(e, BaseException) for e in started),
            "slider_sessions": len(sliders), "readers": sum(t.page not in ("gan", "latent") for t in live),
            "moves": len(latencies), "errors": errors, "open_s": open_s, "moves_s": moves_s,
            "p50": percentile(latencies, 50) if latencies else None,
            "p95": percentile(latencies, 95) if latencies else None,
            "browser_moves": len(lat_b), "browser_p50": percentile(lat_b, 50) if lat_b else None,
            "browser_p95": percentile(lat_b, 95) if lat_b else None, "latencies": latencies,
            "browser_latencies": lat_b, "train_steps_per_s": train_rate}


def _training_rate(trainers, t_play: float) -> float | None:
    """The class's GAN runs' generator steps per second, all together: each training tab's last "Step"
    metric over the seconds from Play to that metric's arrival (its panel refreshes while it trains)."""
    rates = []
    for tab in trainers:
        shown = tab.metrics.get("Step")
        if shown is None or shown[1] <= t_play:
            continue
        try:
            rates.append(float(str(shown[0]).replace(",", "")) / (shown[1] - t_play))
        except ValueError:
            continue
    return sum(rates) if rates else None


async def _browser_student(base: str, moves: int, think_s: float, timeout: float, ready: asyncio.Event,
                           go: asyncio.Event) -> dict:
    """One real Chromium tab moving its latent slider ``moves`` times while the protocol sessions load the
    server: what a student sees. Sets ``ready`` once its page is open (or it failed), then waits for ``go``."""
    from playwright.async_api import async_playwright

    from bench.app import CHROMIUM_ARGS
    from tests.browser.conftest import chromium_path

    latencies, errors = [], []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            ctx, page = await _open(browser, base, "latent", int(timeout * 1000))
            ready.set()
            await go.wait()
            for k in range(moves):
                if k:
                    await asyncio.sleep(think_s)
                latencies.append(await _move(page, int(timeout * 1000)))
            if await page.locator('[data-testid="stException"]').count():
                errors.append("exception shown")
        except Exception as exc:  # noqa: BLE001
            errors.append(_fault(exc))
        finally:
            ready.set()  # never leave the class waiting for a tab that failed to open
            await browser.close()
    return {"latencies": latencies, "errors": errors}


def run_ws_load(base_url: str, n_sessions: int, moves_per_session: int = 3, trainers_every: int = 4,
                think_s: float = THINK_S, timeout_s: float = 180.0, browser_moves: int = 0,
                readers_every: int = 4, moving=None) -> dict:
    """:func:`run_load` with protocol sessions (:mod:`bench.wsclient`) instead of browser tabs, plus
    ``browser_moves`` slider moves in one real Chromium tab meanwhile. Every ``readers_every``-th session
    that does not train opens one of the other pages (:data:`READ_PAGES`, in turn) and stays there.
    ``moving`` (a threading.Event) is set when the class starts moving its sliders, for a caller that
    measures something else meanwhile.

    Returns:
        what :func:`run_load` returns (latency: from sending the new slider value to the decoded image's
        new source arriving), plus readers (sessions on the other pages), browser_moves, browser_p50 and
        browser_p95 (s) for the Chromium tab.
    """
    from concurrent.futures import ThreadPoolExecutor

    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _ws_load(base_url, n_sessions, moves_per_session, trainers_every, think_s,
                                                  timeout_s, browser_moves, readers_every, moving)).result()


SESSIONS_ENV = "GENLAB_BENCH_SESSIONS"


def rows(quick: bool) -> list[dict]:
    """One session alone (the anchors: a Chromium tab and a protocol session), then a class of ``n`` = 30
    protocol sessions at once (every fourth training a GAN, eight reading the other pages, the rest moving
    latent sliders) while one Chromium tab moves its slider too.
    ``--sessions N`` (or GENLAB_BENCH_SESSIONS) sets ``n``. Skipped by --quick, which must finish in a
    minute; CI runs six real browser tabs in ``tests/browser/test_load.py``."""
    import os

    from bench.app import shared_server

    if quick and not os.environ.get(SESSIONS_ENV):
        return [row("load", "sessions held at once / errors", None, "sessions", goal="0 errors",
                    note="skipped in --quick; twelve sessions run in CI as tests/browser/test_load.py")]
    n = int(os.environ.get(SESSIONS_ENV) or 30)
    base = shared_server()
    # 16 presses: the p95 of 8 moved by 20% between runs
    alone = run_load(base, 1, moves_per_session=3 if quick else 16, trainers_every=0, think_s=0.3)
    alone_ws = run_ws_load(base, 1, moves_per_session=3 if quick else 8, trainers_every=0, think_s=0.3,
                           readers_every=0)
    # six moves each (a p50 of three browser presses moved by 25% between runs), the browser's as many
    # as a protocol student's, so it moves while the class does
    res = run_ws_load(base, n, moves_per_session=2 if quick else 6, trainers_every=4 if n >= 4 else 0,
                      browser_moves=2 if quick else 6)
    note = (f"{res['held']} of {res['sessions']} protocol sessions held ({res['trainers']} training GANs, "
            f"{res['readers']} on the other pages, {res['slider_sessions']} moving latent sliders at the same "
            f"time, {THINK_S:g} s apart), {res['moves']} "
            f"slider moves, {len(res['errors'])} errors; all opened in {res['open_s']:.0f} s, moves took "
            f"{res['moves_s']:.0f} s")
    ratio = (lambda a, b: a / b if a and b else None)
    ci = (lambda samples, q: percentile_note(samples, q) if samples else "no samples")  # noqa: E731
    n_err = len(res["errors"]) + len(alone["errors"]) + len(alone_ws["errors"])
    return [
        row("latent", "slider → new image in Chromium, one session, p50", alone["p50"], "s",
            note=f"{ci(alone['latencies'], 50)}; {alone['moves']} key presses on the first latent slider; "
                 f"{len(alone['errors'])} errors"),
        row("latent", "slider → new image in Chromium, one session, p95", alone["p95"], "s",
            note=f"{ci(alone['latencies'], 95)}; from the key press to the decoded image's new source in the DOM"),
        row("load", f"slider → new image p50, {n} sessions", res["p50"], "s", anchor="one session",
            anchor_value=alone_ws["p50"], ratio=ratio(res["p50"], alone_ws["p50"]),
            note=f"{ci(res['latencies'], 50)}; " + note + "; protocol sessions (bench/wsclient.py): from sending "
                 "the slider's new value to the new image's source arriving"),
        row("load", f"slider → new image p95, {n} sessions", res["p95"], "s", anchor="one session",
            anchor_value=alone_ws["p95"], ratio=ratio(res["p95"], alone_ws["p95"]),
            note=f"{ci(res['latencies'], 95)}; " + ("; ".join(res["errors"][:3]) or "no errors")),
        row("load", f"slider → new image in Chromium during the {n}-session load, p50", res["browser_p50"], "s",
            anchor="Chromium alone", anchor_value=alone["p50"], ratio=ratio(res["browser_p50"], alone["p50"]),
            note=f"{ci(res['browser_latencies'], 50)}; one real tab, {res['browser_moves']} key presses while "
                 f"the class works"),
        row("load", f"sessions held at once / errors, {n} sessions", float(res["held"]), "sessions",
            goal="0 errors", note=note + ("; " + "; ".join(res["errors"][:3]) if res["errors"] else "")),
        row("load", "errors", float(n_err), "count", goal="0", note=note),
    ]
