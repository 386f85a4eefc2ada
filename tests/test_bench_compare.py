"""bench.compare: two runs agree when their ranges over repeats overlap."""

from bench.compare import agree, spread


def test_ranges_are_read_from_the_note():
    assert spread({"note": "wall clock, min 0.5, max 1.25e+01, n=5; 1 thread"}) == (0.5, 12.5)
    assert spread({"note": "no range here"}) is None
    # a unit after each number, as the zoo and gendisc rows write them
    assert spread({"note": "median of 3, min 0.188 s, max 0.223 s, 2.00 ms/step"}) == (0.188, 0.223)


def test_overlapping_ranges_agree_and_disjoint_ones_do_not():
    a = {"value": 1.0, "note": "min 0.9, max 1.1, n=3"}
    assert agree(a, {"value": 1.05, "note": "min 1.0, max 1.2, n=3"})
    assert not agree(a, {"value": 2.0, "note": "min 1.9, max 2.1, n=3"})


def test_rows_without_ranges_compare_medians_within_ten_percent():
    assert agree({"value": 100.0}, {"value": 109.0})
    assert not agree({"value": 100.0}, {"value": 130.0})
    assert agree({"value": None}, {"value": None}) and not agree({"value": None}, {"value": 1.0})
