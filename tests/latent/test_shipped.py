"""The shipped weights: present, loaded without training, and the VAE / AAE codes match N(0, I) on held-out
MNIST (2,000 images of the real test split, 1,000 from each writer population, never used in training)."""

import re

import pytest
import torch

from models.checkpoints import load_checkpoint, weight_paths
from models.data import load_images, pretrained_dir
from models.latent import explore, sample, shipped_configs
from models.latent.config import HOLDOUT
from models.latent.vae import elbo


@pytest.mark.parametrize("config", shipped_configs(), ids=lambda c: f"{c.kind}-{c.dataset}-{c.latent_dim}")
def test_every_shipped_config_has_weights_that_load_without_training(config):
    path = weight_paths(config)[0]
    assert path.is_file(), f"missing {path}: run python -m models.latent.train"
    assert path.stat().st_size < 1_500_000
    load_checkpoint(path, config)
    loaded = explore.load(config.kind, config.dataset, config.latent_dim, device=torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory") and loaded.path == path


@pytest.fixture(scope="module")
def held_out():
    """The latent models' held-out MNIST images: 4,000-4,999 and 9,000-9,999 of the real test file, 1,000 from
    each of its two writer populations (``HOLDOUT``); the models trained on the other 8,000."""
    data = load_images("mnist", "test", holdout=HOLDOUT)
    assert len(data) == 2000 and "4,000-4,999 and 9,000-9,999" in data.note
    return data


@pytest.mark.parametrize("kind,d", [("vae", 2), ("vae", 16), ("aae", 2), ("aae", 16)])
def test_held_out_mnist_codes_match_the_standard_normal_prior(held_out, kind, d):
    loaded = explore.load(kind, "mnist", d, device=torch.device("cpu"))
    assert loaded.config.holdout == HOLDOUT
    with torch.no_grad():
        z = loaded.model.terms(held_out.x, torch.Generator().manual_seed(123))["z"]  # (N, d): z ~ q(z | x0)
    mean, var = z.mean(0), z.var(0)
    assert mean.abs().max() <= 0.2, mean
    assert var.min() >= 0.5 and var.max() <= 1.5, var


def test_never_trained_on_the_held_out_images(held_out):
    """The training part and the held-out part share no image (compared pixel for pixel)."""
    train = load_images("mnist", "train", holdout=HOLDOUT).x.flatten(1)
    test = held_out.x.flatten(1)
    assert len(train) == 8000
    dist = torch.cdist(test, torch.cat([train, test[:5]]), compute_mode="donot_use_mm_for_euclid_dist")
    assert torch.equal(dist[:5, 8000:].diagonal(), torch.zeros(5))  # an image is found where it is
    assert not (dist[:, :8000] == 0).any()


def test_plain_ae_codes_do_not_follow_the_prior(held_out):
    model = explore.load("ae", "mnist", 2, device=torch.device("cpu")).model
    z = explore.encode(model, held_out.x)
    assert z.var(0).max() > 2.0 or z.mean(0).abs().max() > 0.5  # nothing pulls its codes toward N(0, I)


def test_reported_test_elbo_is_the_held_out_elbo_and_is_in_the_card(held_out):
    loaded = explore.load("vae", "mnist", 2, device=torch.device("cpu"))
    again = elbo(loaded.model, held_out.x, torch.Generator().manual_seed(7))["elbo"]
    reported = loaded.metrics["test_elbo"]
    assert reported == pytest.approx(again, abs=1.0)  # two one-sample estimates on 2,000 images
    x = held_out.x
    mean_image = x.mean(0, keepdim=True).clamp(1e-3, 1 - 1e-3)
    baseline = -(x * mean_image.log() + (1 - x) * (1 - mean_image).log()).flatten(1).sum(1)
    assert reported > -baseline.mean()  # better than the best image-independent Bernoulli model
    card = (pretrained_dir() / "latent.md").read_text()
    assert f"{reported:.2f}" in card and "held out" in card
    assert re.search(r"held out: images 4,000-4,999 and 9,000-9,999", card)


def test_sample_gives_images_in_range_reproducibly():
    a = sample("vae", "mnist", 5, seed=3)
    assert a.shape == (5, 1, 28, 28) and a.min() >= 0 and a.max() <= 1
    torch.testing.assert_close(a, sample("vae", "mnist", 5, seed=3))
    assert not torch.equal(a, sample("vae", "mnist", 5, seed=4))
    assert sample("aae", "digits", 2, seed=0, latent_dim=2).shape == (2, 1, 8, 8)
    with pytest.raises(ValueError, match="at least 1"):
        sample("ae", "digits", 0, seed=0)
