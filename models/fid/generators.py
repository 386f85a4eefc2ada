"""The app's own image generators, found lazily: autoencoders, GANs and diffusion, as far as they exist.

Other model families expose ``sample`` functions (``models.latent.sample(kind, dataset, n, seed)``,
``models.gan.sample(kind, dataset, n, seed)``, ``models.diffusion.sample(dataset, n, seed, steps)``).
A generator is offered only when its package imports and its weights for the dataset are on disk
(shipped in ``pretrained/`` or in the user cache), so choosing one never starts a long training.
"""

from __future__ import annotations

import importlib
import time
from dataclasses import dataclass
from typing import Callable

import numpy as np
import torch


@dataclass(frozen=True)
class GeneratorSpec:
    """One generator: ``family`` (the models sub-package), ``kind`` passed to its sample function."""

    key: str
    label: str
    family: str
    kind: str
    group: str  # "autoencoder", "GAN" or "diffusion": the course's comparison


SPECS: tuple[GeneratorSpec, ...] = (
    GeneratorSpec("ae", "Autoencoder (Gaussian fitted to its codes)", "latent", "ae", "autoencoder"),
    GeneratorSpec("vae", "Variational autoencoder", "latent", "vae", "autoencoder"),
    GeneratorSpec("aae", "Adversarial autoencoder", "latent", "aae", "autoencoder"),
    GeneratorSpec("gan-dense", "Dense GAN", "gan", "dense", "GAN"),
    GeneratorSpec("gan-dcgan", "DCGAN", "gan", "dcgan", "GAN"),
    GeneratorSpec("gan-cgan", "Conditional GAN (classes 0-9 in turn)", "gan", "cgan", "GAN"),
    GeneratorSpec("ddim20", "Diffusion (DDPM U-Net, DDIM 20 steps)", "diffusion", "ddim20", "diffusion"),
)
# DDIM steps of the diffusion generator. Measured on MNIST (N = 500, seed 0, digit-classifier features, the
# 2-core machine while busy): 10 steps 19 s, FID 41.4; 20 steps 30 s, FID 31.8; 50 steps 176 s, FID 29.6.
# 20 steps keep most of the quality at a sixth of the time (the page's spinner was 87 s at 50 steps).
DIFFUSION_STEPS = 20
BY_KEY = {s.key: s for s in SPECS}


def _config(spec: GeneratorSpec, dataset: str):
    """The config whose weights ``spec`` would load for ``dataset`` (raises if the family lacks it)."""
    mod = importlib.import_module(f"models.{spec.family}")
    if spec.family == "latent":
        return mod.default_config(spec.kind, dataset, 16)
    if spec.family == "gan":
        return importlib.import_module("models.gan.sampling").shipped_config(spec.kind, dataset)
    return mod.default_config(dataset)


def is_available(spec: GeneratorSpec, dataset: str) -> bool:
    """The family's ``sample`` exists and weights for ``dataset`` are on disk (no training needed)."""
    from ..checkpoints import weight_paths

    try:
        mod = importlib.import_module(f"models.{spec.family}")
        if not callable(getattr(mod, "sample", None)):
            return False
        return any(p.is_file() for p in weight_paths(_config(spec, dataset)))
    except Exception:  # noqa: BLE001 - a family being written right now may not import: not offered
        return False


def available(dataset: str) -> list[GeneratorSpec]:
    """The generators that can produce ``dataset``-like images right now."""
    return [s for s in SPECS if is_available(s, dataset)]


OnProgress = Callable[[int, int], None]  # on_progress(network calls done, total)


def _diffusion_sample(dataset: str, n: int, seed: int, on_progress: OnProgress | None) -> torch.Tensor:
    """DDIM samples of the shipped U-Net, step by step so that a page can draw progress.

    The same draw as ``models.diffusion.sample(dataset, n, seed, steps=DIFFUSION_STEPS)``, on the cores
    that are idle right now (:func:`models.diffusion.api.sampling_threads`).
    """
    from ..diffusion import api
    from ..diffusion.forward import to_pixels
    from ..diffusion.schedules import make_schedule

    loaded = api.load_model(dataset)
    model = loaded.model
    api.sampling_threads(next(model.parameters()).device)
    size = 8 if dataset == "digits" else 28
    sched = make_schedule(loaded.config.schedule, loaded.config.T)
    state = None
    with torch.no_grad():
        for state in api.sample_run(api.as_eps_fn(model), sched, n, size, seed, "ddim", DIFFUSION_STEPS,
                                    device=next(model.parameters()).device):
            if on_progress is not None:
                on_progress(state.nfe, state.total)
    return to_pixels(state.x_t).cpu()


def _sample_fn(spec: GeneratorSpec) -> Callable[[str, int, int, OnProgress | None], object]:
    if spec.family == "diffusion":
        return _diffusion_sample
    mod = importlib.import_module(f"models.{spec.family}")
    return lambda dataset, n, seed, on_progress: mod.sample(spec.kind, dataset, n, seed)


@dataclass(frozen=True)
class Samples:
    """x0: (n, 1, H, W) float32 in [0, 1] on the CPU; seconds: wall time of sampling."""

    spec: GeneratorSpec
    x0: torch.Tensor
    seconds: float


def generate(key: str, dataset: str, n: int, seed: int = 0, on_progress: OnProgress | None = None) -> Samples:
    """Draw n images from generator ``key`` for ``dataset``, timing the call.

    ``on_progress(done, total)`` is called after each network call of the diffusion sampler (the one slow
    generator) and once at the end for the others.

    Raises:
        ValueError: unknown key, or the generator is not available for ``dataset``.
    """
    if key not in BY_KEY:
        raise ValueError(f"Unknown generator {key!r}; choose one of {', '.join(BY_KEY)}.")
    spec = BY_KEY[key]
    if not is_available(spec, dataset):
        raise ValueError(f"{spec.label} has no weights for {dataset} on this machine (or its package is "
                         f"missing): run `python -m models.{spec.family}.train` first.")
    fn = _sample_fn(spec)
    t0 = time.perf_counter()
    out = fn(dataset, int(n), int(seed), on_progress)
    seconds = time.perf_counter() - t0
    if on_progress is not None and spec.family != "diffusion":
        on_progress(1, 1)
    x0 = torch.as_tensor(np.asarray(out) if not isinstance(out, torch.Tensor) else out).float().cpu()
    if x0.dim() == 3:
        x0 = x0.unsqueeze(1)
    if x0.dim() != 4 or x0.shape[0] != n:
        raise ValueError(f"{spec.label} returned shape {tuple(x0.shape)}; expected ({n}, 1, H, W).")
    return Samples(spec, x0.clamp(0, 1), seconds)
