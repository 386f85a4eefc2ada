"""The latent pad in Chromium: the in-browser decoder and encoder against PyTorch on every shipped latent
model, and the page's pad under a dragging pointer, the keyboard and a drawn stroke."""

from __future__ import annotations

from pathlib import Path

import numpy as np
import pytest
import torch

from models.latent import explore
from models.latent.config import KINDS, LATENT_DIMS, SHIPPED_DATASETS
from models.latent.export import model_spec

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = pytest.mark.browser

JS = (Path(__file__).resolve().parents[2] / "ui" / "components" / "latent_pad.js").read_text()
IMPORT = """async (src) => {
  const url = URL.createObjectURL(new Blob([src], {type: "text/javascript"}));
  window.pad = await import(url);
}"""


def test_in_browser_decoder_and_encoder_equal_pytorch_on_every_shipped_model(page):
    """100 random codes per model through the pad's own decode (and 20 test images through its encode): the
    pixels and codes agree with PyTorch's to 1e-4."""
    from models.data import load_images

    page.goto("about:blank")
    page.evaluate(IMPORT, JS)
    checked = 0
    for dataset in SHIPPED_DATASETS:
        x = load_images(dataset, "test").x[:20].float()
        for kind in KINDS:
            for dim in LATENT_DIMS:
                loaded = explore.load(kind, dataset, dim, device=torch.device("cpu"))
                assert loaded.source in ("pretrained", "memory"), (kind, dataset, dim, loaded.source)
                model = loaded.model
                z = torch.randn(100, dim, generator=torch.Generator().manual_seed(dim)) * 2
                want = explore.decode(model, z).flatten(1).numpy()
                got = np.asarray(page.evaluate(
                    """([spec, codes]) => { const m = pad.parseModel(spec);
                        return codes.map((c) => Array.from(pad.decode(m, c))); }""",
                    [model_spec(model, kind), z.tolist()]), np.float32)
                assert got.shape == want.shape
                assert np.abs(got - want).max() < 1e-4, (kind, dataset, dim, float(np.abs(got - want).max()))
                codes = page.evaluate(
                    """([spec, images]) => { const m = pad.parseModel(spec);
                        return images.map((x) => pad.encode(m, x)); }""",
                    [model_spec(model, kind), x.flatten(1).tolist()])
                mu = np.asarray([c["mu"] for c in codes], np.float32)
                assert np.abs(mu - explore.encode(model, x).numpy()).max() < 1e-4, (kind, dataset, dim)
                if kind == "vae":
                    logvar = model.posterior(x)[1].detach().numpy()
                    assert np.abs(np.asarray([c["logvar"] for c in codes]) - logvar).max() < 1e-4
                checked += 1
    assert checked == len(SHIPPED_DATASETS) * len(KINDS) * len(LATENT_DIMS)


def _url_z1(page, near: float) -> None:
    """Wait until the URL's z1 is the pad's code (rounded to 0.01 as the server keeps it)."""
    page.wait_for_function(
        """z => { const v = new URLSearchParams(location.search).get('z1');
                  return v !== null && Math.abs(parseFloat(v) - z) < 0.006; }""", arg=near, timeout=60_000)


def _pad(page) -> dict:
    return page.evaluate("() => ({redraws: window.genlabLatentPad.redraws, z: window.genlabLatentPad.z()})")


def test_dragging_the_pad_redraws_in_the_browser_and_the_server_hears_the_release(server, page):
    open_page(page, server, "latent", "dataset=mnist&model=VAE&dim=2", timeout_ms=300_000)
    page.wait_for_function("() => window.genlabLatentPad && window.genlabLatentPad.redraws >= 1", timeout=120_000)
    wait_idle(page)
    assert_no_exception(page)
    assert page.locator(".genlab-fallback").count() == 0  # the module ran and replaced the notice
    before, url = _pad(page), page.url
    box = page.locator("canvas.glp-pad").bounding_box()
    x0, y0 = box["x"] + box["width"] * 0.3, box["y"] + box["height"] * 0.3
    page.mouse.move(x0, y0)
    page.mouse.down()
    moves = 40
    for i in range(moves):
        page.mouse.move(x0 + i * box["width"] * 0.01, y0 + i * box["height"] * 0.008)
    during = _pad(page)
    assert during["redraws"] - before["redraws"] >= moves  # a decode per pointer move, none waited for
    assert page.url == url  # the server has heard nothing yet
    page.mouse.up()
    z = _pad(page)["z"]
    _url_z1(page, z[0])
    wait_idle(page)
    assert_no_exception(page)
    # the server's own decoder (in the expander) now shows the same code
    page.get_by_text("Sliders on the server").click()
    assert f"z = ({z[0]:.2f}, {z[1]:.2f})" in page.locator('[data-testid="stImage"] img').first.get_attribute("alt")
    screenshot(page, "latent_pad")
    assert_accessible(page, "latent pad after a drag")


