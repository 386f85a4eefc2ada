"""The shipped weights: present, loaded without training, and the VAE / AAE codes match N(0, I) on held-out
MNIST (the last 2,000 images of the real test split, never used in training)."""

import re

import pytest
import torch

from models.checkpoints import load_checkpoint, weight_paths
from models.data import pretrained_dir
from models.latent import explore, sample, shipped_configs
from models.latent.vae import elbo


@pytest.mark.parametrize("config", shipped_configs(), ids=lambda c: f"{c.kind}-{c.dataset}-{c.latent_dim}")
def test_every_shipped_config_has_weights_that_load_without_training(config):
    path = weight_paths(config)[0]
    assert path.is_file(), f"missing {path}: run python -m models.latent.train"
    assert path.stat().st_size < 1_500_000
    load_checkpoint(path, config)
    loaded = explore.load(config.kind, config.dataset, config.latent_dim, device=torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory") and loaded.path == path


SD1_SHIFT = pytest.mark.xfail(strict=True, reason=(
    "The held-out part is the last 2,000 MNIST test images, all NIST SD-1 writers; the 16-D VAE encodes the "
    "writer population (means to -0.42 in 3 dimensions); see test_vae16_offsets_are_a_writer_population_shift"))


@pytest.mark.parametrize("kind,d", [("vae", 2), pytest.param("vae", 16, marks=SD1_SHIFT), ("aae", 2), ("aae", 16)])
def test_held_out_mnist_codes_match_the_standard_normal_prior(mnist_test, kind, d):
    model = explore.load(kind, "mnist", d, device=torch.device("cpu")).model
    assert len(mnist_test) == 2000  # the held-out part of the test split
    with torch.no_grad():
        z = model.terms(mnist_test.x, torch.Generator().manual_seed(123))["z"]  # (N, d): z ~ q(z | x0)
    mean, var = z.mean(0), z.var(0)
    assert mean.abs().max() <= 0.2, mean
    assert var.min() >= 0.5 and var.max() <= 1.5, var


def test_vae16_offsets_are_a_writer_population_shift(mnist_test):
    """MNIST's test file: images 0-4,999 by SD-3 writers, 5,000-9,999 by SD-1 writers (LeCun et al.). Our
    training part is its first 8,000 (both), the held-out part its last 2,000 (SD-1 only)."""
    from models.data import load_images

    model = explore.load("vae", "mnist", 16, device=torch.device("cpu")).model
    x_train = load_images("mnist", "train").x
    with torch.no_grad():
        g = torch.Generator().manual_seed(5)
        held_out = model.terms(mnist_test.x, g)["z"].mean(0)
        sd1 = model.terms(x_train[5000:], g)["z"].mean(0)
        sd3 = model.terms(x_train[:5000], g)["z"].mean(0)
    off = held_out.abs() > 0.2
    assert 0 < off.sum() <= 4
    assert torch.all(torch.sign(sd1[off]) == torch.sign(held_out[off]))
    assert torch.all(torch.sign(sd3[off]) == -torch.sign(held_out[off]))


def test_plain_ae_codes_do_not_follow_the_prior(mnist_test):
    model = explore.load("ae", "mnist", 2, device=torch.device("cpu")).model
    z = explore.encode(model, mnist_test.x)
    assert z.var(0).max() > 2.0 or z.mean(0).abs().max() > 0.5  # nothing pulls its codes toward N(0, I)


def test_reported_test_elbo_is_the_held_out_elbo_and_is_in_the_card(mnist_test):
    loaded = explore.load("vae", "mnist", 2, device=torch.device("cpu"))
    again = elbo(loaded.model, mnist_test.x, torch.Generator().manual_seed(7))["elbo"]
    reported = loaded.metrics["test_elbo"]
    assert reported == pytest.approx(again, abs=1.0)  # two one-sample estimates on 2,000 images
    mean_image = mnist_test.x.mean(0, keepdim=True).clamp(1e-3, 1 - 1e-3)
    baseline = -(mnist_test.x * mean_image.log() + (1 - mnist_test.x) * (1 - mean_image).log()).flatten(1).sum(1)
    assert reported > -baseline.mean()  # better than the best image-independent Bernoulli model
    card = (pretrained_dir() / "latent.md").read_text()
    assert f"{reported:.2f}" in card and "held out" in card
    assert re.search(r"last 2,000", card)


def test_sample_gives_images_in_range_reproducibly():
    a = sample("vae", "mnist", 5, seed=3)
    assert a.shape == (5, 1, 28, 28) and a.min() >= 0 and a.max() <= 1
    torch.testing.assert_close(a, sample("vae", "mnist", 5, seed=3))
    assert not torch.equal(a, sample("vae", "mnist", 5, seed=4))
    assert sample("aae", "digits", 2, seed=0, latent_dim=2).shape == (2, 1, 8, 8)
    with pytest.raises(ValueError, match="at least 1"):
        sample("ae", "digits", 0, seed=0)
