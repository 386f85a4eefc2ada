"""The same workloads on the accelerator, when there is one (CUDA or Apple MPS), next to the CPU.

Rows: DDIM-50 and DDPM-1000 for 16 MNIST samples, dense image GAN and 2D toy steps per second, the photo
denoiser on a 512x512 RGB photo, Inception feature extraction. Each GPU figure is a median over repeats
with explicit synchronisation; the anchor is the CPU figure of the same workload measured in this run.
Without an accelerator this area prints one row saying so.
"""

from __future__ import annotations

import time

import numpy as np
import torch

from .stats import row, summary

AREA = "gpu"


def _sync(device: torch.device) -> None:
    if device.type == "cuda":
        torch.cuda.synchronize(device)
    elif device.type == "mps":
        torch.mps.synchronize()


def _timed(fn, device: torch.device, n: int, warmup: int = 1) -> list[float]:
    for _ in range(warmup):
        fn()
    _sync(device)
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        _sync(device)
        out.append(time.perf_counter() - t0)
    return out


def _both(label: str, unit: str, make, n: int, device: torch.device, rate: float | None = None) -> dict:
    """Time ``make(dev)()`` on the accelerator and on the CPU; ``rate`` turns seconds into per-second figures."""
    gpu = _timed(make(device), device, n)
    cpu = _timed(make(torch.device("cpu")), torch.device("cpu"), max(1, n // 2))
    conv = (lambda s: rate / s) if rate else (lambda s: s)
    g_med, g_note = summary([conv(s) for s in gpu])
    c_med, _ = summary([conv(s) for s in cpu])
    ratio = g_med / c_med if rate else c_med / g_med
    return row(AREA, label, g_med, unit, anchor="CPU, same run", anchor_value=c_med, ratio=ratio,
               note=f"{g_note}; ratio = speed-up over the CPU")


def rows(quick: bool) -> list[dict]:
    from models.device import pick_device

    device = pick_device()
    if device.type == "cpu":
        return [row(AREA, "accelerator rows", None, "", note="no GPU on this machine: the CPU rows above are all")]
    return measure(quick, device)


def measure(quick: bool, device: torch.device) -> list[dict]:
    """Every accelerator row on ``device`` (callable with the CPU too, to check the code path)."""
    from models.device import describe_device

    n = 2 if quick else 5
    name = describe_device(device)
    out = []

    from models.diffusion import api
    from models.diffusion.samplers import as_eps_fn
    from models.diffusion.schedules import make_schedule

    def sampler(method: str, steps: int):
        def make(dev):
            loaded = api.load_model("mnist", dev)
            eps_fn, sched = as_eps_fn(loaded.model), make_schedule(loaded.config.schedule, loaded.config.T)

            def run():
                for _ in api.sample_run(eps_fn, sched, 16, 28, 0, method, steps, "beta_tilde", dev):
                    pass
            return run
        return make

    out.append(_both("DDIM-50, 16 MNIST samples", "s", sampler("ddim", 50), n, device))
    if not quick:
        out.append(_both("DDPM-1000, 16 MNIST samples", "s", sampler("ddpm", 1000), 2, device))

    from models.data import load_images
    from models.gan.config import ImageGANConfig, ToyConfig
    from models.gan.image_train import image_steps
    from models.gan.toy_train import toy_steps

    data = load_images("mnist", "train")
    steps = 20 if quick else 100

    def gan(dev):
        gen = image_steps(ImageGANConfig(kind="dense", dataset="mnist", batch=64), data.x, data.y, device=dev,
                          threads=None)
        next(gen)
        return lambda: [next(gen) for _ in range(steps)]

    out.append(_both("dense image GAN steps/s, MNIST, batch 64", "steps/s", gan, n, device, rate=steps))

    def toy(dev):
        gen = toy_steps(ToyConfig(), views_every_s=1e9, device=dev, threads=None)
        next(gen)
        return lambda: [next(gen) for _ in range(steps)]

    out.append(_both("2D toy steps/s, default net, batch 256", "steps/s", toy, n, device, rate=steps))

    from sklearn.datasets import load_sample_images

    from models.denoise import dncnn
    from models.denoise.nets import load_dncnn

    photo = np.asarray(load_sample_images().images[1][:512, :512], dtype=np.float32) / 255
    noisy = photo + 25 / 255 * np.random.default_rng(0).standard_normal(photo.shape).astype(np.float32)

    def denoise(dev):
        model = load_dncnn(dev).model
        return lambda: dncnn.denoise_array(model, noisy, 25 / 255)

    out.append(_both("photo denoiser, 512x512 RGB", "s", denoise, n, device))
    for r in out:
        r["note"] = f"{name}; {r['note']}"
    return out
