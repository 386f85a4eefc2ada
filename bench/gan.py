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


def _plain_toy_loop(config):
    """Anchor: the textbook PyTorch loop (BCE-with-logits, separate real and fake passes, .item() logging)
    on the same 2D networks, optimiser settings and batch, with no views, history or UI: one yield per step."""
    from torch import nn

    from models.data import TOYS_2D
    from models.gan.nets2d import build_toy_nets

    gen = torch.Generator().manual_seed(config.seed)
    g_net, d_net = build_toy_nets(config, gen)
    opt_d = torch.optim.Adam(d_net.parameters(), lr=config.d_lr, betas=(0.5, 0.9))
    opt_g = torch.optim.Adam(g_net.parameters(), lr=config.g_lr, betas=(0.5, 0.9))
    import numpy as np

    pool = torch.from_numpy(TOYS_2D[config.toy].sample(10_000, np.random.default_rng(config.seed)))
    bce, b = nn.BCEWithLogitsLoss(), config.batch
    ones, zeros = torch.ones(b, 1), torch.zeros(b, 1)
    while True:
        x = pool[torch.randint(0, len(pool), (b,))]
        x_fake = g_net(torch.randn(b, config.z_dim))
        l_d = bce(d_net(x), ones) + bce(d_net(x_fake.detach()), zeros)
        opt_d.zero_grad()
        l_d.backward()
        opt_d.step()
        l_g = bce(d_net(g_net(torch.randn(b, config.z_dim))), ones)  # non-saturating
        opt_g.zero_grad()
        l_g.backward()
        opt_g.step()
        yield l_d.item(), l_g.item()


def _plain_image_loop(config, x):
    """Anchor: the same plain loop on the book's dense image GAN (same networks, Adam betas, batch)."""
    from torch import nn

    from models.gan.image_nets import DATASET_SHAPES, N_CLASSES, build_discriminator, build_generator

    g_net = build_generator(config, DATASET_SHAPES[config.dataset], N_CLASSES)
    d_net = build_discriminator(config, DATASET_SHAPES[config.dataset], N_CLASSES)
    opt_d = torch.optim.Adam(d_net.parameters(), lr=config.lr, betas=(0.5, 0.999))
    opt_g = torch.optim.Adam(g_net.parameters(), lr=config.lr, betas=(0.5, 0.999))
    bce, b = nn.BCEWithLogitsLoss(), config.batch
    ones, zeros = torch.ones(b, 1), torch.zeros(b, 1)
    while True:
        x_real = x[torch.randint(0, len(x), (b,))]
        x_fake = g_net(torch.randn(b, config.codings))
        l_d = bce(d_net(x_real), ones) + bce(d_net(x_fake.detach()), zeros)
        opt_d.zero_grad()
        l_d.backward()
        opt_d.step()
        l_g = bce(d_net(g_net(torch.randn(b, config.codings))), ones)
        opt_g.zero_grad()
        l_g.backward()
        opt_g.step()
        yield l_d.item(), l_g.item()


def _with_anchor(ours: list[dict], anchor: tuple[list[float], list[float]], label: str) -> list[dict]:
    """Put the plain loop's wall-clock rate next to each of our rows (ratio = ours / plain loop)."""
    a_med, a_note = summary(anchor[0])
    for r in ours:
        if r["unit"] == "steps/s":
            r.update(anchor=label, anchor_value=a_med, ratio=r["value"] / a_med)
            r["note"] += f"; plain loop {a_note}"
    return ours


def toy_rows(quick: bool) -> list[dict]:
    from models.gan.config import ToyConfig
    from models.gan.toy_train import toy_steps

    torch.set_num_threads(1)
    n, reps = (100, 3) if quick else (500, 5)
    plain = _steps_per_s(_plain_toy_loop(ToyConfig()), n, reps)
    out = []
    for label, every in (("2D toy steps/s, default net, batch 256, views at 2 Hz (as the page)", 0.5),
                         ("2D toy steps/s, default net, batch 256, no views", 1e9)):
        out += _rows(label, _steps_per_s(toy_steps(ToyConfig(), views_every_s=every), n, reps),
                     ">= 1000 (floor 500)", "ReLU MLP 2x32, Adam, non-saturating, 1 thread")
    return _with_anchor(out, plain, "plain PyTorch loop, same nets, no UI")


