"""Train400 patches: a disjoint held-out split, and patches that are real crops (up to flips/rotations)."""

import numpy as np
import pytest
import torch

from models.data import DatasetUnavailable
from models.denoise import patches


def test_split_is_disjoint_and_complete():
    train, held = patches.split_indices(400, 20)
    assert len(held) == 20 and len(train) == 380
    assert not set(train) & set(held) and set(train) | set(held) == set(range(400))


def test_train400_loads():
    names, images = patches.load_train400()
    assert len(names) == 400 and images.shape == (400, 180, 180) and images.dtype == np.uint8


def test_patches_are_crops_under_the_dihedral_group():
    rng = np.random.default_rng(0)
    images = rng.integers(0, 256, (3, 12, 12), dtype=np.uint8)
    p = patches.sample_patches(images, 20, 5, torch.Generator().manual_seed(0))
    assert p.shape == (20, 1, 5, 5) and 0 <= p.min() and p.max() <= 1
    crops = {np.rot90(c, k)[:, ::f].tobytes() for im in images for i in range(8) for j in range(8)
             for c in [im[i:i + 5, j:j + 5]] for k in range(4) for f in (1, -1)}
    for q in (p[:, 0].numpy() * 255).round().astype(np.uint8):
        assert np.ascontiguousarray(q).tobytes() in crops


def test_missing_folder_says_where_to_put_it(tmp_path):
    with pytest.raises(DatasetUnavailable, match="Train400"):
        patches.load_train400(tmp_path)
    with pytest.raises(ValueError, match="larger"):
        patches.sample_patches(np.zeros((1, 4, 4), np.uint8), 1, 5, torch.Generator())
