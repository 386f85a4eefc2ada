"""The latent pad: a latent model's decoder and encoder running in the browser (a Streamlit v2 component).

Sliders, a 2-D pad over the code map and a drawing board redraw on every pointer move without the server;
the server hears only the final code (a drag released, a slider let go), which :func:`show` returns and
the page mirrors in its URL. The JavaScript is plain (no build step): ``ui/components/latent_pad.js``. The
weights go to the browser once per session and model (:mod:`models.latent.export`); a reloaded page asks
for them again (its ``need_weights`` trigger).
"""

from __future__ import annotations

from pathlib import Path
from typing import Callable

import numpy as np
import streamlit as st

from models.latent.export import b64, model_spec
from models.latent.figures import PALETTE

HERE = Path(__file__).parent / "components"
# Shown until the module runs (replaced by the pad); stays when JavaScript modules cannot load.
HTML = ('<div class="genlab-latent-pad"><p class="genlab-fallback">The in-browser decoder has not loaded (it '
        'needs JavaScript modules). Open <b>Sliders on the server</b> below: they do the same, one server '
        'round trip per move.</p></div>')
_PAD = st.components.v2.component("genlab_latent_pad", html=HTML, css=(HERE / "latent_pad.css").read_text(),
                                  js=(HERE / "latent_pad.js").read_text())
_SENT = "_genlab_pad_sent"  # (component key, model id) pairs whose weights this session's browser has


def view_data(view, labels: np.ndarray, classes, title: str, lo, hi) -> dict:
    """The code map for the pad: test codes in the picture's coordinates, their labels, the picture's extent
    and, for a linear picture, the map back to codes (z = center + u @ basis)."""
    coords = np.asarray(view.coords, np.float32)
    if view.method == "identity":  # d = 2: the picture is the code plane, as wide as the sliders
        extent = [float(lo[0]), float(hi[0]), float(lo[1]), float(hi[1])]
    else:
        (x0, y0), (x1, y1) = coords.min(0), coords.max(0)
        mx, my = 0.05 * (x1 - x0), 0.05 * (y1 - y0)
        extent = [float(x0 - mx), float(x1 + mx), float(y0 - my), float(y1 + my)]
    data = {"linear": view.basis is not None, "title": title, "coords": b64(coords),
            "labels": b64(np.asarray(labels, np.uint8), np.uint8), "extent": extent,
            "classes": [str(c) for c in classes], "palette": list(PALETTE)}
    if view.basis is not None:
        data |= {"center": b64(view.center), "basis": b64(view.basis)}
    return data


def _weights(data: dict, spec: Callable[[], dict], model_id: str, key: str) -> dict:
    """``data`` with the model's weights added when this session's browser does not have them yet (or the
    component asked again: a reloaded page)."""
    sent = st.session_state.setdefault(_SENT, set())
    asked = st.session_state.get(key) is not None and getattr(st.session_state[key], "need_weights", None)
    # per component key: the pad and the morph each get the weights with their first mount, so neither has
    # to ask (a trigger reruns the page, and one-time notices, a deep link's say, would vanish with it)
    if (key, model_id) not in sent or asked == model_id:
        data["spec"] = spec()
        sent.add((key, model_id))
    return data


def show(model, kind: str, model_id: str, z, lo, hi, view: dict, *, key: str,
         on_change: Callable[[list[float]], None]) -> None:
    """Mount the pad for ``model`` at code ``z``; ``on_change(z)`` gets the final code of every drag or
    slider move (in a callback, before the page reruns)."""
    data = _weights({"model_id": model_id, "z": [float(v) for v in z], "lo": [float(v) for v in lo],
                     "hi": [float(v) for v in hi], "view": view}, lambda: model_spec(model, kind), model_id, key)

    def changed():
        value = getattr(st.session_state[key], "z", None)
        if value is not None:
            on_change([float(v) for v in value])

    _PAD(key=key, data=data, default={"z": None}, on_z_change=changed, on_need_weights_change=lambda: None)


def morph(spec: Callable[[], dict], model_id: str, z0, z1, names: tuple[str, str], *, key: str,
          suffix=None) -> None:
    """Mount the interpolation's morph: a fraction t, and the lerp and slerp codes between ``z0`` and ``z1``
    (named ``names`` for screen readers) decoded in the browser on every move; the server hears nothing.

    Args:
        spec: makes the decoder's spec (:func:`models.latent.export.model_spec`, or a generator's), called only
            when this browser has not got the weights yet.
        suffix: numbers appended to every code after interpolating (a conditional GAN's one-hot class).
    """
    data = _weights({"mode": "morph", "model_id": model_id, "z0": [float(v) for v in z0],
                     "z1": [float(v) for v in z1], "names": list(names),
                     "suffix": [float(v) for v in (suffix if suffix is not None else [])]}, spec, model_id, key)
    _PAD(key=key, data=data, default={"z": None}, on_z_change=lambda: None, on_need_weights_change=lambda: None)
