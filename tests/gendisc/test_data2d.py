"""2D data sets: the generators' distributions and the typed-points parser's messages."""

import numpy as np
import pytest

from models.data import ring8
from models.gendisc import data2d


def test_blobs_have_the_stated_means_and_shared_covariance():
    d = data2d.make("blobs", 60_000, seed=0)
    assert abs(d.y.mean() - 0.5) < 0.01
    for c in (0, 1):
        np.testing.assert_allclose(d.X[d.y == c].mean(axis=0), data2d.BLOB_MEANS[c], atol=0.02)
        np.testing.assert_allclose(np.cov(d.X[d.y == c].T), data2d.BLOB_COV, atol=0.03)


def test_ring_labels_alternate_around_the_circle():
    d = data2d.make("ring8", 4000, seed=1)
    centres = ring8(radius=2.0).centers
    nearest = np.argmin(((d.X[:, None, :] - centres[None]) ** 2).sum(-1), axis=1)
    assert np.mean(nearest % 2 == d.y) > 0.99  # std 0.25 vs spacing 1.53: almost no point crosses over


def test_moons_are_sklearns():
    from sklearn.datasets import make_moons

    d = data2d.make("moons", 500, seed=4)
    rs = int(np.random.default_rng(4).integers(0, 2**31 - 1))
    X, y = make_moons(500, noise=0.2, random_state=rs)
    np.testing.assert_allclose(d.X, X)
    np.testing.assert_array_equal(d.y, y)


def test_train_and_test_are_independent_and_reproducible():
    tr1, te1 = data2d.train_test("blobs", 100, seed=5)
    tr2, te2 = data2d.train_test("blobs", 100, seed=5)
    np.testing.assert_array_equal(tr1.X, tr2.X)
    np.testing.assert_array_equal(te1.X, te2.X)
    assert len(te1) == 2000 and not np.allclose(tr1.X, te1.X[:100])


def test_parse_points_reads_the_example_and_mixed_separators():
    d = data2d.parse_points(data2d.EXAMPLE_POINTS)
    assert len(d) == 10 and d.X.shape == (10, 2) and d.y.tolist() == [0] * 5 + [1] * 5
    d = data2d.parse_points("1;2;0\n3\t4\t0\n  5 6 1  # a comment\n\n7, 8, 1")
    np.testing.assert_array_equal(d.X, [[1, 2], [3, 4], [5, 6], [7, 8]])


@pytest.mark.parametrize("text,message", [
    ("1, 2\n3, 4, 1", "Line 1: expected three values"),
    ("1, 2, 0\n1, 2, 0\nabc, 2, 1\n4, 4, 1", "Line 3: x and y must be numbers"),
    ("1, 2, 0\n1, 2, 0\n3, 3, 2", "Line 3: the class must be 0 or 1"),
    ("1, 2, 0\nnan, 2, 1", "Line 2: x and y must be finite"),
    ("1, 2, 0\n3, 4, 0\n5, 6, 1", "at least 2 points"),
    ("", "at least 2 points"),
    ("0, 0, 0\n" * 2001, "At most 2,000 points"),
])
def test_parse_points_errors_name_the_line_and_the_fix(text, message):
    with pytest.raises(data2d.PointsError, match=message):
        data2d.parse_points(text)


def test_bad_arguments():
    with pytest.raises(ValueError, match="choose one of"):
        data2d.make("spiral", 10, 0)
    with pytest.raises(ValueError, match="between 2 and"):
        data2d.make("blobs", 1, 0)
    with pytest.raises(ValueError, match="spread"):
        data2d.make("blobs", 10, 0, spread=0)
