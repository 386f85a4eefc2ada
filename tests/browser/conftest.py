"""Browser fixtures: one real GenLab server, started with the README's ``python app.py``, and Debian's
Chromium through Playwright.

``open_page(page, "ddpm")`` navigates and waits until the script is idle. Screenshots go to
``GENLAB_SCREENSHOT_DIR`` (default ``build/screenshots``).
"""

from __future__ import annotations

import contextlib
import os
import shutil
import socket
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[2]
SCREENSHOTS = Path(os.environ.get("GENLAB_SCREENSHOT_DIR", REPO / "build" / "screenshots"))
IDLE = '[data-testid="stApp"][data-test-script-state="notRunning"]'


def free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


RAY_WORKER_PORTS = (10002, 19999)  # the range Ray gives its workers: a cluster's own ports stay out of it


def free_port_outside_ray() -> int:
    """A free port outside :data:`RAY_WORKER_PORTS`."""
    lo, hi = RAY_WORKER_PORTS
    while True:
        port = free_port()
        if not lo <= port <= hi:
            return port


def free_port_pair_outside_ray() -> int:
    """The first of two consecutive free ports outside :data:`RAY_WORKER_PORTS` (deploy/cluster.sh numbers
    its replicas' ports from one)."""
    lo, hi = RAY_WORKER_PORTS
    while True:
        first = free_port_outside_ray()
        if lo <= first + 1 <= hi:
            continue
        with socket.socket() as s:
            try:
                s.bind(("127.0.0.1", first + 1))
            except OSError:
                continue
        return first


def start_server(port: int, extra_env: dict | None = None, streamlit_run: bool = False) -> subprocess.Popen:
    """``python app.py`` (the README's command; ``streamlit_run``: ``streamlit run app.py``) on ``port``."""
    # no background page warm-up (ui/prewarm.py) unless a test asks for it: it would run every page's script
    # once per server while the tests run theirs, on the same 2 cores
    env = {**os.environ, "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "GENLAB_PREWARM": "0", **(extra_env or {})}
    log = open(REPO / "build" / f"streamlit-{port}.log", "w") if (REPO / "build").is_dir() else subprocess.DEVNULL
    command = [sys.executable, "-m", "streamlit", "run", "app.py"] if streamlit_run else [sys.executable, "app.py"]
    return subprocess.Popen(
        command + ["--server.headless", "true", "--server.address", "127.0.0.1", "--server.port", str(port)],
        cwd=REPO, env=env, stdout=log, stderr=subprocess.STDOUT)


def wait_healthy(port: int, proc: subprocess.Popen, timeout: float = 60) -> None:
    deadline = time.time() + timeout
    while time.time() < deadline:
        if proc.poll() is not None:
            raise RuntimeError(f"streamlit exited with code {proc.returncode}")
        try:
            with urllib.request.urlopen(f"http://127.0.0.1:{port}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return
        except OSError:
            time.sleep(0.2)
    raise TimeoutError("streamlit did not become healthy")


def stop_server(proc: subprocess.Popen) -> None:
    proc.terminate()
    try:
        proc.wait(10)
    except subprocess.TimeoutExpired:
        proc.kill()


@contextlib.contextmanager
def running_server(extra_env: dict | None = None, streamlit_run: bool = False):
    """A server of its own on a free port (see :func:`start_server`), healthy; yields its base URL and
    stops it afterwards."""
    port = free_port()
    proc = start_server(port, extra_env, streamlit_run)
    try:
        wait_healthy(port, proc)
        yield f"http://127.0.0.1:{port}"
    finally:
        stop_server(proc)


@pytest.fixture(scope="session")
def server():
    """Base URL of a running app (one server for the whole browser session)."""
    (REPO / "build").mkdir(exist_ok=True)
    with running_server() as base:
        yield base


def chromium_path() -> str:
    path = shutil.which("chromium") or shutil.which("chromium-browser")
    if not path:
        pytest.fail("Chromium is not installed: `apt-get install -y chromium` (tests/run.sh does this).")
    return path


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    with sync_playwright() as pw:
        b = pw.chromium.launch(
            executable_path=chromium_path(), headless=True,
            args=["--no-sandbox", "--disable-gpu", "--disable-quic", "--no-first-run",
                  "--disable-background-networking", "--disable-component-update", "--disable-sync",
                  "--disable-dev-shm-usage"])
        yield b
        b.close()


@pytest.fixture
def page(browser):
    context = browser.new_context(viewport={"width": 1400, "height": 1000})
    pg = context.new_page()
    yield pg
    context.close()


def wait_idle(pg, timeout_ms: int = 60_000) -> None:
    """Wait until the page's script has finished running (fragments may tick afterwards)."""
    pg.wait_for_selector('[data-testid="stApp"]', timeout=timeout_ms)
    pg.wait_for_timeout(300)
    pg.wait_for_selector(IDLE, timeout=timeout_ms)
    # Widgets' code loads lazily: until it arrives they are grey skeletons (a screenshot would show them).
    try:
        pg.wait_for_function("!document.querySelector('[data-testid=\"stSkeleton\"]')", timeout=8_000)
    except Exception:  # noqa: BLE001 - a skeleton left is cosmetic; the assertions decide the test
        pass


def open_page(pg, base_url: str, url_path: str, query: str = "", timeout_ms: int = 90_000) -> None:
    path = "" if url_path == "home" else url_path
    pg.goto(f"{base_url}/{path}{('?' + query) if query else ''}", wait_until="domcontentloaded")
    wait_idle(pg, timeout_ms)


def assert_no_exception(pg) -> None:
    errors = pg.locator('[data-testid="stException"]')
    if errors.count():
        raise AssertionError(f"The page shows an exception: {errors.first.inner_text()[:2000]}")


def screenshot(pg, name: str) -> Path:
    SCREENSHOTS.mkdir(parents=True, exist_ok=True)
    path = SCREENSHOTS / f"{name}.png"
    pg.screenshot(path=str(path), full_page=True)
    return path
