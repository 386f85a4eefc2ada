"""The latent pad in Chromium (issue 27): redraws per second while a pointer drags over the code map, and the
server's CPU seconds per 100 pointer moves, next to today's server-side slider in the same run.

The pad decodes in the browser (ui/components/latent_pad.js), so a drag costs the server nothing until it
is released; the anchor moves the server explorer's slider with the keyboard, where every move is a
script run and a decoded PNG. CPU seconds are the server process's user + system time (/proc), read
before and after the moves (Linux). Skipped by --quick.
"""

from __future__ import annotations

import os
import time

from .stats import row

MOVES = 100
DRAG = """async ([n, x, y, dx, dy]) => {
  const pad = window.genlabLatentPad.padElement;  // the pad lives in its component's shadow root
  const t0 = performance.now();
  for (let i = 0; i < n; i++) {
    pad.dispatchEvent(new PointerEvent('pointermove', {clientX: x + i * dx, clientY: y + i * dy, bubbles: true,
                                                         pointerId: 1, pointerType: 'mouse', buttons: 1}));
    await new Promise(requestAnimationFrame);
  }
  return performance.now() - t0;
}"""


def _cpu_s(pid: int) -> float:
    fields = open(f"/proc/{pid}/stat").read().rsplit(")", 1)[1].split()
    return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")  # utime + stime


def _redraws(page) -> int:
    return page.evaluate("() => window.genlabLatentPad.redraws")


def _drag(page, pid: int) -> dict:
    """Drag the pad with MOVES pointer moves (one per animation frame, dispatched in the page: a Playwright
    call per move would measure its own round trip); the pad holds the pointer from the mouse going down.

    Returns redraws, seconds, the server's CPU seconds during the drag and after the release, and the
    websocket messages the tab sent the server during the drag (the pad's promise: none until release)."""
    box = page.locator("canvas.glp-pad").bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2
    page.mouse.move(x0, y0)
    page.mouse.down()
    n0, cpu0, frames0 = _redraws(page), _cpu_s(pid), _frames_sent(page)
    elapsed = page.evaluate(DRAG, [MOVES, x0, y0, box["width"] * 0.006, box["height"] * 0.003]) / 1000
    cpu_drag, drawn, frames = _cpu_s(pid) - cpu0, _redraws(page) - n0, _frames_sent(page) - frames0
    from tests.browser.conftest import wait_idle

    cpu_up = _cpu_s(pid)
    page.mouse.up()
    page.wait_for_timeout(1000)
    wait_idle(page)
    released = _frames_sent(page) - frames0 - frames  # the release's message(s): the counter counts
    return {"drawn": drawn, "elapsed": elapsed, "cpu": cpu_drag, "frames": frames, "released": released,
            "cpu_release": _cpu_s(pid) - cpu_up}


# Counts the messages the page sends over its websockets (Streamlit's one connection), installed before the
# page's own scripts run, so the count covers every frame the server receives from this tab.
COUNT_FRAMES = """(() => { const send = WebSocket.prototype.send; window.genlabFramesSent = 0;
  WebSocket.prototype.send = function (...args) { window.genlabFramesSent += 1; return send.apply(this, args); };
})();"""


def _frames_sent(page) -> int:
    return page.evaluate("() => window.genlabFramesSent || 0")


def _open_pad(browser, base: str):
    from tests.browser.conftest import open_page, wait_idle

    ctx = browser.new_context(viewport={"width": 1400, "height": 1000})
    ctx.add_init_script(COUNT_FRAMES)
    page = ctx.new_page()
    open_page(page, base, "latent", "dataset=mnist&model=VAE&dim=2", timeout_ms=300_000)
    page.wait_for_function("() => window.genlabLatentPad && window.genlabLatentPad.redraws >= 1", timeout=120_000)
    wait_idle(page)
    time.sleep(2)
    return page


def _class_drag(base: str, browser, pid: int, n: int) -> tuple[dict, dict]:
    """The pad dragged in one Chromium tab while ``n`` protocol sessions work the server (bench.load's class:
    GAN trainings, readers, latent sliders), from the moment the class starts moving its sliders."""
    import threading

    from .load import run_ws_load

    page = _open_pad(browser, base)
    moving, out = threading.Event(), {}

    def the_class():
        try:
            out["class"] = run_ws_load(base, n, moves_per_session=6, trainers_every=4, moving=moving)
        finally:
            moving.set()

    t = threading.Thread(target=the_class, daemon=True)
    t.start()
    moving.wait(600)
    drag = _drag(page, pid)
    t.join(900)
    return drag, out.get("class", {"errors": ["the class did not finish"], "held": 0})


