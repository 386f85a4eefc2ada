"""The DDPM page in AppTest: the t slider, sampling, denoising an uploaded PNG, deep links, training."""

import io

import numpy as np
import pytest
from PIL import Image


def _png(array: np.ndarray) -> bytes:
    buf = io.BytesIO()
    Image.fromarray((array * 255).astype(np.uint8)).save(buf, format="PNG")
    return buf.getvalue()


def _no_exception(at):
    assert not at.exception, [e.value for e in at.exception]



def test_forward_slider_moves_and_statistics_follow(app_test):
    at = app_test("ddpm", timeout=300)
    _no_exception(at)
    at.slider(key="t").set_value(1000).run()
    _no_exception(at)
    stats = at.dataframe[0].value
    # at t = T both samplers are N(0, 1): empirical and theoretical moments agree
    assert list(stats["method"]) == ["closed form q(x_t | x_0)", "iterated q(x_t | x_t-1)"]
    np.testing.assert_allclose(stats["variance"], stats["theory variance"], rtol=0.2)
    assert abs(stats["theory variance"][0] - 1) < 1e-3
    at.slider(key="t").set_value(0).run()
    assert at.dataframe[0].value["variance"][0] == pytest.approx(at.dataframe[0].value["theory variance"][0])


def test_sample_with_ddim(app_test):
    at = app_test("ddpm", dataset="digits", n=4, timeout=300)
    at.button(key="sample_btn").click().run()
    _no_exception(at)
    assert [m.value for m in at.metric][0] == "50"
    tl = at.session_state["ddpm_timeline"][0]
    assert tl.final.shape == (4, 8, 8) and tl.nfe == 50
    assert any(b.label.startswith("Download the timeline") for b in at.get("download_button"))


@pytest.mark.slow
def test_sample_with_ddpm_1000_steps(app_test):
    at = app_test("ddpm", n=2, rmethod="ddpm", timeout=300)
    assert at.radio(key="rmethod").value == "ddpm"
    at.radio(key="rvar").set_value("beta").run()
    at.button(key="sample_btn").click().run()
    _no_exception(at)
    assert at.session_state["ddpm_timeline"][0].nfe == 1000
    assert any(b.label.startswith("Download the timeline") for b in at.get("download_button"))


def test_denoise_an_uploaded_png(app_test):
    from models.data import load_images

    digit = load_images("digits", "test").x[5, 0].numpy()
    big = np.kron(1 - digit, np.ones((8, 8)))  # a 64x64 dark digit on white paper, as a phone photo would be
    at = app_test("ddpm", tstar=200, timeout=300)
    at.radio(key="dsrc").set_value("upload").run()
    at.file_uploader(key="dup").set_value(("digit.png", _png(big), "image/png")).run()
    _no_exception(at)
    assert any("inverted" in c.value for c in at.caption)
    at.button(key="denoise_btn").click().run()
    _no_exception(at)
    res = at.session_state["ddpm_denoise"][0]
    assert res.t_star == 200 and res.timeline.nfe == 10
    assert res.psnr_denoised > res.psnr_noisy  # the reverse process removes noise


def test_bad_upload_and_bad_deep_link_explain(app_test):
    at = app_test("ddpm", t=99999, T=7, timeout=300)
    _no_exception(at)
    notices = " ".join(w.value for w in at.warning)
    assert "clamped" in notices and "T=7" in notices
    assert at.slider(key="t").value == 1000
    at.radio(key="fsrc").set_value("upload").run()
    at.file_uploader(key="fup").set_value(("notes.png", b"this is not a picture", "image/png")).run()
    _no_exception(at)
    assert at.warning and at.info  # the decoder's message, then the fallback to a dataset image
    assert at.dataframe[0].value.shape[0] == 2


@pytest.mark.slow
def test_mnist_samples_from_the_shipped_model(app_test):
    at = app_test("ddpm", dataset="mnist", n=2, rsteps=10, timeout=300)
    at.button(key="sample_btn").click().run()
    _no_exception(at)
    tl = at.session_state["ddpm_timeline"][0]
    assert tl.final.shape == (2, 28, 28) and tl.nfe == 10
    assert "shipped" in at.session_state["ddpm_timeline"][4] and "pretrained" in at.session_state["ddpm_timeline"][4]


def _train_until_done(at, timeout_s: float = 120):
    """Press Play (the run panel's) and redraw until the run reports done; returns the progress text."""
    import time

    at.button(key="train_play").click().run()
    _no_exception(at)
    deadline = time.time() + timeout_s
    while time.time() < deadline:
        time.sleep(1)
        at.run()
        if any("(done)" in c.value for c in at.caption):
            break
    _no_exception(at)
    bars = [str(p.proto.text) for p in at.get("progress") if "Step" in str(p.proto.text)]
    return bars[0] if bars else ""


def test_train_on_the_page_then_use_the_model(app_test):
    at = app_test("ddpm", dataset="digits", train_steps=60, timeout=300)
    assert not [b for b in at.button if b.key == "train_use"]  # nothing trained yet: no model to use
    assert "Step 60 of 60" in _train_until_done(at)
    assert not at.button(key="train_use").disabled
    at.button(key="train_use").click().run()
    _no_exception(at)
    # the trained EMA comes from the run's checkpoint, written when it finished
    assert at.session_state["ddpm_own"]["steps"] == 60 and at.session_state["use_own"]
    at.button(key="sample_btn").click().run()
    assert "trained on this page" in at.session_state["ddpm_timeline"][4]


def test_denoise_with_a_page_model_of_small_T(app_test):
    """A model trained here with T = 100 puts t* on its own axis: the slider stops at 100, Denoise works."""
    at = app_test("ddpm", dataset="digits", train_steps=50, T=100, tstar=300, timeout=300)
    assert "Step 50 of 50" in _train_until_done(at)
    at.button(key="train_use").click().run()
    _no_exception(at)
    assert at.session_state["ddpm_own"]["config"].T == 100
    at.run()
    assert at.slider(key="tstar").max == 100 and at.slider(key="tstar").value <= 100
    at.button(key="denoise_btn").click().run()
    _no_exception(at)
    assert at.session_state["ddpm_denoise"][0].t_star <= 100


def test_one_step_then_use_that_model(app_test):
    """Step trains one step and pauses; after Stop (which writes the run's checkpoint) the model of that step
    is the one used."""
    import time

    at = app_test("ddpm", dataset="digits", train_steps=50, timeout=300)
    at.button(key="train_step").click().run()
    deadline = time.time() + 60
    while time.time() < deadline and not any("at step 1 of 50" in c.value for c in at.caption):
        time.sleep(1)
        at.run()
    _no_exception(at)
    assert any("at step 1 of 50" in c.value and "(paused)" in c.value for c in at.caption)
    at.button(key="train_stop").click().run()
    deadline = time.time() + 30
    while time.time() < deadline and not any("(stopped)" in c.value for c in at.caption):
        time.sleep(0.5)
        at.run()
    at.button(key="train_use").click().run()
    _no_exception(at)
    assert at.session_state["ddpm_own"]["steps"] == 1 and at.session_state["use_own"]
