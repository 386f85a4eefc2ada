"""Colours every chart can tell apart, also with colour-vision deficiency (WCAG 2.1, 1.4.1 "use of colour").

About 8 % of men see colours differently: protanopia and deuteranopia (red-green), tritanopia (blue-yellow).
Machado, Oliveira & Fernandes (2009) model each as a 3x3 matrix on linear RGB,

    rgb_seen = M_kind @ rgb,        (severity 1: the full dichromacy)

and two colours stay distinguishable when their CIELAB difference ΔE*76 = ||Lab_a - Lab_b||_2 is large
(about 2 is just noticeable; GenLab asks for at least 10 between colours one chart uses to tell things
apart, under normal vision and every simulated deficiency, unless a second cue such as the marker symbol
or the line dash differs).

The Okabe-Ito palette (Okabe & Ito 2008, "Color Universal Design") passes with ΔE ≥ 16 for every pair.
"""

from __future__ import annotations

import itertools
from typing import Sequence

import numpy as np

OKABE_ITO = ("#E69F00", "#56B4E9", "#009E73", "#F0E442", "#0072B2", "#D55E00", "#CC79A7", "#000000")
# ten categories (the digits): Okabe-Ito, a grey and a dark red, each with its own marker symbol (the cue
# that does not depend on colour: ten colours cannot all stay apart under every deficiency)
CLASS_COLORS = OKABE_ITO[:7] + ("#000000", "#999999", "#882255")
CLASS_SYMBOLS = ("circle", "square", "diamond", "cross", "x", "triangle-up", "triangle-down", "hourglass",
                 "hexagon", "pentagon")  # no star: the latent map marks the current code with one

# Machado, Oliveira & Fernandes 2009, Table 1, severity 1.0 (linear RGB)
MACHADO = {
    "protanopia": np.array([[0.152286, 1.052583, -0.204868],
                            [0.114503, 0.786281, 0.099216],
                            [-0.003882, -0.048116, 1.051998]]),
    "deuteranopia": np.array([[0.367322, 0.860646, -0.227968],
                              [0.280085, 0.672501, 0.047413],
                              [-0.011820, 0.042940, 0.968881]]),
    "tritanopia": np.array([[1.255528, -0.076749, -0.178779],
                            [-0.078411, 0.930809, 0.147602],
                            [0.004733, 0.691367, 0.303900]]),
}
MIN_DELTA_E = 10.0


def hex_to_rgb(color: str) -> np.ndarray:
    """'#RRGGBB' -> sRGB in [0, 1], shape (3,)."""
    h = color.lstrip("#")
    if len(h) != 6:
        raise ValueError(f"Expected a colour as #RRGGBB, got {color!r}.")
    return np.array([int(h[i:i + 2], 16) / 255.0 for i in (0, 2, 4)])


def srgb_to_linear(c: np.ndarray) -> np.ndarray:
    """The sRGB transfer function undone (IEC 61966-2-1)."""
    c = np.asarray(c, np.float64)
    return np.where(c <= 0.04045, c / 12.92, ((c + 0.055) / 1.055) ** 2.4)


def linear_to_srgb(c: np.ndarray) -> np.ndarray:
    c = np.clip(np.asarray(c, np.float64), 0.0, 1.0)
    return np.where(c <= 0.0031308, 12.92 * c, 1.055 * c ** (1 / 2.4) - 0.055)


def simulate(rgb: np.ndarray, kind: str | None) -> np.ndarray:
    """sRGB (..., 3) as seen with ``kind`` (``protanopia``, ``deuteranopia``, ``tritanopia``; None: as is)."""
    if kind is None:
        return np.asarray(rgb, np.float64)
    return linear_to_srgb(srgb_to_linear(rgb) @ MACHADO[kind].T)


def srgb_to_lab(rgb: np.ndarray) -> np.ndarray:
    """sRGB (..., 3) -> CIELAB (D65 white)."""
    xyz = srgb_to_linear(rgb) @ np.array([[0.4124564, 0.3575761, 0.1804375],
                                          [0.2126729, 0.7151522, 0.0721750],
                                          [0.0193339, 0.1191920, 0.9503041]]).T
    t = xyz / np.array([0.95047, 1.0, 1.08883])
    f = np.where(t > (6 / 29) ** 3, np.cbrt(t), t / (3 * (6 / 29) ** 2) + 4 / 29)
    return np.stack([116 * f[..., 1] - 16, 500 * (f[..., 0] - f[..., 1]), 200 * (f[..., 1] - f[..., 2])], -1)


def delta_e(a: str, b: str, kind: str | None = None) -> float:
    """CIELAB ΔE*76 between two colours as seen with ``kind``."""
    la, lb = (srgb_to_lab(simulate(hex_to_rgb(c), kind)) for c in (a, b))
    return float(np.linalg.norm(la - lb))


def confusable(colors: Sequence[str], cues: Sequence | None = None,
               min_delta: float = MIN_DELTA_E) -> list[tuple[str, str, str | None, float]]:
    """Pairs a viewer could mix up: (colour a, colour b, vision, ΔE) with ΔE < ``min_delta`` under normal
    vision or a simulated deficiency, among pairs whose second cue (``cues[i]``: symbol, dash) is the same."""
    out = []
    for i, j in itertools.combinations(range(len(colors)), 2):
        if cues is not None and cues[i] != cues[j]:
            continue
        for kind in (None, *MACHADO):
            d = delta_e(colors[i], colors[j], kind)
            if d < min_delta:
                out.append((colors[i], colors[j], kind, d))
    return out
