"""Training generators, the AAE's losses in closed form, and the live retrain writing the user cache."""

import math
from dataclasses import replace

import pytest
import torch

from models.checkpoints import forget, load_or_train, weight_paths
from models.data import load_images
from models.latent.aae import discriminator_loss, generator_loss
from models.latent.config import LatentConfig, default_config
from models.latent.training import RetrainResult, TrainStep, build, fit, retrain_steps, train_steps


def test_gan_losses_at_an_undecided_discriminator_are_log_2():
    zero = torch.zeros(10)
    assert discriminator_loss(zero, zero).item() == pytest.approx(2 * math.log(2))
    assert generator_loss(zero).item() == pytest.approx(math.log(2))
    sure = torch.full((10,), 20.0)
    assert discriminator_loss(sure, -sure).item() < 1e-6  # a perfect discriminator pays nothing


@pytest.mark.parametrize("kind", ["ae", "vae", "aae"])
def test_train_steps_reduce_the_reconstruction_loss(kind):
    config = LatentConfig(kind=kind, dataset="digits", latent_dim=2, epochs=8)
    model = build(config)
    x = load_images("digits", "train").x
    steps = list(train_steps(model, config, torch.device("cpu"), x))
    assert isinstance(steps[-1], TrainStep) and steps[-1].step == steps[-1].total == 8 * (len(x) // 128)
    hist = steps[-1].history
    assert hist["step"][-1] == steps[-1].total and len(hist["recon"]) == len(hist["step"])
    assert hist["recon"][-1] < 0.8 * hist["recon"][0]
    if kind == "vae":
        assert "kl" in hist
    if kind == "aae":
        assert {"d_loss", "g_loss"} <= set(hist)
    assert not model.training


def test_same_config_same_weights():
    config = LatentConfig(kind="vae", dataset="digits", latent_dim=2, epochs=1)
    a, b = build(config), build(config)
    for _ in train_steps(a, config, torch.device("cpu")):
        pass
    for _ in train_steps(b, config, torch.device("cpu")):
        pass
    for (ka, va), (_, vb) in zip(a.state_dict().items(), b.state_dict().items()):
        torch.testing.assert_close(va, vb, msg=ka)


def test_retrain_run_saves_weights_that_load_or_train_then_reuses():
    config = default_config("vae", "digits", 2, beta=4.0, epochs=2)
    forget(config)
    weight_paths(config)[1].unlink(missing_ok=True)
    states = list(retrain_steps(config, torch.device("cpu")))
    assert all(isinstance(s, TrainStep) for s in states[:-1]) and isinstance(states[-1], RetrainResult)
    result = states[-1]
    assert {"test_elbo", "test_recon", "test_kl", "history", "train_seconds"} <= set(result.metrics)
    assert weight_paths(config)[1].is_file()
    loaded = load_or_train(config, build, lambda *a: pytest.fail("must not train again"))
    assert loaded.source == "cache"
    assert loaded.metrics["test_elbo"] == pytest.approx(result.metrics["test_elbo"])


def test_fit_reports_progress_and_held_out_metrics():
    config = LatentConfig(kind="aae", dataset="digits", latent_dim=2, epochs=1)
    seen = []
    metrics = fit(build(config), config, torch.device("cpu"), lambda s, t, logs: seen.append((s, t)))
    assert seen[-1][0] == seen[-1][1] and len(seen) == seen[-1][1]
    assert metrics["n_test"] == 360 and len(metrics["test_z_var"]) == 2 and metrics["test_recon"] > 0


def test_config_rejects_bad_values_with_a_message():
    with pytest.raises(ValueError, match="kind must be one of"):
        LatentConfig(kind="gan")
    with pytest.raises(ValueError, match="beta must be positive"):
        LatentConfig(beta=0)
    with pytest.raises(ValueError, match="latent_dim"):
        replace(LatentConfig(), latent_dim=0)
