"""Many users at once: N browser sessions on the latent explorer moving sliders while others train GANs.

Measured in real Chromium against a real ``streamlit run app.py``: sessions held, errors (exceptions shown
or pages that never settle), and the slider-to-new-image latency (p50/p95). The sessions are simultaneous,
as in a lecture hall: all of them open at once, every fourth one starts its own GAN training run (which the
run pool caps and queues), and then every other one moves its first latent slider a few times, with a
second of "looking at the picture" between moves, all at the same time. The Playwright async API drives
every tab from one thread.
"""

from __future__ import annotations

import asyncio
import time

from .app import IDLE
from .stats import percentile, row

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
    # streamlit#9992: the first deep link after a server start may get a "Page not found" dialog over the
    # right page; it holds the keyboard focus
    if await page.locator('[role="dialog"]').count():
        await page.keyboard.press("Escape")
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


async def _load(base: str, n_sessions: int, moves: int, trainers_every: int, think_s: float,
                timeout_ms: int) -> dict:
    from playwright.async_api import async_playwright

    from bench.app import CHROMIUM_ARGS
    from tests.browser.conftest import chromium_path

    errors: list[str] = []
    latencies: list[float] = []
    async with async_playwright() as pw:
        browser = await pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        roles = ["gan" if trainers_every and i % trainers_every == trainers_every - 1 else "latent"
                 for i in range(n_sessions)]
        t_open = time.perf_counter()
        opened = await asyncio.gather(*(_open(browser, base, r, timeout_ms) for r in roles), return_exceptions=True)
        open_s = time.perf_counter() - t_open
        sessions = []
        for i, (role, res) in enumerate(zip(roles, opened)):
            if isinstance(res, BaseException):
                errors.append(f"session {i} ({role}): {type(res).__name__}: {str(res)[:120]}")
            else:
                sessions.append((role, *res))

        async def play(page) -> None:
            await page.get_by_role("button", name="Play").first.click()

        async def student(j: int, page) -> None:
            for k in range(moves):
                if k:
                    await asyncio.sleep(think_s)
                try:
                    latencies.append(await _move(page, timeout_ms))
                except Exception as exc:  # noqa: BLE001 - every failure is an error to count
                    errors.append(f"slider in session {j}: {type(exc).__name__}: {str(exc)[:120]}")

        trainers = [p for role, _, p in sessions if role == "gan"]
        started = await asyncio.gather(*(play(p) for p in trainers), return_exceptions=True)
        errors += [f"Play: {type(e).__name__}: {str(e)[:120]}" for e in started if isinstance(e, BaseException)]
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
            "p95": percentile(latencies, 95) if latencies else None}


def run_load(base_url: str, n_sessions: int, moves_per_session: int = 3, trainers_every: int = 4,
             think_s: float = THINK_S, timeout_ms: int = 180_000) -> dict:
    """Open ``n_sessions`` browser sessions at once (every ``trainers_every``-th on the GAN page, which
    starts training; the rest on the latent explorer, each moving a slider ``moves_per_session`` times).

    Returns:
        sessions asked, held (opened without error), trainers, slider_sessions, moves, errors (list of
        messages), open_s and moves_s (wall seconds of each phase), p50 and p95 slider latency (s).
    """
    from concurrent.futures import ThreadPoolExecutor

    # in a thread of its own: the caller may hold Playwright's sync API (pytest's browser fixture), whose
    # event loop must not see this one
    with ThreadPoolExecutor(1) as pool:
        return pool.submit(asyncio.run, _load(base_url, n_sessions, moves_per_session, trainers_every, think_s,
                                               timeout_ms)).result()


SESSIONS_ENV = "GENLAB_BENCH_SESSIONS"


def rows(quick: bool) -> list[dict]:
    """One session alone (the anchor), then ``n`` = 6 at once (one of them training) (a class of 30 is
    ``python -m bench --only load --sessions 30``, about 10 minutes here: every Chromium tab costs about
    10 CPU-seconds to open the latent explorer, on the same 2 cores as the server). Skipped by --quick,
    which must finish in a minute; CI runs six sessions in ``tests/browser/test_load.py``."""
    import os

    from bench.app import shared_server

    if quick and not os.environ.get(SESSIONS_ENV):
        return [row("load", "sessions held at once / errors", None, "sessions", goal="0 errors",
                    note="skipped in --quick (about a minute even for 2 sessions); six sessions run in CI as "
                         "tests/browser/test_load.py")]
    n = int(os.environ.get(SESSIONS_ENV) or 6)
    base = shared_server()
    alone = run_load(base, 1, moves_per_session=3 if quick else 8, trainers_every=0, think_s=0.3)
    res = run_load(base, n, moves_per_session=2 if quick else 3, trainers_every=6 if n <= 6 else 4)
    note = (f"{res['held']} of {res['sessions']} sessions held ({res['trainers']} training GANs, "
            f"{res['slider_sessions']} moving sliders at the same time, {THINK_S:g} s apart), {res['moves']} "
            f"slider moves, {len(res['errors'])} errors; all opened in {res['open_s']:.0f} s, moves took "
            f"{res['moves_s']:.0f} s")
    ratio = (lambda a, b: a / b if a and b else None)
    return [
        row("latent", "slider → new image in Chromium, one session, p50", alone["p50"], "s",
            note=f"{alone['moves']} key presses on the first latent slider; {len(alone['errors'])} errors"),
        row("latent", "slider → new image in Chromium, one session, p95", alone["p95"], "s",
            note="from the key press to the decoded image's new source in the DOM"),
        row("load", f"slider → new image p50, {n} sessions", res["p50"], "s", anchor="one session",
            anchor_value=alone["p50"], ratio=ratio(res["p50"], alone["p50"]), note=note),
        row("load", f"slider → new image p95, {n} sessions", res["p95"], "s", anchor="one session",
            anchor_value=alone["p95"], ratio=ratio(res["p95"], alone["p95"]),
            note="; ".join(res["errors"][:3]) or "no errors"),
        row("load", f"sessions held at once / errors, {n} sessions", float(res["held"]), "sessions",
            goal="0 errors", note=note + ("; " + "; ".join(res["errors"][:3]) if res["errors"] else "")),
        row("load", "errors", float(len(res["errors"]) + len(alone["errors"])), "count", goal="0", note=note),
    ]
