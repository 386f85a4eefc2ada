"""What the zoo page states, checked on the shipped weights and the page's defaults (GenLab issue 20).

- Every default variant reconstructs its input: held-out MSE well below drawing the mean image each time,
  reconstructions about as varied as the images (the KL-sparse one used to collapse to the mean image).
- The KL-sparse autoencoder reaches its target activation *and* reconstructs.
- A collapsed autoencoder is reported as collapsed (a real one: the KL-sparse code started at 0.5).
- The tied autoencoder has about half its untied twin's parameters.
- The page draws its loss chart once, and warns of no collapse on its defaults.
"""

import json
import math

import pytest
import torch

from models.checkpoints import load_checkpoint, weight_paths
from models.data import load_images
from models.zoo import collapse, views
from models.zoo.config import DEFAULT_VARIANTS, LABELS, LIVE_STEPS, digits_config, mnist_config
from models.zoo.evaluate import evaluate
from models.zoo.probe import reconstruct
from models.zoo.training import fit
from models.zoo.variants import build

WELL_BELOW = 0.5  # the shipped defaults' MSE must be under half the mean image's


@pytest.fixture(scope="module")
def mnist():
    return load_images("mnist", "train"), load_images("mnist", "test")


@pytest.fixture(scope="module")
def digits():
    return load_images("digits", "train"), load_images("digits", "test")


def _shipped(variant):
    config = mnist_config(variant)
    model = build(config)
    model.load_state_dict(load_checkpoint(weight_paths(config)[0], config)["state_dict"])
    return model.eval(), config


@pytest.mark.parametrize("variant", DEFAULT_VARIANTS)
def test_shipped_default_variants_reconstruct_far_better_than_the_mean_image(variant, mnist):
    train, test = mnist
    model, _ = _shipped(variant)
    x_hat = reconstruct(model, test.x)
    mse = float((x_hat - test.x).pow(2).mean())
    mean_image_mse = float((test.x - train.x.mean(0)).pow(2).mean())  # the trivial baseline, computed here
    assert 0.06 < mean_image_mse < 0.08  # MNIST's pixel variance per image, about 0.071
    assert mse < WELL_BELOW * mean_image_mse, (variant, mse, mean_image_mse)
    per_pixel_var = x_hat.flatten(1).var(0).mean() / test.x.flatten(1).var(0).mean()
    assert per_pixel_var > 0.4, (variant, float(per_pixel_var))  # not the same blob for every input
    m = collapse.measure(x_hat, test.x, train.x)
    assert not m.collapsed and m.mse_ratio == pytest.approx(mse / mean_image_mse, rel=1e-4)


def test_shipped_sparse_kl_reaches_its_target_while_reconstructing(mnist):
    train, test = mnist
    model, config = _shipped("sparse_kl")
    row = evaluate(model, config, train.x[:2000], train.y[:2000], test.x, test.y, 0.0)
    assert abs(row.mean_activation - config.rho) <= 0.25 * config.rho, row.mean_activation
    assert row.collapse.mse_ratio < WELL_BELOW and row.probe_acc > 0.8, row
    # the units start at logit(rho): activation rho before any training
    with torch.no_grad():
        z0 = build(config).encode(test.x[:256])
    assert float(z0.mean()) == pytest.approx(config.rho, abs=0.03)
    assert float(build(config).enc2.bias.detach()[0]) == pytest.approx(math.log(config.rho / (1 - config.rho)))


@pytest.mark.parametrize("seed", [0, pytest.param(1, marks=pytest.mark.slow), pytest.param(2, marks=pytest.mark.slow)])
def test_live_digits_sparse_kl_does_not_collapse_at_the_page_defaults(seed, digits):
    """The page's live run on the 8x8 digits (300 steps, code 8): the KL-sparse AE keeps its reconstructions."""
    train, test = digits
    config = digits_config("sparse_kl", steps=LIVE_STEPS, seed=seed)
    model = build(config)
    fit(model, config, torch.device("cpu"), x_train=train.x)
    m = collapse.measure(reconstruct(model, test.x), test.x, train.x)
    assert m.mse_ratio < 0.75 and not m.collapsed, m  # measured 0.60-0.66 for seeds 0-2


