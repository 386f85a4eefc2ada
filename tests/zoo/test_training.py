"""Training: the side-by-side race (a run-layer trainer), greedy stages, the sparse target reached, contractive Jacobians."""

import numpy as np
import pytest
import torch

from models.data import load_images
from models.zoo import greedy
from models.zoo.config import digits_config
from models.zoo.evaluate import evaluate
from models.zoo.stacked import StackedAE
from models.runs import checkpoint
from models.runs.family import make_trainer
from models.zoo.trainer import zoo_job
from models.zoo.training import VariantTrainer, batches, fit
from models.zoo.variants import build


@pytest.fixture(scope="module")
def digits():
    return load_images("digits", "train"), load_images("digits", "test")


def test_batches_cover_each_epoch_once():
    seen = torch.cat(list(batches(100, 10, 10, seed=0)))
    assert sorted(seen.tolist()) == list(range(100))


def test_a_race_shuffles_like_batches_and_refuses_unfair_settings():
    old = torch.cat([torch.randperm(100, generator=torch.Generator().manual_seed(3))[i:i + 30]
                     for i in (0, 30, 60)])  # one epoch of the former hand-written loop (partial batch dropped)
    assert torch.equal(torch.cat(list(batches(100, 30, 3, seed=3))), old)
    with pytest.raises(ValueError, match="differs from stacked in steps"):
        zoo_job([digits_config("stacked"), digits_config("tied", steps=10)])


@pytest.mark.slow
def test_zoo_race_trains_every_variant_on_the_same_batches_and_resumes(digits, tmp_path):
    """One step of the race is VariantTrainer.step for each variant on the same batch; losses fall; a
    checkpoint gives back the networks and the training time."""
    train, _ = digits
    configs = [digits_config(v, steps=60) for v in ("stacked", "greedy", "tied")]
    race = make_trainer(zoo_job(configs))
    states = []
    while True:
        try:
            race.advance()
        except StopIteration:
            break
        states.append(race.snapshot())
    assert len(states) == 60 and states[-1].done and not states[-2].done
    last = states[-1]
    assert set(last.losses) == {"stacked", "greedy", "tied"}
    assert last.stage["greedy"] == "fine-tune" and states[10].stage["greedy"] == "outer"
    for name in ("stacked", "tied"):
        assert last.losses[name][-5:].mean() < last.losses[name][:5].mean()
    alone = VariantTrainer(configs[0], build(configs[0]), torch.device("cpu"))
    for idx in batches(len(train.x), 64, 60, seed=0):
        alone.step(train.x[idx])
    for (k, a), b in zip(alone.model.state_dict().items(), race.modules()["stacked"].state_dict().values()):
        assert torch.equal(a, b), k
    checkpoint.save(race, tmp_path)
    restored = checkpoint.restore(race.job, tmp_path)
    assert restored.time_s() == race.time_s() and all(t > 0 for t in race.time_s().values())
    for (k, a), b in zip(race.modules()["tied"].state_dict().items(),
                         restored.modules()["tied"].state_dict().values()):
        assert torch.equal(a, b), k
    assert not restored.modules()["tied"].training


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
