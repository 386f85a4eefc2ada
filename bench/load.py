"""Many users at once: N browser sessions on the latent explorer moving sliders while others train.

Measures, in real Chromium against a real ``streamlit run app.py``: sessions held, errors (exceptions shown
or pages that never settle), and the slider-to-new-image latency (p50/p95) while a quarter of the sessions
each start their own GAN training run (which the run pool caps and queues).
"""

from __future__ import annotations

import time

from .stats import percentile, row

SLIDER = '[data-testid="stSlider"] input[type=range], [data-testid="stSlider"] [role="slider"]'
DECODED = '[data-testid="stImage"]:has-text("decoder at z") img'


def _new_image_after_keypress(page, timeout_s: float = 60.0) -> float:
    """Press → on the first latent slider; seconds until the decoded image's source changes."""
    before = page.locator(DECODED).first.get_attribute("src")
    slider = page.locator(SLIDER).first
    slider.focus()
    t0 = time.perf_counter()
    slider.press("ArrowRight")
    deadline = t0 + timeout_s
    while time.perf_counter() < deadline:
        if page.locator(DECODED).first.get_attribute("src") != before:
            return time.perf_counter() - t0
        page.wait_for_timeout(10)
    raise TimeoutError("the decoded image did not change")


def _dismiss_page_not_found(page) -> None:
    """The first session after a server start that opens a deep link gets Streamlit's "Page not found"
    dialog over the right page (streamlit#9992: a ``pages/`` folder beside app.py); it holds the focus."""
    if page.locator('[role="dialog"]').count():
        page.keyboard.press("Escape")


def run_load(base_url: str, browser, n_sessions: int, moves_per_session: int = 3,
             trainers_every: int = 4) -> dict:
    """Open ``n_sessions`` contexts (every ``trainers_every``-th on the GAN page, the rest on the latent
    explorer), then start GAN training in the GAN ones and move sliders in the rest."""
    from tests.browser.conftest import open_page

    contexts, pages, errors, latencies, trainer_pages, trainers = [], [], [], [], [], 0
    try:
        # open every session first, then start the trainers: a page that live-redraws a GAN keeps a core of
        # this 2-core machine's browser busy, and navigations in other tabs then crawl (minutes), which would
        # measure the shared browser, not the server
        for i in range(n_sessions):
            ctx = browser.new_context(viewport={"width": 1300, "height": 900})
            ctx.set_default_timeout(120_000)  # 30 sessions on 2 cores: a page can take a while to arrive
            page = ctx.new_page()
            contexts.append(ctx)
            trainer = bool(trainers_every) and i % trainers_every == trainers_every - 1
            try:
                open_page(page, base_url, "gan" if trainer else "latent", timeout_ms=120_000)
                _dismiss_page_not_found(page)
                (trainer_pages if trainer else pages).append(page)
            except Exception as exc:  # noqa: BLE001 - every failure is an error to count
                errors.append(f"session {i}: {type(exc).__name__}: {str(exc)[:120]}")
        for page in trainer_pages:
            try:
                page.get_by_role("button", name="Play").first.click()
                trainers += 1
            except Exception as exc:  # noqa: BLE001
                errors.append(f"Play: {type(exc).__name__}: {str(exc)[:120]}")
        for _ in range(moves_per_session):
            for j, page in enumerate(pages):
                try:
                    latencies.append(_new_image_after_keypress(page))
                except Exception as exc:  # noqa: BLE001
                    errors.append(f"slider in session {j}: {type(exc).__name__}: {str(exc)[:120]}")
        for j, ctx in enumerate(contexts):
            for pg in ctx.pages:
                if pg.locator('[data-testid="stException"]').count():
                    errors.append(f"session {j}: exception shown")
    finally:
        for ctx in contexts:
            ctx.close()
    return {"sessions": n_sessions, "trainers": trainers, "slider_sessions": len(pages),
            "moves": len(latencies), "errors": errors,
            "p50": percentile(latencies, 50) if latencies else None,
            "p95": percentile(latencies, 95) if latencies else None}


def rows(quick: bool) -> list[dict]:
    from bench.app import _browser
    from tests.browser.conftest import free_port, start_server, wait_healthy

    n = 6 if quick else 30
    port = free_port()
    proc = start_server(port)
    pw, browser = _browser()
    try:
        wait_healthy(port, proc)
        base = f"http://127.0.0.1:{port}"
        alone = run_load(base, browser, 1, moves_per_session=5 if quick else 20, trainers_every=0)
        res = run_load(base, browser, n, moves_per_session=2 if quick else 3)
    finally:
        browser.close()
        pw.stop()
        proc.terminate()
        proc.wait(10)
    note = (f"{res['sessions']} sessions held ({res['trainers']} training GANs, {res['slider_sessions']} moving "
            f"sliders), {res['moves']} slider moves, {len(res['errors'])} errors")
    return [
        row("latent", "slider → new image in Chromium, one session, p50", alone["p50"], "s",
            note=f"{alone['moves']} key presses on the first latent slider; {len(alone['errors'])} errors"),
        row("latent", "slider → new image in Chromium, one session, p95", alone["p95"], "s",
            note="from the key press to the decoded image's new source in the DOM"),
        row("load", f"slider → new image p50, {n} sessions", res["p50"], "s", anchor="one session",
            anchor_value=alone["p50"], ratio=res["p50"] / alone["p50"] if res["p50"] and alone["p50"] else None,
            note=note),
        row("load", f"slider → new image p95, {n} sessions", res["p95"], "s", anchor="one session",
            anchor_value=alone["p95"], ratio=res["p95"] / alone["p95"] if res["p95"] and alone["p95"] else None,
            note="; ".join(res["errors"][:3]) or "no errors"),
        row("load", f"sessions held at once / errors, {n} sessions", float(res["sessions"]), "sessions",
            goal="0 errors", note=note + ("; " + "; ".join(res["errors"][:3]) if res["errors"] else "")),
        row("load", "errors", float(len(res["errors"]) + len(alone["errors"])), "count", goal="0", note=note),
    ]
