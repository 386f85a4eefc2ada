"""Diffusion page figures: DDIM-50 and DDPM-1000 sampling of 16 MNIST digits, the forward-process render.

Anchor: the recipe of the HOML notebook (Géron, Hands-On Machine Learning, 3rd ed., ch. 17): DDPM ancestral
sampling with T = 4000 steps, one network call per step, timed here with the same U-Net in the same run.
Every step of it costs the same (one call at batch 16), so the anchor runs its first 200 steps three times
and reports 4000 x the median time per step.

Threads as on the page when the machine is idle: the page samples with the cores idle when it starts
(``api.sampling_threads``), which on an idle machine is every core (``models.threads.job_threads``). The bench
sets that count rather than sampling it: a busy 50 ms as a round starts would otherwise put the whole round
on one thread. The anchor runs with the same count.
"""

from __future__ import annotations

import os
import time

from . import stats
from .stats import per_round, repeat, row, summary


def _setup():
    from models.diffusion import api
    from models.diffusion.samplers import as_eps_fn
    from models.diffusion.schedules import make_schedule
    from models.threads import job_threads, limit_this_thread

    loaded = api.load_model("mnist")
    threads = job_threads(os.cpu_count() or 1)  # every core is free on an idle machine
    limit_this_thread(threads)
    return loaded, as_eps_fn(loaded.model), make_schedule(loaded.config.schedule, loaded.config.T), threads


def _sampling(eps_fn, sched, method: str, steps: int, n: int = 16, t_cap: int | None = None) -> float:
    """Seconds to draw n samples; with t_cap only the first t_cap calls run (for extrapolation)."""
    from models.diffusion.api import sample_run

    t0 = time.perf_counter()
    for s in sample_run(eps_fn, sched, n, 28, 0, method, steps, "beta_tilde"):
        if t_cap is not None and s.nfe >= t_cap:
            return (time.perf_counter() - t0) * s.total / s.nfe
    return time.perf_counter() - t0


def _forward_render() -> float:
    """The forward tab's compute for one 28x28 image at t = T: 64 draws both ways, the chain, the figures."""
    from models.data import load_images
    from models.diffusion import figures, timeline
    from models.diffusion.schedules import make_schedule

    x0 = load_images("mnist", "test").x[:1]
    sched = make_schedule("linear", 1000)
    demo = timeline.forward_demo(x0, sched, 1000, 0)
    ts, chain = timeline.forward_chain(x0, sched, 0)
    figures.image_row([demo.x0, demo.closed[0], demo.iterated[0]], ["a", "b", "c"], -1, 1).to_json()
    figures.histogram_figure(demo.closed, demo.iterated, 1000).to_json()
    figures.animation_figure(ts[::20], chain[::20], -1, 1).to_json()
    return 0.0


def _guided(eps_fn, sched, kind: str, n: int = 16) -> float:
    """Seconds for RePaint (centre mask, 50 steps x 4 passes) or ILVR (7x7 -> 28x28, 50 steps) on n digits."""
    import torch

    from models.data import load_images
    from models.diffusion.forward import to_model_range
    from models.diffusion.guided import downsample, ilvr, mask_preset, repaint, upsample_reference
    from models.diffusion.samplers import last

    x0 = to_model_range(load_images("mnist", "test").x[:n])
    gen = torch.Generator().manual_seed(0)
    t0 = time.perf_counter()
    if kind == "repaint":
        last(repaint(eps_fn, sched, x0, mask_preset("centre"), 50, 4, gen))
    else:
        last(ilvr(eps_fn, sched, upsample_reference(downsample(x0, 4), 4), 4, 50, gen))
    return time.perf_counter() - t0


