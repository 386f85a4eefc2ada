"""Visit every page once when the server starts, so the first real visitor finds everything warm.

A page's first visit after a server start pays for what later visits find cached: importing its backend
modules (scikit-learn, scipy, plotly's figure factories), reading MNIST, loading the shipped weights and the
``st.cache_resource`` results built from them. On a 2-core laptop that was 2-6 s a page, in front of a class.
Rather than listing each page's needs by hand (a list that drifts from the pages), ``python app.py`` starts
one background thread that opens a session on its own server, over Streamlit's own websocket protocol, and
runs each page's script with its default settings, exactly as a browser would, one page after the other.

It starts when the server answers its health check, uses one session (released when it closes), and stops at
the first page that takes longer than ``PAGE_TIMEOUT_S``. ``GENLAB_PREWARM=0`` turns it off;
``GENLAB_PREWARM_DONE=<path>`` writes a JSON summary there when it has finished (the benchmark waits on it).
"""

from __future__ import annotations

import asyncio
import json
import logging
import os
import threading
import time
import urllib.request
from pathlib import Path

log = logging.getLogger("genlab.prewarm")
PAGE_TIMEOUT_S = 180.0
HEALTH_TIMEOUT_S = 120.0


def enabled() -> bool:
    return os.environ.get("GENLAB_PREWARM", "1").strip().lower() not in ("0", "false", "no", "off")


def _base_url() -> str:
    from streamlit import config

    address = config.get_option("server.address") or "127.0.0.1"
    if address in ("0.0.0.0", "::", ""):
        address = "127.0.0.1"
    base_path = (config.get_option("server.baseUrlPath") or "").strip("/")
    return f"http://{address}:{config.get_option('server.port')}" + (f"/{base_path}" if base_path else "")


def _wait_healthy(base: str) -> bool:
    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while time.monotonic() < deadline:
        try:
            with urllib.request.urlopen(f"{base}/_stcore/health", timeout=2) as r:
                if r.status == 200:
                    return True
        except OSError:
            time.sleep(0.2)
    return False


async def _visit(base: str, pages: list[str]) -> dict[str, dict]:
    """Run each page's script in one session, in order; per page: seconds, elements drawn, exceptions."""
    import websockets
    from streamlit.proto.BackMsg_pb2 import BackMsg
    from streamlit.proto.ForwardMsg_pb2 import ForwardMsg

    url = base.replace("http://", "ws://", 1) + "/_stcore/stream"
    visits: dict[str, dict] = {}
    async with websockets.connect(url, subprotocols=["streamlit"], max_size=None, open_timeout=30) as ws:
        for page in pages:
            msg = BackMsg()
            msg.rerun_script.page_name = page  # by URL path, as a deep link: no page hash
            t0 = time.perf_counter()
            await ws.send(msg.SerializeToString())
            deadline = time.monotonic() + PAGE_TIMEOUT_S
            elements, exceptions = 0, []
            while True:
                data = await asyncio.wait_for(ws.recv(), max(0.1, deadline - time.monotonic()))
                if isinstance(data, str):
                    continue
                fwd = ForwardMsg()
                fwd.ParseFromString(data)
                kind = fwd.WhichOneof("type")
                elements += kind == "delta"
                if kind == "page_not_found":
                    log.warning("prewarm: no page at /%s", page)
                elif kind == "delta" and fwd.delta.new_element.WhichOneof("type") == "exception":
                    exceptions.append(fwd.delta.new_element.exception.message[:300])
                    log.warning("prewarm: %s raised %s", page, exceptions[-1])
                elif kind == "script_finished" and fwd.script_finished != ForwardMsg.FINISHED_EARLY_FOR_RERUN:
                    break
            visits[page] = {"seconds": round(time.perf_counter() - t0, 3), "elements": elements,
                            "exceptions": exceptions}
    return visits


def _main() -> None:
    from streamlit.runtime import Runtime

    from ui.nav import PAGES

    deadline = time.monotonic() + HEALTH_TIMEOUT_S
    while not Runtime.exists() and time.monotonic() < deadline:  # the command line has read its options
        time.sleep(0.1)
    base = _base_url()
    if not _wait_healthy(base):
        log.warning("prewarm: the server at %s did not answer; pages are not warmed", base)
        return
    pages = [spec.url_path for spec in PAGES if spec.url_path != "home"]
    t0 = time.perf_counter()
    try:
        visits = asyncio.run(_visit(base, pages))
        error = None
    except Exception as exc:  # noqa: BLE001 - warming is an optimisation: a failure must not stop the server
        visits, error = {}, f"{type(exc).__name__}: {exc}"
        log.warning("prewarm stopped: %s", error)
    summary = {"pages": visits, "seconds": round(time.perf_counter() - t0, 3), "error": error}
    log.info("prewarm: %d pages in %.1f s", len(visits), summary["seconds"])
    done = os.environ.get("GENLAB_PREWARM_DONE")
    if done:
        Path(done).write_text(json.dumps(summary))


def start() -> threading.Thread | None:
    """Start the warm-up thread (from the launcher, before the server starts); None when turned off."""
    if not enabled():
        return None
    thread = threading.Thread(target=_main, name="genlab-prewarm", daemon=True)
    thread.start()
    return thread
