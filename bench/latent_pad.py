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


def rows(quick: bool) -> list[dict]:
    if quick:
        return [row("latent_pad", "redraws per second while dragging the pad", None, "1/s", goal="≥ 30",
                    note="skipped in --quick")]
    from tests.browser.conftest import open_page, wait_idle

    from .app import _SHARED, _browser, _wait_prewarmed, shared_server
    from .load import SLIDER

    base = shared_server()
    _wait_prewarmed()  # the server visits every page once after it starts: not this area's CPU time
    pid = _SHARED["proc"].pid
    pw, browser = _browser()
    try:
        page = browser.new_context(viewport={"width": 1400, "height": 1000}).new_page()
        open_page(page, base, "latent", "dataset=mnist&model=VAE&dim=2", timeout_ms=300_000)
        page.wait_for_function("() => window.genlabLatentPad && window.genlabLatentPad.redraws >= 1", timeout=120_000)
        wait_idle(page)
        time.sleep(2)
        box = page.locator("canvas.glp-pad").bounding_box()
        x0, y0 = box["x"] + box["width"] * 0.2, box["y"] + box["height"] * 0.2
        cpu0 = _cpu_s(pid)
        time.sleep(3.0)  # the server with this tab open and nobody moving: its own background work
        idle_per_s = (_cpu_s(pid) - cpu0) / 3.0
        page.mouse.move(x0, y0)
        page.mouse.down()
        n0, cpu0 = _redraws(page), _cpu_s(pid)
        # a hand's pointer events, one per animation frame, dispatched inside the page (a Playwright call per
        # move would measure its own round trip); the pad has the pointer captured since the mouse went down
        elapsed = page.evaluate(DRAG, [MOVES, x0, y0, box["width"] * 0.006, box["height"] * 0.003]) / 1000
        cpu_pad, drawn = _cpu_s(pid) - cpu0, _redraws(page) - n0
        page.mouse.up()
        cpu1 = _cpu_s(pid)
        wait_idle(page)
        cpu_release = _cpu_s(pid) - cpu1
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
    finally:
        browser.close()
        pw.stop()
    rate, server_rate = drawn / elapsed, n_server / server_s
    per100_server = server_cpu * 100 / n_server
    return [
        row("latent_pad", "redraws per second while dragging the pad (MNIST VAE, d = 2)", rate, "1/s",
            anchor="server slider, keyboard moves, each waited for", anchor_value=server_rate,
            ratio=rate / server_rate, goal="≥ 30",
            note=f"{drawn} redraws for {MOVES} pointer moves in {elapsed:.2f} s (one move per animation frame, "
                 "dispatched in the page; headless Chromium, whose frame rate bounds this)"),
        row("latent_pad", "server CPU seconds per 100 pointer moves", cpu_pad * 100 / MOVES, "s",
            anchor="server slider, per 100 moves", anchor_value=per100_server, goal="0 beyond the release",
            note=f"the idle server over the same {elapsed:.2f} s: {idle_per_s * elapsed:.2f} s; the release then "
                 f"cost {cpu_release:.2f} s (one fragment run: URL, server image, map)"),
    ]
