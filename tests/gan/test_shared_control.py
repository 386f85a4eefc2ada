"""Lecture-hall trust (AppTest): only the browser that started a shared run, or one holding the lecturer
link, may pause, step, stop or replace it; the others see who controls it, and their clicks are refused in
the control code even when they arrive (a button drawn before the run changed hands).

The lecturer's browser is a real run in the real pool, started under another session id (AppTest's own
session is always "test session id").
"""

import time

import pytest

from models.gan.config import ToyConfig
from models.gan.toy_trainer import toy_job
from models.runs.pool import default_pool
from models.runs.run import PAUSED, RUNNING

pytestmark = pytest.mark.slow

TOKEN = "correct horse battery staple"


@pytest.fixture(autouse=True)
def _clean(monkeypatch):
    monkeypatch.delenv("GENLAB_LECTURER_TOKEN", raising=False)
    yield
    pool = default_pool()
    for key in list(pool._runs):
        pool.release(key)


def lecturers_run():
    """A shared run some other browser started, training."""
    run = default_pool().submit("gan/shared", toy_job(ToyConfig()),
                                owner="the lecturer's browser")
    wait(lambda: run.snapshot().status == RUNNING and run.snapshot().latest is not None)
    return run


def wait(cond, timeout=60.0, at=None):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if at is not None:
            at.run()
        if cond():
            return
        time.sleep(0.2)
    raise AssertionError("timed out")


def button(at, key):
    return at.button(key=key)


def test_a_viewer_sees_who_controls_and_every_control_is_disabled(app_test):
    run = lecturers_run()
    at = app_test("gan", shared="true")
    for key in ("toy_play", "toy_pause", "toy_step_d", "toy_step_g", "toy_step", "toy_stop", "toy_new"):
        assert button(at, key).disabled, key
    assert any("Controlled by the browser that started it" in c.value for c in at.caption)
    assert run.snapshot().status == RUNNING and not at.exception


@pytest.mark.parametrize("key", ["toy_new", "toy_step_d", "toy_play"])
def test_a_click_drawn_before_the_lecturer_started_is_refused(app_test, key):
    """The student's page was drawn while no shared run existed (every button enabled); the lecturer then
    starts one; the student's click must not replace, step or restart it. The controls decide who may act
    in the run that receives the click (a button they then draw disabled loses its click: Streamlit drops a
    disabled widget's value on the server)."""
    at = app_test("gan", shared="true")
    assert not button(at, key).disabled
    run = lecturers_run()
    at.button(key=key).click().run()
    assert default_pool().get("gan/shared") is run
    assert button(at, key).disabled
    snap = run.snapshot()
    assert snap.status == RUNNING and not at.exception


def test_the_starting_browser_controls_its_shared_run(app_test):
    at = app_test("gan", shared="true")
    at.button(key="toy_play").click().run()
    run = default_pool().get("gan/shared")
    # Resume is offered for a run that has trained (a run paused before its first step offers Play)
    wait(lambda: run.snapshot().status == RUNNING and run.snapshot().advances > 1, at=at)
    assert any("You control this run" in c.value for c in at.caption)
    at.button(key="toy_pause").click().run()
    assert run.snapshot().status == PAUSED
    at.run()  # the next redraw (a second later in a browser) offers Resume
    assert at.button(key="toy_play").label == "Resume"
    at.button(key="toy_play").click().run()
    assert run.snapshot().status == RUNNING


def test_the_lecturer_link_controls_it_and_leaves_the_address_bar(app_test, monkeypatch):
    monkeypatch.setenv("GENLAB_LECTURER_TOKEN", TOKEN)
    run = lecturers_run()
    at = app_test("gan", shared="true", lecturer=TOKEN)
    assert "lecturer" not in at.query_params  # the projector shows the URL to the room
    assert not button(at, "toy_pause").disabled
    at.button(key="toy_pause").click().run()
    assert run.snapshot().status == PAUSED
    at.run()  # later runs of the page remember the link without the parameter
    assert not button(at, "toy_stop").disabled


def test_a_wrong_token_is_a_viewer(app_test, monkeypatch):
    monkeypatch.setenv("GENLAB_LECTURER_TOKEN", TOKEN)
    run = lecturers_run()
    at = app_test("gan", shared="true", lecturer="guess")
    assert any("token is wrong" in w.value for w in at.warning)
    assert button(at, "toy_pause").disabled and button(at, "toy_stop").disabled
    assert run.snapshot().status == RUNNING


def test_with_a_token_only_the_lecturer_starts_a_shared_run(app_test, monkeypatch):
    monkeypatch.setenv("GENLAB_LECTURER_TOKEN", TOKEN)
    at = app_test("gan", shared="true")
    assert button(at, "toy_play").disabled
    assert any("Only the lecturer starts shared runs" in c.value for c in at.caption)
    assert all(button(at, k).disabled for k in ("toy_step", "toy_step_d", "toy_new"))
    # a tab's own run is its own business
    at.toggle(key="shared").set_value(False).run()
    assert not button(at, "toy_play").disabled


def test_control_passes_on_when_the_starting_browser_has_gone(app_test):
    """Without a token, a shared run whose browser session ended (Streamlit released it) can be paused by
    whoever watches, instead of training on unstoppably."""
    from ui import live

    run = lecturers_run()
    at = app_test("gan", shared="true")
    assert button(at, "toy_pause").disabled
    live._left("the lecturer's browser")  # what Streamlit's on_release calls when that session ends
    try:
        at.run()
        assert not button(at, "toy_pause").disabled
        at.button(key="toy_pause").click().run()
        assert run.snapshot().status == PAUSED
    finally:
        live._GONE.discard("the lecturer's browser")