def rows(quick: bool) -> list[dict]:
    if quick:
        return [row("latent_pad", "redraws per second while dragging the pad", None, "1/s", goal="≥ 30",
                    note="skipped in --quick")]
    from .app import _SHARED, _browser, _wait_prewarmed, shared_server
    from .load import SESSIONS_ENV, SLIDER

    base = shared_server()
    _wait_prewarmed()  # the server visits every page once after it starts: not this area's CPU time
    pid = _SHARED["proc"].pid
    n_class = int(os.environ.get(SESSIONS_ENV) or 30)
    pw, browser = _browser()
    try:
        page = _open_pad(browser, base)
        cpu0 = _cpu_s(pid)
        time.sleep(3.0)  # the server with this tab open and nobody moving: its own background work
        idle_per_s = (_cpu_s(pid) - cpu0) / 3.0
        alone = _drag(page, pid)
        # the anchor: the server explorer's slider, moved by the keyboard, waiting for each new image
        page.get_by_text("Sliders on the server").click()
        slider = page.locator(SLIDER).first
        slider.focus()
        images = page.locator('[data-testid="stImage"] img').first
        n_server = 20
        cpu0, t0 = _cpu_s(pid), time.perf_counter()
        for _ in range(n_server):
            old = images.get_attribute("src")
            page.keyboard.press("ArrowRight")
            page.wait_for_function("old => { const i = document.querySelector('[data-testid=\"stImage\"] img');"
                                   " return i && i.src !== old; }", arg=old, timeout=60_000)
        server_s, server_cpu = time.perf_counter() - t0, _cpu_s(pid) - cpu0
        page.context.close()
        loaded, klass = _class_drag(base, browser, pid, n_class)
    finally:
        browser.close()
        pw.stop()
    rate, server_rate = alone["drawn"] / alone["elapsed"], n_server / server_s
    per100_server = server_cpu * 100 / n_server
    class_note = (f"{klass['held']} of {n_class} protocol sessions held (bench/load.py's class: GAN trainings, "
                  f"readers, latent sliders moving), {len(klass['errors'])} errors")
    return [
        row("latent_pad", "redraws per second while dragging the pad (MNIST VAE, d = 2)", rate, "1/s",
            anchor="server slider, keyboard moves, each waited for", anchor_value=server_rate,
            ratio=rate / server_rate, goal="≥ 30",
            note=f"{alone['drawn']} redraws for {MOVES} pointer moves in {alone['elapsed']:.2f} s (one move per "
                 "animation frame, dispatched in the page; headless Chromium, whose frame rate bounds this)"),
        row("latent_pad", "server CPU seconds per 100 pointer moves", alone["cpu"] * 100 / MOVES, "s",
            anchor="server slider, per 100 moves", anchor_value=per100_server, goal="0 beyond the release",
            note=f"the idle server over the same {alone['elapsed']:.2f} s: {idle_per_s * alone['elapsed']:.2f} s; "
                 f"the release then cost {alone['cpu_release']:.2f} s (one fragment run: URL, server image, map)"),
        row("latent_pad", "messages to the server per 100 pointer moves", alone["frames"] * 100 / MOVES, "",
            goal="0 (only the release)", note=f"websocket messages the tab sent during the drag; the release "
                                              f"then sent {alone['released']}"),
        row("latent_pad", f"redraws per second while dragging, {n_class}-session class at work",
            loaded["drawn"] / loaded["elapsed"], "1/s", anchor="the tab alone", anchor_value=rate,
            ratio=loaded["drawn"] / loaded["elapsed"] / rate, goal="≥ 30",
            note=f"{loaded['drawn']} redraws for {MOVES} moves in {loaded['elapsed']:.2f} s; {class_note}; the "
                 "server and Chromium share this machine's cores"),
        row("latent_pad", f"messages to the server per 100 pointer moves, {n_class}-session class at work",
            loaded["frames"] * 100 / MOVES, "", goal="0 (only the release)",
            note=f"the release then sent {loaded['released']}; the class's server CPU over the drag: "
                 f"{loaded['cpu']:.2f} s (its own work, not the pad's)"),
    ]
