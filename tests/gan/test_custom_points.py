"""Parsing user points: what is read, what is refused and said."""

import numpy as np

from models.gan.custom_points import candidate_grid, format_points, parse_points


def test_parse_separators_comments_and_round_trip():
    pts, problems = parse_points("1, 2\n3;4\n 5\t6 # comment\n\n# only comment\n-1e-1 7")
    np.testing.assert_allclose(pts, [[1, 2], [3, 4], [5, 6], [-0.1, 7]])
    assert problems == []
    again, _ = parse_points(format_points(pts))
    np.testing.assert_allclose(again, pts, atol=1e-3)


def test_bad_lines_are_named_and_skipped():
    pts, problems = parse_points("1, 2\nabc\n1 2 3\nnan, 1\n1e9, 0")
    assert pts.shape == (1, 2)
    assert len(problems) == 4 and "line 2" in problems[0] and "two numbers" in problems[0]
    assert "finite" in problems[2]
    empty, none = parse_points("")
    assert empty.shape == (0, 2) and none == []


def test_candidate_grid():
    g = candidate_grid(5, 2.0)
    assert g.shape == (25, 2) and g.min() == -2 and g.max() == 2
