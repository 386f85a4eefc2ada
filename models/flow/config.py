"""A 2-D flow-matching run as data: what it learns, how it pairs, how long it trains."""

from __future__ import annotations

from dataclasses import dataclass

from .distributions import LABELS
from .pairing import PAIRINGS


@dataclass(frozen=True)
class FlowConfig:
    """Everything that defines a trained 2-D velocity field (hashable: it keys caches).

    Attributes:
        source, target: distribution names (``distributions.LABELS``); ``points`` holds a custom target.
        pairing: ``independent`` or ``ot`` (mini-batch optimal transport).
        steps, batch, lr: Adam steps, pairs per step, learning rate (cosine-decayed to lr / 10).
        width, depth: the MLP's size.
        seed: initial weights, data and times all come from generators seeded here.
    """

    source: str = "gaussian"
    target: str = "ring8"
    pairing: str = "independent"
    steps: int = 2000
    batch: int = 256
    lr: float = 2e-3
    width: int = 128
    depth: int = 3
    seed: int = 0
    points: tuple = ()

    def __post_init__(self):
        for name in (self.source, self.target):
            if name not in LABELS:
                raise ValueError(f"Unknown distribution {name!r}; choose one of {', '.join(LABELS)}.")
        if self.pairing not in PAIRINGS:
            raise ValueError(f"Unknown pairing {self.pairing!r}; choose one of {', '.join(PAIRINGS)}.")
        if self.steps < 1 or self.batch < 2:
            raise ValueError("steps must be >= 1 and batch >= 2.")
