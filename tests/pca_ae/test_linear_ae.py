"""Acceptance: with the page's default settings, the linear autoencoder finds PCA's plane."""

import dataclasses

import numpy as np
import pytest
import torch
from scipy.linalg import subspace_angles

from models.pca_ae.linear_ae import LinearAEConfig, codings_vs_pca, dataset, train_linear, train_linear_steps
from models.pca_ae.pca import fit_pca, pca_mse


@pytest.fixture(scope="module")
def trained():
    return train_linear(LinearAEConfig())  # the page's defaults: the book's recipe, seed 0


@pytest.mark.slow
def test_default_run_reaches_pca_subspace_and_mse(trained):
    config = LinearAEConfig()
    x = dataset(config)
    pca = fit_pca(x, 2)
    angles = np.degrees(subspace_angles(trained.w_dec, pca.components.T))  # independent of our code
    assert angles.max() < 1.0
    assert trained.max_angle == pytest.approx(angles.max(), abs=1e-9)
    floor = pca_mse(x, 2)
    assert trained.pca_mse == pytest.approx(floor, rel=1e-12)
    recon = trained.reconstruct(x)
    measured = float(np.mean((recon - x) ** 2))
    assert measured == pytest.approx(trained.mse, rel=1e-9)
    assert floor * (1 - 1e-6) <= measured < 1.01 * floor


def test_state_matches_the_torch_model_and_history_is_recorded(trained):
    assert trained.epoch == trained.epochs == 500
    epochs, mses, angles = trained.history()
    assert len(epochs) == 501 and np.isfinite(mses).all() and angles.shape == (501, 2)
    assert angles[0].max() > 5  # the random start is far from PCA's plane...
    assert mses[-1] < mses[0]   # ...and training got closer


def test_codings_equal_pca_scores_up_to_a_linear_map(trained):
    x = dataset(LinearAEConfig())
    z_pca, z_ae, fit = codings_vs_pca(trained, x, fit_pca(x, 2))
    assert fit.residual < 1e-3
    assert np.isfinite(fit.condition)


@pytest.mark.slow
def test_same_seed_same_run_and_adam_also_converges():
    cfg = LinearAEConfig(optimizer="adam", lr=0.05, batch_size=0, epochs=500)
    a, b = train_linear(cfg), train_linear(cfg)
    np.testing.assert_array_equal(a.w_dec, b.w_dec)
    assert a.max_angle < 1.0 and a.mse_ratio < 1.01


def test_diverging_learning_rate_raises_a_helpful_error():
    steps = train_linear_steps(LinearAEConfig(lr=20.0, optimizer="sgd", batch_size=0, epochs=500))
    with pytest.raises(FloatingPointError, match="too large"):
        for _ in steps:
            pass


def test_bad_config_is_refused():
    with pytest.raises(ValueError, match="optimizer"):
        LinearAEConfig(optimizer="rmsprop")
    with pytest.raises(ValueError, match="learning rate"):
        dataclasses.replace(LinearAEConfig(), lr=-1.0)


def test_model_glorot_init_matches_keras_bounds():
    from models.pca_ae.linear_ae import LinearAE

    m = LinearAE(3, 2, torch.Generator().manual_seed(0))
    bound = np.sqrt(6 / (3 + 2))
    assert m.encoder.weight.abs().max() <= bound and m.decoder.weight.abs().max() <= bound
    assert m.encoder.bias.abs().sum() == 0
