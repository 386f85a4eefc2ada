"""A chart as text: a one-paragraph summary for screen readers and its data as CSV (WCAG 1.1.1, 1.4.1).

Every Plotly figure GenLab draws is summarised from the figure itself, so the text cannot drift from the
chart: its title, its axes with their ranges, and each series with its number of points and, for a line or
scatter, where its y values start and end. The CSV holds every series' x, y (and z) columns.
"""

from __future__ import annotations

import csv
import io
from typing import Any

import numpy as np


def _text(value: Any) -> str:
    if value is None:
        return ""
    text = getattr(value, "text", value)
    return "" if text is None else str(text)


def _num(x: float) -> str:
    return f"{x:.3g}"


def _array(values: Any) -> np.ndarray | None:
    if values is None:
        return None
    try:
        arr = np.asarray(values)
    except Exception:  # noqa: BLE001 - a trace field Plotly accepts but numpy cannot hold
        return None
    return arr if arr.size else None


def _numeric(arr: np.ndarray | None) -> np.ndarray | None:
    if arr is None or arr.dtype.kind not in "biuf":
        return None
    arr = arr.astype(np.float64).ravel()
    arr = arr[np.isfinite(arr)]
    return arr if arr.size else None


def summary(fig) -> str:
    """One paragraph describing ``fig`` (a plotly ``go.Figure``)."""
    layout = fig.layout
    parts = []
    title = _text(layout.title)
    parts.append(f"Chart: {title}." if title else "Chart.")
    for axis in ("xaxis", "yaxis"):
        ax = getattr(layout, axis, None)
        name = _text(ax.title) if ax is not None else ""
        values = [v for tr in fig.data if (v := _numeric(_array(getattr(tr, axis[0], None)))) is not None]
        if values:
            allv = np.concatenate(values)
            parts.append(f"{axis[0]} axis{(' ' + name) if name else ''}: {_num(allv.min())} to {_num(allv.max())}.")
        elif name:
            parts.append(f"{axis[0]} axis: {name}.")
    series = []
    for tr in fig.data:
        name = tr.name if getattr(tr, "name", None) else tr.type
        y = _numeric(_array(getattr(tr, "y", None)))
        z = _array(getattr(tr, "z", None))
        if z is not None:
            zn = _numeric(z)
            series.append(f"{name}: a {'x'.join(map(str, z.shape))} grid"
                          + (f" from {_num(zn.min())} to {_num(zn.max())}" if zn is not None else ""))
        elif y is not None:
            what = f"{name}: {y.size} points"
            if tr.type in ("scatter", "scattergl") and "lines" in str(getattr(tr, "mode", "") or "lines"):
                what += f", from {_num(y[0])} to {_num(y[-1])}"
            series.append(what)
        elif _array(getattr(tr, "x", None)) is not None:
            series.append(f"{name}: {_array(tr.x).size} values")
        elif tr.type == "image":
            series.append(f"{name}: an image")
    if series:
        parts.append(f"{len(series)} series: " + "; ".join(series) + ".")
    return " ".join(parts)


def to_csv(fig) -> str:
    """Every series as columns ``<series>.x``, ``<series>.y`` (and ``.z`` flattened), padded to one length."""
    columns: dict[str, list] = {}
    for i, tr in enumerate(fig.data):
        name = (tr.name or f"{tr.type} {i + 1}").replace(",", " ")
        for field in ("x", "y", "z"):
            arr = _array(getattr(tr, field, None))
            if arr is not None:
                columns[f"{name}.{field}"] = arr.ravel().tolist()
    n = max((len(v) for v in columns.values()), default=0)
    out = io.StringIO()
    writer = csv.writer(out)
    writer.writerow(list(columns))
    for r in range(n):
        writer.writerow([(v[r] if r < len(v) else "") for v in columns.values()])
    return out.getvalue()
