"""AppTest: the latent explorer loads shipped weights, its sliders, buttons and deep links work."""

import time

import pytest
import torch

from models.latent import explore
from models.data import load_images


def _decoded_url(at):
    return next(i for i in at.image if any("decoder at z" in c for c in i.captions)).value[0]


def test_sliders_move_the_decoded_image_and_weights_are_shipped(app_test):
    at = app_test("latent", dataset="digits", timeout=300)
    assert not at.exception, at.exception
    assert [s.key for s in at.slider][:2] == ["z1", "z2"]
    before = _decoded_url(at)
    at.slider(key="z1").set_value(2.5).run()
    assert not at.exception
    assert _decoded_url(at) != before
    captions = " ".join(c.value for c in at.caption)
    assert captions.count("shipped weights") == 3 and "trained here" not in captions
    shipped = explore.load("vae", "digits", 2).metrics["test_elbo"]
    assert f"test ELBO {shipped:.1f} nats" in captions  # the comparison, open on arrival
    at = app_test("latent", dataset="digits", section="Inside the VAE", timeout=300)
    elbo = next(m for m in at.metric if "ELBO" in m.label)
    assert float(elbo.value) == pytest.approx(shipped, abs=0.01)


def test_buttons_set_the_code_from_the_prior_and_from_a_test_image(app_test):
    at = app_test("latent", dataset="digits", timeout=300)
    model = explore.load("vae", "digits", 2).model
    at.number_input(key="img").set_value(7).run()
    next(b for b in at.button if b.label.startswith("Encode image")).click().run()
    z = explore.encode(model, load_images("digits", "test").x[7:8])[0]
    got = torch.tensor([at.slider(key="z1").value, at.slider(key="z2").value])
    torch.testing.assert_close(got, z.clamp(-4, 4), atol=0.006, rtol=0)
    next(b for b in at.button if b.label == "Sample prior").click().run()
    prior = explore.prior_codes("vae", {}, 2, 1, 1)[0]  # seed 0, first draw
    got = torch.tensor([at.slider(key="z1").value, at.slider(key="z2").value])
    torch.testing.assert_close(got, prior.clamp(-4, 4), atol=0.006, rtol=0)
    assert not at.exception


def test_out_of_range_query_parameters_are_clamped_with_a_notice(app_test):
    at = app_test("latent", z1="99", img="-5", steps="100", model="GAN", section="Interpolation", timeout=300)
    notices = " ".join(w.value for w in at.warning)
    assert "z1=99" in notices and "clamped to 4" in notices
    assert "img=-5" in notices and "steps=100" in notices and "model=GAN" in notices
    assert at.slider(key="z1").value == 4.0 and at.slider(key="steps").value == 16
    assert at.number_input(key="img").value == 0
    assert not at.exception


def test_interpolation_draws_lerp_and_slerp_strips_that_follow_the_inputs(app_test):
    at = app_test("latent", dim="16", section="Interpolation", timeout=300)
    assert len([s for s in at.slider if s.key.startswith("z")]) == 16
    strips = {c: i.value[0] for i in at.image for c in i.captions if c.startswith(("lerp", "slerp"))}
    assert len(strips) == 2
    at.number_input(key="b").set_value(5).run()
    after = {c: i.value[0] for i in at.image for c in i.captions if c.startswith(("lerp", "slerp"))}
    assert "lerp: test image #0 to #5" in after and set(after.values()).isdisjoint(strips.values())
    assert not at.exception


def test_sections_below_the_explorer_run_one_at_a_time(app_test):
    """Only the open tab's section runs: the comparison by default, another one from ?section=; a section name
    that does not exist gets a notice and the default."""
    at = app_test("latent", timeout=300)
    subheads = [h.value for h in at.subheader]
    assert any(h.startswith("AE vs VAE vs AAE") for h in subheads) and "Inside the VAE" not in subheads
    assert not [i for i in at.image for c in i.captions if c.startswith("lerp")]
    at = app_test("latent", section="Inside the VAE", timeout=300)
    subheads = [h.value for h in at.subheader]
    assert "Inside the VAE" in subheads and not any(h.startswith("AE vs VAE vs AAE") for h in subheads)
    assert any(m.label.startswith("Test-set ELBO") for m in at.metric)
    at = app_test("latent", section="Decoder", timeout=300)
    assert any("section=Decoder" in w.value for w in at.warning)
    assert any(h.startswith("AE vs VAE vs AAE") for h in (h.value for h in at.subheader))
    assert not at.exception


def test_fashion_without_data_explains_instead_of_crashing(app_test, monkeypatch, tmp_path):
    monkeypatch.setenv("GENLAB_DATA_DIR", str(tmp_path))
    from models.data.images import _load_cached
    _load_cached.cache_clear()
    import models.data.images as images
    monkeypatch.setattr(images, "_download", lambda cls, root: None)
    at = app_test("latent", dataset="fashion", timeout=300)
    assert not at.exception
    assert any("Fashion-MNIST" in e.value for e in at.error)
    _load_cached.cache_clear()


@pytest.mark.slow
def test_beta_retrain_runs_live_and_shows_both_loss_terms(app_test):
    at = app_test("latent", beta="8", epochs="5", section="beta-VAE", timeout=300)
    at.button(key="beta_play").click().run()
    deadline = time.time() + 240
    while time.time() < deadline and not at.success:
        time.sleep(1.0)
        at.run()  # run_every does not tick in AppTest
    assert not at.exception, at.exception
    assert at.success and "beta = 8" in at.success[0].value
    heads = [h.value for h in at.subheader]
    assert "beta = 1 (shipped)" in heads and "beta = 8 (retrained)" in heads
    notes = [m.value for m in at.markdown if m.value.startswith("Held out")]
    kl = [float(n.split("KL **")[1].split("**")[0]) for n in notes]
    assert len(kl) == 2 and kl[1] < kl[0]  # beta = 8 pays 8x for KL: it keeps less of it