def image_rows(quick: bool) -> list[dict]:
    from models.data import load_images
    from models.gan.config import ImageGANConfig
    from models.gan.image_train import image_steps

    torch.set_num_threads(1)
    data = load_images("mnist", "train")
    n, reps = (30, 3) if quick else (100, 5)
    cfg = ImageGANConfig(kind="dense", dataset="mnist", batch=64)
    plain = _steps_per_s(_plain_image_loop(cfg, data.x), n, reps)
    out = _rows("dense image GAN steps/s (book: codings 30, 100/150), MNIST, batch 64",
                _steps_per_s(image_steps(cfg, data.x, data.y), n, reps), ">= 200", "1 thread")
    if not quick:
        import os

        threads = os.cpu_count() or 1
        rate = _steps_per_s(image_steps(cfg, data.x, data.y, threads=threads), n, reps)
        out += [r for r in _rows(f"dense image GAN steps/s, MNIST, batch 64, {threads} threads", rate, ">= 200",
                                 f"{threads} threads") if r["unit"] == "steps/s"]
    return _with_anchor(out, plain, "plain PyTorch loop (1 thread), same nets, no UI")


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


def _rate(browser, base: str, watchers: int, window: float) -> float:
    """Steps/s of the shared run over ``window`` seconds while ``watchers`` Chromium tabs keep its page open.

    With no watchers a tab opens only to read the counter and closes again before the window starts."""
    tabs = [browser.new_context() for _ in range(max(watchers, 1))]
    pages = []
    try:
        for t in tabs:
            t.set_default_timeout(90_000)
            pages.append(t.new_page())
            _open_live(pages[-1], base)
        if watchers == 0:
            s0, t0 = _read(pages[0], base, False)
            tabs[0].close()
            time.sleep(window)
            c = browser.new_context()
            c.set_default_timeout(90_000)
            s1, t1 = _read(c.new_page(), base, True)
            c.close()
        else:
            s0, t0 = _read(pages[0], base, False)
            time.sleep(window)
            s1, t1 = _read(pages[0], base, False)
        return (s1 - s0) / (t1 - t0)
    finally:
        for t in tabs:
            try:
                t.close()
            except Exception:  # noqa: BLE001 - already closed
                pass


WATCHERS = (0, 1, 2, 5)


def watcher_rows(quick: bool) -> list[dict]:
    """Shared toy run in a real server; steps/s while 0, 1, 2 and 5 Chromium tabs watch it."""
    if quick:
        return [row(AREA, "throughput with 2 browsers watching / none", None, "ratio", goal=">= 0.8",
                    note="skipped in --quick (needs a server and Chromium, about 4 minutes)")]
    from playwright.sync_api import sync_playwright

    from tests.browser.conftest import chromium_path, free_port, open_page, start_server, wait_healthy

    port = free_port()
    proc = start_server(port)
    base = f"http://127.0.0.1:{port}"
    window, reps = 15.0, 2
    rates: dict[int, list[float]] = {n: [] for n in WATCHERS}
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
            for _ in range(reps):  # interleaved, so every count sees the same drift in machine load
                for n in WATCHERS:
                    rates[n].append(_rate(browser, base, n, window))
            c = browser.new_context()
            p = c.new_page()
            _open_live(p, base)
            p.keyboard.press("Escape")
            p.get_by_role("button", name=re.compile(r"^\W*Stop$")).first.click()
            c.close()
            browser.close()
    finally:
        proc.terminate()
    alone, alone_note = summary(rates[0])
    out = [row(AREA, "shared toy run steps/s, nobody watching", alone, "steps/s", note=alone_note)]
    for n in WATCHERS[1:]:
        med, note = summary(rates[n])
        out.append(row(AREA, f"shared toy run steps/s, {n} browser{'s' if n > 1 else ''} watching", med,
                       "steps/s", anchor="nobody watching", anchor_value=alone, ratio=med / alone,
                       goal=">= 0.8 of none" if n == 2 else "",
                       note=f"{note}; {reps} interleaved {window:.0f}-s windows; Chromium runs on the same "
                            f"{os.cpu_count()} cores as the server"))
    return out


def rows(quick: bool) -> list[dict]:
    return toy_rows(quick) + image_rows(quick) + watcher_rows(quick)
