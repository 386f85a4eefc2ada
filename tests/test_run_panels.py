"""One run panel on every page that trains (issue 21): the same buttons, in the same order, with the same
labels, and Pause -> Resume working on each (AppTest; the GAN lab's is also driven in Chromium).

Each page is opened on a small setting; Play starts a run of that page's job, Pause holds it, the panel then
offers Resume, and Resume sets it training again.
"""

from __future__ import annotations

import time

import pytest

from models.runs.pool import default_pool
from models.runs.run import PAUSED, RUNNING

pytestmark = pytest.mark.slow

# page, URL parameters that put its panel on screen with a small job, the panel's widget-key prefix
PANELS = [
    ("gan", {"toy": "ring8"}, "toy"),
    ("gan", {"mode": "images", "dataset": "digits"}, "img"),
    ("ddpm", {"dataset": "digits", "train_steps": "400"}, "train"),
    ("pca", {}, "pca_linear"),
    ("pca", {"section": "Curved data", "steps": "3000"}, "pca_manifold"),
    ("latent", {"dataset": "digits", "section": "beta-VAE"}, "beta"),
    ("zoo", {"dataset": "digits", "variants": "stacked", "steps": "3000"}, "zoo"),
]
BUTTONS = ("play", "pause", "step", "stop", "new")


@pytest.fixture(autouse=True)
def _release_runs():
    yield
    pool = default_pool()
    for key in list(pool._runs):
        pool.release(key)


def _panel(at, prefix):
    return [at.button(key=f"{prefix}_{b}") for b in BUTTONS]


def _wait(at, cond, timeout=120.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        at.run()
        if cond():
            return
        time.sleep(0.3)
    raise AssertionError(f"timed out; exceptions: {[e.value for e in at.exception]}")


@pytest.mark.parametrize("url_path,query,prefix", PANELS, ids=[p[2] for p in PANELS])
def test_the_same_panel_and_pause_resume_on_every_training_page(app_test, url_path, query, prefix):
    at = app_test(url_path, timeout=300, **query)
    assert not at.exception
    buttons = _panel(at, prefix)
    assert [b.label for b in buttons] == ["Play", "Pause", "Step", "Stop", "New run"]
    reference = app_test("gan", toy="ring8")
    assert [b.help for b in buttons] == [b.help for b in _panel(reference, "toy")]  # word for word
    at = app_test(url_path, timeout=300, **query)
    at.button(key=f"{prefix}_play").click().run()
    run = next(r for k, r in default_pool()._runs.items() if r.snapshot().active)
    _wait(at, lambda: run.snapshot().status == RUNNING and run.snapshot().advances > 0)
    at.button(key=f"{prefix}_pause").click().run()
    assert run.snapshot().status == PAUSED
    at.run()
    assert at.button(key=f"{prefix}_play").label == "Resume"
    at.button(key=f"{prefix}_play").click().run()
    assert run.snapshot().status in (RUNNING, "done")
    assert not at.exception
