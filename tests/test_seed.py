"""models.seed: the same seed gives the same numbers from every generator."""

import random

import numpy as np
import pytest
import torch

from models.seed import seed_everything


def test_same_seed_same_draws():
    g1 = seed_everything(123)
    a = (random.random(), np.random.rand(), torch.rand(3), torch.rand(2, generator=g1))
    g2 = seed_everything(123)
    b = (random.random(), np.random.rand(), torch.rand(3), torch.rand(2, generator=g2))
    assert a[0] == b[0] and a[1] == b[1]
    assert torch.equal(a[2], b[2]) and torch.equal(a[3], b[3])


def test_different_seed_different_draws():
    seed_everything(1)
    x = torch.rand(5)
    seed_everything(2)
    assert not torch.equal(x, torch.rand(5))


@pytest.mark.parametrize("bad", [-1, 2**31])
def test_out_of_range_seed_rejected(bad):
    with pytest.raises(ValueError, match="seed must be"):
        seed_everything(bad)
