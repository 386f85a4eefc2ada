"""Training image GANs: one discriminator and one generator update (the maths), a step generator of states,
and training to completion (``fit`` for the shipped checkpoints).

The run layer drives :class:`models.gan.image_trainer.ImageGANTrainer`, which holds a run's networks and
calls :func:`d_update` and :func:`g_update` here; :func:`image_steps` is a generator over that trainer.
The generator network alone is what a shipped checkpoint stores (``build``). A fixed batch of z (and, for the
conditional GAN, labels 0..9 in turn) gives a sample grid that is comparable from step to step; snapshots
of it are kept for scrubbing and the GIF.

Every random draw of a step (batch indices, z, fake labels, WGAN-GP's interpolation weights) comes from the
run's own CPU ``torch.Generator`` and is moved to the device afterwards; networks are built under
:func:`models.seed.seeded_init`. Nothing here touches PyTorch's global generator.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field

import numpy as np
import torch

from ..threads import limit_this_thread
from . import losses
from .config import ImageGANConfig
from .image_nets import DATASET_SHAPES, N_CLASSES, build_discriminator, build_generator
from .optim import make_optimizer
from .toy_train import EXPLODED, TrainingDiverged
from ..seed import seeded_init

GRID_N = 40            # images in the sample grid (4 rows of 10)
MAX_SNAPSHOTS = 60
SNAPSHOT_EVERY = 100   # generator updates between the grids kept for scrubbing and the GIF
GP_LAMBDA_IMAGES = 10.0  # Gulrajani et al. 2017, section 4
CRITIC_STEPS_WGAN = 5


@dataclass(frozen=True)
class ImageState:
    """One generator update of an image GAN (a value: nothing in it changes when training goes on).

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


def build(config: ImageGANConfig, seed: int | None = None) -> torch.nn.Module:
    """A freshly initialised generator for ``config`` (the module a checkpoint holds); weights from ``seed``
    (default ``config.seed``)."""
    with seeded_init(config.seed if seed is None else seed):
        return build_generator(config, DATASET_SHAPES[config.dataset], N_CLASSES)


def build_critic(config: ImageGANConfig, seed: int | None = None) -> torch.nn.Module:
    """A freshly initialised discriminator for ``config``, weights from ``seed + 1`` (default ``config.seed``)."""
    with seeded_init((config.seed if seed is None else seed) + 1):
        return build_discriminator(config, DATASET_SHAPES[config.dataset], N_CLASSES)


def fixed_inputs(config: ImageGANConfig, n: int = GRID_N, seed: int | None = None):
    """(z (n, codings), y (n,) labels 0..9 repeated) used for every sample grid of a run (own generator)."""
    gen = torch.Generator().manual_seed(config.seed + 12345 if seed is None else seed)
    return torch.randn(n, config.codings, generator=gen), torch.arange(n) % N_CLASSES


def make_optimizers(g_params, d_params, config: ImageGANConfig):
    """(opt_g, opt_d): Adam with DCGAN's betas (0.5, 0.999), WGAN-GP's (0.5, 0.9); ``.step(grads)``
    (models/gan/optim.py)."""
    betas = (0.5, 0.9) if config.loss == "wgan-gp" else (0.5, 0.999)
    return (make_optimizer("adam", g_params, config.lr, betas), make_optimizer("adam", d_params, config.lr, betas))


def critic_steps(config: ImageGANConfig) -> int:
    """Discriminator updates per generator update: 5 for WGAN-GP (Gulrajani et al. 2017, Algorithm 1), else 1."""
    return CRITIC_STEPS_WGAN if config.loss == "wgan-gp" else 1


def _fake_inputs(config: ImageGANConfig, gen: torch.Generator, device: torch.device):
    b = config.batch
    z = torch.randn(b, config.codings, generator=gen).to(device)  # (B, codings)
    y_fake = torch.randint(0, N_CLASSES, (b,), generator=gen).to(device)  # (B,)
    return z, y_fake


