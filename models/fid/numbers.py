"""How the FID page writes numbers: a few significant digits, scientific notation only where needed.

A table column keeps its numbers (so it still sorts) and gets one printf format, chosen from the
column's typical magnitude: ``column_format([140747.3, 98231.0]) == "%.0f"``, ``column_format([0.2493,
0.0312]) == "%.3f"``. A single number becomes a string with :func:`sig`.
"""

from __future__ import annotations

import math
from typing import Iterable

SCI_BELOW = 1e-3   # |x| below this (and not 0) is written in scientific notation
SCI_FROM = 1e7     # and from this up


def sig(x: float, digits: int = 4) -> str:
    """x with ``digits`` significant digits: "140,747", "31.76", "0.2493", "1.2e-13", "0", "–" for NaN.

    Numbers of 10^digits and more keep all their integer digits (with thousands separators) below 10^7.
    """
    if x is None or not math.isfinite(float(x)):
        return "–"
    if SCI_FROM > abs(float(x)) >= 10 ** (digits - 1):
        return f"{float(x):,.0f}"  # an integer part of 4+ digits is kept whole: 140,747
    x = float(f"{float(x):.{digits - 1}e}")  # rounded first, so 9.99996 becomes 10.00, not 10.000
    if x == 0:
        return "0"
    a = abs(x)
    if a < SCI_BELOW or a >= SCI_FROM:
        return f"{x:.{max(digits - 3, 1)}e}"
    decimals = max(digits - 1 - math.floor(math.log10(a)), 0)
    return f"{x:,.{decimals}f}"


def column_format(values: Iterable[float], digits: int = 4) -> str:
    """One printf format for a column, from its median magnitude: decimals for ``digits`` significant
    digits there, or "%.2e" when the typical value is below 1e-3 or at least 1e7.

    Smaller entries of the column lose digits (an FID std of 1e-13 next to stds of 0.5 shows as 0.000),
    which is the point: they are 0 at the column's precision.
    """
    mags = sorted(abs(float(v)) for v in values if v is not None and math.isfinite(float(v)) and float(v) != 0)
    if not mags:
        return "%.0f"
    typical = mags[len(mags) // 2]
    if typical < SCI_BELOW or typical >= SCI_FROM:
        return "%.2e"
    decimals = max(digits - 1 - math.floor(math.log10(typical)), 0)
    return f"%.{decimals}f"


def column_formats(rows: list[dict], digits: int = 4) -> dict[str, str]:
    """printf formats for every numeric (non-integer) column of a list of row dicts."""
    out = {}
    for key in rows[0] if rows else []:
        vals = [r[key] for r in rows]
        if all(isinstance(v, float) for v in vals):
            out[key] = column_format(vals, digits)
    return out
