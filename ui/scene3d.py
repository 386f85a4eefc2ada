"""A 3-D scene drawn in the browser with the canvas's 2-D API: points and translucent planes that the user
turns with the pointer or the keyboard (a Streamlit v2 component; plain JavaScript in
``ui/components/scene3d.js``).

Plotly draws 3-D charts with WebGL, and each new chart compiles its shader programs: on a machine without a
GPU (Chromium's software WebGL) the PCA page's one 3-D chart took about 1.1 s of its 2.2 s first visit
(measured with Chromium's profiler; the page without it drew in 0.9 s). A few hundred points and two planes
need none of that. The figure is still built with Plotly by the backend, its one description of the chart:
:func:`show` reads its traces, and the page's data download and the screen-reader summary are the same as
for every other chart (:func:`ui.charts.describe`).
"""

from __future__ import annotations

import math
from pathlib import Path

import numpy as np
import plotly.graph_objects as go
import streamlit as st
from plotly.colors import sample_colorscale

from models.latent.export import b64
from ui import charts

HERE = Path(__file__).parent / "components"
HTML = ('<div class="genlab-scene3d"><p class="genlab-fallback">The 3-D view has not loaded (it needs '
        'JavaScript modules); its data are summarised below and in the page\'s chart download.</p></div>')
_SCENE = st.components.v2.component("genlab_scene3d", html=HTML, css=(HERE / "scene3d.css").read_text(),
                                    js=(HERE / "scene3d.js").read_text())
DEFAULT_EYE = (1.25, 1.25, 1.25)  # Plotly's default camera


def _colour(marker) -> tuple[str, list[str] | None]:
    """One colour for the trace (its legend swatch) and, for a colour scale, one per point."""
    color = marker.color if marker is not None else None
    if color is None or isinstance(color, str):
        return color or "#1f77b4", None
    values = np.asarray(color, np.float64)
    lo, hi = float(np.nanmin(values)), float(np.nanmax(values))
    t = (values - lo) / (hi - lo) if hi > lo else np.zeros_like(values)
    scale = marker.colorscale or "Viridis"
    if not isinstance(scale, str):  # Plotly stores a named scale as (position, colour) tuples, which
        scale = [list(stop) for stop in scale]  # sample_colorscale takes only as lists
    colours = sample_colorscale(scale, list(np.clip(t, 0, 1)))
    return sample_colorscale(scale, [0.5])[0], colours


def _surface_quads(tr: go.Surface) -> np.ndarray:
    """A parametric surface's grid cells as quads (k, 4, 3), corners in order around each cell."""
    x, y, z = (np.asarray(v, np.float64) for v in (tr.x, tr.y, tr.z))
    if x.ndim == 1:  # a height field over the grid x (columns) by y (rows)
        x, y = np.meshgrid(x, y)
    quads = [[(x[i, j], y[i, j], z[i, j]), (x[i, j + 1], y[i, j + 1], z[i, j + 1]),
              (x[i + 1, j + 1], y[i + 1, j + 1], z[i + 1, j + 1]), (x[i + 1, j], y[i + 1, j], z[i + 1, j])]
             for i in range(z.shape[0] - 1) for j in range(z.shape[1] - 1)]
    return np.asarray(quads, np.float64).reshape(-1, 4, 3)


def scene_data(fig: go.Figure) -> dict:
    """The figure's 3-D traces as the component's data: markers of ``Scatter3d`` traces (positions, colour,
    size, symbol) and ``Surface`` traces as translucent quads; the scene's axis titles, height and camera."""
    traces = []
    for tr in fig.data:
        name = tr.name or tr.type
        hidden = tr.visible == "legendonly"
        if tr.type == "scatter3d":
            xyz = np.stack([np.asarray(tr.x, np.float64), np.asarray(tr.y, np.float64),
                            np.asarray(tr.z, np.float64)], axis=1)
            color, colors = _colour(tr.marker)
            size = float(tr.marker.size) if tr.marker is not None and tr.marker.size is not None else 3.0
            traces.append({"kind": "points", "name": name, "xyz": b64(xyz), "color": color, "colors": colors,
                           "radius": max(1.6, 0.8 * size), "symbol": (tr.marker.symbol if tr.marker else None)
                           or "circle", "hidden": hidden})
        elif tr.type == "surface":
            scale = tr.colorscale
            color = scale[0][1] if scale else "#1f77b4"
            traces.append({"kind": "quads", "name": name, "xyz": b64(_surface_quads(tr)), "color": color,
                           "opacity": float(tr.opacity if tr.opacity is not None else 0.5), "hidden": hidden})
        else:
            raise ValueError(f"the 3-D view draws scatter3d and surface traces, not {tr.type}")
    scene = fig.layout.scene
    titles = [(getattr(scene, a).title.text if getattr(scene, a).title else None) or f"x{i + 1}"
              for i, a in enumerate(("xaxis", "yaxis", "zaxis"))]
    eye = scene.camera.eye
    ex, ey, ez = (eye.x, eye.y, eye.z) if None not in (eye.x, eye.y, eye.z) else DEFAULT_EYE
    camera = {"yaw": math.atan2(ey, ex), "pitch": math.atan2(ez, math.hypot(ex, ey))}
    title = fig.layout.title.text if fig.layout.title and fig.layout.title.text else ", ".join(
        t["name"] for t in traces)
    return {"traces": traces, "axes": titles, "height": int(fig.layout.height or 480), "camera": camera,
            "title": title}


def show(where, fig: go.Figure, *, key: str, title: str | None = None) -> None:
    """Draw ``fig`` (Scatter3d and Surface traces) as a 3-D scene in ``where``; the camera the user set is
    kept while the page reruns (a live run redraws it every half second). ``title`` names it for screen
    readers (default: its traces' names)."""
    data = scene_data(fig) | {"key": key}
    if title:
        data["title"] = title
    if where is st:
        _SCENE(key=key, data=data)
    else:
        with where:
            _SCENE(key=key, data=data)
    charts.describe(where, fig, key=key)
