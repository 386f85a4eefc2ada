"""Anomaly detection by reconstruction error (HOML ch. 17; Sakurada & Yairi 2014).

An autoencoder trained only on normal images reconstructs them well and anything unlike them badly, so
the score s(x) = (1/D) ||x - g(f(x))||^2 ranks images by how anomalous they look. Thresholding s gives a
detector; sweeping the threshold gives the ROC curve, and its area (AUC) is the probability that a random
anomaly scores higher than a random normal image (ties count half).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .probe import reconstruct


def reconstruction_errors(model: nn.Module, x0: torch.Tensor) -> np.ndarray:
    """s(x) = mean over pixels of (x - x_hat)^2: (N, C, H, W) -> (N,) float64."""
    x_hat = reconstruct(model, x0)
    return (x_hat - x0.cpu()).pow(2).flatten(1).mean(1).double().numpy()


def roc_curve(scores: np.ndarray, labels: np.ndarray) -> tuple[np.ndarray, np.ndarray, np.ndarray]:
    """False- and true-positive rates for every threshold, highest first (anomaly = label 1).

    Args:
        scores: (N,) anomaly scores, higher = more anomalous.
        labels: (N,) 1 for anomalies, 0 for normal images; both classes must be present.
    Returns:
        fpr, tpr, thresholds: (T + 1,) each, starting at (0, 0, +inf); one point per distinct score, so
        tied scores move both rates at once (the diagonal segment that counts ties as half).
    """
    scores, labels = np.asarray(scores, dtype=np.float64), np.asarray(labels).astype(bool)
    n_pos, n_neg = int(labels.sum()), int((~labels).sum())
    if n_pos == 0 or n_neg == 0:
        raise ValueError(f"ROC needs both normal and anomalous images; got {n_pos} anomalies and {n_neg} normal.")
    order = np.argsort(-scores, kind="mergesort")
    s, y = scores[order], labels[order]
    last_of_tie = np.r_[np.flatnonzero(np.diff(s)), len(s) - 1]  # index of the last item of each distinct score
    tp = np.cumsum(y)[last_of_tie]
    fp = (last_of_tie + 1) - tp
    return np.r_[0.0, fp / n_neg], np.r_[0.0, tp / n_pos], np.r_[np.inf, s[last_of_tie]]


def auc(fpr: np.ndarray, tpr: np.ndarray) -> float:
    """Area under a ROC curve by the trapezoidal rule."""
    return float(np.trapezoid(tpr, fpr))


def precision_recall(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    """Precision TP / (TP + FP) and recall TP / (TP + FN) of the detector "anomaly when s >= threshold".

    Precision is 1.0 by convention when nothing is flagged.
    """
    labels = np.asarray(labels).astype(bool)
    flagged = np.asarray(scores) >= threshold
    tp = int((flagged & labels).sum())
    precision = tp / int(flagged.sum()) if flagged.any() else 1.0
    return precision, tp / max(int(labels.sum()), 1)


def threshold_at(scores: np.ndarray, percentile: float) -> float:
    """The score below which ``percentile`` % of all scores lie (the detector's threshold)."""
    if not 0 <= percentile <= 100:
        raise ValueError(f"percentile must be in [0, 100], got {percentile}.")
    return float(np.percentile(np.asarray(scores, dtype=np.float64), percentile))


def rates_at(scores: np.ndarray, labels: np.ndarray, threshold: float) -> tuple[float, float]:
    """(false positive rate, true positive rate) of "anomaly when s >= threshold": a point on the ROC curve."""
    labels, flagged = np.asarray(labels).astype(bool), np.asarray(scores) >= threshold
    return float(flagged[~labels].mean()), float(flagged[labels].mean())


@dataclass(frozen=True)
class AnomalyResult:
    """Scores of a test set and the ROC summary.

    Attributes:
        scores: (N,) reconstruction errors; labels: (N,) 1 = anomaly.
        fpr, tpr, thresholds: the ROC curve; auc: its area.
    """

    scores: np.ndarray
    labels: np.ndarray
    fpr: np.ndarray
    tpr: np.ndarray
    thresholds: np.ndarray
    auc: float

    def most_anomalous(self, n: int) -> np.ndarray:
        """Indices of the ``n`` highest scores, highest first."""
        return np.argsort(-self.scores, kind="mergesort")[:n]


def score(model: nn.Module, x0: torch.Tensor, labels: np.ndarray) -> AnomalyResult:
    """Reconstruction-error scores of (N, C, H, W) images with 0/1 anomaly labels, and their ROC."""
    scores = reconstruction_errors(model, x0)
    fpr, tpr, thr = roc_curve(scores, labels)
    return AnomalyResult(scores, np.asarray(labels).astype(np.int64), fpr, tpr, thr, auc(fpr, tpr))


def heldout_digit(model: nn.Module, x_test: torch.Tensor, y_test: torch.Tensor, digit: int) -> AnomalyResult:
    """Score a test split where the class ``digit`` (never seen in training) is the anomaly."""
    return score(model, x_test, (y_test == digit).numpy())


def against_outliers(model: nn.Module, x_normal: torch.Tensor, x_outlier: torch.Tensor) -> AnomalyResult:
    """Score normal test images (label 0) together with images from another dataset (label 1)."""
    x = torch.cat([x_normal, x_outlier])
    labels = np.r_[np.zeros(len(x_normal)), np.ones(len(x_outlier))]
    return score(model, x, labels)
