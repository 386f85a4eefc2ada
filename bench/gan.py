"""GAN lab speed: 2D toy steps/s, dense image GAN steps/s, and training throughput while sessions watch.

Each figure is a median over repeats (min/max in the note). One step = k_d discriminator updates plus one
generator update. Goals from issue 5: toy >= 1000 steps/s (floor 500) with the default network at batch
256; dense image GAN >= 200 steps/s at batch 64; >= 80% of the throughput while two browsers watch.
The watchers are protocol sessions (:mod:`bench.wsclient`: the server works for them exactly as for a
browser, whose drawing happens on the viewer's machine), plus one real Chromium tab on the server's own
cores, as a lecturer's projector would be.
"""

from __future__ import annotations

import os
import re
import time

import torch

from .stats import per_round, row, summary

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
    torch.set_flush_denormal(False)  # the CPU's default (GenLab's loops flush them, models.threads)
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
    torch.set_flush_denormal(False)  # the CPU's default (GenLab's loops flush them, models.threads)
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
    n, reps = (100, 2) if quick else (400, 3)
    plain = _steps_per_s(_plain_toy_loop(ToyConfig()), n, reps)
    out = []
    for label, every in (("2D toy steps/s, default net, batch 256, views at 2 Hz (as the page)", 0.5),
                         ("2D toy steps/s, default net, batch 256, no views", 1e9)):
        out += _rows(label, _steps_per_s(toy_steps(ToyConfig(), views_every_s=every), n, reps),
                     ">= 1000 (floor 500)", "ReLU MLP 2x32, Adam, non-saturating, 1 thread")
    return _with_anchor(out, plain, "plain PyTorch loop, same nets, no UI")


def run_layer_rows(quick: bool) -> list[dict]:
    """The run layer's own cost: the default toy job trained by a :class:`models.runs.run.Run` (a thread that
    publishes a snapshot every 0.5 s and checkpoints on schedule, as the GAN lab's shared run does), against
    the same job's trainer stepped in a plain loop with a snapshot every 0.5 s. Both in this process, no
    server: what the layer adds, without the page's drawing."""
    import tempfile

    from models.gan.config import ToyConfig
    from models.gan.toy_trainer import toy_job
    from models.runs.family import make_trainer
    from models.runs.run import Run
    from models.threads import limit_this_thread

    window, reps = (2.0, 1) if quick else (5.0, per_round(3))
    job = toy_job(ToyConfig())
    plain, layered = [], []
    for _ in range(reps):  # alternate the two, so both see the same drift in load
        limit_this_thread(1)
        trainer = make_trainer(job)
        trainer.advance()
        t0 = t_pub = time.perf_counter()
        s0 = trainer.step
        while (now := time.perf_counter()) - t0 < window:
            trainer.advance()
            if now - t_pub >= 0.5:
                trainer.snapshot()
                t_pub = now
        plain.append((trainer.step - s0) / (time.perf_counter() - t0))
        with tempfile.TemporaryDirectory() as root:
            run = Run("bench", job, checkpoint_root=root).start()
            while run.snapshot().steps < 1:
                time.sleep(0.01)
            a = run.snapshot()
            time.sleep(window)
            b = run.snapshot()
            run.stop()
            run.join(30)
        layered.append((b.steps - a.steps) / (b.elapsed_s - a.elapsed_s))
    p_med, p_note = summary(plain)
    med, note = summary(layered)
    return [row(AREA, "2D toy job trained by a Run (thread, snapshots at 2 Hz, checkpoints)", med, "steps/s",
                anchor="the same trainer in a plain loop, snapshots at 2 Hz", anchor_value=p_med,
                ratio=med / p_med, goal=">= 0.9 of the loop",
                note=f"{note}; {window:.0f}-s windows, the two alternated; loop {p_note}; default toy job, "
                     f"1 thread; {_load()}")]


def image_rows(quick: bool) -> list[dict]:
    from models.data import load_images
    from models.gan.config import ImageGANConfig
    from models.gan.image_train import image_steps

    torch.set_num_threads(1)
    data = load_images("mnist", "train")
    n, reps = (30, 2) if quick else (100, 3)
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


