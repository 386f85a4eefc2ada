"""Training generators, the AAE's losses in closed form, and the live beta-VAE retrain (a run-layer trainer)."""

import math
from dataclasses import replace

import pytest
import torch

from models.data import load_images
from models.latent.aae import discriminator_loss, generator_loss
from models.latent.config import LatentConfig, default_config
from models.latent.trainer import beta_job, total_steps
from models.latent.training import TrainStep, build, evaluate, finish, fit, train_steps
from models.runs import checkpoint
from models.runs.family import make_trainer


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


def test_retrain_trainer_is_train_steps_one_step_at_a_time_and_measures_at_the_end(tmp_path):
    """The run-layer trainer reaches train_steps' weights bit for bit (same draws from the same seed), then
    calibrates and measures the model as fit does; the page restores those weights from its checkpoint."""
    config = default_config("vae", "digits", 2, beta=4.0, epochs=2)
    job, cpu = beta_job(config), torch.device("cpu")
    trainer = make_trainer(job)
    assert trainer.total == total_steps(config) == 2 * (len(load_images("digits", "train").x) // 128)
    states = []
    while trainer.step < trainer.total:
        trainer.advance()
        states.append(trainer.snapshot())
    with pytest.raises(StopIteration):
        trainer.advance()
    assert [s.done for s in states] == [False] * (len(states) - 1) + [True]
    reference = build(config)
    last = list(train_steps(reference, config, cpu))[-1]
    finish(reference, config, cpu)
    for (k, a), b in zip(reference.state_dict().items(), trainer.model.state_dict().values()):
        assert torch.equal(a, b), k
    assert states[-1].history["recon"].tolist() == pytest.approx(last.history["recon"])
    metrics = evaluate(reference, config, cpu)
    held = states[-1].held_out
    assert (held.recon, held.kl, held.elbo) == (metrics["test_recon"], metrics["test_kl"], metrics["test_elbo"])
    checkpoint.save(trainer, tmp_path)
    restored = checkpoint.restore(job, tmp_path)
    for (k, a), b in zip(restored.model.state_dict().items(), trainer.model.state_dict().values()):
        assert torch.equal(a, b), k
    assert restored.snapshot().held_out == held


def test_retrain_family_refuses_a_config_that_is_not_a_vae():
    with pytest.raises(ValueError, match="trains VAEs"):
        make_trainer(beta_job(default_config("ae", "digits", 2)))


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
