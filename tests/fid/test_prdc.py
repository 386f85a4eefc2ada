"""Precision, recall, density, coverage (models/fid/prdc.py) against the authors' reference package `prdc` and
against sets where every value is known by construction."""

import numpy as np
import pytest

from models.data import TOYS_2D
from models.fid.prdc import PRDCInputError, knn_radii, prdc


def _reference(real, fake, k):
    import contextlib
    import io

    from prdc import compute_prdc

    with contextlib.redirect_stdout(io.StringIO()):  # it prints the set sizes
        return compute_prdc(real, fake, k)


@pytest.mark.parametrize("n_a, n_b, d, k, shift", [(300, 250, 16, 5, 0.3), (200, 400, 64, 3, 1.0),
                                                    (500, 500, 2, 5, 0.0), (120, 90, 8, 10, 2.0)])
def test_agrees_with_the_prdc_package(n_a, n_b, d, k, shift):
    rng = np.random.default_rng(n_a + d)
    real = rng.normal(size=(n_a, d))
    fake = rng.normal(loc=shift, scale=1.3, size=(n_b, d))
    ours, ref = prdc(real, fake, k=k), _reference(real, fake, k)
    for name in ("precision", "recall", "density", "coverage"):
        assert getattr(ours, name) == pytest.approx(float(ref[name]), abs=1e-6), name
    assert (ours.k, ours.n_a, ours.n_b) == (k, n_a, n_b)


def test_chunking_does_not_change_the_result():
    rng = np.random.default_rng(3)
    real, fake = rng.normal(size=(257, 5)), rng.normal(0.5, 1, size=(131, 5))
    assert prdc(real, fake, chunk=7) == prdc(real, fake, chunk=10_000)


def test_radii_are_the_kth_neighbour_excluding_the_point_itself():
    x = np.array([[0.0], [1.0], [3.0], [7.0]])
    # neighbours of 0: 1 (d=1), 3 (d=3), 7; of 7: 3 (d=4), 1 (d=6)
    assert knn_radii(__import__("torch").as_tensor(x), 1).tolist() == [1.0, 1.0, 2.0, 4.0]
    assert knn_radii(__import__("torch").as_tensor(x), 2).tolist() == [3.0, 2.0, 3.0, 6.0]


def test_identical_sets_score_one_everywhere():
    x = np.random.default_rng(0).normal(size=(200, 10))
    r = prdc(x, x.copy())
    assert (r.precision, r.recall, r.coverage) == (1.0, 1.0, 1.0)
    # each real ball holds its centre and its k-1 nearer neighbours (the k-th sits on the boundary: outside)
    assert r.density == pytest.approx(1.0)


def test_a_subset_of_the_real_set_has_full_precision():
    x = np.random.default_rng(1).normal(size=(400, 6))
    r = prdc(x, x[:100])
    assert r.precision == 1.0  # every fake is a real point: distance 0, inside its own ball
    # the 100 real points that were drawn are covered and recalled (distance 0 to a fake), others may be too
    assert 0.25 <= r.coverage < 1.0 and 0.25 <= r.recall < 1.0


def test_a_disjoint_cluster_scores_zero():
    rng = np.random.default_rng(2)
    real, fake = rng.normal(size=(300, 4)), rng.normal(loc=100.0, size=(300, 4))
    r = prdc(real, fake)
    assert (r.precision, r.recall, r.density, r.coverage) == (0.0, 0.0, 0.0, 0.0)


def test_swapping_the_sets_swaps_precision_and_recall():
    rng = np.random.default_rng(4)
    real, fake = rng.normal(size=(300, 3)), rng.normal(0.7, 0.5, size=(200, 3))
    ab, ba = prdc(real, fake), prdc(fake, real)
    assert (ab.precision, ab.recall) == (ba.recall, ba.precision)
    assert ab.precision != ab.recall  # the check means something


def test_mode_collapse_keeps_precision_and_loses_recall():
    """A generator that covers 2 of the ring's 8 modes draws realistic points (high precision) but cannot
    produce most of the data (low recall and coverage): the orientation torch-fidelity once got backwards."""
    ring = TOYS_2D["ring8"]
    rng = np.random.default_rng(0)
    real = ring.sample(2000, rng)
    centers = np.asarray(ring.centers)[:2]
    fake = centers[rng.integers(0, 2, 2000)] + rng.normal(scale=ring.std, size=(2000, 2))
    r = prdc(real, fake)
    assert r.precision > 0.8 and r.recall < 0.3 and r.coverage < 0.3, r
    # and a noisy generator that covers every mode but scatters: the reverse
    noisy = real + rng.normal(scale=6 * ring.std, size=real.shape)
    n = prdc(real, noisy)
    assert n.recall > n.precision and n.coverage > r.coverage, n


@pytest.mark.parametrize("real, fake, k, message", [
    (np.zeros((5, 3)), np.zeros((10, 3)), 5, "at least 6"),
    (np.zeros((10, 3)), np.zeros((10, 4)), 5, "different feature sizes"),
    (np.zeros((10,)), np.zeros((10, 4)), 5, "2-D array"),
    (np.full((10, 2), np.nan), np.zeros((10, 2)), 5, "NaN"),
    (np.zeros((10, 2)), np.zeros((10, 2)), 0, "k must be"),
])
def test_bad_inputs_get_messages(real, fake, k, message):
    with pytest.raises(PRDCInputError, match=message):
        prdc(real, fake, k=k)
