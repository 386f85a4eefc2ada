"""Reproducible randomness: one integer seed fixes every random number generator a run uses."""

from __future__ import annotations

import random
import threading
from contextlib import contextmanager
from typing import TYPE_CHECKING, Iterator

if TYPE_CHECKING:
    import torch

MAX_SEED = 2**31 - 1


def seed_everything(seed: int) -> "torch.Generator":
    """Seed Python's, NumPy's and PyTorch's global generators and return a fresh ``torch.Generator``.

    Prefer passing the returned generator (or ``np.random.default_rng(seed)``) explicitly: a background
    training thread and a page running at the same time share the global generators.

    Args:
        seed: an integer in [0, 2**31 - 1].
    """
    if not 0 <= int(seed) <= MAX_SEED:
        raise ValueError(f"seed must be an integer in [0, {MAX_SEED}], got {seed!r}.")
    import numpy as np
    import torch  # here, not at the top: the sidebar reads MAX_SEED before PyTorch has loaded

    seed = int(seed)
    random.seed(seed)
    np.random.seed(seed)
    torch.manual_seed(seed)
    return torch.Generator().manual_seed(seed)


_INIT_LOCK = threading.RLock()


@contextmanager
def seeded_init(seed: int) -> Iterator[None]:
    """Build networks here: their initial weights then depend on ``seed`` alone.

    PyTorch's layer constructors (``nn.Linear``, ``nn.Conv2d``, ...) draw their initial weights from the
    *global* generator, which every thread of a server shares. Inside this block the global generator is
    a fork seeded with ``seed`` (restored afterwards), and a process-wide lock keeps other builds out, so
    two runs built at the same moment get exactly the weights each would get alone:

        with seeded_init(config.seed):
            model = UNet(...)

    Training draws never use the global generator: each run passes its own ``torch.Generator``.
    """
    import torch

    with _INIT_LOCK, torch.random.fork_rng(devices=[]):
        torch.manual_seed(int(seed))
        yield
