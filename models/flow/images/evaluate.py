"""Measuring the MNIST flow: sample quality against the number of network evaluations (NFE), next to the
shipped DDPM's DDIM at the same NFE, and fidelity against diversity as the guidance scale w grows.

Quality: FID with GenLab's MNIST classifier's features (:mod:`models.fid.extractors`, ``"mnist"``) between
the samples and the 2,000 held-out test images, and the share of samples the classifier is sure of
(top-class probability > 0.9). Guidance: for each w, ``n`` samples asked for digits 0-9 in turn; fidelity is
the mean probability the classifier gives the asked digit; diversity is recall (Kynkäänniemi et al. 2019,
k = 5, :mod:`models.fid.prdc`): the share of the held-out images (all ten digits) that fall inside the
samples' k-NN balls, the samples asking for each digit equally often.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from . import sampling

NFES = (1, 2, 4, 8, 16, 50)
GUIDANCE = (0.0, 1.0, 2.0, 4.0, 7.0, 10.0)


@dataclass(frozen=True)
class NfePoint:
    nfe: int
    fid: float
    confident: float


@dataclass(frozen=True)
class GuidancePoint:
    w: float
    asked_prob: float  # mean classifier probability of the asked digit
    recall: float


def _held_out():
    from ...data import load_images

    return load_images("mnist", "test")


def _features(x: torch.Tensor) -> tuple[np.ndarray, np.ndarray]:
    """(features (N, d), class probabilities (N, 10)) of images (N, 1, 28, 28) in [0, 1]."""
    from ...fid.extractors import extract

    e = extract("mnist", x, device="cpu", batch_size=500)
    return e.features, e.probs


def _fid(real: np.ndarray, fake: np.ndarray) -> float:
    from ...fid.frechet import frechet_distance
    from ...fid.stats import feature_stats

    a, b = feature_stats(real), feature_stats(fake)
    return float(frechet_distance(a.mu, a.sigma, b.mu, b.sigma))


def quality_vs_nfe(flow, ddpm, n: int = 500, nfes=NFES, seed: int = 0) -> dict[str, list[NfePoint]]:
    """{"flow matching": [...], "DDIM (shipped DDPM)": [...]}: unconditional samples at each NFE."""
    from ...diffusion.evaluate import generate

    real, _ = _features(_held_out().x.float())
    out: dict[str, list[NfePoint]] = {"flow matching": [], "DDIM (shipped DDPM)": []}
    for nfe in nfes:
        for name, x in (("flow matching", sampling.sample(flow, n, nfe, None, 0.0, seed)),
                        ("DDIM (shipped DDPM)", generate(ddpm.model, ddpm.config, n, steps=nfe, seed=seed))):
            feats, probs = _features(x)
            out[name].append(NfePoint(nfe, _fid(real, feats), float((probs.max(1) > 0.9).mean())))
    return out


def guidance_curve(flow, n: int = 500, steps: int = 20, ws=GUIDANCE, seed: int = 0, k: int = 5) -> list[GuidancePoint]:
    """Fidelity and diversity of class-conditional samples as w grows (Ho & Salimans 2022, fig. 4)."""
    from ...fid.prdc import prdc

    test = _held_out()
    labels = [i % 10 for i in range(n)]
    real_feats, _ = _features(test.x.float())
    points = []
    for w in ws:
        x = sampling.sample(flow, n, steps, labels, w, seed)
        feats, probs = _features(x)
        asked = float(probs[np.arange(n), labels].mean())
        points.append(GuidancePoint(float(w), asked, float(prdc(real_feats, feats, k=k).recall)))
    return points


def asked_probability(x: torch.Tensor, label: int) -> float:
    """The MNIST classifier's mean probability that images ``x`` (N, 1, 28, 28) in [0, 1] show ``label``."""
    _, probs = _features(x.float())
    return float(probs[:, int(label)].mean())
