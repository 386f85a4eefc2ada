"""Principal angles against scipy.linalg.subspace_angles; the best linear map against a known transform."""

import numpy as np
import pytest
from scipy.linalg import subspace_angles

from models.pca_ae.subspace import best_linear_map, principal_angles


@pytest.mark.parametrize("d,p,q", [(3, 2, 2), (5, 2, 3), (10, 4, 4), (8, 3, 1)])
def test_matches_scipy_on_random_subspaces(d, p, q):
    rng = np.random.default_rng(d * 100 + p * 10 + q)
    for _ in range(20):
        a, b = rng.standard_normal((d, p)), rng.standard_normal((d, q))
        # scipy takes arccos for some near-zero angles (two planes in 3D always share a line, angle 0),
        # which is only accurate to sqrt(2 eps) rad = 8.5e-7 degrees; agree to that.
        np.testing.assert_allclose(principal_angles(a, b), np.degrees(subspace_angles(a, b)), atol=2e-6)


def test_tiny_angles_are_accurate():
    # A plane rotated by 1e-6 rad about the x axis: one angle of exactly 1e-6 rad, one of 0.
    eps = 1e-6
    a = np.array([[1.0, 0], [0, 1], [0, 0]])
    b = np.array([[1.0, 0], [0, np.cos(eps)], [0, np.sin(eps)]])
    np.testing.assert_allclose(principal_angles(a, b), np.degrees([eps, 0]), rtol=1e-6, atol=1e-12)
    np.testing.assert_allclose(principal_angles(a, b), np.degrees(subspace_angles(a, b)), atol=2e-6)


def test_same_span_gives_zero_and_orthogonal_gives_ninety():
    rng = np.random.default_rng(0)
    a = rng.standard_normal((4, 2))
    assert principal_angles(a, a @ rng.standard_normal((2, 2))).max() < 1e-6
    e = np.eye(4)
    np.testing.assert_allclose(principal_angles(e[:, :2], e[:, 2:]), [90, 90])


def test_mismatched_shapes_are_refused():
    with pytest.raises(ValueError, match="same D"):
        principal_angles(np.ones((3, 2)), np.ones((4, 2)))


def test_best_linear_map_recovers_an_invertible_transform():
    rng = np.random.default_rng(0)
    z_src = rng.standard_normal((200, 2))
    a, c = np.array([[2.0, -1.0], [0.5, 3.0]]), np.array([1.0, -2.0])
    fit = best_linear_map(z_src, z_src @ a + c)
    np.testing.assert_allclose(fit.a, a, atol=1e-10)
    np.testing.assert_allclose(fit.c, c, atol=1e-10)
    assert fit.residual < 1e-20
    assert fit.condition == pytest.approx(np.linalg.cond(a))


def test_best_linear_map_of_unrelated_codings_leaves_a_large_residual():
    rng = np.random.default_rng(1)
    fit = best_linear_map(rng.standard_normal((500, 2)), rng.standard_normal((500, 2)))
    assert fit.residual > 0.95
