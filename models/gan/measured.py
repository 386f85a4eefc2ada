"""What a shipped image GAN's checkpoint says was measured, as typed fields (the page never reads the dict).

:mod:`models.gan.train` scores each shipped generator with a digit classifier trained on real images: how
many of the 10 classes appear among its samples (a class counts at 2% of them or more), and for the
conditional GAN how often the requested class comes out.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class ClassCoverage:
    """``classes_present`` of 10 digit classes among the samples, by a classifier with ``classifier_acc``
    held-out accuracy; ``cond_acc``: the conditional GAN's share of samples of the requested class."""

    classes_present: int
    classifier_acc: float
    cond_acc: float | None


def class_coverage(metrics: dict) -> ClassCoverage | None:
    """None for a checkpoint trained before the measurement (or on a dataset without a classifier)."""
    if "classes_present" not in metrics:
        return None
    cond = metrics.get("cond_acc")
    return ClassCoverage(int(metrics["classes_present"]), float(metrics["classifier_test_acc"]),
                         float(cond) if cond is not None else None)
