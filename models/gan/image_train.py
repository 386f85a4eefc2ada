"""Training image GANs step by step (a generator of states) and to completion (``fit`` for checkpoints).

The generator network alone is what a checkpoint stores (``build``); the discriminator lives only
while training. A fixed batch of z (and, for the conditional GAN, labels 0..9 in turn) gives a sample
grid that is comparable from step to step; snapshots of it are kept for scrubbing and the GIF.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from ..threads import flush_denormals, limit_this_thread
from . import losses
from .config import ImageGANConfig
from .image_nets import DATASET_SHAPES, N_CLASSES, build_discriminator, build_generator
from .optim import make_optimizer
from .toy_train import EXPLODED, TrainingDiverged, _decimate
from ..seed import seeded_init

GRID_N = 40            # images in the sample grid (4 rows of 10)
MAX_SNAPSHOTS = 60
GP_LAMBDA_IMAGES = 10.0  # Gulrajani et al. 2017, section 4
CRITIC_STEPS_WGAN = 5


@dataclass(frozen=True)
class ImageState:
    """One generator update of an image GAN.

    Attributes:
        step: generator updates so far.
        d_loss, g_loss, d_real, d_fake: last losses and mean D outputs (see :func:`losses.d_output`).
        grid: (GRID_N, H, W) float32 in [0, 1], samples from the fixed z (may be a few steps old).
        snapshots: ((step, grid), ...) saved every ``snapshot_every`` steps, at most MAX_SNAPSHOTS.
        history: decimated ``step, d_loss, g_loss, d_real, d_fake`` arrays.
    """

    step: int
    d_loss: float
    g_loss: float
    d_real: float
    d_fake: float
    grid: np.ndarray
    snapshots: tuple = field(repr=False)
    history: dict = field(repr=False)


def build(config: ImageGANConfig) -> torch.nn.Module:
    """A freshly initialised generator for ``config`` (the module a checkpoint holds)."""
    with seeded_init(config.seed):
        return build_generator(config, DATASET_SHAPES[config.dataset], N_CLASSES)


def fixed_inputs(config: ImageGANConfig, n: int = GRID_N, seed: int | None = None):
    """(z (n, codings), y (n,) labels 0..9 repeated) used for every sample grid of a run."""
    gen = torch.Generator().manual_seed(config.seed + 12345 if seed is None else seed)
    return torch.randn(n, config.codings, generator=gen), torch.arange(n) % N_CLASSES


def _adam(params, config: ImageGANConfig):
    """Adam with DCGAN's betas (0.5, 0.999), WGAN-GP's (0.5, 0.9); ``.step(grads)`` (models/gan/optim.py)."""
    betas = (0.5, 0.9) if config.loss == "wgan-gp" else (0.5, 0.999)
    return make_optimizer("adam", params, config.lr, betas)


def image_steps(config: ImageGANConfig, x: torch.Tensor, y: torch.Tensor, *, g_net=None,
                device: torch.device | str = "cpu", grid_every: int = 20, snapshot_every: int = 100,
                threads: int | None = 1):
    """Train an image GAN forever, yielding an :class:`ImageState` after each generator update.

    Args:
        config: the :class:`ImageGANConfig`.
        x: (N, C, H, W) training images in [0, 1]; y: (N,) labels (used by the conditional GAN).
        g_net: a generator to train in place (default: a fresh one from :func:`build`).
        grid_every: recompute the sample grid every this many steps; snapshot_every: keep a snapshot.
    Raises:
        TrainingDiverged: a loss became NaN, infinite or above EXPLODED.
    """
    if threads:
        limit_this_thread(threads)
    flush_denormals()
    device = torch.device(device)
    shape = tuple(x.shape[1:])
    if shape != DATASET_SHAPES[config.dataset]:
        raise ValueError(f"Images of shape {shape} do not match the {config.dataset} network "
                         f"{DATASET_SHAPES[config.dataset]}.")
    gen = torch.Generator().manual_seed(config.seed)
    g_net = (g_net if g_net is not None else build(config)).to(device).train()
    with seeded_init(config.seed + 1):
        d_net = build_discriminator(config, shape, N_CLASSES)
    d_net = d_net.to(device).train()
    g_params, d_params = list(g_net.parameters()), list(d_net.parameters())
    opt_g, opt_d = _adam(g_params, config), _adam(d_params, config)
    x, y = x.to(device), y.to(device)
    z_fix, y_fix = (t.to(device) for t in fixed_inputs(config))
    b, loss, n = config.batch, config.loss, len(x)
    k_d = CRITIC_STEPS_WGAN if loss == "wgan-gp" else 1
    hist: dict[str, list] = {k: [] for k in ("step", "d_loss", "g_loss", "d_real", "d_fake")}
    snapshots: list = []
    last = dict(d_loss=math.nan, g_loss=math.nan, d_real=math.nan, d_fake=math.nan)

    def grid() -> np.ndarray:
        g_net.eval()
        with torch.no_grad():
            out = g_net(z_fix, y_fix)[:, 0].cpu().numpy().astype(np.float32)  # (GRID_N, H, W)
        g_net.train()
        return out

    current = grid()
    snapshots.append((0, current))
    step, hview = 0, _decimate(hist)
    while True:
        for _ in range(k_d):
            idx = torch.randint(0, n, (b,), generator=gen).to(device)
            x_real, y_real = x[idx], y[idx]  # (B, C, H, W), (B,)
            z = torch.randn(b, config.codings, generator=gen).to(device)
            y_fake = torch.randint(0, N_CLASSES, (b,), generator=gen).to(device)
            with torch.no_grad():
                x_fake = g_net(z, y_fake)
            # one pass over real and fake together (D has no batch norm, so this equals two passes)
            out = d_net(torch.cat([x_real, x_fake]), torch.cat([y_real, y_fake]))  # (2B, 1)
            d_real, d_fake = out[:b], out[b:]
            l_d = losses.d_loss(loss, d_real, d_fake)
            if loss == "wgan-gp":
                l_d = l_d + GP_LAMBDA_IMAGES * losses.gradient_penalty(
                    lambda t: d_net(t, y_real), x_real, x_fake, gen)
            opt_d.step(torch.autograd.grad(l_d, d_params))
        z = torch.randn(b, config.codings, generator=gen).to(device)
        y_fake = torch.randint(0, N_CLASSES, (b,), generator=gen).to(device)
        l_g = losses.g_loss(loss, d_net(g_net(z, y_fake), y_fake))
        # only G's gradients: D's weight gradients would be computed and thrown away
        opt_g.step(torch.autograd.grad(l_g, g_params))
        step += 1
        with torch.no_grad():
            vals = torch.stack([l_d.detach(), l_g.detach(), losses.d_output(loss, d_real).mean(),
                                losses.d_output(loss, d_fake).mean()]).tolist()
        for name, v in zip(("discriminator loss", "generator loss"), vals[:2]):
            if not math.isfinite(v) or abs(v) > EXPLODED:
                raise TrainingDiverged(f"the {name} became {v:.3g} at step {step} (learning rate {config.lr:g}); "
                                       f"the learning rate is too large")
        last.update(zip(("d_loss", "g_loss", "d_real", "d_fake"), vals))
        hist["step"].append(step)
        for k in ("d_loss", "g_loss", "d_real", "d_fake"):
            hist[k].append(last[k])
        if step % grid_every == 0:
            current, hview = grid(), _decimate(hist)
        if step % snapshot_every == 0:
            snapshots.append((step, current))
            if len(snapshots) > MAX_SNAPSHOTS:  # keep the first and every other one after it
                snapshots[:] = snapshots[:1] + snapshots[2::2]
        yield ImageState(step, last["d_loss"], last["g_loss"], last["d_real"], last["d_fake"], current,
                         tuple(snapshots), hview)


def fit(model: torch.nn.Module, config: ImageGANConfig, device, on_step=None) -> dict:
    """Train ``model`` (a generator) for ``config.steps`` updates on the dataset's training split.

    Returns:
        Metrics: final losses and mean D outputs, steps, and the images used.
    """
    from models.data import load_images

    data = load_images(config.dataset, "train")
    state = None
    for state in image_steps(config, data.x, data.y, g_net=model, device=device, grid_every=10**9,
                             snapshot_every=10**9):
        if on_step is not None and (state.step % 50 == 0 or state.step == config.steps):
            on_step(state.step, config.steps, {"d_loss": state.d_loss, "g_loss": state.g_loss})
        if state.step >= config.steps:
            break
    model.eval()
    return {"steps": state.step, "d_loss": state.d_loss, "g_loss": state.g_loss, "d_real": state.d_real,
            "d_fake": state.d_fake, "train_images": len(data), "note": data.note or ""}
