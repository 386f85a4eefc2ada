"""The shipped MNIST U-Net's samples, judged by the shipped digit classifier (issue 6's acceptance).

1,000 DDIM-50 samples from fixed seeds: at least 80 % must get a class with probability > 0.9 and every
class must take at least 4 % of them. The same numbers go in pretrained/diffusion.md; this test recomputes
them from the weights, so a retrain that makes them worse cannot land.
"""

from __future__ import annotations

import pytest

from models.checkpoints import weight_paths
from models.classifier import load_classifier
from models.diffusion.api import load_model
from models.diffusion.config import default_config
from models.diffusion.evaluate import classifier_quality, generate

pytestmark = pytest.mark.slow


def test_shipped_mnist_samples_are_confident_digits_of_every_class():
    shipped = weight_paths(default_config("mnist"))[0]
    assert shipped.is_file(), f"{shipped} is missing: the MNIST U-Net must ship (it would otherwise train here)"
    loaded = load_model("mnist")
    # "memory" when another test in this worker loaded it first; either way the weights are the shipped file's
    assert loaded.source in ("pretrained", "memory") and loaded.path == shipped, (loaded.source, loaded.path)
    x = generate(loaded.model, loaded.config, 1000, steps=50, seed=0)
    assert x.shape == (1000, 1, 28, 28) and 0 <= float(x.min()) and float(x.max()) <= 1
    q = classifier_quality(x, load_classifier("mnist"))
    assert q.confident >= 0.80, q
    assert q.min_class_fraction >= 0.04, q
