"""The 2-D scenarios teach what their names say: measured PRDC on the ring of 8, and the balls figure."""

import numpy as np
import pytest

from models.fid.prdc import prdc
from models.fid.prdc_figures import balls_figure
from models.fid.prdc_toys import SCENARIOS, generated_points, real_points


@pytest.fixture(scope="module")
def scores():
    real = real_points()
    return {s: prdc(real, generated_points(s)) for s in SCENARIOS}


def test_good_generator_scores_high_on_all_four(scores):
    g = scores["good"]
    assert min(g.precision, g.recall, g.coverage) > 0.8 and 0.7 < g.density < 1.3, g


def test_collapse_keeps_precision_and_loses_recall_and_coverage(scores):
    c = scores["collapsed"]
    assert c.precision > 0.8 and c.recall < 0.3 and c.coverage < 0.3, c


def test_noise_keeps_recall_and_loses_precision_and_density(scores):
    n = scores["noisy"]
    assert n.recall > 0.8 and n.precision < 0.6 and n.density < 0.5, n
    assert n.recall > scores["collapsed"].recall and n.precision < scores["collapsed"].precision


def test_shift_lowers_precision_and_coverage_from_the_good_generator(scores):
    s, g = scores["shifted"], scores["good"]
    assert s.precision < g.precision and s.coverage < g.coverage


def test_balls_figure_draws_one_circle_per_centre():
    real, fake = real_points(50), generated_points("collapsed", 40)
    for show, centres in (("real", real), ("fake", fake)):
        fig = balls_figure(real, fake, show=show)
        circles = fig.data[0]
        assert np.isnan(np.asarray(circles.x, dtype=float)).sum() == len(centres)
        assert [t.name for t in fig.data[1:]] == ["real (set A)", "generated (set B)"]
        assert fig.data[1].marker.symbol != fig.data[2].marker.symbol  # a second cue besides colour


def test_ppl_strip_figure_shows_every_image_and_length():
    from models.fid.figures_ppl import strip_figure

    strip = np.random.default_rng(0).random((7, 28, 28)).astype(np.float32)
    fig = strip_figure(strip, np.arange(7.0))
    assert np.asarray(fig.data[0].z).shape == (28, 7 * 28)
    assert list(fig.data[1].y) == list(range(7))