def d_update(g_net, d_net, opt_d, d_params, x: torch.Tensor, y: torch.Tensor, config: ImageGANConfig,
             gen: torch.Generator):
    """One discriminator (critic) update on a batch of real images and as many fakes.

    L_D = d_loss(D(x), D(G(z)))  (+ lambda GP for WGAN-GP, Gulrajani et al. 2017, eq. 3)

    Args:
        x: (N, C, H, W) the training images in [0, 1] on the networks' device; y: (N,) their labels.
        gen: the run's CPU generator (batch indices, z, fake labels, GP weights).
    Returns:
        (l_d, d_real (B, 1), d_fake (B, 1)) of this update.
    """
    b, loss, device = config.batch, config.loss, x.device
    idx = torch.randint(0, len(x), (b,), generator=gen).to(device)
    x_real, y_real = x[idx], y[idx]  # (B, C, H, W), (B,)
    z, y_fake = _fake_inputs(config, gen, device)
    with torch.no_grad():
        x_fake = g_net(z, y_fake)
    # one pass over real and fake together (D has no batch norm, so this equals two passes)
    out = d_net(torch.cat([x_real, x_fake]), torch.cat([y_real, y_fake]))  # (2B, 1)
    d_real, d_fake = out[:b], out[b:]
    l_d = losses.d_loss(loss, d_real, d_fake)
    if loss == "wgan-gp":
        l_d = l_d + GP_LAMBDA_IMAGES * losses.gradient_penalty(lambda t: d_net(t, y_real), x_real, x_fake, gen)
    opt_d.step(torch.autograd.grad(l_d, d_params))
    return l_d, d_real, d_fake


def g_update(g_net, d_net, opt_g, g_params, config: ImageGANConfig, gen: torch.Generator,
             device: torch.device) -> torch.Tensor:
    """One generator update: L_G = g_loss(D(G(z))) on a fresh batch of z (and labels); returns L_G."""
    z, y_fake = _fake_inputs(config, gen, device)
    l_g = losses.g_loss(config.loss, d_net(g_net(z, y_fake), y_fake))
    # only G's gradients: D's weight gradients would be computed and thrown away
    opt_g.step(torch.autograd.grad(l_g, g_params))
    return l_g


def check_losses(d_loss: float, g_loss: float, step: int, config: ImageGANConfig) -> None:
    """Raise :class:`TrainingDiverged` when a loss is NaN, infinite or above EXPLODED."""
    for name, v in (("discriminator loss", d_loss), ("generator loss", g_loss)):
        if not math.isfinite(v) or abs(v) > EXPLODED:
            raise TrainingDiverged(f"the {name} became {v:.3g} at step {step} (learning rate {config.lr:g}); "
                                   f"the learning rate is too large")


def sample_grid(g_net, z_fix: torch.Tensor, y_fix: torch.Tensor) -> np.ndarray:
    """(GRID_N, H, W) float32 in [0, 1]: G in eval mode on the fixed inputs (batch norm's running stats)."""
    g_net.eval()
    with torch.no_grad():
        out = g_net(z_fix, y_fix)[:, 0].cpu().numpy().astype(np.float32)
    g_net.train()
    return out


def image_steps(config: ImageGANConfig, x: torch.Tensor, y: torch.Tensor, *, g_net=None,
                device: torch.device | str = "cpu", grid_every: int = 20, snapshot_every: int = SNAPSHOT_EVERY,
                threads: int | None = 1):
    """Train an image GAN forever, yielding an :class:`ImageState` after each generator update.

    A generator over :class:`models.gan.image_trainer.ImageGANTrainer` (the run layer drives the trainer
    itself); the first value is step 1.

    Args:
        config: the :class:`ImageGANConfig`.
        x: (N, C, H, W) training images in [0, 1]; y: (N,) labels (used by the conditional GAN).
        g_net: a generator to train in place (default: a fresh one from :func:`build`).
        grid_every: recompute the sample grid every this many steps; snapshot_every: keep a snapshot.
    Raises:
        TrainingDiverged: a loss became NaN, infinite or above EXPLODED.
    """
    from .image_trainer import ImageGANTrainer, image_job

    if threads:
        limit_this_thread(threads)
    trainer = ImageGANTrainer(image_job(config), device, data=(x, y), g_net=g_net, snapshot_every=snapshot_every)
    grid, hview = trainer.grid(), trainer.history()
    while True:
        trainer.advance()
        if trainer.step % grid_every == 0:
            grid, hview = trainer.grid(), trainer.history()
        yield ImageState(trainer.step, *trainer.last.values(), grid, tuple(trainer.snapshots), hview)


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
