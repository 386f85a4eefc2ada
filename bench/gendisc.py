"""Timings of the generative-vs-discriminative page's live computations (run by ``python -m bench``).

Each figure is the median of several repeats (min and max in the note). The goals are what keeps the page
interactive on 2 CPU cores; the experiments pin one BLAS thread (threaded BLAS was about 20x slower on
this busy machine for a learning curve: 38.6 s against 1.6 s, measured once).
"""

from __future__ import annotations

import statistics
import time

from models.gendisc import compare, data2d, distributions, learning_curve, outliers


def _time(fn, repeats: int) -> tuple[float, float, float]:
    times = []
    for _ in range(repeats):
        t = time.perf_counter()
        fn()
        times.append(time.perf_counter() - t)
    return statistics.median(times), min(times), max(times)


def _row(measure: str, fn, repeats: int, goal: str) -> dict:
    med, lo, hi = _time(fn, repeats)
    return {"area": "gendisc", "measure": measure, "value": round(med, 3), "unit": "s", "goal": goal,
            "anchor": "", "anchor_value": None, "ratio": None,
            "note": f"median of {repeats}, min {lo:.3f} s, max {hi:.3f} s"}


def rows(quick: bool) -> list[dict]:
    """Median wall times of what one page view computes (seconds)."""
    repeats = 1 if quick else 3
    train, test = data2d.train_test("moons", 300, 0)
    lc = learning_curve.CurveConfig("moons", repeats=1 if quick else 3)
    oc = outliers.OutlierConfig("moons")

    out = [
        _row("distribution: 100,000 draws, histograms and running moments",
             lambda: distributions.convergence("gaussian", {"mu": 0.0, "sigma": 1.0}, 100_000, 0), repeats, "< 0.5 s"),
        _row("boundaries tab: fit 5 models on 300 moons, 80x80 grids, samples", lambda: compare.compare(train, test, 0),
             repeats, "< 2 s"),
    ]
    if not quick:  # the two slow tabs
        out += [_row("outliers tab: outlier curve (6 counts x 5 models)", lambda: outliers.outlier_curve(oc),
                     repeats, "< 10 s"),
                _row(f"few-data tab: learning curve (7 sizes x {lc.repeats} repeats x 5 models)",
                     lambda: learning_curve.learning_curve(lc), repeats, "< 15 s")]
    return out


if __name__ == "__main__":
    for r in rows(quick=True):
        print(r)
