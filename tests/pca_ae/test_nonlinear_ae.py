"""Acceptance: on the S-curve a small nonlinear autoencoder with a 2D code reconstructs better than PCA's 2D."""

import numpy as np
import pytest
import torch

from models.checkpoints import load_or_train
from models.pca_ae.nonlinear_ae import (ManifoldAEConfig, build, evaluate, fit, manifold_data,
                                        train_manifold_steps)
from models.pca_ae.pca import mse


def _pca2_mse(x):
    from sklearn.decomposition import PCA  # an independent PCA

    p = PCA(2).fit(x)
    return mse(x, p.inverse_transform(p.transform(x)))


def test_data_is_centred_and_unit_mean_square():
    x, t = manifold_data(ManifoldAEConfig())
    np.testing.assert_allclose(x.mean(0), 0, atol=1e-12)
    assert np.mean(x**2) == pytest.approx(1.0)
    assert x.shape == (1000, 3) and t.shape == (1000,)


def test_short_training_from_scratch_beats_pca_on_the_s_curve():
    config = ManifoldAEConfig(steps=300)
    states = list(train_manifold_steps(config, every=100))
    first, last = states[0], states[-1]
    x, _ = manifold_data(config)
    assert last.pca_mse == pytest.approx(_pca2_mse(x), rel=1e-9)
    assert first.mse > last.pca_mse  # the untrained network is worse than PCA...
    assert last.mse < 0.5 * last.pca_mse  # ...300 steps later it is clearly better
    assert last.codes.shape == (1000, 2) and last.recon.shape == (1000, 3)
    assert list(last.hist_step) == [100, 200, 300]


def test_shipped_s_curve_network_beats_pca_by_far():
    config = ManifoldAEConfig()  # the page's shipped default
    loaded = load_or_train(config, build, fit, device=torch.device("cpu"))
    state = evaluate(loaded.model, config)
    x, _ = manifold_data(config)
    recon = loaded.model(torch.tensor(x, dtype=torch.float32)).detach().double().numpy()
    assert state.mse == pytest.approx(mse(x, recon), rel=1e-6)
    assert state.mse < 0.1 * _pca2_mse(x)


def test_codes_keep_both_coordinates_of_the_sheet():
    # The S-curve is a sheet with two intrinsic coordinates: the position t along the S and the
    # height (the raw second coordinate). PCA's 2D scores keep the S and drop the height (its smallest
    # variance); the autoencoder's 2D code must keep both, so a smooth map predicts both from it.
    from sklearn.neighbors import KNeighborsRegressor
    from sklearn.model_selection import cross_val_score

    config = ManifoldAEConfig()
    loaded = load_or_train(config, build, fit, device=torch.device("cpu"))
    state = evaluate(loaded.model, config)
    x, t = manifold_data(config)
    from models.pca_ae.pca import fit_pca

    knn = KNeighborsRegressor(5)
    z_pca = fit_pca(x, 2).encode(x)
    height = x[:, 1]
    rng = np.random.default_rng(0)
    perm = rng.permutation(len(x))  # shuffled folds: the data is not ordered, but be safe
    r2 = {name: [cross_val_score(knn, z[perm], target[perm], cv=5).mean() for target in (t, height)]
          for name, z in (("ae", state.codes), ("pca", z_pca))}
    assert min(r2["ae"]) > 0.95
    assert r2["pca"][1] < 0.5  # PCA lost the height


def test_bad_manifold_name_is_refused():
    with pytest.raises(ValueError, match="s_curve"):
        ManifoldAEConfig(manifold="torus")