def test_keyboard_moves_the_code_and_a_drawn_stroke_is_encoded_as_pytorch_does(server, page):
    open_page(page, server, "latent", "dataset=mnist&model=VAE&dim=16", timeout_ms=300_000)
    page.wait_for_function("() => window.genlabLatentPad && window.genlabLatentPad.redraws >= 1", timeout=120_000)
    wait_idle(page)
    first = page.get_by_role("slider", name="z1", exact=True)
    first.focus()
    before = _pad(page)
    for _ in range(5):
        page.keyboard.press("ArrowRight")
    after = _pad(page)
    assert after["redraws"] - before["redraws"] >= 5 and after["z"][0] > before["z"][0]
    _url_z1(page, after["z"][0])  # each key press is a slider change: the server hears it
    wait_idle(page)
    # a stroke on the drawing board: a vertical bar, like a 1
    board = page.locator("canvas.glp-board").bounding_box()
    cx = board["x"] + board["width"] / 2
    page.mouse.move(cx, board["y"] + board["height"] * 0.2)
    page.mouse.down()
    for i in range(30):
        page.mouse.move(cx, board["y"] + board["height"] * (0.2 + i * 0.02))
    page.mouse.up()
    ink = np.asarray(page.evaluate("() => window.genlabLatentPad.ink()"), np.float32)
    drawn = page.evaluate("() => window.genlabLatentPad.drawn()")
    assert ink.sum() > 10 and drawn is not None
    model = explore.load("vae", "mnist", 16, device=torch.device("cpu")).model
    mu, logvar = (t.detach().numpy()[0] for t in model.posterior(torch.from_numpy(ink).view(1, 1, 28, 28)))
    assert np.abs(np.asarray(drawn["mu"]) - mu).max() < 1e-4
    assert np.abs(np.asarray(drawn["logvar"]) - logvar).max() < 1e-4
    page.get_by_role("button", name="Decode from this code").click()
    _url_z1(page, drawn["mu"][0])
    assert_no_exception(page)
    screenshot(page, "latent_pad_drawn")


def test_the_interpolation_morphs_in_the_browser_as_pytorch_decodes_it(server, page):
    """The interpolation's t slider: every key press redraws lerp and slerp in the browser, the server hears
    nothing, and the images equal PyTorch's decoder on models.latent.interpolate's codes to 1e-4."""
    from models.data import load_images
    from models.latent import interpolate
    from models.latent.config import HOLDOUT

    open_page(page, server, "latent", "dataset=mnist&model=VAE&dim=16&section=Interpolation&a=3&b=7",
              timeout_ms=300_000)
    page.wait_for_function("() => window.genlabLatentMorph && window.genlabLatentMorph.redraws() >= 1",
                           timeout=120_000)
    wait_idle(page)
    assert_no_exception(page)
    url, before = page.url, page.evaluate("() => window.genlabLatentMorph.redraws()")
    page.get_by_role("slider", name="Fraction t of the way from test image #3 to #7").focus()
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("() => window.genlabLatentMorph.redraws()") - before >= 10
    t = page.evaluate("() => window.genlabLatentMorph.t()")
    assert t == pytest.approx(0.6)
    page.wait_for_timeout(1000)
    assert page.url == url  # nothing went to the server
    model = explore.load("vae", "mnist", 16, device=torch.device("cpu")).model
    ends = explore.encode(model, load_images("mnist", "test", holdout=HOLDOUT).x[[3, 7]].float())  # the page's
    got_ends = np.asarray(page.evaluate("() => window.genlabLatentMorph.ends()"), np.float32)
    assert np.abs(got_ends - ends.numpy()).max() < 1e-4, (got_ends, ends)
    images = page.evaluate("() => window.genlabLatentMorph.images()")
    tt = torch.tensor([t], dtype=ends.dtype)
    for name, path in (("lerp", interpolate.lerp), ("slerp", interpolate.slerp)):
        want = explore.decode(model, path(ends[0], ends[1], tt)).flatten().numpy()
        assert np.abs(np.asarray(images[name], np.float32) - want).max() < 1e-4, name
    assert_no_exception(page)
    page.get_by_role("slider", name="Fraction t of the way from test image #3 to #7").scroll_into_view_if_needed()
    screenshot(page, "latent_morph")


@pytest.mark.parametrize("kind", ["dense", "cgan"])
def test_the_gan_lab_walks_the_shipped_dense_generators_in_the_browser(server, page, kind):
    """Under the shipped generator's grid, the t slider walks from its first sample to its second: the
    browser's images equal the PyTorch generator's on the same codes (the cGAN's class fixed) to 1e-4."""
    from models.gan import sampling
    from models.latent import interpolate

    open_page(page, server, "gan", f"mode=images&dataset=mnist&kind={kind}&digit=3", timeout_ms=300_000)
    page.wait_for_function("() => window.genlabLatentMorph && window.genlabLatentMorph.redraws() >= 1",
                           timeout=120_000)
    wait_idle(page)
    assert_no_exception(page)
    slider = page.get_by_role("slider", name="Fraction t of the way from the grid's first sample to its second")
    slider.focus()
    before = page.evaluate("() => window.genlabLatentMorph.redraws()")
    for _ in range(10):
        page.keyboard.press("ArrowRight")
    assert page.evaluate("() => window.genlabLatentMorph.redraws()") - before >= 10
    t = page.evaluate("() => window.genlabLatentMorph.t()")
    loaded = sampling.load_generator(kind, "mnist", device=torch.device("cpu"))
    codings = sampling.shipped_config(kind, "mnist").codings
    z = sampling.codes(codings, 2, 0)
    images = page.evaluate("() => window.genlabLatentMorph.images()")
    tt = torch.tensor([t], dtype=z.dtype)
    y = torch.tensor([3])
    for name, path in (("lerp", interpolate.lerp), ("slerp", interpolate.slerp)):
        with torch.no_grad():
            want = loaded.model.eval()(path(z[0], z[1], tt), y).flatten().numpy()
        assert np.abs(np.asarray(images[name], np.float32) - want).max() < 1e-4, (kind, name)
    if kind == "dense":
        slider.scroll_into_view_if_needed()
        screenshot(page, "gan_morph")
