"""Timing helpers: medians over repeats, with min and max, so two runs can be compared."""

from __future__ import annotations

import statistics
import time
from typing import Callable

from .compare import spread  # the parser of "min .., max .." that bench.compare uses


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


def merge_rounds(rounds: list[list[dict]]) -> list[dict]:
    """One table from several rounds of the whole suite, run one after the other.

    A shared machine drifts by tens of percent over minutes, more than the repeats inside one
    measurement show, so a full run measures everything more than once, minutes apart. Per row:
    value, anchor_value and ratio are the medians of the rounds' figures; the note starts with the
    range over every round ("over 2 rounds: min .., max .."), the smallest min and largest max of the
    rounds' own ranges (a round without a range counts its value), which :mod:`bench.compare` reads.
    Rows that failed (value None) in a round are left out of that round's figures.
    """
    rounds = [r for r in rounds if r]
    if len(rounds) <= 1:
        return rounds[0] if rounds else []
    by_key: dict[tuple, list[dict]] = {}  # in the order rows first appear
    for rows in rounds:
        for r in rows:
            by_key.setdefault((r["area"], r["measure"]), []).append(r)
    out = []
    for runs in by_key.values():
        done = [r for r in runs if r.get("value") is not None]
        if not done:
            out.append(runs[-1])
            continue
        merged = dict(done[-1])
        values = [r["value"] for r in done]
        merged["value"] = statistics.median(values)
        for field in ("anchor_value", "ratio"):
            figures = [r[field] for r in done if isinstance(r.get(field), (int, float))]
            if figures:
                merged[field] = statistics.median(figures)
        ranges = [spread(r) or (r["value"], r["value"]) for r in done]
        lo, hi = min(a for a, _ in ranges), max(b for _, b in ranges)
        medians = ", ".join(f"{v:.4g}" for v in values)
        merged["note"] = (f"over {len(done)} rounds: min {lo:.4g}, max {hi:.4g} (round values {medians}); "
                          f"last round: {done[-1].get('note') or ''}")
        out.append(merged)
    return out
