"""Reproducible randomness: one integer seed fixes every random number generator a run uses."""

from __future__ import annotations

import random

from typing import TYPE_CHECKING

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
