"""A small DnCNN-family photo denoiser: residual learning, fully convolutional, any resolution.

DnCNN (Zhang, Zuo, Chen, Meng, Zhang 2017, "Beyond a Gaussian Denoiser", eq. 1) learns the *noise*
rather than the clean image: for a noisy y = x0 + sigma * eps, the network R predicts
R(y) ~ y - x0 and the estimate is x0_hat = y - R(y), trained with loss
    l = 1/(2N) sum_i || R(y_i) - (y_i - x0_i) ||^2.
To run fast on a laptop CPU we borrow two tricks from FFDNet (Zhang, Zuo, Zhang 2018): the image is
pixel-unshuffled 2x2 (the convolutions run at half resolution, 4x cheaper, with a 2x wider receptive
field) and a constant noise-level map sigma is given as an extra input channel, so one network
handles every sigma in [0, sigma_max]. Colour photos are denoised channel by channel.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass
from typing import Callable, Iterator

import numpy as np
import torch
import torch.nn.functional as F
from torch import nn

from .config import DnCNNConfig
from .patches import load_train400, sample_patches, split_indices
from ..seed import seeded_init

# on_progress(done, total): tiles processed so far, for a progress bar.
OnProgress = Callable[[int, int], None]


class DnCNN(nn.Module):
    """Residual CNN: x0_hat = y - R(y, sigma), with R run at half resolution on 2x2-unshuffled pixels."""

    def __init__(self, config: DnCNNConfig):
        super().__init__()
        w = config.width
        layers: list[nn.Module] = [nn.Conv2d(4 + 1, w, 3, padding=1), nn.ReLU(inplace=True)]
        for _ in range(config.depth - 2):
            layers += [nn.Conv2d(w, w, 3, padding=1), nn.ReLU(inplace=True)]
        layers.append(nn.Conv2d(w, 4, 3, padding=1))
        self.body = nn.Sequential(*layers)
        for m in self.modules():
            if isinstance(m, nn.Conv2d):
                nn.init.kaiming_normal_(m.weight, nonlinearity="relu")
                nn.init.zeros_(m.bias)
        nn.init.zeros_(self.body[-1].weight)  # start as the identity denoiser x0_hat = y

    def forward(self, y: torch.Tensor, sigma: torch.Tensor) -> torch.Tensor:
        """Denoise a batch.

        Args:
            y: (B, 1, H, W) noisy images on the [0, 1] scale (any H, W >= 1).
            sigma: (B,) noise standard deviations on the [0, 1] scale.

        Returns:
            (B, 1, H, W) x0_hat = y - R(y, sigma).
        """
        B, _, H, W = y.shape
        ph, pw = H % 2, W % 2
        if ph or pw:  # pixel-unshuffle needs even sides: replicate one row/column
            y_in = F.pad(y, (0, pw, 0, ph), mode="replicate")
        else:
            y_in = y
        z = F.pixel_unshuffle(y_in, 2)  # (B, 4, H/2, W/2)
        level = sigma.view(B, 1, 1, 1).expand(B, 1, z.shape[2], z.shape[3])  # (B, 1, H/2, W/2)
        residual = F.pixel_shuffle(self.body(torch.cat([z, level], dim=1)), 2)  # (B, 1, H', W')
        return y - residual[:, :, :H, :W]


def build(config: DnCNNConfig) -> DnCNN:
    """A freshly initialised network for ``config``."""
    with seeded_init(config.seed):
        return DnCNN(config)


@dataclass(frozen=True)
class TrainState:
    """One optimiser step: step index (1-based), loss (MSE on [0, 1]), learning rate, seconds so far."""

    step: int
    total: int
    loss: float
    lr: float
    elapsed: float


def train_steps(model: DnCNN, config: DnCNNConfig, device: torch.device,
                images: np.ndarray | None = None) -> Iterator[TrainState]:
    """Train on random Train400 crops with sigma ~ U[0, sigma_max]; yield each step's state.

    The learning rate follows a cosine from ``lr`` to ``lr/20`` over the steps:

        lr_s = lr (0.05 + 0.95 (1 + cos(pi (s - 1) / steps)) / 2),   s = 1 .. steps

    The budget is counted in steps, never in seconds: the same config trains the same weights anywhere.
    """
    if images is None:
        _, all_images = load_train400()
        train_idx, _ = split_indices(len(all_images), config.holdout_every)
        images = all_images[train_idx]
    gen = torch.Generator().manual_seed(config.seed)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    model.train()
    start = time.perf_counter()
    for step in range(1, config.steps + 1):
        progress = (step - 1) / config.steps
        lr = config.lr * (0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * progress)))
        for group in opt.param_groups:
            group["lr"] = lr
        x0 = sample_patches(images, config.batch, config.patch, gen).to(device)  # (B, 1, P, P)
        sigma = torch.rand(config.batch, generator=gen).to(device) * (config.sigma_max / 255.0)  # (B,)
        eps = torch.randn(x0.shape, generator=gen).to(device)
        y = x0 + sigma.view(-1, 1, 1, 1) * eps
        loss = F.mse_loss(model(y, sigma), x0)
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        yield TrainState(step, config.steps, loss.item(), lr, time.perf_counter() - start)
    model.eval()


def fit(model: DnCNN, config: DnCNNConfig, device: torch.device, on_step=None) -> dict:
    """Train in place (``models.checkpoints`` Fit signature); returns {"steps", "train_seconds", "final_loss"}.

    A config with a ``parent`` first takes the parent's trained weights (loading them, or training the
    parent when no weights exist), then trains its own cycle from there.
    """
    if config.parent is not None:
        from ..checkpoints import load_or_train

        model.load_state_dict(load_or_train(config.parent, build, fit, device=device).model.state_dict())
    state = None
    for state in train_steps(model, config, device):
        if on_step is not None:
            on_step(state.step, state.total, {"loss": state.loss, "lr": state.lr})
    if state is None:
        return {"steps": 0, "train_seconds": 0.0}
    return {"steps": state.step, "train_seconds": round(state.elapsed, 1), "final_loss": state.loss}


def tile_boxes(H: int, W: int, tile: int) -> list[tuple[int, int, int, int]]:
    """Non-overlapping (top, left, bottom, right) boxes of side <= ``tile`` covering an H x W image."""
    return [(t, l, min(t + tile, H), min(l + tile, W))
            for t in range(0, H, tile) for l in range(0, W, tile)]


COLOUR_MODES = ("opponent", "rgb")


def denoise_array(model: DnCNN, y: np.ndarray, sigma: float, *, colour: str = "opponent", tile: int = 512,
                  margin: int = 32, on_progress: OnProgress | None = None) -> np.ndarray:
    """Denoise a grayscale or colour photo with white Gaussian noise of std ``sigma``, tile by tile.

    Colour photos are denoised one channel at a time, either in RGB or (default, as CBM3D does) in
    the orthogonal luminance-opponent space of :mod:`models.denoise.colour`, where the noise stays
    white with a known std per channel and most of the signal sits in the luminance channel.

    Args:
        model: a trained :class:`DnCNN`.
        y: (H, W) or (H, W, C) float noisy image on [0, 1], C in {1, 3}.
        sigma: noise standard deviation on the [0, 1] scale (e.g. 25/255).
        colour: ``"opponent"`` or ``"rgb"`` (ignored for grayscale).
        tile, margin: see :func:`denoise_channels`.
        on_progress: called as ``on_progress(done, total)`` after each tile.

    Returns:
        float32 array of y's shape, clipped to [0, 1].
    """
    from .colour import from_opponent, opponent_sigmas, to_opponent

    if colour not in COLOUR_MODES:
        raise ValueError(f"colour must be one of {COLOUR_MODES}, got {colour!r}.")
    arr = np.asarray(y, dtype=np.float32)
    squeeze = arr.ndim == 2
    if squeeze:
        arr = arr[:, :, None]
    C = arr.shape[2]
    if C == 3 and colour == "opponent":
        out = from_opponent(denoise_channels(model, to_opponent(arr), opponent_sigmas(sigma),
                                             tile=tile, margin=margin, on_progress=on_progress))
    else:
        out = denoise_channels(model, arr, np.full(C, sigma), tile=tile, margin=margin, on_progress=on_progress)
    out = np.clip(out, 0.0, 1.0)
    return np.ascontiguousarray(out[:, :, 0] if squeeze else out)


# The 8 symmetries of the square (the dihedral group D4): (mirror first?, quarter turns).
SYMMETRIES = tuple((flip, turns) for flip in (False, True) for turns in range(4))


def _apply(image: np.ndarray, flip: bool, turns: int) -> np.ndarray:
    """g(image): mirror left-right (if ``flip``), then rotate by ``turns`` quarter turns (H, W axes)."""
    return np.rot90(image[:, ::-1] if flip else image, turns)


def _undo(image: np.ndarray, flip: bool, turns: int) -> np.ndarray:
    """g^-1(image): rotate back, then mirror back."""
    back = np.rot90(image, -turns)
    return back[:, ::-1] if flip else back


def denoise_ensemble(model: DnCNN, y: np.ndarray, sigma: float, *, colour: str = "opponent", tile: int = 512,
                     margin: int = 32, on_progress: OnProgress | None = None) -> np.ndarray:
    """Geometric self-ensemble ("x8"): average the network's outputs over the 8 flips and rotations of y,

        x0_hat = 1/8 sum_{g in D4} g^-1( D(g(y)) ),

    (Timofte, Rothe, Van Gool 2016, "Seven ways to improve example-based single image super resolution").
    The network is not exactly equivariant to these symmetries (it learnt from flipped and rotated crops,
    but its filters are free), so its 8 answers differ slightly; averaging them cancels part of their
    errors, at 8 times the cost. Unlike one pass, the result is exactly equivariant: denoising g(y) gives
    g(x0_hat). Arguments and result as :func:`denoise_array`; ``on_progress`` counts the tiles of all 8 passes.
    """
    arr = np.asarray(y, dtype=np.float32)
    per_pass = len(tile_boxes(arr.shape[0], arr.shape[1], tile))
    total = np.zeros(arr.shape, dtype=np.float64)
    for k, (flip, turns) in enumerate(SYMMETRIES):
        tick = None if on_progress is None else (lambda d, n, k=k: on_progress(k * per_pass + d, 8 * per_pass))
        out = denoise_array(model, np.ascontiguousarray(_apply(arr, flip, turns)), sigma, colour=colour, tile=tile,
                            margin=margin, on_progress=tick)
        total += _undo(out, flip, turns)
    return (total / len(SYMMETRIES)).astype(np.float32)


@torch.no_grad()
def denoise_channels(model: DnCNN, y: np.ndarray, sigmas: np.ndarray, *, tile: int = 512, margin: int = 32,
                     on_progress: OnProgress | None = None) -> np.ndarray:
    """Run the network on each channel of an (H, W, C) image, tile by tile, with per-channel sigmas.

    Each tile is cut with ``margin`` extra pixels of context on every side (more than the network's
    receptive-field radius, 2 * depth pixels), denoised, and only its centre is kept: the result
    equals a whole-image pass up to floating-point rounding, with bounded memory for any image size.

    Args:
        y: (H, W, C) float32 noisy channels.
        sigmas: (C,) noise std of each channel, [0, 1] scale.
        tile: side of the tiles; even (the 2x2 pixel-unshuffle grid must line up).
        margin: context pixels around each tile; even.

    Returns:
        (H, W, C) float32, not clipped.
    """
    if tile % 2 or margin % 2 or tile <= 0:
        raise ValueError(f"tile ({tile}) and margin ({margin}) must be even and tile > 0 (2x2 pixel grid).")
    model.eval()
    device = next(model.parameters()).device
    H, W, C = y.shape
    x = torch.from_numpy(np.ascontiguousarray(y.transpose(2, 0, 1), dtype=np.float32)).unsqueeze(1)  # (C, 1, H, W)
    out = torch.empty_like(x)
    sig = torch.as_tensor(np.asarray(sigmas, dtype=np.float32), device=device)  # (C,)
    boxes = tile_boxes(H, W, tile)
    for i, (t, l, b, r) in enumerate(boxes):
        t0, l0, b0, r0 = max(t - margin, 0), max(l - margin, 0), min(b + margin, H), min(r + margin, W)
        piece = model(x[:, :, t0:b0, l0:r0].to(device), sig).cpu()  # (C, 1, h, w)
        out[:, :, t:b, l:r] = piece[:, :, t - t0:t - t0 + (b - t), l - l0:l - l0 + (r - l)]
        if on_progress is not None:
            on_progress(i + 1, len(boxes))
    return out.squeeze(1).numpy().transpose(1, 2, 0)  # (H, W, C)
