"""Figures (pure plotly functions) and the registry of the app's generators."""

from __future__ import annotations

import numpy as np
import pytest

from models.fid import figures, generators
from models.fid.comparison import n_warnings
from models.fid.small_n import FidCurve


def test_ellipse_is_the_k_sigma_contour():
    cov = np.array([[2.0, 0.6], [0.6, 0.5]])
    mu = np.array([1.0, -2.0])
    e = figures.ellipse(mu, cov, 2.0)
    q = np.einsum("ni,ij,nj->n", e - mu, np.linalg.inv(cov), e - mu)
    assert np.allclose(q, 4.0)


def test_pca_figure_projects_on_the_top_axes():
    rng = np.random.default_rng(0)
    f1 = rng.normal(size=(300, 10)) * np.r_[5.0, 2.0, np.full(8, 0.1)]
    f2 = f1 + np.r_[3.0, np.zeros(9)]
    p1, p2, ratio = figures.pca_2d(f1, f2)
    assert ratio[0] > ratio[1] > 0.05 and ratio.sum() > 0.95
    fig = figures.pca_figure(f1, f2, ("A", "B"))
    assert len(fig.data) == 8  # per set: cloud, 1- and 2-sigma ellipses, centre


def test_curve_and_leaderboard_figures():
    curve = FidCurve(np.array([100, 200, 400]), np.array([12.0, 9.0, 7.5]), np.zeros(3), 6.0, 600.0, 1)
    fig = figures.fid_vs_n_figure(curve)
    star = fig.data[-1]
    assert star.x[0] == 0 and star.y[0] == 6.0
    rows = [{"model": "GAN", "family": "GAN", "FID": 9.0}, {"model": "Real", "family": "real", "FID": 1.0}]
    assert list(figures.leaderboard_figure(rows).data[0].y) == ["Real", "GAN"]


def test_warnings_about_n_and_d():
    assert "not more than d = 2048" in n_warnings(500, 500, 2048)[0]
    assert "small" in n_warnings(3000, 3000, 2048)[0]
    assert n_warnings(50_000, 50_000, 2048) == []


def test_missing_generators_are_not_offered():
    ghost = generators.GeneratorSpec("ghost", "Ghost", "no_such_family", "x", "GAN")
    assert not generators.is_available(ghost, "digits")
    with pytest.raises(ValueError, match="Unknown generator"):
        generators.generate("ghost", "digits", 4)


def test_available_generators_sample_images():
    specs = generators.available("digits")
    for spec in specs[:2]:
        out = generators.generate(spec.key, "digits", 6, seed=1)
        assert out.x0.shape == (6, 1, 8, 8) and 0 <= out.x0.min() and out.x0.max() <= 1 and out.seconds > 0


def test_diffusion_generator_reports_progress_and_equals_the_family_sampler():
    import torch

    import models.diffusion as diffusion

    calls = []
    out = generators.generate("ddim20", "digits", 5, seed=2, on_progress=lambda d, t: calls.append((d, t)))
    assert calls == [(i, generators.DIFFUSION_STEPS) for i in range(1, generators.DIFFUSION_STEPS + 1)]
    ref = diffusion.sample("digits", 5, 2, steps=generators.DIFFUSION_STEPS)
    assert torch.allclose(out.x0, ref, atol=1e-6)
