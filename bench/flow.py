"""Flow page figures: 2-D flow training speed, MNIST flow sampling at 1 to 50 Euler steps (time and FID) next
to DDIM on the shipped DDPM at the same number of network evaluations, and guided sampling.

Anchors, timed in the same run: the 2-D training against a plain PyTorch loop of the same MLP, batch and
optimiser (what a notebook such as torchcfm's 2-D example does: no run layer, no seeded generators, no
schedule); the MNIST flow's sampling against DDIM with the same number of network evaluations on the shipped
DDPM U-Net (the DDPM page's sampler). FID (MNIST-classifier features, against the 2,000 held-out digits)
does not depend on the machine, so it is measured in the first round only.
"""

from __future__ import annotations

import os
import time

from .stats import first_round, per_round, row, summary

NFES = (1, 2, 4, 8, 16, 50)


def _train_2d(pairing: str, steps: int) -> float:
    """Steps/s of the page's 2-D training (models.flow.training.fit, the default moons target)."""
    from models.flow.config import FlowConfig
    from models.flow.training import fit

    t0 = time.perf_counter()
    fit(FlowConfig(pairing=pairing, steps=steps))
    return steps / (time.perf_counter() - t0)


def _plain_loop(steps: int) -> float:
    """Steps/s of a bare loop: the same MLP, batch, Adam and loss, data from sklearn's moons, nothing else."""
    import numpy as np
    import torch
    from sklearn.datasets import make_moons

    from models.flow.config import FlowConfig
    from models.flow.net import VelocityMLP
    from models.threads import limit_this_thread

    limit_this_thread(1)  # as the page's fit
    c = FlowConfig()
    model = VelocityMLP(2, c.width, c.depth)
    opt = torch.optim.Adam(model.parameters(), lr=c.lr)
    t0 = time.perf_counter()
    for _ in range(steps):
        x1 = torch.from_numpy(make_moons(c.batch, noise=0.05)[0].astype(np.float32))
        x0 = torch.randn_like(x1)
        t = torch.rand(c.batch)
        xt = (1 - t[:, None]) * x0 + t[:, None] * x1
        loss = (model(xt, t) - (x1 - x0)).pow(2).sum(1).mean()
        opt.zero_grad()
        loss.backward()
        opt.step()
    return steps / (time.perf_counter() - t0)


def _time(fn) -> float:
    t0 = time.perf_counter()
    fn()
    return time.perf_counter() - t0


def rows(quick: bool) -> list[dict]:
    from models.diffusion.api import load_model
    from models.diffusion.evaluate import generate
    from models.flow.images import evaluate, sampling
    from models.flow.images.card import load
    from models.flow.images.config import ImageFlowConfig
    from models.threads import job_threads, limit_this_thread

    out: list[dict] = []
    steps = 300 if quick else 2000
    repeats = per_round(2, quick, least=1)
    plain = [_plain_loop(steps) for _ in range(repeats)]
    plain_med, _ = summary(plain)
    anchor = "plain PyTorch loop, same MLP, batch 256, Adam"
    for pairing in ("independent", "ot"):
        speeds = [_train_2d(pairing, steps) for _ in range(repeats)]
        med, note = summary(speeds)
        out.append(row("flow", f"2-D flow training ({pairing} pairing, moons, batch 256)", med, "steps/s",
                       anchor=anchor, anchor_value=plain_med, ratio=med / plain_med,
                       note=f"{note}; {steps} steps, 1 thread (as the page)"))
    out.append(row("flow", "anchor: plain loop (independent pairing)", plain_med, "steps/s",
                   note=f"{summary(plain)[1]}; {steps} steps, 1 thread"))

    threads = job_threads(os.cpu_count() or 1)  # the page samples with the idle cores, as bench.diffusion
    limit_this_thread(threads)
    flow, ddpm = load(ImageFlowConfig(), "cpu").model, load_model("mnist")
    n = 16  # the page's grid
    sampling.sample(flow, n, 1), generate(ddpm.model, ddpm.config, n, steps=1, seed=0)  # warm-up, untimed
    nfes = (1, 4, 8) if quick else NFES
    for nfe in nfes:
        fm = [_time(lambda: sampling.sample(flow, n, nfe, None, 0.0, 0)) for _ in range(repeats)]
        dd = [_time(lambda: generate(ddpm.model, ddpm.config, n, steps=nfe, seed=0)) for _ in range(repeats)]
        fm_med, fm_note = summary(fm)
        dd_med = summary(dd)[0]
        out.append(row("flow", f"MNIST flow, {n} samples, {nfe} Euler step{'s' if nfe > 1 else ''}", fm_med, "s",
                       anchor=f"DDIM-{nfe} on the shipped DDPM", anchor_value=dd_med, ratio=fm_med / dd_med,
                       note=f"{fm_note}; {threads} threads"))
    guided = [_time(lambda: sampling.sample(flow, n, 20, 7, 2.0, 0)) for _ in range(repeats)]
    plain_cond = [_time(lambda: sampling.sample(flow, n, 20, 7, 0.0, 0)) for _ in range(repeats)]
    g_med, g_note = summary(guided)
    c_med = summary(plain_cond)[0]
    out.append(row("flow", f"MNIST flow, {n} guided samples (w = 2, 20 steps: 40 evaluations)", g_med, "s",
                   anchor="the same without guidance (w = 0: 20 evaluations)", anchor_value=c_med,
                   ratio=g_med / c_med, note=f"{g_note}; {threads} threads"))

    if first_round():
        m = 100 if quick else 500
        real, _ = evaluate._features(evaluate._held_out().x.float())
        for nfe in ((4,) if quick else NFES):
            feats, _ = evaluate._features(sampling.sample(flow, m, nfe, None, 0.0, 0))
            dfeats, _ = evaluate._features(generate(ddpm.model, ddpm.config, m, steps=nfe, seed=0))
            fid, dfid = evaluate._fid(real, feats), evaluate._fid(real, dfeats)
            out.append(row("flow", f"MNIST flow FID at {nfe} step{'s' if nfe > 1 else ''} ({m} samples)", fid, "",
                           anchor=f"DDIM-{nfe}", anchor_value=dfid, ratio=fid / dfid,
                           note="MNIST-classifier features against the 2,000 held-out digits; lower is better"))
    return out
