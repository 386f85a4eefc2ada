"""ui.live.figure: one plotly figure per snapshot, however many sessions draw it."""

import numpy as np

from ui import live


def _make(calls):
    def chart(hist, *, height=100):
        calls.append((id(hist), height))
        return {"hist": hist, "height": height}
    return chart


def test_a_snapshot_is_built_once_for_every_session_that_draws_it():
    calls = []
    chart = _make(calls)
    hist = {"step": np.arange(3)}
    first = live.figure(chart, hist, height=230)
    assert live.figure(chart, hist, height=230) is first  # a second session, the same snapshot
    assert len(calls) == 1
    live.figure(chart, hist, height=240)  # other options: another figure
    equal_copy = {"step": np.arange(3)}   # equal content but a new snapshot: built again
    assert live.figure(chart, equal_copy, height=230) is not first
    assert len(calls) == 3


def test_the_cache_is_bounded_and_never_confuses_a_reused_id():
    calls = []
    chart = _make(calls)
    for i in range(live.FIGURES_KEPT * 3):
        live.figure(chart, {"i": i})  # each dict is dropped after the call unless the cache keeps it
    assert len(live._FIGURES) <= live.FIGURES_KEPT
    # the cache holds its sources, so the ids it keys on stay unique while cached: every call built anew
    assert len(calls) == live.FIGURES_KEPT * 3
