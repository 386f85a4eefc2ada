"""Timing helpers: medians over repeats, with min and max, so two runs can be compared."""

from __future__ import annotations

import math
import statistics
import time
from dataclasses import dataclass
from typing import Callable

from .compare import spread  # the parser of "min .., max .." (or "95% CI [.., ..]") that bench.compare uses


@dataclass
class Run:
    """Where the runner (``python -m bench``) is: which round of how many. Modules read it through
    :func:`per_round` and :func:`first_round`; a module run on its own sees one round."""

    round: int = 0
    rounds: int = 1
    named: frozenset = frozenset()  # the areas named with --only (some long rows run only when asked by name)


RUN = Run()


def per_round(n: int, quick: bool = False, least: int = 2) -> int:
    """Repeats per round of an expensive measurement that takes ``n`` repeats in each of two rounds.

    A full run measures the suite in several rounds minutes apart (see :func:`merge_rounds`); the same
    total of about ``2 n`` repeats is spread over them, at least ``least`` per round. One or two rounds
    take ``n`` each; ``quick`` takes one."""
    if quick:
        return 1
    if RUN.rounds <= 2:
        return n
    return max(least, round(2 * n / RUN.rounds))


def first_round() -> bool:
    """True in the first round: figures that do not depend on the machine's speed (PSNR of a fixed
    model on fixed inputs) are measured once per run, not once per round."""
    return RUN.round == 0


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


def quantile_ci(samples: list[float], q: float, conf: float = 0.95) -> tuple[float, float]:
    """Distribution-free confidence interval for the ``q``-th percentile from order statistics.

    With n independent samples, the number B of them below the true percentile xi_q is Binomial(n, q/100),
    so P(x_(l) <= xi_q < x_(u)) = P(l <= B < u) = sum_{i=l}^{u-1} C(n, i) p^i (1-p)^(n-i) whatever the
    distribution (Hahn & Meeker, *Statistical Intervals*, 1991, sec. 5.2). ``l`` is the largest rank with
    P(B < l) <= (1-conf)/2 and ``u`` the smallest with P(B < u) >= (1+conf)/2; ranks past the ends are
    clamped to the smallest and largest sample, so for few samples and extreme q the coverage is below
    ``conf`` (the interval is then the honest widest one the data give).
    Returns (x_(l), x_(u)).
    """
    s = sorted(samples)
    n, p = len(s), q / 100.0
    cdf, below = [], 0.0  # cdf[k] = P(B < k) for k = 0..n+1
    for k in range(n + 2):
        cdf.append(below)
        if k <= n:
            below += math.comb(n, k) * p ** k * (1 - p) ** (n - k)
    alpha = (1 - conf) / 2
    lo = max([k for k in range(1, n + 1) if cdf[k] <= alpha] or [1])
    hi = min([k for k in range(1, n + 1) if cdf[k] >= 1 - alpha] or [n])
    return s[lo - 1], s[hi - 1]


def percentile_note(samples: list[float], q: float) -> str:
    """"95% CI [a, b] over n" for a percentile of ``samples`` (:func:`quantile_ci`): the noise of the figure."""
    lo, hi = quantile_ci(samples, q)
    return f"95% CI [{lo:.4g}, {hi:.4g}] of the p{q:g} over n={len(samples)} (order statistics)"


def row(area: str, measure: str, value: float, unit: str, **extra) -> dict:
    return {"area": area, "measure": measure, "value": value, "unit": unit, **extra}


def merge_rounds(rounds: list[list[dict]]) -> list[dict]:
    """One table from several rounds of the whole suite, run one after the other.

    A shared machine drifts by tens of percent over minutes, more than the repeats inside one
    measurement show, so a full run measures everything more than once, minutes apart. Per row:
    value, anchor_value and ratio are the medians of the rounds' figures; the note starts with the
    range over every round ("over 2 rounds: min .., max .."), the smallest min and largest max of the
    rounds' own ranges (min-max over repeats, or a percentile's confidence interval; a round without a
    range counts its value), which :mod:`bench.compare` reads.
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
