"""Resumable checkpoints of live runs, as nanoGPT's ``ckpt.pt``: weights, optimiser state, step, RNG state.

A checkpoint is written atomically (a reader sees the old file or the new one, never half of one) to
``<runs dir>/<family>-<job digest>.pt``, so the same job finds its own checkpoint on the next server start,
and a crashed worker leaves its last checkpoint behind. It also stores the networks' architecture (every
parameter's name and shape): a checkpoint written by different code for the same job is refused with a
message, never loaded into the wrong network or silently retrained over.

    save(trainer)                          # on pause, stop, finish and every CHECKPOINT_EVERY_S of training
    step = load(trainer)                   # the step it continues from, or None without a checkpoint
"""

from __future__ import annotations

import functools
import io
import os
from pathlib import Path

import numpy as np
import torch

from ..checkpoints import architecture, atomic_write_bytes
from .family import Trainer
from .job import Job

FORMAT = 1
CHECKPOINT_EVERY_S = 30.0


class CheckpointMismatch(RuntimeError):
    """The checkpoint on disk was written for other networks than the job builds now."""


def runs_dir() -> Path:
    """``GENLAB_RUNS_DIR``, else ``~/.cache/genlab/runs`` (``XDG_CACHE_HOME`` respected)."""
    env = os.environ.get("GENLAB_RUNS_DIR")
    if env:
        return Path(env)
    cache = os.environ.get("XDG_CACHE_HOME") or str(Path.home() / ".cache")
    return Path(cache) / "genlab" / "runs"


def path_for(job: Job, root: Path | None = None) -> Path:
    return Path(root or runs_dir()) / f"{job.family}-{job.digest()}.pt"


_NDARRAY = "__numpy_array__"


def _pack(value):
    """NumPy arrays in a trainer's state as tensors (tagged), so the file loads with ``weights_only=True``:
    reading a checkpoint never runs pickled code."""
    if isinstance(value, np.ndarray):
        return {_NDARRAY: torch.from_numpy(np.ascontiguousarray(value))}
    if isinstance(value, dict):
        return {k: _pack(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_pack(v) for v in value)
    return value


def _unpack(value):
    if isinstance(value, dict):
        if set(value) == {_NDARRAY}:
            return value[_NDARRAY].numpy()
        return {k: _unpack(v) for k, v in value.items()}
    if isinstance(value, (list, tuple)):
        return type(value)(_unpack(v) for v in value)
    return value


def save(trainer: Trainer, root: Path | None = None) -> Path:
    """Write ``trainer``'s state atomically; returns the path."""
    buf = io.BytesIO()
    torch.save({"format": FORMAT, "job": trainer.job.describe(), "step": trainer.step,
                "architecture": architecture(trainer.modules()), "state": _pack(trainer.state_dict())}, buf)
    path = path_for(trainer.job, root)
    atomic_write_bytes(path, buf.getvalue())
    return path


def saved_step(job: Job, root: Path | None = None) -> int | None:
    """The step of ``job``'s checkpoint on disk, or None (cheap enough for a page to ask on every redraw:
    the file is read once per version of it)."""
    path = path_for(job, root)
    try:
        st = path.stat()
    except OSError:
        return None
    return _step_in(str(path), st.st_mtime_ns, st.st_size)


@functools.lru_cache(maxsize=256)
def _step_in(path: str, mtime_ns: int, size: int) -> int | None:
    try:
        return int(torch.load(path, map_location="cpu", weights_only=True)["step"])
    except Exception:  # noqa: BLE001 - an unreadable file is no checkpoint
        return None


def load(trainer: Trainer, root: Path | None = None) -> int | None:
    """Restore ``trainer`` from its job's checkpoint; returns the step it continues from, None without one.

    Raises:
        CheckpointMismatch: the checkpoint's networks differ from the trainer's (code changed since).
    """
    path = path_for(trainer.job, root)
    if not path.is_file():
        return None
    payload = torch.load(path, map_location="cpu", weights_only=True)
    if payload.get("format") != FORMAT or payload.get("job") != trainer.job.describe():
        raise CheckpointMismatch(f"{path} belongs to another job or format; delete it to start afresh.")
    if payload["architecture"] != architecture(trainer.modules()):
        raise CheckpointMismatch(
            f"{path} was written for other networks than this version of GenLab builds for the same settings; "
            "delete it (or press New run) to train from scratch.")
    trainer.load_state_dict(_unpack(payload["state"]))
    return trainer.step


def restore(job: Job, root: Path | None = None, device: torch.device | str = "cpu") -> Trainer | None:
    """A trainer for ``job`` loaded from its checkpoint (None without one): how a page gets the *trained
    networks* of a finished run ("use this model"), never from a live snapshot."""
    from .family import make_trainer

    if not path_for(job, root).is_file():
        return None
    trainer = make_trainer(job, device)
    load(trainer, root)
    return trainer
