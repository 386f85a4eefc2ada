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

from ..threads import limit_this_thread
from .config import ToyConfig
from .views2d import ToyViews
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

    A generator over :class:`models.gan.toy_trainer.ToyTrainer` (the run layer drives the trainer itself).
    The first value is the untrained networks at step 0 (views included). Every later value counts one
    command: ``step`` counts generator updates and ``d_updates`` discriminator updates, so while running
    freely (``both``) ``d_updates == k_d * step`` plus any single D steps taken.

    Args:
        config: the run's :class:`ToyConfig`.
        points: (N, 2) the user's points when ``config.toy == "custom"``.
        device: where the networks live.
        views_every_s: wall-clock seconds between view refreshes while running freely (0: every step); the
            states in between carry the last views.
        threads: CPU threads for this thread only (``models.threads``) (1 is fastest for such small nets); None leaves it.
        max_steps: end after this many generator updates, with fresh views in the last state (None: never).

    Raises:
        TrainingDiverged: a loss became NaN, infinite or above EXPLODED (e.g. an absurd learning rate).
    """
    from .toy_trainer import ToyTrainer, toy_job

    if threads:
        limit_this_thread(threads)
    if config.toy == "custom" and (points is None or len(points) == 0):
        raise ValueError("The 'custom' toy needs points: draw some or paste x, y pairs first.")
    trainer = ToyTrainer(toy_job(config, points), device)
    view, t_view = trainer.views(), time.perf_counter()
    state = trainer.snapshot()
    command = yield state
    while True:
        single = command is not None or views_every_s <= 0  # single-stepping: refresh the views every step
        trainer.advance(command)
        now = time.perf_counter()
        last_step = max_steps is not None and trainer.step >= max_steps
        if single or last_step or now - t_view >= views_every_s:
            view, t_view = trainer.views(), now
            state = trainer.snapshot()
        else:
            # in between: this step's numbers with the last views, history and frames (copying the
            # history every step would cost more than the step)
            state = ToyState(trainer.step, trainer.d_updates, trainer.command, *trainer.last.values(), view,
                             state.history, state.frames, config)
        command = yield state
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
