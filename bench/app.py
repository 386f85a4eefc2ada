"""App-level figures measured in a real browser: cold start, and each page's first render.

Also the server the other browser areas share (:func:`shared_server`): the last cold start's server is
kept running, so the run starts one Streamlit server for the page renders, the load test and the GAN
watchers instead of one each.
"""

from __future__ import annotations

import atexit
import secrets
import subprocess
import time

from .stats import per_round, row, summary

IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'
# The bench's server is started with a lecturer token: its GAN rows start and stop the shared run from
# sessions that open ?lecturer=<token>, as a lecturer's browser does (only they may control a shared run).
LECTURER_TOKEN = secrets.token_urlsafe(12)
CHROMIUM_ARGS = ["--no-sandbox", "--disable-gpu", "--disable-background-networking", "--disable-component-update",
                 "--disable-sync", "--no-first-run", "--disable-dev-shm-usage"]
_SHARED: dict = {}


def _browser():
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_path

    pw = sync_playwright().start()
    return pw, pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)


def _prewarm_file(port: int) -> str:
    import tempfile
    from pathlib import Path

    return str(Path(tempfile.gettempdir()) / f"genlab-prewarm-{port}.json")


def _wait_prewarmed(timeout: float = 600) -> dict:
    """The shared server's warm-up summary (ui/prewarm.py), once it has visited every page."""
    import json
    from pathlib import Path

    path = Path(_SHARED["prewarm"])
    deadline = time.perf_counter() + timeout
    while not path.is_file():
        if time.perf_counter() > deadline:
            raise TimeoutError("the server's page warm-up did not finish")
        time.sleep(0.5)
    return json.loads(path.read_text())


def _adopt(proc: subprocess.Popen, port: int) -> None:
    """Make a running server the shared one (stopping the previous one), stopped when the run exits."""
    from tests.browser.conftest import stop_server

    if "proc" in _SHARED:
        stop_server(_SHARED["proc"])
    else:
        atexit.register(lambda: _SHARED and stop_server(_SHARED["proc"]))
    _SHARED.update(proc=proc, base=f"http://127.0.0.1:{port}", prewarm=_prewarm_file(port))


def shared_server() -> str:
    """Base URL of the benchmark's one running ``python app.py`` (started here if none is)."""
    from tests.browser.conftest import free_port, start_server, wait_healthy

    if "proc" not in _SHARED or _SHARED["proc"].poll() is not None:
        port = free_port()
        proc = start_server(port, extra_env={"GENLAB_PREWARM": "1", "GENLAB_PREWARM_DONE": _prewarm_file(port),
                                             "GENLAB_LECTURER_TOKEN": LECTURER_TOKEN})
        wait_healthy(port, proc)
        _adopt(proc, port)
    return _SHARED["base"]


def _cold_start(browser, keep: bool) -> float:
    """Seconds from ``python app.py`` (the README's command) to an interactive home page in Chromium."""
    from tests.browser.conftest import free_port, start_server, stop_server

    port = free_port()
    t0 = time.perf_counter()
    proc = start_server(port, extra_env={"GENLAB_PREWARM": "1", "GENLAB_PREWARM_DONE": _prewarm_file(port),
                                             "GENLAB_LECTURER_TOKEN": LECTURER_TOKEN})
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
    except BaseException:
        stop_server(proc)
        raise
    if keep:
        _adopt(proc, port)
    else:
        stop_server(proc)
    return elapsed


RUNNING = """() => document.querySelector('[data-testid="stApp"]')?.getAttribute('data-test-script-state') === 'running'"""
# Drawn: the script is idle and every chart on the page has drawn (Plotly loads its code on the first chart of
# a session and draws after the script has finished: "script idle" alone missed that), every image has
# loaded. Checked every 10 ms in the page, whose main thread is busy drawing meanwhile.
DRAWN = """() => {
    const app = document.querySelector('[data-testid="stApp"]');
    if (!app || app.getAttribute('data-test-script-state') !== 'notRunning') return false;
    for (const c of document.querySelectorAll('[data-testid="stPlotlyChart"]'))
        if (!c.querySelector('.main-svg')) return false;
    for (const img of document.querySelectorAll('[data-testid="stMain"] img')) if (!img.complete) return false;
    return true; }"""


