"""Checking image GAN samples with a classifier that knows real digits, and measuring their speckle.

Applied to generated images, a classifier tells (a) which classes a GAN produces, so mode collapse shows as
missing classes, and (b) for the conditional GAN, how often the requested class is what comes out. Any object
with ``predict(flat images) -> labels`` serves: the model card uses GenLab's digit CNN (``models.gan.train``),
and :func:`fit_classifier` fits an independent multinomial logistic regression (scikit-learn) on the real
training images, scored on the held-out split, for the tests.
"""

from __future__ import annotations

import numpy as np
import torch


def fit_classifier(x_train: torch.Tensor, y_train: torch.Tensor, x_test: torch.Tensor, y_test: torch.Tensor):
    """(classifier, held-out accuracy). x: (N, 1, H, W) in [0, 1]."""
    from sklearn.linear_model import LogisticRegression

    clf = LogisticRegression(max_iter=300, C=0.1)
    clf.fit(x_train.flatten(1).numpy(), y_train.numpy())
    return clf, float(clf.score(x_test.flatten(1).numpy(), y_test.numpy()))


def class_histogram(clf, images: np.ndarray, n_classes: int = 10) -> np.ndarray:
    """(n_classes,) fraction of ``images`` (N, H, W) the classifier assigns to each class."""
    pred = clf.predict(images.reshape(len(images), -1))
    return np.bincount(pred, minlength=n_classes) / len(images)


def conditional_accuracy(clf, images: np.ndarray, labels: np.ndarray) -> float:
    """Fraction of conditional samples classified as the class they were generated for."""
    return float((clf.predict(images.reshape(len(images), -1)) == labels).mean())


def isolated_pixels(images: np.ndarray, threshold: float = 0.5) -> float:
    """Mean number of isolated bright pixels per image: the "speckle" of an undertrained generator.

    A pixel counts when it is brighter than ``threshold`` and none of its four neighbours is. Real digits
    are strokes, so they have almost none (MNIST's held-out digits: 0.0 per image); a dense generator
    early in training sprinkles dozens of single pixels around its strokes.

    Args:
        images: (N, H, W) in [0, 1].
    """
    bright = np.asarray(images) > threshold  # (N, H, W)
    pad = np.pad(bright, ((0, 0), (1, 1), (1, 1)))
    neighbour = pad[:, :-2, 1:-1] | pad[:, 2:, 1:-1] | pad[:, 1:-1, :-2] | pad[:, 1:-1, 2:]
    return float((bright & ~neighbour).sum(axis=(1, 2)).mean())
