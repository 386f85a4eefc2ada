"""The 2D toy GAN as a trainer of the run layer (:mod:`models.runs`): a job in, one step at a time.

One step is GAN Lab's: ``"both"`` (or None) is k_d discriminator updates then one generator update,
``"d"`` one discriminator update only, ``"g"`` one generator update only. ``step`` counts generator
updates, ``d_updates`` discriminator updates.

What the page plots over training (mode coverage, precision and recall, the frames of the training GIF) is
recorded on a schedule of *steps* (every ``record_every`` generator updates, 250 at first, doubling when
the frames fill up), never of wall-clock time: the same job gives the same snapshots whatever the machine's
speed or load. The heat map, manifold and arrows of a snapshot are computed from the networks at that step.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from ..fid.prdc import prdc
from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from ..threads import flush_denormals
from . import losses
from .config import ToyConfig
from .metrics import N_SAMPLES
from .nets2d import build_toy_nets, sample_z
from .optim import make_optimizer
from .toy_train import (FRAME_POINTS, MAX_FRAMES, POOL, ToyState, _check, _decimate, real_pool)
from .views2d import ToyViews, compute_views, view_extent
from models.data import TOYS_2D

FIRST_RECORD_EVERY = 250  # a record (views + precision/recall of 2,500 points) costs ~25 steps: 10% at 100
COMMANDS = ("both", "d", "g")


def toy_job(config: ToyConfig, points=None) -> Job:
    """The job for a toy run: the user's points (``custom`` toy) travel in the job as plain tuples."""
    data = None
    if points is not None and len(points):
        data = tuple((round(float(x), 6), round(float(y), 6)) for x, y in np.asarray(points, np.float64))
    return Job("gan_toy", config, data if config.toy == "custom" else config.toy, config.seed)


@dataclass(frozen=True)
class _Record:
    step: int
    covered: float
    hq: float
    precision: float
    recall: float


