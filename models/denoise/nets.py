"""Load the networks the denoise page and command use, and adapt the DDPM page's denoiser."""

from __future__ import annotations

from typing import Callable

import numpy as np
import torch

from ..checkpoints import Loaded, OnStep, load_or_train
from . import dae, dncnn
from .config import DNCNN_CONFIG, dae_config
from .pipeline import Nets


def load_dncnn(device: torch.device | None = None, on_step: OnStep | None = None) -> Loaded:
    """The shipped photo denoiser (trains, slowly, only when no weights exist anywhere)."""
    return load_or_train(DNCNN_CONFIG, dncnn.build, dncnn.fit, on_step=on_step, device=device)


def load_dae(kind: str, noise: str, device: torch.device | None = None, on_step: OnStep | None = None) -> Loaded:
    """The shipped denoising autoencoder of ``kind`` (dense/conv) for ``noise`` (see ``config.dae_config``)."""
    return load_or_train(dae_config(kind, noise), dae.build, dae.fit, on_step=on_step, device=device)


def ddpm_available() -> bool:
    """True when the diffusion family provides ``denoise_from`` and its MNIST weights are on disk.

    Without weights the DDPM would train on first use (a long job), so it stays out of the menu.
    """
    try:
        from ..checkpoints import weight_paths
        from ..diffusion import api
        from ..diffusion.config import default_config
    except ImportError:
        return False
    if not (hasattr(api, "denoise_from") and hasattr(api, "load_model")):
        return False
    return any(path.is_file() for path in weight_paths(default_config("mnist")))


def ddpm_denoiser(device: torch.device | None = None, steps: int = 50) -> Callable[[np.ndarray, float], np.ndarray]:
    """A ``(y, sigma) -> x0_hat`` function running the DDPM page's reverse process from t* (SDEdit).

    A noisy digit y = x0 + sigma eps in [0, 1] pixels is, in the model's [-1, 1] range, x0' + 2 sigma eps,
    which equals x_t / sqrt(alpha_bar_t) at the t* where sqrt((1 - alpha_bar_t) / alpha_bar_t) = 2 sigma
    (Ho et al. 2020, eq. 4); the reverse process runs from there (``add_noise=False``).

    Args:
        device: where the diffusion model runs.
        steps: DDIM steps from T (proportionally fewer from t*).

    Returns:
        f(y, sigma) with y (N, 1, 28, 28) float in about [0, 1], sigma on the [0, 1] scale;
        returns (N, 1, 28, 28) float32 in [0, 1].
    """
    from ..diffusion.api import denoise_from, load_model
    from ..diffusion.samplers import t_for_sigma
    from ..diffusion.schedules import make_schedule

    cfg = load_model("mnist", device).config
    schedule = make_schedule(cfg.schedule, cfg.T)

    def run(y: np.ndarray, sigma: float) -> np.ndarray:
        t_star = max(1, t_for_sigma(2.0 * float(sigma), schedule))
        x = torch.from_numpy(np.asarray(y, dtype=np.float32).reshape(-1, 1, 28, 28))
        out = denoise_from(x, t_star, dataset="mnist", steps=steps, add_noise=False, device=device)
        return out.numpy().astype(np.float32)

    return run


def load_nets(device: torch.device | None = None, dae_noise: str = "gaussian", with_ddpm: bool = True) -> Nets:
    """Everything the pipeline can call: photo denoiser, both DAEs for ``dae_noise``, and DDPM if present."""
    photo = load_dncnn(device)
    daes = {kind: load_dae(kind, dae_noise, device) for kind in dae.KINDS}
    return Nets(dncnn=photo.model,
                dae={kind: loaded.model for kind, loaded in daes.items()},
                dae_noise={kind: dae_config(kind, dae_noise).noise for kind in dae.KINDS},
                ddpm=ddpm_denoiser(device) if with_ddpm and ddpm_available() else None,
                warnings=photo.warnings + [w for loaded in daes.values() for w in loaded.warnings])
