"""Anomaly scores and ROC against scikit-learn; the held-out digit AUC with the shipped MNIST weights."""

import numpy as np
import pytest
import torch
from hypothesis import given, settings
from hypothesis import strategies as st
from sklearn.metrics import precision_score, recall_score, roc_auc_score
from sklearn.metrics import roc_curve as sk_roc_curve

from models.checkpoints import load_or_train
from models.zoo import anomaly
from models.zoo.config import anomaly_config
from models.zoo.train import MNIST_ANOMALY_DIGITS
from models.zoo.training import fit
from models.zoo.variants import build


@settings(max_examples=60, deadline=None)
@given(st.lists(st.tuples(st.integers(0, 20), st.booleans()), min_size=2, max_size=60))
def test_auc_matches_sklearn_with_ties(pairs):
    scores = np.array([s for s, _ in pairs], dtype=float) / 7.0  # integers make ties common
    labels = np.array([b for _, b in pairs], dtype=int)
    if labels.min() == labels.max():
        with pytest.raises(ValueError, match="both normal and anomalous"):
            anomaly.roc_curve(scores, labels)
        return
    fpr, tpr, _ = anomaly.roc_curve(scores, labels)
    assert anomaly.auc(fpr, tpr) == pytest.approx(roc_auc_score(labels, scores), abs=1e-12)


def test_roc_points_match_sklearn():
    rng = np.random.default_rng(0)
    labels = rng.integers(0, 2, 300)
    scores = rng.normal(size=300) + labels
    fpr, tpr, thr = anomaly.roc_curve(scores, labels)
    sk_fpr, sk_tpr, sk_thr = sk_roc_curve(labels, scores, drop_intermediate=False)
    np.testing.assert_allclose(fpr, sk_fpr)
    np.testing.assert_allclose(tpr, sk_tpr)
    np.testing.assert_allclose(thr[1:], sk_thr[1:])


def test_precision_recall_and_rates_match_sklearn():
    rng = np.random.default_rng(1)
    labels = rng.integers(0, 2, 500)
    scores = rng.normal(size=500) + 1.5 * labels
    tau = anomaly.threshold_at(scores, 70)
    assert np.mean(scores < tau) == pytest.approx(0.70, abs=0.002)
    pred = (scores >= tau).astype(int)
    p, r = anomaly.precision_recall(scores, labels, tau)
    assert p == pytest.approx(precision_score(labels, pred)) and r == pytest.approx(recall_score(labels, pred))
    fpr, tpr = anomaly.rates_at(scores, labels, tau)
    assert tpr == pytest.approx(r) and fpr == pytest.approx(pred[labels == 0].mean())
    assert anomaly.precision_recall(scores, labels, np.inf) == (1.0, 0.0)


def test_reconstruction_error_is_the_mean_squared_error_per_image():
    model = build(anomaly_config("digits", 3))
    x0 = torch.rand(5, 1, 8, 8)
    with torch.no_grad():
        x_hat, _ = model(x0)
    np.testing.assert_allclose(anomaly.reconstruction_errors(model, x0),
                               ((x_hat - x0) ** 2).mean(dim=(1, 2, 3)).numpy(), rtol=1e-6)


@pytest.mark.parametrize("digit", MNIST_ANOMALY_DIGITS)
def test_heldout_mnist_digit_is_detected_with_auc_at_least_0_8(mnist_test, digit):
    """Acceptance: an autoencoder trained on MNIST without one digit flags that digit (held-out split).

    Uses the shipped weights (pretrained/); the same numbers are in pretrained/zoo.md and on the page.
    """
    config = anomaly_config("mnist", digit)
    loaded = load_or_train(config, build, fit, device=torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory"), "the shipped weights are missing: run python -m models.zoo.train"
    from models.data import load_images

    test = load_images("mnist", "test")  # the last 2,000 images of the test split, never trained on
    result = anomaly.heldout_digit(loaded.model, test.x, test.y, digit)
    assert result.auc >= 0.8, result.auc
    assert result.auc == pytest.approx(roc_auc_score(result.labels, result.scores))
    assert loaded.metrics["auc"] == pytest.approx(result.auc, abs=1e-9)  # the number the card reports
