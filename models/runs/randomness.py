"""A run's own random number generators, seeded from its job, saved and restored with its checkpoints.

Every random draw of a training step (batches, noise, dropout masks, time steps) passes one of these
generators explicitly. PyTorch's and NumPy's global generators are shared by every thread of a server: a
run drawing from them would change when another run draws at the same moment. (Network constructors still
draw from the global generator; they run inside :func:`models.seed.seeded_init`.)
"""

from __future__ import annotations

import numpy as np
import torch


class RunRandom:
    """``torch``: a CPU ``torch.Generator``; ``numpy``: a ``np.random.Generator``; both seeded with ``seed``.

    Draw on the CPU and move the result (``torch.randn(shape, generator=r.torch).to(device)``): a CPU
    generator cannot draw on CUDA, and the same seed then gives the same numbers on every device.
    """

    def __init__(self, seed: int):
        self.seed = int(seed)
        self.torch = torch.Generator().manual_seed(self.seed)
        self.numpy = np.random.default_rng(self.seed)

    def state_dict(self) -> dict:
        return {"torch": self.torch.get_state(), "numpy": self.numpy.bit_generator.state}

    def load_state_dict(self, state: dict) -> None:
        self.torch.set_state(state["torch"])
        self.numpy.bit_generator.state = state["numpy"]
