"""Compare two benchmark runs: does each figure of the second run agree with the first within the noise shown?

Usage: python -m bench.compare build/bench-1.json build/bench-2.json

A row agrees when the two runs' ranges overlap (the [min, max] over repeats, or for a percentile of
many samples its 95% confidence interval, "95% CI [a, b]"), or when the medians differ by at most 10%
(the only test for rows without a range). Prints one line per row and a count of agreements.
"""

from __future__ import annotations

import json
import re
import sys

# "min 0.188, max 0.223" or with a unit after each number ("min 0.188 s, max 0.223 s")
NUMBER = r"(-?[\d.]+(?:e[+-]?\d+)?)"
RANGE = re.compile(rf"min {NUMBER}(?: ?[a-zA-Z/%]+)?, max {NUMBER}")
CI = re.compile(rf"CI \[{NUMBER}, {NUMBER}\]")  # a percentile's confidence interval (bench.stats.quantile_ci)


def spread(row: dict) -> tuple[float, float] | None:
    """The range shown in a row's note: the first "min .., max .." or "95% CI [.., ..]", whichever comes first."""
    note = row.get("note") or ""
    found = [m for m in (RANGE.search(note), CI.search(note)) if m]
    if not found:
        return None
    m = min(found, key=lambda m: m.start())
    return float(m.group(1)), float(m.group(2))


def agree(a: dict, b: dict) -> bool:
    """True when two runs of one row agree within the noise shown (see module docstring)."""
    va, vb = a.get("value"), b.get("value")
    if va is None or vb is None:
        return va is None and vb is None
    sa, sb = spread(a), spread(b)
    if sa and sb:
        return max(sa[0], sb[0]) <= min(sa[1], sb[1]) or abs(va - vb) <= 0.1 * max(abs(va), abs(vb), 1e-12)
    return abs(va - vb) <= 0.1 * max(abs(va), abs(vb), 1e-12)


def main(argv: list[str]) -> int:
    if len(argv) != 2:
        print(__doc__)
        return 2
    first, second = (json.load(open(p)) for p in argv)
    index = {(r["area"], r["measure"]): r for r in first["rows"]}
    n = ok = 0
    for r in second["rows"]:
        key = (r["area"], r["measure"])
        if key not in index:
            continue
        n += 1
        same = agree(index[key], r)
        ok += same
        print(f"{'agree ' if same else 'DIFFER'} | {r['area']} | {r['measure']} | {index[key].get('value')} | "
              f"{r.get('value')}")
    print(f"\n{ok} of {n} rows agree within the noise shown")
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
