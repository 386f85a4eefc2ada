"""The shipped MNIST image GANs draw clean digits (issue 20: they were speckled and deformed), of every class
but for the book's dense GAN, which drops modes (the page and the card say so).

Checked on the shipped weights with the samples the card scores (1,000, seed 1), by measures independent of
the stored card: the speckle measure (closed-form tested here) and GenLab's MNIST CNN (``models.classifier``),
recomputed here from the weights.
"""

import numpy as np
import pytest
import torch

from models.classifier import load_classifier
from models.gan.image_metrics import isolated_pixels
from models.gan.sampling import SHIPPED, generate, load_generator

pytestmark = pytest.mark.slow

# isolated bright pixels per sample: the shipped generators measured 1.23, 1.17 and 0.12 (card), limits with
# room for rounding; before the retraining the dense GAN drew 3.4
SPECKLE_AT_MOST = {"dense": 1.4, "cgan": 1.3, "dcgan": 0.3}
# digits with at least 2% of the samples: the book's dense GAN drops modes at every length tried (gan.md)
CLASSES_AT_LEAST = {"dense": 7, "cgan": 10, "dcgan": 10}


def test_isolated_pixels_counts_lone_bright_pixels_only():
    img = np.zeros((1, 6, 6), np.float32)
    img[0, 0, 0] = 1.0  # alone: counts
    img[0, 2:4, 2:4] = 0.9  # a 2x2 block: no pixel of it is alone
    img[0, 5, 5] = 0.4  # below the threshold
    assert isolated_pixels(img) == 1.0
    assert isolated_pixels(np.concatenate([img, np.zeros_like(img)])) == 0.5  # a mean per image


def test_held_out_digits_have_no_speckle(mnist_test):
    x = mnist_test.x[:1000, 0].numpy()
    assert isolated_pixels(x) < 0.05


def _samples(kind):
    loaded = load_generator(kind, "mnist")
    return generate(loaded.model, loaded.config.codings, 1000, seed=1, labels=np.arange(1000) % 10)


@pytest.mark.parametrize("kind", ["dense", "cgan", "dcgan"])
def test_shipped_mnist_generators_are_clean_and_cover_every_digit(kind):
    imgs = _samples(kind)  # (1000, 28, 28)
    assert isolated_pixels(imgs) <= SPECKLE_AT_MOST[kind]
    with torch.no_grad():
        pred = load_classifier("mnist")(torch.from_numpy(imgs)[:, None]).argmax(1).numpy()
    shares = np.bincount(pred, minlength=10) / len(pred)
    assert (shares >= 0.02).sum() >= CLASSES_AT_LEAST[kind], shares
    if kind == "cgan":
        assert (pred == np.arange(1000) % 10).mean() > 0.9  # the requested digit comes out


def test_the_card_states_the_shipped_steps():
    card = (load_generator("dense", "mnist").path.parent / "gan.md").read_text()
    for (kind, ds), cfg in SHIPPED.items():
        if ds == "mnist":
            assert f"| {kind} | mnist | {cfg.steps} |" in card, kind
