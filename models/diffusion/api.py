"""What other pages use: the shipped diffusion model, ``sample`` and ``denoise_from``.

    from models.diffusion import sample, denoise_from
    x = sample("mnist", n=16, seed=0, steps=50)           # (16, 1, 28, 28) in [0, 1], DDIM-50
    y = denoise_from(noisy, t_star=200, dataset="mnist")   # SDEdit from t* = 200
"""

from __future__ import annotations

import torch

from ..threads import limit_this_thread, threads_for_idle_cores
from ..checkpoints import Loaded, OnStep, config_key, load_or_train, weight_paths
from .config import DiffusionConfig, default_config
from .forward import to_model_range, to_pixels
from .samplers import as_eps_fn, last, sample_steps, sdedit_steps
from .schedules import make_schedule
from .store import repair
from .training import build, fit


def load_model(dataset: str = "mnist", device: torch.device | None = None, on_step: OnStep | None = None,
               config: DiffusionConfig | None = None) -> Loaded:
    """The trained eps_theta for ``dataset`` (shipped weights; trains only when none exist anywhere)."""
    config = config or default_config(dataset)
    _repair_once(config)
    loaded = load_or_train(config, build, fit, on_step=on_step, device=device)
    if _device_of(loaded.model).type == "cpu":
        # oneDNN's convolutions run faster on NHWC tensors: 10-40% per U-Net call on a 2-core CPU
        loaded.model.to(memory_format=torch.channels_last)
    return loaded


_CHECKED: set[str] = set()


def _repair_once(config: DiffusionConfig) -> None:
    """Rewrite shipped weights saved with a tuple-valued config (see :mod:`.store`) so they load, once per key."""
    key = config_key(config)
    if key in _CHECKED:
        return
    _CHECKED.add(key)
    path = weight_paths(config)[0]
    if path.is_file():
        try:
            repair(path, config)
        except (OSError, ValueError, RuntimeError):
            pass  # read-only folder or another config: load_or_train reports it


def one_cpu_thread(device: torch.device | str | None = None) -> None:
    """Run torch on one CPU thread when computing on the CPU.

    These networks are small: a second intra-op thread saves little on an idle machine, and on a busy one
    (a shared 2-core server) OpenMP threads waiting for each other made DDIM-50 of 16 digits take 141 s
    instead of 2 s. The setting applies to the calling thread (Streamlit runs each script run in its own).
    """
    if device is None or torch.device(device).type == "cpu":
        limit_this_thread(1)


def sampling_threads(device: torch.device | str | None = None) -> int:
    """Before a sampling run on the CPU: use the cores that are idle right now (1 on a busy machine).

    A full DDPM timeline is 1,000 network calls; on an idle 2-core machine two threads cut it by about a
    third, while on a busy one two threads would wait for each other (:func:`one_cpu_thread`).
    Returns the threads set (0 for an accelerator).
    """
    if device is not None and torch.device(device).type != "cpu":
        return 0
    n = threads_for_idle_cores()
    limit_this_thread(n)
    return n


def _device_of(model: torch.nn.Module) -> torch.device:
    return next(model.parameters()).device


def noise_start(n: int, shape: tuple[int, int, int], seed: int) -> torch.Tensor:
    """x_T ~ N(0, I), (n, C, H, W), reproducible from ``seed`` (drawn on the CPU, so every device agrees)."""
    return torch.randn((n, *shape), generator=torch.Generator().manual_seed(int(seed)))


def sample_run(eps_fn, sched, n: int, size: int, seed: int, method: str = "ddim", steps: int = 50,
               variance: str = "beta_tilde", device: torch.device | None = None):
    """The sampler generator for n samples of size x size from x_T ~ N(0, I) drawn with ``seed``."""
    x_T = noise_start(n, (1, size, size), seed).to(device or "cpu")
    return sample_steps(eps_fn, sched, x_T, method, steps, variance,
                        generator=torch.Generator().manual_seed(int(seed) + 1))


@torch.no_grad()
def sample(dataset: str, n: int, seed: int, steps: int = 50, method: str = "ddim",
           variance: str = "beta_tilde", device: torch.device | None = None) -> torch.Tensor:
    """Draw ``n`` samples from the shipped model of ``dataset``.

    Args:
        dataset: ``"mnist"`` (28x28) or ``"digits"`` (8x8).
        steps: DDIM network calls (ignored by ``method="ddpm"``, which takes T).
    Returns:
        (n, 1, H, W) float32 in [0, 1] on the CPU.
    """
    loaded = load_model(dataset, device)
    cfg, model = loaded.config, loaded.model
    one_cpu_thread(_device_of(model))
    size = 8 if dataset == "digits" else 28
    x_T = noise_start(n, (1, size, size), seed).to(_device_of(model))
    gen = torch.Generator().manual_seed(int(seed) + 1)
    final = last(sample_steps(as_eps_fn(model), make_schedule(cfg.schedule, cfg.T), x_T, method, steps,
                              variance, generator=gen))
    return to_pixels(final.x_t).cpu()


@torch.no_grad()
def denoise_from(x0_noisy_or_clean: torch.Tensor, t_star: int, dataset: str = "mnist", steps: int = 50,
                 seed: int = 0, add_noise: bool = True, method: str = "ddim", variance: str = "beta_tilde",
                 device: torch.device | None = None) -> torch.Tensor:
    """SDEdit-style: noise an image to t* (or take it as already noisy) and run the reverse process from t*.

    Args:
        x0_noisy_or_clean: (N, 1, H, W) in [0, 1], H = W = 28 for mnist, 8 for digits.
        t_star: 1..T (T = 1000); larger t* removes more noise and invents more.
        add_noise: False when the input is already noisy (pixel noise sigma_pix matches t* via
            :func:`models.diffusion.samplers.t_for_sigma` with sigma = 2 sigma_pix).
    Returns:
        (N, 1, H, W) float32 in [0, 1] on the CPU.
    Raises:
        ValueError: wrong shape, naming the expected one.
    """
    size = 8 if dataset == "digits" else 28
    x = x0_noisy_or_clean
    if x.dim() != 4 or tuple(x.shape[1:]) != (1, size, size):
        raise ValueError(f"denoise_from expects images of shape (N, 1, {size}, {size}) in [0, 1] for {dataset}, "
                         f"got {tuple(x.shape)}; resize with models.diffusion.images.to_model_input first.")
    loaded = load_model(dataset, device)
    cfg, model = loaded.config, loaded.model
    one_cpu_thread(_device_of(model))
    gen = torch.Generator().manual_seed(int(seed))
    x0 = to_model_range(x.float()).to(_device_of(model))
    final = last(sdedit_steps(as_eps_fn(model), make_schedule(cfg.schedule, cfg.T), x0, t_star, method, steps,
                              variance, add_noise, gen))
    return to_pixels(final.x_t).cpu()