def _live_rows(quick: bool, shipped) -> list[dict]:
    """The Train tab's default MNIST job trained as the page trains it (a Run of the pool: its thread, one
    PyTorch thread, snapshots and checkpoints), then 200 DDIM-20 samples of its EMA network judged by the
    digit classifier, next to the shipped U-Net's 200 samples with the same sampler and seeds."""
    if quick:
        return [row("diffusion", "Train tab's default MNIST run: minutes to train", None, "min", goal="≤ 5 min",
                    note="skipped in --quick")]
    import tempfile

    from models.classifier import load_classifier
    from models.diffusion.config import live_config
    from models.diffusion.evaluate import classifier_quality, generate
    from models.diffusion.trainer import ddpm_job, trained_ema
    from models.runs.pool import RunPool

    cfg = live_config("mnist")
    job = ddpm_job(cfg)
    with tempfile.TemporaryDirectory() as root:
        run = RunPool(max_running=1).submit("bench", job, max_steps=cfg.steps, checkpoint_root=root)
        run.join()
        snap = run.snapshot()
        ema, _ = trained_ema(job, root)
    clf = load_classifier("mnist")
    live_q = classifier_quality(generate(ema, cfg, 200, steps=20, seed=0), clf)
    shipped_q = classifier_quality(generate(shipped.model, shipped.config, 200, steps=20, seed=0), clf)
    n_params = sum(p.numel() for p in ema.parameters())
    return [
        row("diffusion", f"Train tab's default MNIST run ({cfg.steps:,} steps): minutes to train", snap.elapsed_s / 60,
            "min", goal="≤ 5 min", note=f"{snap.steps_per_s:.1f} steps/s; live U-Net (base {cfg.base}, "
                                        f"{len(cfg.mults)} levels, {n_params:,} parameters), a Run of the pool, "
                                        "1 PyTorch thread as on the page"),
        row("diffusion", "... then its samples the classifier is sure of (p > 0.9), 200 DDIM-20", live_q.confident,
            "fraction", anchor="shipped U-Net (20,000 steps), same sampler and seeds", anchor_value=shipped_q.confident,
            ratio=live_q.confident / shipped_q.confident, goal="≥ 0.5",
            note=f"smallest class share {live_q.min_class_fraction:.3f} (shipped {shipped_q.min_class_fraction:.3f})"),
    ]


def rows(quick: bool) -> list[dict]:

    loaded, eps_fn, sched, threads = _setup()
    from models.diffusion.schedules import make_schedule

    note_dev = (f"{next(loaded.model.parameters()).device}, {threads} thread{'s' if threads != 1 else ''} "
                f"(the page's count on an idle machine), shipped MNIST U-Net")
    # anchor: HOML's T = 4000 DDPM, extrapolated from its first 200 calls (quick: 50)
    homl_sched = make_schedule("cosine", 4000)
    homl = [_sampling(eps_fn, homl_sched, "ddpm", 4000, t_cap=50 if quick else 200) for _ in range(per_round(3, quick))]
    homl_med, homl_note = summary(homl)
    anchor = "HOML ch. 17 recipe: DDPM, T = 4000, 16 samples"
    ddim = repeat(lambda: _sampling(eps_fn, sched, "ddim", 50), 1 if quick else 3)
    ddim_med, ddim_note = summary(ddim)
    ddpm = [_sampling(eps_fn, sched, "ddpm", 1000, t_cap=50 if quick else None)
            for _ in range(per_round(3, quick))]
    ddpm_med, ddpm_note = summary(ddpm)
    fwd = repeat(_forward_render, 1 if quick else 5)  # cheap: more repeats, a truer range
    fwd_med, fwd_note = summary(fwd)
    quick_note = " (quick: extrapolated from the first calls)" if quick else ""
    inpaint = [_guided(eps_fn, sched, "repaint") for _ in range(per_round(2, quick, least=1))]
    inpaint_med, inpaint_note = summary(inpaint)
    sr = [_guided(eps_fn, sched, "ilvr") for _ in range(per_round(2, quick, least=1))]
    sr_med, sr_note = summary(sr)
    return [
        row("diffusion", "DDIM-50, 16 MNIST samples", ddim_med, "s", anchor=anchor, anchor_value=homl_med,
            ratio=ddim_med / homl_med, goal="≤ 2 s", note=f"{ddim_note}; {note_dev}"),
        row("diffusion", "DDPM-1000, 16 MNIST samples (full timeline)", ddpm_med, "s", anchor=anchor,
            anchor_value=homl_med, ratio=ddpm_med / homl_med, goal="≤ 20 s", note=f"{ddpm_note}{quick_note}; {note_dev}"),
        row("diffusion", "HOML anchor: DDPM T = 4000, 16 MNIST samples", homl_med, "s",
            note=f"{homl_note}; 4000 x the time per call of the first {50 if quick else 200} calls; same network "
                 f"and threads, cosine schedule with T = 4000 as in the notebook"),
        row("diffusion", "inpainting (RePaint, centre hole, 50 steps x 4 passes), 16 MNIST digits", inpaint_med,
            "s", note=f"{inpaint_note}; {note_dev}"),
        row("diffusion", "super-resolution (ILVR, 7x7 -> 28x28, 50 steps), 16 MNIST digits", sr_med, "s",
            note=f"{sr_note}; {note_dev}"),
        row("diffusion", "forward process render (28x28, t = T, 64 draws both ways + chain + figures)", fwd_med,
            "s", goal="", note=fwd_note),
        *(_live_rows(quick, loaded) if stats.first_round() else []),
    ]
