"""Training a GAN on a 2D toy, one step at a time, as a generator the page drives live.

``toy_steps(config)`` yields a :class:`ToyState` after every step. Send it a command to choose what the
next step does: ``"both"`` (or None) is k_d discriminator updates then one generator update,
``"d"`` updates only D once, ``"g"`` only G once (GAN Lab's single-stepping). The expensive views (heat
map, manifold, arrows, mode metrics) are recomputed a few times a second, and at every single step.
"""

from __future__ import annotations

import math
import time
from dataclasses import dataclass, field

import numpy as np
import torch

from ..fid.prdc import prdc
from ..threads import flush_denormals, limit_this_thread
from . import losses
from .config import ToyConfig
from .metrics import N_SAMPLES
from .nets2d import build_toy_nets, sample_z
from .optim import make_optimizer
from .views2d import ToyViews, compute_views, view_extent
from models.data import TOYS_2D

POOL = 32768  # real points drawn once per run; batches are drawn from this pool
EXPLODED = 1e10  # a loss this large has diverged even if it is still a finite float
MAX_HISTORY_POINTS = 2000
MAX_FRAMES, FRAME_POINTS = 80, 400


class TrainingDiverged(FloatingPointError):
    """A loss became NaN or infinite; the message says which and what to change."""


@dataclass(frozen=True)
class ToyState:
    """One step of a toy run.

    Attributes:
        step: generator updates so far (single D steps do not count).
        d_updates: discriminator updates so far.
        command: what this step did: ``both``, ``d`` or ``g``.
        d_loss, g_loss: last losses (NaN when that network was not updated yet).
        d_real, d_fake: mean D(x) and D(G(z)) of the last batch (probabilities for the cross-entropy
            losses, raw outputs otherwise, see :func:`losses.d_output`).
        views: the latest :class:`ToyViews` (may be a few steps old while running).
        history: decimated loss history, a dict of equal-length float arrays
            (``step, d_loss, g_loss, d_real, d_fake``) plus ``modes`` (``step, covered, hq, precision, recall``).
        frames: ((step, generated points (FRAME_POINTS, 2)), ...) for the training GIF, at most MAX_FRAMES.
    """

    step: int
    d_updates: int
    command: str
    d_loss: float
    g_loss: float
    d_real: float
    d_fake: float
    views: ToyViews | None
    history: dict = field(repr=False)
    frames: tuple = field(default=(), repr=False)
    config: ToyConfig | None = None


def real_pool(config: ToyConfig, points: np.ndarray | None, rng: np.random.Generator) -> np.ndarray:
    """(POOL, 2) float32 real points: the toy's distribution, or the user's points with a small jitter."""
    if config.toy == "custom":
        if points is None or len(points) == 0:
            raise ValueError("The 'custom' toy needs points: draw some or paste x, y pairs first.")
        points = np.asarray(points, np.float32)
        span = float(np.ptp(points, axis=0).max()) if len(points) > 1 else 1.0
        jitter = 0.01 * max(span, 1e-3)
        idx = rng.integers(0, len(points), POOL)
        return (points[idx] + jitter * rng.standard_normal((POOL, 2))).astype(np.float32)
    return TOYS_2D[config.toy].sample(POOL, rng)


def _check(name: str, value: float, step: int, config: ToyConfig) -> None:
    if not math.isfinite(value) or abs(value) > EXPLODED:
        raise TrainingDiverged(
            f"the {name} became {value:.3g} at step {step} (D lr {config.d_lr:g}, G lr {config.g_lr:g}, "
            f"{config.d_opt}/{config.g_opt}); the learning rate is too large for this loss")


def _decimate(hist: dict[str, list], n: int = MAX_HISTORY_POINTS) -> dict[str, np.ndarray]:
    """Every k-th entry so at most ``n`` remain (the last one always kept)."""
    length = len(hist["step"])
    idx = np.unique(np.linspace(0, length - 1, min(n, length)).astype(int)) if length else np.zeros(0, int)
    return {k: np.asarray(v, np.float64)[idx] if len(v) == length else np.asarray(v, np.float64)
            for k, v in hist.items()}


