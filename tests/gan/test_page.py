"""AppTest of the GAN lab: every mode renders, trains, single-steps, reports bad input, survives errors."""

import json
import time

import pytest

from models.gan.presets import CLAIM_SEEDS, PRESETS
from models.runs.pool import default_pool

pytestmark = pytest.mark.slow


def _wait(at, cond, timeout=90.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        at.run()
        if cond(at):
            return at
        time.sleep(0.5)
    raise AssertionError(f"timed out; errors={[e.value for e in at.error]}, exceptions={[e.value for e in at.exception]}")


def _metric(at, label):
    return next((m.value for m in at.metric if m.label == label), None)


@pytest.fixture(autouse=True)
def _stop_runs():
    yield
    pool = default_pool()
    for key in list(pool._runs):
        pool.release(key)


def test_toy_mode_plays_steps_and_stops(app_test):
    at = app_test("gan")
    assert not at.exception
    assert [b.label for b in at.button][:7] == ["Play", "Pause", "Step D", "Step G", "Step", "Stop", "New run"]
    at.button(key="toy_step_d").click().run()
    _wait(at, lambda a: _metric(a, "D updates") == "1")
    assert _metric(at, "Step") == "0"
    at.button(key="toy_step_g").click().run()
    _wait(at, lambda a: _metric(a, "Step") == "1" and _metric(a, "D updates") == "1")
    at.button(key="toy_play").click().run()  # "Resume"
    _wait(at, lambda a: int(_metric(a, "Step").replace(",", "")) > 20)
    assert _metric(at, "Modes").endswith("/ 8")
    assert len(at.get("plotly_chart")) >= 4  # scene, losses, D outputs, mode metrics
    at.button(key="toy_stop").click().run()
    _wait(at, lambda a: any("Stopped after" in c.value for c in a.caption))
    assert not at.exception


def test_absurd_learning_rate_is_a_message_and_the_page_keeps_working(app_test):
    at = app_test("gan", loss="lsgan", dopt="sgd", gopt="sgd", dlr=10000, glr=10000)
    at.button(key="toy_play").click().run()
    _wait(at, lambda a: any("learning rate is too large" in e.value for e in a.error))
    assert not at.exception
    at.number_input(key="dlr").set_value(0.001).run()
    at.number_input(key="glr").set_value(0.001).run()
    at.selectbox(key="loss").set_value("nonsat").run()
    at.button(key="toy_play").click().run()
    _wait(at, lambda a: (_metric(a, "Step") or "0") not in ("0",) and not a.error)


def test_bad_url_values_are_clamped_with_a_notice(app_test):
    at = app_test("gan", k=99, toy="nope", width="abc")
    notices = " ".join(w.value for w in at.warning)
    assert "clamped to 10" in notices and "toy=nope" in notices and "width=abc" in notices
    assert at.slider(key="k").value == 10 and not at.exception


def test_custom_points_mode(app_test):
    at = app_test("gan", toy="custom")
    assert any("at least 2 points" in i.value for i in at.info)
    at.text_area(key="pts_text").set_value("0, 0\n1, 1\nhello\n2, 0").run()
    assert any("line 3" in w.value for w in at.warning)
    at.button(key="toy_step").click().run()
    _wait(at, lambda a: _metric(a, "Step") == "1")
    assert _metric(at, "Modes") is None and not at.exception


def test_grid_toy_with_wgan_gp(app_test):
    at = app_test("gan", toy="grid25", loss="wgan-gp", k=5)
    at.button(key="toy_step").click().run()
    _wait(at, lambda a: _metric(a, "Step") == "1")
    assert _metric(at, "D updates") == "5" and _metric(at, "Modes").endswith("/ 25")


def test_images_mode_shows_shipped_samples_and_trains(app_test):
    at = app_test("gan", mode="images", dataset="digits", kind="cgan", digit=7)
    assert not at.exception
    assert any("Shipped cgan generator" in str(c.proto.spec) for c in at.get("plotly_chart"))
    at.button(key="img_play").click().run()
    _wait(at, lambda a: int((_metric(a, "Step") or "0").replace(",", "")) >= 101)
    assert at.slider(key="img_snap") is not None  # snapshots every 100 steps can be scrubbed
    at.button(key="img_stop").click().run()
    assert not at.exception


def test_images_mode_with_fashion_says_what_is_missing(app_test):
    at = app_test("gan", mode="images", dataset="fashion")
    assert at.error and "Fashion" in at.error[0].value
    assert not at.exception


@pytest.mark.parametrize("toy,loss", [("moons", "minimax"), ("spiral", "nonsat"), ("ring8", "minimax")])
def test_every_toy_and_the_vanilla_loss_step(app_test, toy, loss):
    """Each toy (and the original minimax loss, whose mode coverage the page shows whatever it is)."""
    at = app_test("gan", toy=toy, loss=loss)
    assert not at.exception
    at.button(key="toy_step").click().run()
    _wait(at, lambda a: _metric(a, "Step") == "1")
    covered = _metric(at, "Modes")
    assert (covered is not None and covered.endswith("/ 8")) if toy == "ring8" else covered is None
    assert not at.exception and not at.error


@pytest.mark.parametrize("kind", ["dense", "dcgan"])
def test_images_mode_dense_and_dcgan_train_on_digits(app_test, kind):
    at = app_test("gan", mode="images", dataset="digits", kind=kind)
    assert not at.exception
    assert any(f"Shipped {kind} generator" in str(c.proto.spec) for c in at.get("plotly_chart"))
    at.button(key="img_play").click().run()
    _wait(at, lambda a: int((_metric(a, "Step") or "0").replace(",", "")) >= 5)
    at.button(key="img_stop").click().run()
    assert not at.exception and not at.error


def test_data_and_untrained_networks_are_drawn_before_play(app_test):
    """As in Google's GAN Lab: the real data, G's first samples and D's heat map before any run starts."""
    at = app_test("gan")
    assert not default_pool()._runs  # nothing trains
    assert _metric(at, "Step") == "0" and _metric(at, "D updates") == "0"
    scene = json.loads(at.get("plotly_chart")[0].proto.spec)["data"]
    assert {t["type"] for t in scene} >= {"heatmap", "scatter"}
    assert {t.get("name") for t in scene} >= {"real", "generated"}
    assert any("Untrained networks" in c.value for c in at.caption)


@pytest.mark.parametrize("name", ["collapse", "wgan"])
def test_preset_links_set_what_the_claims_test_trains(app_test, name):
    """Each preset link on the page opens these widget values (tests/gan/test_claims.py trains them)."""
    preset = PRESETS[name]
    at = app_test("gan")
    assert any(f"](?{preset.query()})" in m.value for m in at.markdown)
    at = app_test("gan", **preset.params)
    for key, value in preset.params.items():
        assert type(value)(at.session_state[key]) == value, key
    assert at.session_state["seed"] == CLAIM_SEEDS[0]


def test_a_stopped_run_continues_from_its_checkpoint(app_test):
    """Stop writes the run's checkpoint (weights, optimisers, step, random state); "Continue from step N"
    trains on from exactly there, in this tab."""
    at = app_test("gan")
    at.button(key="toy_play").click().run()
    _wait(at, lambda a: int((_metric(a, "Step") or "0").replace(",", "")) > 30)
    at.button(key="toy_stop").click().run()
    _wait(at, lambda a: any("Stopped after" in c.value for c in a.caption))
    key = next(k for k in default_pool()._runs if k.startswith("gan/"))
    stopped = default_pool().get(key)
    assert stopped.join(10)
    n = stopped.snapshot().steps
    _wait(at, lambda a: any(b.label == f"Continue from step {n:,}" for b in a.button))
    at.button(key="toy_continue").click().run()
    run = default_pool().get(key)
    assert run is not stopped
    _wait(at, lambda a: run.resumed_from == n and run.snapshot().steps > n)
    assert not at.exception