def _navigate(page, spec) -> float:
    """Click ``spec``'s link in the sidebar of an open session; seconds until the page is drawn (:data:`DRAWN`)."""
    path = "/" if spec.url_path == "home" else f"/{spec.url_path}"
    # the previous page has finished drawing (the browser's main thread is idle), as when a student clicks
    # the next link: its plots' rendering is not charged to this page
    page.evaluate("() => new Promise(r => requestIdleCallback(() => r(), {timeout: 10000}))")
    t0 = time.perf_counter()
    clicked = page.evaluate("""(path) => { for (const a of document.querySelectorAll('[data-testid="stSidebarNav"] a')) {
        if (new URL(a.href).pathname.replace(/\\/$/, '') === path.replace(/\\/$/, '')) { a.click(); return true; } }
        return false; }""", path)
    if not clicked:
        raise RuntimeError(f"no sidebar link to {path}")
    try:
        page.wait_for_function(RUNNING, polling=10, timeout=3000)
    except Exception:  # noqa: BLE001 - a very fast page may finish before the first poll
        pass
    page.wait_for_function(DRAWN, polling=10, timeout=120_000)
    return time.perf_counter() - t0


def _navigations(browser, quick: bool) -> list[dict]:
    """Each page reached from the sidebar of an open session (the frontend is loaded; the page's script runs
    and its output renders), the way a student moves between pages. The first arrival after server start
    loads the shipped weights from disk; later ones find them cached."""
    from ui.nav import PAGES

    base = shared_server()
    warm = _wait_prewarmed()  # a freshly started server, after its warm-up visit (python app.py does it)
    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    page = ctx.new_page()
    page.goto(f"{base}/", wait_until="domcontentloaded")
    page.wait_for_selector(IDLE, timeout=120_000)
    home = next(s for s in PAGES if s.url_path == "home")
    specs = [s for s in PAGES if s is not home]
    times: dict[str, list[float]] = {s.url_path: [] for s in specs}
    try:
        for _ in range(1 if quick else 2):  # rounds: the first one is every page's first visit
            for spec in specs:  # page to page, as a student clicks through the sidebar
                times[spec.url_path].append(_navigate(page, spec))
            _navigate(page, home)
    finally:
        ctx.close()
    out = [row("app", "server warm-up: every page visited once after start", warm["seconds"], "s",
               note="ui/prewarm.py, in the background after `python app.py` starts; per page: "
                    + ", ".join(f"{k} {v['seconds']:.1f}" for k, v in warm["pages"].items()))]
    for spec in specs:
        out.append(row("app", f"first visit after server start: {spec.title}", times[spec.url_path][0], "s",
                       goal="≤ 2 s",
                       note=f"min {times[spec.url_path][0]:.2f}, max {times[spec.url_path][0]:.2f}; sidebar click on "
                            f"a freshly started server after its warm-up, to the page drawn in Chromium (script idle, every chart and "
                            f"image drawn)"))
    for spec in specs:
        later = times[spec.url_path][1:]
        if later:
            med, note = summary(later)
            out.append(row("app", f"page ready after navigation: {spec.title}", med, "s",
                           goal="≤ 2 s" if spec.url_path == "latent" else "",
                           note=f"{note}; sidebar click in an open Chromium session to the page drawn (a later visit)"))
    return out


def _new_sessions(browser, quick: bool) -> list[dict]:
    """A page opened in a new browser session (the frontend loads too): what a student's first click on a
    shared link costs."""
    from ui.nav import PAGES

    base = shared_server()
    out = []
    for spec in [s for s in PAGES if s.url_path in (() if quick else ("latent",))]:
        path = "" if spec.url_path == "home" else spec.url_path
        times = []
        for _ in range(per_round(3, quick)):
            ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
            page = ctx.new_page()
            t0 = time.perf_counter()
            page.goto(f"{base}/{path}", wait_until="domcontentloaded")
            page.wait_for_timeout(100)
            page.wait_for_selector(IDLE, timeout=120_000)
            times.append(time.perf_counter() - t0)
            ctx.close()
        med, note = summary(times)
        out.append(row("app", f"first render in a new browser session: {spec.title}", med, "s",
                       note=f"{note}; the frontend's scripts load and compile too (no browser cache)"))
    return out


def rows(quick: bool) -> list[dict]:
    pw, browser = _browser()
    try:
        n = per_round(3, quick)
        times = [_cold_start(browser, keep=i == n - 1) for i in range(n)]
        med, note = summary(times)
        out = [row("app", "cold start to interactive home page", med, "s", goal="≤ 5 s",
                   note=f"{note}; from `python app.py` to the home page idle in Chromium")]
        if not quick:  # quick: the cold start alone (every page opens in CI's browser tests)
            out += _navigations(browser, quick) + _new_sessions(browser, quick)
        return out
    finally:
        browser.close()
        pw.stop()