_STEP_JS = """() => { for (const m of document.querySelectorAll('[data-testid="stMetric"]')) {
    const l = m.querySelector('[data-testid="stMetricLabel"]');
    if (l && l.textContent.trim() === 'Step') { const v = m.querySelector('[data-testid="stMetricValue"]');
        return v ? v.textContent.trim() : null; } } return null; }"""


def _read_step(pg) -> int:
    """The page's "Step" metric, read in one round trip (the live page redraws it every second), or -1."""
    try:
        text = pg.evaluate(_STEP_JS)
    except Exception:  # noqa: BLE001 - navigated or re-rendered while reading
        return -1
    return int(text.replace(",", "")) if text and re.fullmatch(r"[\d,]+", text) else -1


def _tab_step(tab) -> tuple[int, float]:
    """(the "Step" metric a protocol session last received, when it arrived), or (-1, 0)."""
    value, t = tab.metrics.get("Step", ("", 0.0))
    return (int(value.replace(",", "")), t) if re.fullmatch(r"[\d,]+", value or "") else (-1, 0.0)


async def _fresh_step(tab, after: float, timeout: float = 60.0) -> tuple[int, float]:
    """The first step count this (watching) session receives after ``after`` (perf_counter seconds)."""
    await tab.wait_for(lambda: _tab_step(tab)[0] >= 0 and _tab_step(tab)[1] > after, timeout, "step count")
    return _tab_step(tab)


async def _read_by_opening(base: str) -> tuple[int, float]:
    """Open the shared run's page in a new session, read its step count, close it."""
    from bench.wsclient import Tab

    tab = Tab(base, "gan", "shared=true")
    await tab.open()
    try:
        return await _fresh_step(tab, 0.0)
    finally:
        await tab.close()


WATCHERS = (0, 1, 2, 5)


async def _one_round(base: str, window: float) -> dict[int, float]:
    """Start the shared toy run afresh (as the lecturer), then its steps/s over ``window`` seconds with 0, 1, 2 and 5 sessions
    watching (protocol sessions, :mod:`bench.wsclient`: the server redraws the live panel for each, once a
    second, as for a browser).

    With 0 watchers the counter is read by sessions that open, read and close before and after the window;
    the watchers for the next counts are added to those already open. A run stops after 50,000 steps, so
    each round restarts it.
    """
    import asyncio

    from bench.app import LECTURER_TOKEN
    from bench.wsclient import Tab

    lead = Tab(base, "gan", f"shared=true&lecturer={LECTURER_TOKEN}")  # only a lecturer may start it
    await lead.open()
    await lead.click(next(k for k in ("Resume", "Play") if k in lead.widgets))
    await lead.wait_for(lambda: _tab_step(lead)[0] >= 50, 90, "50 steps of the shared run within 90 s of Play")
    await lead.close()
    s0, t0 = await _read_by_opening(base)
    await asyncio.sleep(window)
    s1, t1 = await _read_by_opening(base)
    rates = {0: (s1 - s0) / (t1 - t0)}
    tabs: list = []
    try:
        for n in WATCHERS[1:]:
            while len(tabs) < n:  # the first watcher is the lecturer's (it stops the run at the end)
                query = "shared=true" + (f"&lecturer={LECTURER_TOKEN}" if not tabs else "")
                tabs.append(Tab(base, "gan", query))
                await tabs[-1].open()
            s0, t0 = await _fresh_step(tabs[0], time.perf_counter())
            await asyncio.sleep(window)
            s1, t1 = await _fresh_step(tabs[0], time.perf_counter())
            rates[n] = (s1 - s0) / (t1 - t0)
        await tabs[0].click("Stop")
    finally:
        await asyncio.gather(*(t.close() for t in tabs), return_exceptions=True)
    return rates