def test_a_really_collapsed_autoencoder_is_reported_as_collapsed(digits):
    """The KL-sparse AE with its code started at 0.5 (before the fix) collapses on the digits; the detector says so."""
    train, test = digits
    config = digits_config("sparse_kl", steps=LIVE_STEPS, seed=0)
    model = build(config)
    torch.nn.init.zeros_(model.enc2.bias)
    fit(model, config, torch.device("cpu"), x_train=train.x)
    m = collapse.measure(reconstruct(model, test.x), test.x, train.x)
    assert m.collapsed and m.mse_ratio > 0.85, m  # measured 0.97
    mean_image = train.x.mean(0, keepdim=True).expand_as(test.x)
    blob = collapse.measure(mean_image, test.x, train.x)
    assert blob.collapsed and blob.mse_ratio == pytest.approx(1.0) and blob.spread == pytest.approx(0.0, abs=1e-9)
    assert not collapse.measure(test.x, test.x, train.x).collapsed


@pytest.mark.parametrize("make", [mnist_config, digits_config], ids=["mnist", "digits"])
def test_tied_has_about_half_the_parameters_of_its_untied_twin(make):
    tied, untied = views.untied_twin_params(make("tied", **({"code": 16} if make is mnist_config else {})))
    assert 0.45 < tied / untied < 0.55, (tied, untied)


def test_jacobian_sentence_reports_the_measured_ratio():
    text = views.jacobian_comparison({"stacked": 20.0, "contractive": 2.5, "tied": 19.0})
    assert "Contractive 2.50 (0.12 x)" in text and "20.00" in text and "Tied" not in text
    assert views.jacobian_comparison({"stacked": 1.0}) == ""


def _errors(at):
    return [e.value for e in at.exception] + [e.body for e in at.error]


def _loss_charts(at):
    return [c for c in at.get("plotly_chart") if "Training loss" in json.dumps(c.proto.spec if hasattr(c, "proto")
                                                                               else "")]


@pytest.mark.slow
def test_page_defaults_on_mnist_shipped_show_no_collapse_and_one_loss_chart(app_test):
    at = app_test("zoo", dataset="mnist", timeout=180)
    assert not _errors(at), _errors(at)
    table = at.dataframe[0].value
    assert list(table["variant"]) == [LABELS[v] for v in DEFAULT_VARIANTS]
    assert (table["MSE / mean image's"] < WELL_BELOW).all(), table
    assert not [w for w in at.warning if "collapsed" in w.value]
    assert len(_loss_charts(at)) == 1
    assert any("Reached while still reconstructing" in c.value for c in at.caption)


@pytest.mark.slow
def test_page_live_digits_defaults_draw_the_loss_chart_once_and_report_no_collapse(app_test):
    import time

    at = app_test("zoo", dataset="digits", timeout=120)
    at.button(key="zoo_play").click().run()  # the run panel's Play
    for _ in range(900):  # run_every never ticks in AppTest: rerun until the run is done
        time.sleep(0.1)
        at.run()
        if at.dataframe:
            break
    assert not _errors(at), _errors(at)
    assert at.slider(key="steps").value == LIVE_STEPS
    assert list(at.dataframe[0].value["variant"]) == [LABELS[v] for v in DEFAULT_VARIANTS]
    assert not [w for w in at.warning if "collapsed" in w.value]
    assert len(_loss_charts(at)) == 1


@pytest.mark.slow
def test_page_warns_when_a_live_run_collapses(app_test):
    """50 steps are too few for the KL-sparse code on the digits: the page must say it collapsed."""
    import time

    at = app_test("zoo", dataset="digits", variants="sparse_kl", steps="50", timeout=120)
    at.button(key="zoo_play").click().run()  # the run panel's Play
    for _ in range(600):
        time.sleep(0.1)
        at.run()
        if at.dataframe:
            break
    assert not _errors(at), _errors(at)
    ratio = float(at.dataframe[0].value["MSE / mean image's"].iloc[0])
    assert ratio >= collapse.MAX_MSE_RATIO
    assert any("collapsed to the mean image" in w.value for w in at.warning)
    assert any("says nothing on its own" in w.value for w in at.warning)
