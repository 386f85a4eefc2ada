"""PCA by SVD against scikit-learn's PCA, and the closed-form error against measured projections."""

import numpy as np
import pytest
from sklearn.decomposition import PCA

from models.pca_ae.pca import fit_pca, mse, pca_mse, pca_mse_by_k


@pytest.fixture
def x():
    rng = np.random.default_rng(0)
    return rng.standard_normal((300, 6)) @ rng.standard_normal((6, 6)) + rng.standard_normal(6)


def test_components_and_scores_match_sklearn_up_to_sign(x):
    ours = fit_pca(x, 3)
    ref = PCA(n_components=3, svd_solver="full").fit(x)
    signs = np.sign(np.sum(ours.components * ref.components_, axis=1))
    np.testing.assert_allclose(ours.components, ref.components_ * signs[:, None], atol=1e-10)
    np.testing.assert_allclose(ours.encode(x), ref.transform(x) * signs, atol=1e-9)
    np.testing.assert_allclose(ours.reconstruct(x), ref.inverse_transform(ref.transform(x)), atol=1e-9)
    # sklearn's explained_variance_ divides by n - 1; ours by n.
    np.testing.assert_allclose(ours.variances[:3] * len(x) / (len(x) - 1), ref.explained_variance_, rtol=1e-10)


def test_components_are_orthonormal_with_fixed_signs(x):
    v = fit_pca(x, 4).components
    np.testing.assert_allclose(v @ v.T, np.eye(4), atol=1e-12)
    assert all(row[np.abs(row).argmax()] > 0 for row in v)


def test_closed_form_mse_equals_measured_projection_error(x):
    closed = pca_mse_by_k(x)
    for k in (1, 3, 5, 6):
        assert closed[k] == pytest.approx(pca_mse(x, k), rel=1e-9, abs=1e-14)
    assert closed[6] == pytest.approx(0, abs=1e-20)


def test_held_out_mse_equals_projection_of_test_points(x):
    rng = np.random.default_rng(1)
    x_test = rng.standard_normal((50, 6)) * 2
    curve = pca_mse_by_k(x, x_test, [2, 4])
    for k in (2, 4):
        assert curve[k] == pytest.approx(mse(x_test, fit_pca(x, k).reconstruct(x_test)), rel=1e-9)


def test_eckart_young_no_random_rank_k_projection_beats_pca(x):
    rng = np.random.default_rng(2)
    best = pca_mse(x, 2)
    xc = x - x.mean(0)
    for _ in range(50):
        q, _ = np.linalg.qr(rng.standard_normal((6, 2)))
        assert mse(xc, xc @ q @ q.T) >= best - 1e-12


def test_bad_k_is_refused_with_the_range(x):
    with pytest.raises(ValueError, match="between 1 and"):
        fit_pca(x, 7)


def test_covariance_route_matches_svd_route():
    rng = np.random.default_rng(3)
    x = rng.standard_normal((800, 120)) * np.linspace(3, 0.1, 120)  # distinct variances
    a, b = fit_pca(x, 20, method="svd"), fit_pca(x, 20, method="eigh")
    np.testing.assert_allclose(a.components, b.components, atol=1e-8)
    np.testing.assert_allclose(a.variances, b.variances, rtol=1e-9)
    assert fit_pca(x, 5).truncate(2).components.shape == (2, 120)
    curve = pca_mse_by_k(x, x[:100], [3, 20], fit=b)
    assert curve[3] == pytest.approx(mse(x[:100], b.truncate(3).reconstruct(x[:100])), rel=1e-9)
