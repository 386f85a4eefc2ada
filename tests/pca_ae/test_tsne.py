"""t-SNE of codings: progress stages, and that clusters in code space stay clusters in 2D."""

import numpy as np
import pytest
from sklearn.datasets import make_blobs
from sklearn.neighbors import KNeighborsClassifier

from models.pca_ae.tsne import MAX_POINTS, pick_points, tsne_steps


def test_stages_and_clustered_codes_stay_separated():
    codes, y = make_blobs(n_samples=400, n_features=30, centers=5, cluster_std=1.0, random_state=0)
    steps = list(tsne_steps(codes, y, n=200, perplexity=20, seed=0))
    assert [s.stage for s in steps] == [1, 2, 3] and all(s.stages == 3 for s in steps)
    last = steps[-1]
    assert last.embedding.shape == (200, 2) and len(last.labels) == 200
    np.testing.assert_array_equal(last.labels, y[last.indices])
    knn = KNeighborsClassifier(1).fit(last.embedding[::2], last.labels[::2])
    assert knn.score(last.embedding[1::2], last.labels[1::2]) > 0.95


def test_pick_points_is_reproducible_and_unique():
    y = np.arange(100) % 10
    a, b = pick_points(y, 30, seed=1), pick_points(y, 30, seed=1)
    np.testing.assert_array_equal(a, b)
    assert len(set(a)) == 30


def test_too_many_points_is_refused_with_the_limit():
    with pytest.raises(ValueError, match=str(MAX_POINTS)):
        next(tsne_steps(np.zeros((10, 3)), np.zeros(10), n=MAX_POINTS + 1))
