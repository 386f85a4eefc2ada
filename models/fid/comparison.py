"""Compare two sets of features: FID with its terms, KID, Inception Score, warnings; curves over levels."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Callable

import numpy as np
import torch

from .corruptions import corrupt
from .extractors import Extracted, extract
from .frechet import FrechetTerms, frechet_terms
from .inception_score import InceptionScore, inception_score
from .kid import KID, kernel_inception_distance, kid_warnings
from .stats import FeatureStats, feature_stats

SMALL_N = 2000  # below this, FID's small-sample bias is large for d = 2048 (Chong & Forsyth 2020)


def n_warnings(n1: int, n2: int, d: int) -> list[str]:
    """Plain-language warnings about the number of images N against the feature dimension d."""
    out = []
    n = min(n1, n2)
    if n <= d:
        out.append(f"N = {n} images is not more than d = {d} features: the covariance has rank at most "
                   f"N - 1 = {n - 1} < d, so it is singular. The FID is still computed exactly, but it "
                   f"is strongly biased upwards. Use more images than features (or a smaller feature space).")
    elif n < 5 * d or n < SMALL_N:
        out.append(f"N = {n} images is small for d = {d}: FID is biased upwards by roughly k / N; compare "
                   f"FIDs only at the same N, or look at FID-infinity below. Papers use 10,000 or 50,000.")
    if n1 != n2:
        out.append(f"The sets have different sizes ({n1} and {n2}); each bias depends on its own N.")
    return out


@dataclass
class Comparison:
    """Everything the page and the command report for one pair of sets."""

    terms: FrechetTerms
    n1: int
    n2: int
    stats1: FeatureStats
    stats2: FeatureStats
    kid: KID | None
    is1: InceptionScore | None
    is2: InceptionScore | None
    warnings: list[str] = field(default_factory=list)  # about FID and N
    kid_warnings: list[str] = field(default_factory=list)

    @property
    def fid(self) -> float:
        return self.terms.fid


def compare(a: Extracted, b: Extracted, *, kid_subsets: int = 100, kid_subset_size: int = 1000,
            seed: int = 0) -> Comparison:
    """FID (with terms), KID and Inception Scores of two extracted feature sets.

    Args:
        a, b: features (N1, d), (N2, d) and optional class probabilities. KID uses features / kid_scale
            (see models.fid.extractors.MNIST_FEATURE_RMS); FID the features as they are.
        kid_subsets, kid_subset_size: torch-fidelity's defaults (100 subsets of up to 1,000 images).
    """
    if a.features.shape[1] != b.features.shape[1]:
        raise ValueError(f"The sets have {a.features.shape[1]} and {b.features.shape[1]} features per image: "
                         f"they must come from one extractor (raw pixels: one image size for both sets).")
    s1, s2 = feature_stats(a.features), feature_stats(b.features)
    terms = frechet_terms(s1.mu, s1.sigma, s2.mu, s2.sigma)
    if a.kid_scale != b.kid_scale:
        raise ValueError(f"The sets' features have KID scales {a.kid_scale} and {b.kid_scale}: they must come "
                         f"from one extractor.")
    kid = kernel_inception_distance(a.features / a.kid_scale, b.features / b.kid_scale, kid_subsets,
                                    kid_subset_size, seed)
    is1 = inception_score(a.probs) if a.probs is not None else None
    is2 = inception_score(b.probs) if b.probs is not None else None
    n1, n2 = a.features.shape[0], b.features.shape[0]
    return Comparison(terms, n1, n2, s1, s2, kid, is1, is2, n_warnings(n1, n2, terms.d), kid_warnings(kid))


def fid_to(reference: FeatureStats, features: np.ndarray) -> float:
    """FID between a reference Gaussian and a new set of features (N, d)."""
    s = feature_stats(features)
    return frechet_terms(reference.mu, reference.sigma, s.mu, s.sigma).fid


@dataclass(frozen=True)
class CorruptionCurve:
    """FID between real images and corrupted copies of other real images, per level."""

    kind: str
    levels: np.ndarray
    fid: np.ndarray


def corruption_curves(reference: torch.Tensor, base: torch.Tensor, extractor: str, kinds: list[str],
                      levels: list[float], *, device=None, seed: int = 0,
                      on_kind: Callable[[int, int], None] | None = None) -> list[CorruptionCurve]:
    """FID(reference, corrupt(base, kind, level)) for each kind and level.

    The reference statistics and the uncorrupted base (level 0 is the identity for every kind) are
    extracted once for all kinds: with 5 kinds and 5 levels that is 22 feature passes over N images
    instead of 30, which matters for Inception on a CPU.

    Args:
        reference, base: (N, C, H, W) in [0, 1]; use two disjoint real sets so that level 0 shows
            the FID between two real samples (not 0).
        on_kind: called with (kinds done, kinds) after each curve.
    """
    ref = feature_stats(extract(extractor, reference, device=device).features)
    at_zero = None
    curves = []
    for j, kind in enumerate(kinds):
        out = []
        for level in levels:
            if level == 0:
                if at_zero is None:
                    at_zero = fid_to(ref, extract(extractor, base, device=device).features)
                out.append(at_zero)
            else:
                out.append(fid_to(ref, extract(extractor, corrupt(base, kind, level, seed), device=device).features))
        curves.append(CorruptionCurve(kind, np.asarray(levels, float), np.asarray(out)))
        if on_kind is not None:
            on_kind(j + 1, len(kinds))
    return curves


def corruption_curve(reference: torch.Tensor, base: torch.Tensor, extractor: str, kind: str,
                     levels: list[float], *, device=None, seed: int = 0) -> CorruptionCurve:
    """One kind of :func:`corruption_curves`."""
    return corruption_curves(reference, base, extractor, [kind], levels, device=device, seed=seed)[0]