class ToyTrainer:
    """G and D of one toy run, their optimisers, the real-point pool and the run's generators."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: ToyConfig = job.config
        self.job, self.config, self.device = job, config, torch.device(device)
        flush_denormals()
        self.random = RunRandom(job.seed)
        g_net, d_net = build_toy_nets(config, self.random.torch)
        self.g_net, self.d_net = g_net.to(self.device), d_net.to(self.device)
        self.g_params, self.d_params = list(self.g_net.parameters()), list(self.d_net.parameters())
        self.opt_d = make_optimizer(config.d_opt, self.d_params, config.d_lr)  # .step(grads): models/gan/optim.py
        self.opt_g = make_optimizer(config.g_opt, self.g_params, config.g_lr)
        points = np.asarray(job.dataset, np.float32) if config.toy == "custom" else None
        real = real_pool(config, points, self.random.numpy)  # (POOL, 2), drawn once per run
        self.extent = view_extent(real)  # the plotted box, fixed for the run
        self.pool = torch.from_numpy(real).to(self.device)
        toy = TOYS_2D.get(config.toy)
        self.centers, self.std = (toy.centers, toy.std) if toy is not None else (None, None)
        # the fixed noise behind every view and metric: its own generator, so views never move the run's
        self.z_view = sample_z(N_SAMPLES, config.z_dim, config.z_dist,
                               torch.Generator().manual_seed(job.seed + 1)).to(self.device)
        self.step = self.d_updates = 0
        self.command = "start"
        self.last = {"d_loss": float("nan"), "g_loss": float("nan"), "d_real": float("nan"), "d_fake": float("nan")}
        self.hist: dict[str, list] = {k: [] for k in ("step", "d_loss", "g_loss", "d_real", "d_fake")}
        self.records: list[_Record] = []
        self.frames: list[tuple[int, np.ndarray]] = []
        self.record_every = FIRST_RECORD_EVERY
        self._view: ToyViews | None = None  # views at self.step, computed once
        self._record(self.views())

    # -- one step --------------------------------------------------------------------------------------
    def _real_batch(self) -> torch.Tensor:
        idx = torch.randint(0, POOL, (self.config.batch,), generator=self.random.torch).to(self.device)
        return self.pool.index_select(0, idx)  # (B, 2)

    def _z_batch(self) -> torch.Tensor:
        c = self.config
        return sample_z(c.batch, c.z_dim, c.z_dist, self.random.torch, device=self.device)  # (B, z_dim)

    def _d_update(self) -> None:
        c, b = self.config, self.config.batch
        x = self._real_batch()
        with torch.no_grad():
            x_fake = self.g_net(self._z_batch())  # (B, 2)
        out = self.d_net(torch.cat([x, x_fake]))  # (2B, 1): one pass for both halves
        d_real, d_fake = out[:b], out[b:]
        l_d = losses.d_loss(c.loss, d_real, d_fake)
        if c.loss == "wgan-gp":
            l_d = l_d + c.gp_lambda * losses.gradient_penalty(self.d_net, x, x_fake, self.random.torch)
        self.opt_d.step(torch.autograd.grad(l_d, self.d_params))
        with torch.no_grad():
            vals = torch.stack([l_d.detach(), losses.d_output(c.loss, d_real).mean(),
                                losses.d_output(c.loss, d_fake).mean()]).tolist()
        _check("discriminator loss", vals[0], self.step, c)
        self.last["d_loss"], self.last["d_real"], self.last["d_fake"] = vals

    def _g_update(self) -> None:
        d_fake = self.d_net(self.g_net(self._z_batch()))  # (B, 1)
        l_g = losses.g_loss(self.config.loss, d_fake)
        # only G's gradients: D's weight gradients would be computed and thrown away
        self.opt_g.step(torch.autograd.grad(l_g, self.g_params))
        value = l_g.item()
        _check("generator loss", value, self.step, self.config)
        self.last["g_loss"] = value

    def advance(self, command: str | None = None) -> None:
        """One step: ``both`` (None), ``d`` or ``g`` (see the module docstring).

        Raises:
            TrainingDiverged: a loss became NaN, infinite or absurdly large.
        """
        command = command or "both"
        if command not in COMMANDS:
            raise ValueError(f"Unknown command {command!r}: send 'both', 'd' or 'g'.")
        if command in ("both", "d"):
            for _ in range(self.config.k_d if command == "both" else 1):
                self._d_update()
                self.d_updates += 1
        if command in ("both", "g"):
            self._g_update()
            self.step += 1
        self.command = command
        for k in self.hist:
            self.hist[k].append(self.step if k == "step" else self.last[k])
        self._view = None
        if command != "d" and self.step >= (self.records[-1].step if self.records else 0) + self.record_every:
            self._record(self.views())

    # -- what the page sees ----------------------------------------------------------------------------
    def views(self) -> ToyViews:
        """The heat map, samples, manifold and arrows at this step (computed once per step)."""
        if self._view is None:
            self._view = compute_views(self.g_net, self.d_net, self.pool, self.z_view, self.config,
                                       self.centers, self.std, self.extent)
        return self._view

    def _record(self, view: ToyViews) -> None:
        self.frames.append((self.step, view.fake[:FRAME_POINTS].copy()))
        if len(self.frames) > MAX_FRAMES:  # thin out: keep every other frame, record half as often
            self.frames[:] = self.frames[::2]
            self.record_every *= 2
        if view.modes is not None:
            # improved precision and recall (k = 5) of the shown samples against as many real points:
            # fidelity and diversity apart, next to the mode counts (models/fid/prdc.py)
            pr = prdc(view.real, view.fake)
            self.records.append(_Record(self.step, view.modes.modes_covered, view.modes.high_quality,
                                        pr.precision, pr.recall))
        else:
            self.records.append(_Record(self.step, float("nan"), float("nan"), float("nan"), float("nan")))

    def history(self) -> dict:
        out = _decimate(self.hist)
        recs = [r for r in self.records if not np.isnan(r.covered)]
        out["modes"] = {k: np.asarray([getattr(r, k) for r in recs], np.float64)
                        for k in ("step", "covered", "hq", "precision", "recall")}
        return out

    def snapshot(self) -> ToyState:
        """A :class:`ToyState` of copied values (nothing in it changes when training goes on)."""
        return ToyState(self.step, self.d_updates, self.command, *self.last.values(),
                        self.views(), self.history(), tuple(self.frames), self.config)

    # -- checkpoints -----------------------------------------------------------------------------------
    def modules(self) -> dict[str, torch.nn.Module]:
        return {"G": self.g_net, "D": self.d_net}

    def state_dict(self) -> dict:
        return {"G": self.g_net.state_dict(), "D": self.d_net.state_dict(), "opt_d": self.opt_d.state_dict(),
                "opt_g": self.opt_g.state_dict(), "random": self.random.state_dict(), "step": self.step,
                "d_updates": self.d_updates, "command": self.command, "last": dict(self.last),
                "hist": {k: list(v) for k, v in self.hist.items()},
                "records": [tuple(vars(r).values()) for r in self.records],
                "frames": [(s, torch.from_numpy(f)) for s, f in self.frames], "record_every": self.record_every}

    def load_state_dict(self, state: dict) -> None:
        self.g_net.load_state_dict(state["G"])
        self.d_net.load_state_dict(state["D"])
        self.opt_d.load_state_dict(state["opt_d"])
        self.opt_g.load_state_dict(state["opt_g"])
        self.random.load_state_dict(state["random"])
        self.step, self.d_updates, self.command = int(state["step"]), int(state["d_updates"]), state["command"]
        self.last = dict(state["last"])
        self.hist = {k: list(v) for k, v in state["hist"].items()}
        self.records = [_Record(*r) for r in state["records"]]
        self.frames = [(int(s), f.numpy()) for s, f in state["frames"]]
        self.record_every = int(state["record_every"])
        self._view = None


def _code():
    from . import losses as l

    return (ToyTrainer.advance, ToyTrainer._d_update, ToyTrainer._g_update, l.d_loss_bce, l.g_loss_minimax,
            l.g_loss_nonsat, l.gradient_penalty)


FAMILY = register(Family(
    name="gan_toy", make=ToyTrainer,
    commands=(("d", "Step D"), ("g", "Step G")),
    code=_code(),
))
