"""Corruptions: level 0 is the identity, and FID rises with every corruption's level on MNIST."""

from __future__ import annotations

import numpy as np
import pytest
import torch

from models.fid.comparison import corruption_curve
from models.fid.corruptions import CORRUPTIONS, corrupt
from tests.fid.test_extractors import random_inception  # noqa: F401 - fixture

LEVELS = [0.0, 0.25, 0.5, 0.75, 1.0]


def test_level_zero_is_identity_and_range_is_kept(mnist_test):
    x = mnist_test.x[:16]
    for kind in CORRUPTIONS:
        assert torch.equal(corrupt(x, kind, 0.0), x)
        y = corrupt(x, kind, 0.7, seed=3)
        assert y.shape == x.shape and y.min() >= 0 and y.max() <= 1 and not torch.equal(y, x)
        assert torch.equal(y, corrupt(x, kind, 0.7, seed=3))  # seeded
    with pytest.raises(ValueError, match="level"):
        corrupt(x, "noise", 1.5)
    with pytest.raises(ValueError, match="Unknown corruption"):
        corrupt(x, "rain", 0.5)


def test_blur_matches_scipy(mnist_test):
    from scipy.ndimage import gaussian_filter

    x = mnist_test.x[:2]
    s = 0.15 * 0.4 * 28
    ours = corrupt(x, "blur", 0.4)[0, 0].numpy()
    ref = gaussian_filter(x[0, 0].double().numpy(), s, mode="mirror", truncate=int(np.ceil(3 * s)) / s)
    assert np.allclose(ours, ref, atol=1e-5)


@pytest.mark.parametrize("extractor", ["mnist", "pixels"])
def test_fid_rises_with_every_corruption_level(extractor, mnist_test):
    # 1,000 images per set, as the page uses for these extractors. With 400 the FID's small-N bias hides the
    # mildest occlusion (digit-classifier features: 30.0 at level 0, 24.6 at level 0.25, seeds 0 and 1 alike).
    ref, base = mnist_test.x[:1000], mnist_test.x[1000:2000]
    for kind in CORRUPTIONS:
        curve = corruption_curve(ref, base, extractor, kind, LEVELS, device="cpu")
        assert np.all(np.diff(curve.fid) > 0), (kind, curve.fid)


@pytest.mark.slow
def test_fid_rises_with_every_corruption_level_inception(random_inception, mnist_test):  # noqa: F811
    ref, base = mnist_test.x[:12], mnist_test.x[12:24]
    for kind in CORRUPTIONS:
        curve = corruption_curve(ref, base, "inception", kind, [0.0, 0.5, 1.0], device="cpu")
        assert np.all(np.diff(curve.fid) > 0), (kind, curve.fid)
