"""GAN lab speed: 2D toy steps/s, dense image GAN steps/s, and training throughput while browsers watch.

Each figure is a median over repeats (min/max in the note). One step = k_d discriminator updates plus one
generator update. Goals from issue 5: toy >= 1000 steps/s (floor 500) with the default network at batch
256; dense image GAN >= 200 steps/s at batch 64; >= 80% of the throughput while two browsers watch.
"""

from __future__ import annotations

import os
import re
import time

import torch

from .stats import row, summary

AREA = "gan"


def _steps_per_s(gen, n: int, repeats: int) -> tuple[list[float], list[float]]:
    """(steps per wall-clock second, steps per CPU-second of this thread) over ``repeats`` runs of n steps.

    The second figure is what one uncontended core gives; it differs from the first when other jobs
    share the machine (the load average is in the note)."""
    next(gen)
    for _ in range(20):  # warm-up
        next(gen)
    wall, cpu = [], []
    for _ in range(repeats):
        t0, c0 = time.perf_counter(), time.thread_time()
        for _ in range(n):
            next(gen)
        wall.append(n / (time.perf_counter() - t0))
        cpu.append(n / max(time.thread_time() - c0, 1e-9))
    return wall, cpu


def _load() -> str:
    return f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} cores"


def _rows(label: str, rates: tuple[list[float], list[float]], goal: str, note: str) -> list[dict]:
    wall, cpu = rates
    w_med, w_note = summary(wall)
    c_med, c_note = summary(cpu)
    return [row(AREA, label, w_med, "steps/s", goal=goal, note=f"wall clock, {w_note}; {note}; {_load()}"),
            row(AREA, label + " per CPU-second", c_med, "steps/CPU-s", goal=goal,
                note=f"thread CPU time, {c_note}; what one free core gives")]


def toy_rows(quick: bool) -> list[dict]:
    from models.gan.config import ToyConfig
    from models.gan.toy_train import toy_steps

    torch.set_num_threads(1)
    n, reps = (100, 3) if quick else (500, 5)
    out = []
    for label, every in (("2D toy steps/s, default net, batch 256, views at 2 Hz (as the page)", 0.5),
                         ("2D toy steps/s, default net, batch 256, no views", 1e9)):
        out += _rows(label, _steps_per_s(toy_steps(ToyConfig(), views_every_s=every), n, reps),
                     ">= 1000 (floor 500)", "ReLU MLP 2x32, Adam, non-saturating, 1 thread")
    return out


def image_rows(quick: bool) -> list[dict]:
    from models.data import load_images
    from models.gan.config import ImageGANConfig
    from models.gan.image_train import image_steps

    data = load_images("mnist", "train")
    n, reps = (30, 3) if quick else (100, 5)
    cfg = ImageGANConfig(kind="dense", dataset="mnist", batch=64)
    return _rows("dense image GAN steps/s (book: codings 30, 100/150), MNIST, batch 64",
                 _steps_per_s(image_steps(cfg, data.x, data.y), n, reps), ">= 200", "1 thread")


def _read_step(pg) -> int:
    for box in pg.locator('[data-testid="stMetric"]').all():
        try:
            if box.locator('[data-testid="stMetricLabel"]').inner_text(timeout=3000).strip() == "Step":
                text = box.locator('[data-testid="stMetricValue"]').inner_text(timeout=3000).strip()
                if re.fullmatch(r"[\d,]+", text):
                    return int(text.replace(",", ""))
        except Exception:  # noqa: BLE001 - re-rendered while reading
            continue
    return -1


def _open_live(pg, base: str) -> None:
    """Open the shared run's page; while a run is live the fragment keeps re-running, so wait for the
    step counter rather than for the script to be idle."""
    pg.goto(f"{base}/gan?shared=true", wait_until="domcontentloaded")
    pg.wait_for_selector('[data-testid="stMetric"]', timeout=180_000)


def _read(pg, base: str, reopen: bool) -> tuple[int, float]:
    for _ in range(20):
        if reopen:
            _open_live(pg, base)
        value = _read_step(pg)
        if value >= 0:
            return value, time.perf_counter()
        pg.wait_for_timeout(500)
    raise RuntimeError("could not read the step counter")


def watcher_rows(quick: bool) -> list[dict]:
    """Shared toy run in a real server; steps/s with nobody watching vs with two Chromium tabs open."""
    if quick:
        return [row(AREA, "throughput with 2 browsers watching / none", None, "ratio", goal=">= 0.8",
                    note="skipped in --quick (needs a server and Chromium, about 3 minutes)")]
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_path, free_port, open_page, start_server, wait_healthy

    port = free_port()
    proc = start_server(port)
    base = f"http://127.0.0.1:{port}"
    window, reps = 15.0, 2
    alone, watched = [], []
    try:
        wait_healthy(port, proc)
        with sync_playwright() as pw:
            browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=["--no-sandbox"])
            ctx = browser.new_context()
            ctx.set_default_timeout(90_000)
            pg = ctx.new_page()
            open_page(pg, base, "gan", "shared=true")
            pg.keyboard.press("Escape")
            pg.get_by_role("button", name=re.compile(r"^\W*Play$")).first.click()
            while _read_step(pg) < 50:
                pg.wait_for_timeout(500)
            ctx.close()
            for _ in range(reps):
                # nobody watching: a tab opens only to read the counter, then closes
                c = browser.new_context()
                c.set_default_timeout(90_000)
                p = c.new_page()
                s0, t0 = _read(p, base, True)
                c.close()
                time.sleep(window)
                c = browser.new_context()
                c.set_default_timeout(90_000)
                p = c.new_page()
                s1, t1 = _read(p, base, True)
                c.close()
                alone.append((s1 - s0) / (t1 - t0))
                # two tabs watching (the page refreshes its views about 1.4 times a second)
                tabs = [browser.new_context() for _ in range(2)]
                pages = []
                for t in tabs:
                    t.set_default_timeout(90_000)
                    pages.append(t.new_page())
                    _open_live(pages[-1], base)
                s0, t0 = _read(pages[0], base, False)
                time.sleep(window)
                s1, t1 = _read(pages[0], base, False)
                watched.append((s1 - s0) / (t1 - t0))
                for t in tabs:
                    t.close()
            c = browser.new_context()
            p = c.new_page()
            _open_live(p, base)
            p.keyboard.press("Escape")
            p.get_by_role("button", name=re.compile(r"^\W*Stop$")).first.click()
            c.close()
            browser.close()
    finally:
        proc.terminate()
    a_med, a_note = summary(alone)
    w_med, w_note = summary(watched)
    return [row(AREA, "shared toy run steps/s, nobody watching", a_med, "steps/s", note=a_note),
            row(AREA, "shared toy run steps/s, 2 browsers watching", w_med, "steps/s", note=w_note),
            row(AREA, "throughput with 2 browsers watching / none", w_med / a_med, "ratio", goal=">= 0.8",
                anchor="nobody watching", anchor_value=a_med,
                note=f"{reps} alternating {window:.0f}-s windows; Chromium runs on the same 2 cores")]


def rows(quick: bool) -> list[dict]:
    return toy_rows(quick) + image_rows(quick) + watcher_rows(quick)