def toy_steps(config: ToyConfig, points: np.ndarray | None = None, *, device: torch.device | str = "cpu",
              views_every_s: float = 0.5, threads: int | None = 1, max_steps: int | None = None):
    """Train a GAN on a 2D toy, yielding a :class:`ToyState` per step (see module docstring).

    The first value is the untrained networks at step 0 (views included). Every later value counts one
    command: ``step`` counts generator updates and ``d_updates`` discriminator updates, so while running
    freely (``both``) ``d_updates == k_d * step`` plus any single D steps taken.

    Args:
        config: the run's :class:`ToyConfig`.
        points: (N, 2) the user's points when ``config.toy == "custom"``.
        device: where the networks live.
        views_every_s: wall-clock seconds between view refreshes while running freely (0: every step).
        threads: CPU threads for this thread only (``models.threads``) (1 is fastest for such small nets); None leaves it.
        max_steps: end after this many generator updates, with fresh views in the last state (None: never).

    Raises:
        TrainingDiverged: a loss became NaN, infinite or above EXPLODED (e.g. an absurd learning rate).
    """
    if threads:
        limit_this_thread(threads)
    flush_denormals()
    device = torch.device(device)
    gen = torch.Generator().manual_seed(config.seed)
    rng = np.random.default_rng(config.seed)
    g_net, d_net = build_toy_nets(config, gen)
    g_net, d_net = g_net.to(device), d_net.to(device)
    g_params, d_params = list(g_net.parameters()), list(d_net.parameters())
    opt_d = make_optimizer(config.d_opt, d_params, config.d_lr)  # .step(grads): see models/gan/optim.py
    opt_g = make_optimizer(config.g_opt, g_params, config.g_lr)
    real = real_pool(config, points, rng)  # (POOL, 2)
    extent = view_extent(real)  # the plotted box, fixed for the run
    pool = torch.from_numpy(real).to(device)
    toy = TOYS_2D.get(config.toy)
    centers = toy.centers if toy is not None else None
    std = toy.std if toy is not None else None
    z_view = sample_z(N_SAMPLES, config.z_dim, config.z_dist, torch.Generator().manual_seed(config.seed + 1))
    z_view = z_view.to(device)
    b, loss = config.batch, config.loss
    last = {"d_loss": float("nan"), "g_loss": float("nan"), "d_real": float("nan"), "d_fake": float("nan")}
    hist: dict[str, list] = {k: [] for k in ("step", "d_loss", "g_loss", "d_real", "d_fake")}
    modes: dict[str, list] = {"step": [], "covered": [], "hq": [], "precision": [], "recall": []}
    step = d_updates = 0
    frames: list = []
    frame_gap = [25]

    def real_batch() -> torch.Tensor:
        idx = torch.randint(0, POOL, (b,), generator=gen).to(device)
        return pool.index_select(0, idx)  # (B, 2)

    def z_batch() -> torch.Tensor:
        return sample_z(b, config.z_dim, config.z_dist, gen).to(device)  # (B, z_dim)

    def d_update() -> None:
        x = real_batch()
        with torch.no_grad():
            x_fake = g_net(z_batch())  # (B, 2)
        out = d_net(torch.cat([x, x_fake]))  # (2B, 1): one pass for both halves
        d_real, d_fake = out[:b], out[b:]
        l_d = losses.d_loss(loss, d_real, d_fake)
        if loss == "wgan-gp":
            l_d = l_d + config.gp_lambda * losses.gradient_penalty(d_net, x, x_fake, gen)
        opt_d.step(torch.autograd.grad(l_d, d_params))
        with torch.no_grad():
            vals = torch.stack([l_d.detach(), losses.d_output(loss, d_real).mean(),
                                losses.d_output(loss, d_fake).mean()]).tolist()
        _check("discriminator loss", vals[0], step, config)
        last["d_loss"], last["d_real"], last["d_fake"] = vals

    def g_update() -> None:
        d_fake = d_net(g_net(z_batch()))  # (B, 1)
        l_g = losses.g_loss(loss, d_fake)
        # only G's gradients: D's weight gradients would be computed and thrown away
        opt_g.step(torch.autograd.grad(l_g, g_params))
        value = l_g.item()
        _check("generator loss", value, step, config)
        last["g_loss"] = value

    def views() -> ToyViews:
        view = compute_views(g_net, d_net, pool, z_view, config, centers, std, extent)
        if not frames or step >= frames[-1][0] + frame_gap[0]:
            frames.append((step, view.fake[:FRAME_POINTS]))
            if len(frames) > MAX_FRAMES:  # thin out: keep every other frame, take them half as often
                frames[:] = frames[::2]
                frame_gap[0] *= 2
        if view.modes is not None:
            modes["step"].append(step)
            modes["covered"].append(view.modes.modes_covered)
            modes["hq"].append(view.modes.high_quality)
            # improved precision and recall (k = 5) of the shown samples against as many real points:
            # fidelity and diversity apart, next to the mode counts (models/fid/prdc.py)
            pr = prdc(view.real, view.fake)
            modes["precision"].append(pr.precision)
            modes["recall"].append(pr.recall)
        return view

    def history() -> dict:
        out = _decimate(hist)
        out["modes"] = {k: np.asarray(v, np.float64) for k, v in modes.items()}
        return out

    view, t_view, hview = views(), time.perf_counter(), history()
    command = yield ToyState(0, 0, "start", *last.values(), view, hview, tuple(frames), config)
    while True:
        single = command is not None or views_every_s <= 0  # single-stepping: refresh the views every step
        command = command or "both"
        if command not in ("both", "d", "g"):
            raise ValueError(f"Unknown command {command!r}: send 'both', 'd' or 'g'.")
        if command in ("both", "d"):
            for _ in range(config.k_d if command == "both" else 1):
                d_update()
                d_updates += 1
        if command in ("both", "g"):
            g_update()
            step += 1
        for k in hist:
            hist[k].append(step if k == "step" else last[k])
        now = time.perf_counter()
        last_step = max_steps is not None and step >= max_steps
        if single or last_step or now - t_view >= views_every_s:
            view, t_view, hview = views(), now, history()
        command = yield ToyState(step, d_updates, command, *last.values(), view, hview, tuple(frames), config)
        if last_step:
            return


def untrained_state(config: ToyConfig, points: np.ndarray | None = None) -> ToyState:
    """Step 0 of a run with these settings: the real data, the untrained G's samples and D's heat map.

    Exactly the first state :func:`toy_steps` yields (same seed, same networks), computed in the caller's
    thread without starting a run, so the page can show the data and both networks before Play.
    """
    steps = toy_steps(config, points, threads=None)
    try:
        return next(steps)
    finally:
        steps.close()
