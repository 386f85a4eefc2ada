"""App-level figures measured in a real browser: cold start, and each page's first render."""

from __future__ import annotations

import subprocess
import time

from .stats import row, summary

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def _browser():
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_path

    pw = sync_playwright().start()
    b = pw.chromium.launch(executable_path=chromium_path(), headless=True,
                           args=["--no-sandbox", "--disable-gpu", "--disable-background-networking",
                                 "--disable-component-update", "--disable-sync", "--no-first-run"])
    return pw, b


def _cold_start(browser) -> float:
    """Seconds from ``streamlit run app.py`` to an interactive home page in Chromium."""
    from tests.browser.conftest import free_port, start_server

    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(port)
    try:
        ctx = browser.new_context()
        page = ctx.new_page()
        while True:
            try:
                page.goto(f"http://127.0.0.1:{port}/", wait_until="domcontentloaded", timeout=2000)
                break
            except Exception:  # noqa: BLE001 - server not listening yet
                if time.perf_counter() - t0 > 60:
                    raise
                time.sleep(0.05)
        page.get_by_role("heading", name="GenLab").first.wait_for(timeout=60_000)
        page.wait_for_selector(IDLE, timeout=60_000)
        elapsed = time.perf_counter() - t0
        ctx.close()
        return elapsed
    finally:
        proc.terminate()
        try:
            proc.wait(10)
        except subprocess.TimeoutExpired:
            proc.kill()


def _first_renders(browser, quick: bool) -> list[dict]:
    from tests.browser.conftest import free_port, start_server, wait_healthy
    from ui.nav import PAGES

    port = free_port()
    proc = start_server(port)
    out = []
    try:
        wait_healthy(port, proc)
        for spec in (PAGES[:2] if quick else PAGES):
            path = "" if spec.url_path == "home" else spec.url_path
            times = []
            for _ in range(1 if quick else 3):  # the first visit also fills the server's caches
                ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
                page = ctx.new_page()
                t0 = time.perf_counter()
                page.goto(f"http://127.0.0.1:{port}/{path}", wait_until="domcontentloaded")
                page.wait_for_timeout(100)
                page.wait_for_selector(IDLE, timeout=120_000)
                times.append(time.perf_counter() - t0)
                ctx.close()
            med, note = summary(times)
            out.append(row("app", f"first render: {spec.title}", med, "s",
                           goal="≤ 2 s" if spec.url_path == "latent" else "",
                           note=f"{note}; a new browser session each time, shipped weights; the first visit "
                                f"after server start (caches empty) took {times[0]:.2f} s"))
    finally:
        proc.terminate()
        proc.wait(10)
    return out


def rows(quick: bool) -> list[dict]:
    pw, browser = _browser()
    try:
        times = [_cold_start(browser) for _ in range(1 if quick else 3)]
        med, note = summary(times)
        out = [row("app", "cold start to interactive home page", med, "s", goal="≤ 5 s", note=note)]
        out += _first_renders(browser, quick)
        return out
    finally:
        browser.close()
        pw.stop()
