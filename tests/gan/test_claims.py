"""The GAN lab's result sentences, checked on the page's own settings.

The preset links state results: the collapse preset covers at most 3 of the ring's 8 modes, the WGAN-GP
preset at least 7, for seeds 0-2 at the run length the link sets. Each preset is trained here with
``toy_steps`` (the page's training generator) and measured with the page's mode metric
(``models.gan.metrics.mode_stats`` on 2,500 samples from the fixed noise the page uses), at exactly the
step the page's run stops at. The page's own AppTest checks that each link sets these widgets.
"""

import functools

import numpy as np
import pytest

from models.gan.presets import CLAIM_SEEDS, PRESETS
from models.gan.toy_train import toy_steps


def final_state(preset, seed):
    """The last state of the preset's run on the page: trained to ``preset.steps``, views refreshed
    (each preset and seed trained once per test session: the runs are deterministic)."""
    return _final_state(next(k for k, v in PRESETS.items() if v is preset), seed)


@functools.lru_cache(maxsize=None)
def _final_state(name, seed):
    preset = PRESETS[name]
    state = None
    for state in toy_steps(preset.config(seed), views_every_s=float("inf"), max_steps=preset.steps):
        pass
    assert state.step == preset.steps  # the generator ends exactly at the run length
    return state


@pytest.mark.parametrize("seed", CLAIM_SEEDS)
def test_collapse_preset_collapses(seed):
    """At most 3 of 8 modes covered, and it is a collapse, not a generator that learned nothing: many
    samples sit on a mode (within 3 sigma), crowded into those few."""
    preset = PRESETS["collapse"]
    modes = final_state(preset, seed).views.modes
    assert modes.n_modes == 8
    assert modes.modes_covered <= preset.max_covered, modes
    assert modes.high_quality >= 0.3, modes  # on the ring's modes, not stuck in between
    top = np.sort(modes.counts)[::-1]
    assert top[:preset.max_covered].sum() >= 0.9 * modes.counts.sum(), modes  # and on those few


@pytest.mark.parametrize("seed", CLAIM_SEEDS)
def test_wgan_gp_preset_covers_the_ring(seed):
    preset = PRESETS["wgan"]
    modes = final_state(preset, seed).views.modes
    assert modes.modes_covered >= preset.min_covered, modes


def test_free_running_counters_agree():
    """While running freely, D updates = k x Step at every state (the page's two counters); a single D
    step adds one D update and no step, a single G step one step and no D update."""
    preset = PRESETS["wgan"]  # k = 5
    k = preset.config().k_d
    steps = toy_steps(preset.config(), views_every_s=float("inf"))
    state = next(steps)
    assert (state.step, state.d_updates) == (0, 0)
    for _ in range(20):
        state = next(steps)
        assert state.d_updates == k * state.step
    state = steps.send("d")
    assert (state.step, state.d_updates) == (20, 20 * k + 1)
    state = steps.send("g")
    assert (state.step, state.d_updates) == (21, 20 * k + 1)
    steps.close()


def test_precision_and_recall_tell_collapse_from_coverage():
    """The mode chart's precision and recall (models/fid/prdc.py on the shown points) at the presets' ends:
    the collapsed run keeps its precision and loses recall; the WGAN-GP run keeps both."""
    collapse = final_state(PRESETS["collapse"], 0).history["modes"]
    wgan = final_state(PRESETS["wgan"], 0).history["modes"]
    assert len(collapse["precision"]) == len(collapse["recall"]) == len(collapse["step"])
    assert collapse["precision"][-1] > 0.55 and collapse["recall"][-1] < 0.4, collapse  # measured 0.64, 0.23
    assert wgan["recall"][-1] > collapse["recall"][-1] + 0.3, (wgan, collapse)
