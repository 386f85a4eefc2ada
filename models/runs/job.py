"""A training job is data: which model family, its configuration, the dataset and the seed.

Nothing in a job is a tensor, a network or a function, so a job can be compared, hashed, printed, written
into a checkpoint and sent to another process or machine; the family turns it into a trainer there
(:mod:`models.runs.family`). Two equal jobs train the same weights, step for step.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
from dataclasses import dataclass
from typing import Any

PLAIN = (bool, int, float, str, type(None))


def _check_plain(value: Any, where: str) -> None:
    """Raise TypeError unless ``value`` is built from numbers, strings, None, tuples and frozen dataclasses."""
    if isinstance(value, PLAIN):
        return
    if isinstance(value, tuple):
        for i, item in enumerate(value):
            _check_plain(item, f"{where}[{i}]")
        return
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        if not value.__dataclass_params__.frozen:
            raise TypeError(f"{where} is a {type(value).__name__}, which is not a frozen dataclass.")
        for f in dataclasses.fields(value):
            _check_plain(getattr(value, f.name), f"{where}.{f.name}")
        return
    raise TypeError(f"{where} is a {type(value).__name__}: a job holds only numbers, strings, tuples and "
                    "frozen dataclasses of them (no tensors, arrays, networks or functions).")


def _plain_dict(value: Any) -> Any:
    if dataclasses.is_dataclass(value) and not isinstance(value, type):
        return {"type": type(value).__qualname__,
                **{f.name: _plain_dict(getattr(value, f.name)) for f in dataclasses.fields(value)}}
    if isinstance(value, tuple):
        return [_plain_dict(v) for v in value]
    return value


@dataclass(frozen=True)
class Job:
    """One training run, described.

    Attributes:
        family: the registered family that trains it (``gan_toy``, ``ddpm``, ...).
        config: the family's frozen config dataclass (plain values only).
        dataset: a dataset name (``mnist``), or the user's points as a tuple of (x, y) tuples, or None.
        seed: every random draw of the run comes from generators seeded with it (its own, never the
            global ones), so the run is the same whatever else the server is doing.
    """

    family: str
    config: Any
    dataset: Any = None
    seed: int = 0

    def __post_init__(self):
        if not isinstance(self.family, str) or not self.family:
            raise TypeError("Job.family must be a family name such as 'gan_toy'.")
        _check_plain(self.config, "Job.config")
        _check_plain(self.dataset, "Job.dataset")
        if not isinstance(self.seed, int) or isinstance(self.seed, bool) or not 0 <= self.seed < 2**31:
            raise ValueError(f"Job.seed must be an integer in [0, 2**31), got {self.seed!r}.")

    def describe(self) -> dict:
        """The job as JSON-ready plain data (stored in its checkpoints)."""
        return {"family": self.family, "config": _plain_dict(self.config), "dataset": _plain_dict(self.dataset),
                "seed": self.seed}

    def digest(self) -> str:
        """A short stable name for the job (its checkpoint file name): sha1 of :meth:`describe`."""
        text = json.dumps(self.describe(), sort_keys=True, default=repr)
        return hashlib.sha1(text.encode()).hexdigest()[:16]
