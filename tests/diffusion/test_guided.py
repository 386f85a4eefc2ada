"""Inpainting (RePaint) and super-resolution (ILVR) with the shipped unconditional MNIST U-Net, on held-out
digits: exact consistency with the observation, and measured gains over the naive answers."""

import pytest
import torch
import torch.nn.functional as F

from models.classifier import load_classifier
from models.diffusion.api import load_model
from models.diffusion.forward import to_model_range, to_pixels
from models.diffusion.guided import (MASKS, downsample, ilvr, low_pass, mask_preset, repaint,
                                     upsample_reference)
from models.diffusion.samplers import as_eps_fn, last
from models.diffusion.schedules import make_schedule

N = 32


@pytest.fixture(scope="module")
def setup(mnist_test):
    loaded = load_model("mnist")
    sched = make_schedule(loaded.config.schedule, loaded.config.T)
    return as_eps_fn(loaded.model.eval()), sched, mnist_test.x[:N], mnist_test.y[:N], load_classifier("mnist")


def _acc(clf, img, y):
    with torch.no_grad():
        return float((clf(img).argmax(1) == y).float().mean())


def _psnr(a, b, where=None):
    d = (a - b) ** 2
    if where is not None:
        d = d[where.expand_as(d).bool()]
    return float(10 * torch.log10(1 / d.mean()))


def test_fully_known_mask_returns_the_image(setup):
    eps_fn, sched, x, _, _ = setup
    x0 = to_model_range(x[:4])
    out = last(repaint(eps_fn, sched, x0, torch.ones(1, 1, 28, 28), steps=5, resample=2)).x_t
    assert torch.equal(out, x0)


def test_steps_times_resampling_network_calls(setup):
    eps_fn, sched, x, _, _ = setup
    steps = list(repaint(eps_fn, sched, to_model_range(x[:2]), mask_preset("bottom"), steps=6, resample=3))
    assert len(steps) == 6 and steps[-1].nfe == 18 == steps[-1].total and steps[-1].t == 0


def test_repaint_fills_the_centre_better_than_leaving_it_black(setup):
    eps_fn, sched, x, y, clf = setup
    m = mask_preset("centre")
    gen = torch.Generator().manual_seed(0)
    out = to_pixels(last(repaint(eps_fn, sched, to_model_range(x), m, steps=25, resample=2, generator=gen)).x_t)
    naive = x * m
    assert torch.allclose(out * m, x * m, atol=1e-6)  # the known pixels are kept
    hole = 1 - m
    assert _psnr(out, x, hole) > _psnr(naive, x, hole) + 2.0
    assert _acc(clf, out, y) > _acc(clf, naive, y) + 0.2


@pytest.mark.parametrize("factor", [4, 2])
def test_ilvr_super_resolution_keeps_the_small_image_and_beats_bilinear(setup, factor):
    eps_fn, sched, x, y, clf = setup
    small = downsample(to_model_range(x), factor)  # (N, 1, 28/f, 28/f)
    ref = upsample_reference(small, factor)
    out = last(ilvr(eps_fn, sched, ref, factor, steps=25, generator=torch.Generator().manual_seed(0))).x_t
    # phi_N is a projection, so the last correction makes the block means exactly the observation's
    assert float((low_pass(out, factor) - low_pass(ref, factor)).abs().max()) < 1e-5
    bilinear = to_pixels(F.interpolate(small, scale_factor=factor, mode="bilinear"))
    sr = to_pixels(out)
    assert _psnr(sr, x) > _psnr(bilinear, x) + 2.0
    assert _acc(clf, sr, y) >= _acc(clf, bilinear, y)


def test_masks_and_bad_inputs():
    for name in MASKS:
        m = mask_preset(name)
        assert m.shape == (1, 1, 28, 28) and 0 < float(m.mean()) < 1
    with pytest.raises(ValueError, match="Unknown mask"):
        mask_preset("circle")
    with pytest.raises(ValueError, match="divisible"):
        next(ilvr(None, make_schedule("linear", 10), torch.zeros(1, 1, 28, 28), 3))


def test_page_demos_report_what_they_show(setup):
    from models.diffusion.guided import inpaint_demo, superres_demo

    eps_fn, sched, x, _, _ = setup
    r = inpaint_demo(eps_fn, sched, x[:1], "centre", steps=10, resample=2)
    assert r.output.shape == (28, 28) and r.nfe == 20 and r.region == "inside the hole"
    hole = mask_preset("centre")[0, 0].numpy() == 0
    assert (r.observed[hole] == 0.5).all() and (r.baseline[hole] == 0).all()
    s = superres_demo(eps_fn, sched, x[:1], 4, steps=10)
    assert s.output.shape == (28, 28) and s.observed.shape == (28, 28) and s.nfe == 10
    assert s.psnr_output > 0 and s.psnr_baseline > 0


@pytest.mark.parametrize("task", ["inpaint", "superres"])
def test_page_tab_runs_and_shows_the_psnrs(app_test, task):
    at = app_test("ddpm", timeout=300, fill_task=task)
    at.select_slider(key="fill_steps").set_value(10)
    at.button(key="fill_btn").click().run(timeout=300)
    assert not at.exception, at.exception[0].message if at.exception else ""
    assert any("PSNR against the held-out original" in c.value for c in at.caption)
    assert at.session_state["ddpm_fill"][1] == task
