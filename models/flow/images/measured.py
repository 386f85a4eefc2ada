"""The shipped flow's measurements, as typed values (written into its checkpoint by the model card)."""

from __future__ import annotations

from .evaluate import GuidancePoint, NfePoint


def quality_vs_nfe(metrics: dict) -> dict[str, list[NfePoint]]:
    return {name: [NfePoint(**p) for p in points] for name, points in metrics["quality_vs_nfe"].items()}


def guidance(metrics: dict) -> list[GuidancePoint]:
    return [GuidancePoint(**g) for g in metrics["guidance"]]
