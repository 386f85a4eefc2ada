"""Timing helpers: medians over repeats, with min and max, so two runs can be compared."""

from __future__ import annotations

import statistics
import time
from typing import Callable


def repeat(fn: Callable[[], object], n: int, warmup: int = 1) -> list[float]:
    """Seconds per call of ``fn`` over ``n`` timed calls after ``warmup`` untimed ones."""
    for _ in range(warmup):
        fn()
    out = []
    for _ in range(n):
        t0 = time.perf_counter()
        fn()
        out.append(time.perf_counter() - t0)
    return out


def summary(samples: list[float]) -> tuple[float, str]:
    """(median, "min .. max over n") of a list of measurements."""
    med = statistics.median(samples)
    return med, f"min {min(samples):.4g}, max {max(samples):.4g}, n={len(samples)}"


def percentile(samples: list[float], q: float) -> float:
    s = sorted(samples)
    k = (len(s) - 1) * q / 100.0
    lo, hi = int(k), min(int(k) + 1, len(s) - 1)
    return s[lo] + (s[hi] - s[lo]) * (k - lo)


def row(area: str, measure: str, value: float, unit: str, **extra) -> dict:
    return {"area": area, "measure": measure, "value": value, "unit": unit, **extra}
