"""Training: side-by-side generator, greedy stages, the sparse target reached, contractive Jacobians."""

import numpy as np
import pytest
import torch

from models.data import load_images
from models.zoo import greedy
from models.zoo.config import digits_config
from models.zoo.evaluate import evaluate
from models.zoo.stacked import StackedAE
from models.zoo.training import batches, fit, train_zoo
from models.zoo.variants import build


@pytest.fixture(scope="module")
def digits():
    return load_images("digits", "train"), load_images("digits", "test")


def test_batches_cover_each_epoch_once():
    seen = torch.cat(list(batches(100, 10, 10, seed=0)))
    assert sorted(seen.tolist()) == list(range(100))


@pytest.mark.slow
def test_train_zoo_yields_one_state_per_step_and_losses_fall(digits):
    train, _ = digits
    configs = [digits_config(v, steps=60) for v in ("stacked", "greedy", "conv")]
    states = list(train_zoo(configs, train.x))
    assert len(states) == 61 and states[-1].done and not states[-2].done
    last = states[-1]
    assert set(last.models) == {"stacked", "greedy", "conv"}
    assert last.stage["greedy"] == "fine-tune" and states[10].stage["greedy"] == "outer"
    for name in ("stacked", "conv"):
        assert last.losses[name][-5:].mean() < last.losses[name][:5].mean()
    assert all(t > 0 for t in last.time_s.values())


def test_greedy_stages_only_train_their_own_layers():
    model = StackedAE((1, 8, 8), 16, 4)
    x0 = torch.rand(8, 1, 8, 8)
    assert greedy.stage_bounds(100) == (40, 80)
    assert [greedy.stage_of(s, 100) for s in (0, 39, 40, 79, 80, 99)] == [0, 0, 1, 1, 2, 2]
    for stage, trained in ((0, {"enc1", "dec2"}), (1, {"enc2", "dec1"}), (2, {"enc1", "enc2", "dec1", "dec2"})):
        model.zero_grad(set_to_none=True)
        greedy.stage_loss(model, x0, x0, stage).backward()
        got = {n.split(".")[0] for n, p in model.named_parameters() if p.grad is not None and p.grad.abs().sum() > 0}
        assert got == trained, (stage, got)


@pytest.mark.slow
def test_sparse_autoencoder_mean_activation_ends_within_25_percent_of_target(digits):
    train, test = digits
    config = digits_config("sparse_kl", rho=0.1)
    model = build(config)
    fit(model, config, torch.device("cpu"), x_train=train.x)
    row = evaluate(model, config, train.x, train.y, test.x, test.y, 0.0)
    assert abs(row.mean_activation - config.rho) <= 0.25 * config.rho, row.mean_activation
    assert row.unit_means.shape == (config.code,)


@pytest.mark.slow
def test_contractive_penalty_shrinks_the_encoder_jacobian(digits):
    train, test = digits
    norms = {}
    for variant in ("stacked", "contractive"):
        config = digits_config(variant, steps=300)
        model = build(config)
        fit(model, config, torch.device("cpu"), x_train=train.x)
        norms[variant] = evaluate(model, config, train.x, train.y, test.x, test.y, 0.0).jacobian
    assert norms["contractive"] < 0.5 * norms["stacked"], norms


def test_fit_reports_metrics_and_a_decimated_curve(digits):
    train, _ = digits
    config = digits_config("tied", steps=30)
    metrics = fit(build(config), config, torch.device("cpu"), x_train=train.x)
    assert metrics["steps"] == 30 and len(metrics["loss_history"]) == len(metrics["loss_steps"]) == 30
    assert np.isfinite(metrics["final_loss"]) and metrics["train_time_s"] > 0
