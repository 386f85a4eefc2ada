"""Every chart's colours stay apart with colour-vision deficiency, or differ by a second cue (WCAG 1.4.1).

The simulation (models/palette.py, Machado et al. 2009) is checked against the reference implementation
in ``colorspacious``; then each palette a chart uses to tell things apart is checked: ΔE*76 >= 10 under
normal vision, protanopia, deuteranopia and tritanopia, for every pair whose marker symbol or dash is the
same.
"""

from __future__ import annotations

import colorspacious
import numpy as np
import pytest

from models import palette
from models.fid import figures as fid_figures
from models.gan import figures as gan_figures
from models.gendisc import figures as gendisc_figures
from models.latent import figures as latent_figures
from models.pca_ae import figures as pca_figures
from models.zoo import figures as zoo_figures

CS_NAMES = {"protanopia": "protanomaly", "deuteranopia": "deuteranomaly", "tritanopia": "tritanomaly"}


@pytest.mark.parametrize("kind", sorted(palette.MACHADO))
def test_simulation_matches_colorspacious(kind):
    rng = np.random.default_rng(0)
    rgb = rng.uniform(0.05, 0.95, (200, 3))
    ref = colorspacious.cspace_convert(rgb, {"name": "sRGB1+CVD", "cvd_type": CS_NAMES[kind], "severity": 100},
                                       "sRGB1")
    inside = np.all((ref >= 0) & (ref <= 1), axis=1)  # ours clips to the gamut; compare where neither clips
    assert inside.sum() > 50
    np.testing.assert_allclose(palette.simulate(rgb[inside], kind), ref[inside], atol=1e-6)


def test_lab_matches_colorspacious():
    rgb = np.random.default_rng(1).uniform(0, 1, (100, 3))
    ref = colorspacious.cspace_convert(rgb, "sRGB1", "CIELab")
    np.testing.assert_allclose(palette.srgb_to_lab(rgb), ref, atol=0.05)


def test_the_check_can_fail():
    """matplotlib's tab10 orange and green collapse for a protanope (ΔE about 5)."""
    bad = palette.confusable(("#ff7f0e", "#2ca02c"))
    assert bad and bad[0][2] == "protanopia"


CHARTS = {
    "Okabe-Ito": (palette.OKABE_ITO, None),
    "digit classes (latent maps)": (latent_figures.PALETTE, latent_figures.SYMBOLS),
    "autoencoder zoo curves": (zoo_figures.PALETTE[:6], zoo_figures.DASHES),
    "generative vs discriminative models": (tuple(gendisc_figures.MODEL_COLORS.values()), None),
    "generative vs discriminative classes": (gendisc_figures.CLASS_COLORS, None),
    "FID leaderboard families": (tuple(fid_figures.FAMILY_COLORS.values()), None),
    "FID corruption curves": (tuple(fid_figures.CORRUPTION_COLORS.values()), None),
    "GAN lab real, generated, arrows": ((gan_figures.REAL, gan_figures.FAKE, "#d6604d"), None),
    "PCA vs autoencoder: data, PCA plane, autoencoder plane": ((pca_figures.DATA, pca_figures.PCA_C, pca_figures.AE_C),
                                                              None),
}


@pytest.mark.parametrize("name", sorted(CHARTS))
def test_chart_colours_stay_apart(name):
    colors, cues = CHARTS[name]
    assert palette.confusable(colors, cues) == []
