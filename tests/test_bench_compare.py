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


def test_rounds_merge_into_medians_with_the_range_over_every_round():
    from bench.stats import merge_rounds

    r1 = [{"area": "a", "measure": "m", "value": 1.0, "anchor_value": 4.0, "ratio": 0.25,
           "note": "min 0.9, max 1.1, n=3"},
          {"area": "a", "measure": "flaky", "value": None, "note": "failed"},
          {"area": "a", "measure": "no range", "value": 10.0}]
    r2 = [{"area": "a", "measure": "m", "value": 1.4, "anchor_value": 6.0, "ratio": 0.3,
           "note": "min 1.3, max 1.6, n=3"},
          {"area": "a", "measure": "flaky", "value": 2.0, "note": "min 1.5, max 2.5"},
          {"area": "a", "measure": "no range", "value": 12.0},
          {"area": "b", "measure": "new", "value": 3.0}]
    m = {r["measure"]: r for r in merge_rounds([r1, r2])}
    assert list(m) == ["m", "flaky", "no range", "new"]  # first round's order, then rows it lacked
    assert m["m"]["value"] == 1.2 and m["m"]["anchor_value"] == 5.0 and m["m"]["ratio"] == 0.275
    assert spread(m["m"]) == (0.9, 1.6)  # the merged range leads the note: bench.compare reads it
    assert m["flaky"]["value"] == 2.0 and spread(m["flaky"]) == (1.5, 2.5)  # a failed round is left out
    assert spread(m["no range"]) == (10.0, 12.0) and m["no range"]["value"] == 11.0
    # two runs whose rounds drifted apart still disagree when their merged ranges do not overlap
    far = merge_rounds([[{**r1[0], "value": 3.0, "note": "min 2.9, max 3.1"}],
                        [{**r1[0], "value": 3.2, "note": "min 3.1, max 3.3"}]])
    assert not agree(m["m"], far[0])
    assert merge_rounds([r1]) is r1 and merge_rounds([r1, []]) is r1


def test_percentile_confidence_interval_matches_scipy_and_is_read_as_the_range():
    """bench.stats.quantile_ci against scipy.stats.quantile_test's exact interval on the same samples (scipy
    gives nan where the upper rank would pass the largest sample; ours clamps to it), and the textbook
    ranks for the median of 16 (x_(4), x_(13), coverage 97.9%)."""
    import numpy as np
    from scipy import stats

    from bench.stats import percentile_note, quantile_ci

    rng = np.random.default_rng(0)
    for n in (16, 30, 90, 300):
        for q in (50, 95):
            x = rng.random(n)
            ref = stats.quantile_test(x, q=float(np.quantile(x, q / 100)), p=q / 100).confidence_interval(0.95)
            lo, hi = quantile_ci(list(x), q)
            assert lo == ref.low
            assert hi == (ref.high if np.isfinite(ref.high) else x.max())
    assert quantile_ci(list(range(1, 17)), 50) == (4, 13)
    note = percentile_note([0.1 * k for k in range(1, 17)], 50)
    assert spread({"note": f"protocol sessions; {note}"}) == (0.4, 1.3)
    # the first range in the note is the one shown: a merged note leads with the range over every round
    assert spread({"note": "over 2 rounds: min 0.2, max 1.5 (...); last round: 95% CI [0.4, 1.3]"}) == (0.2, 1.5)