def _projector_rate(base: str, window: float) -> float:
    """Steps/s of a fresh shared run while one real Chromium tab (the projector, on the server's own
    cores) draws it."""
    from playwright.sync_api import sync_playwright

    from bench.app import CHROMIUM_ARGS, LECTURER_TOKEN
    from tests.browser.conftest import chromium_path, open_page

    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=chromium_path(), headless=True, args=CHROMIUM_ARGS)
        try:
            ctx = browser.new_context()
            ctx.set_default_timeout(90_000)
            pg = ctx.new_page()
            open_page(pg, base, "gan", f"shared=true&lecturer={LECTURER_TOKEN}")
            pg.keyboard.press("Escape")
            pg.get_by_role("button", name=re.compile(r"^\W*(Play|Resume)$")).first.click()
            deadline = time.perf_counter() + 90
            while _read_step(pg) < 50:
                if time.perf_counter() > deadline:
                    raise TimeoutError("the shared run did not reach 50 steps within 90 s of Play")
                pg.wait_for_timeout(250)
            pg.wait_for_timeout(2000)  # the page settles into its once-a-second redraw
            s0, t0 = _read_step(pg), time.perf_counter()
            pg.wait_for_timeout(window * 1000)
            s1, t1 = _read_step(pg), time.perf_counter()
            pg.get_by_role("button", name=re.compile(r"^\W*Stop$")).first.click()
            return (s1 - s0) / (t1 - t0)
        finally:
            browser.close()


def watcher_rows(quick: bool) -> list[dict]:
    """Shared toy run in a real server; steps/s while 0, 1, 2 and 5 sessions watch it, and while one
    Chromium tab on the same machine draws it (the lecturer's projector)."""
    if quick:
        return [row(AREA, "throughput with 2 sessions watching / none", None, "ratio", goal=">= 0.8",
                    note="skipped in --quick (needs a server, about 2 minutes)")]
    import asyncio
    from concurrent.futures import ThreadPoolExecutor

    from bench.app import shared_server

    from bench.app import _wait_prewarmed

    base = shared_server()
    _wait_prewarmed()  # the server's page warm-up shares the 2 cores: measure once it is done
    window, reps = 5.0, per_round(2, least=1)
    rates: dict[int, list[float]] = {n: [] for n in WATCHERS}
    with ThreadPoolExecutor(1) as pool:  # its own event loop, away from any Playwright sync loop
        for _ in range(reps):  # each round measures every count, so all of them see the same drift in load
            for n, r in pool.submit(asyncio.run, _one_round(base, window)).result().items():
                rates[n].append(r)
    alone, alone_note = summary(rates[0])
    out = [row(AREA, "shared toy run steps/s, nobody watching", alone, "steps/s", note=alone_note)]
    for n in WATCHERS[1:]:
        med, note = summary(rates[n])
        out.append(row(AREA, f"shared toy run steps/s, {n} session{'s' if n > 1 else ''} watching", med,
                       "steps/s", anchor="nobody watching", anchor_value=alone, ratio=med / alone,
                       goal=">= 0.8 of none" if n == 2 else "",
                       note=f"{note}; {reps} {'passes' if reps > 1 else 'pass'} of {window:.0f}-s windows over every count; "
                            f"protocol sessions "
                            f"(bench/wsclient.py): the server redraws the live panel for each once a second, "
                            f"their drawing happens on the viewers' own machines"))
    projector = _projector_rate(base, window)
    out.append(row(AREA, "shared toy run steps/s, drawn by a Chromium tab on the same machine", projector,
                   "steps/s", anchor="nobody watching", anchor_value=alone, ratio=projector / alone,
                   note=f"one {window:.0f}-s window: the lecturer's own browser shares the server's "
                        f"{os.cpu_count()} cores (plotly redraws the heat map, points and 3 charts every second)"))
    return out


def rows(quick: bool) -> list[dict]:
    out = toy_rows(quick) + run_layer_rows(quick) + image_rows(quick)
    try:
        return out + watcher_rows(quick)
    except Exception as exc:  # noqa: BLE001 - keep the rows measured before the browser part failed
        import traceback

        traceback.print_exc()
        return out + [row(AREA, "(failed)", None, "", note=f"watchers: {type(exc).__name__}: {exc}"[:200])]
