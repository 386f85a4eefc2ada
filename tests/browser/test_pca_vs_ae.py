"""PCA vs autoencoder in Chromium: train live, watch the 3D planes and both numbers; a bad ?k= is clamped."""

import re
import time

import numpy as np
import pytest

from .accessibility import assert_accessible
from .conftest import assert_no_exception, open_page, screenshot, wait_idle

pytestmark = [pytest.mark.browser, pytest.mark.slow]


def _metric(page, label: str) -> str:
    box = page.locator('[data-testid="stMetric"]').filter(has_text=label).first
    return box.locator('[data-testid="stMetricValue"]').inner_text()


def _open(page, server, query=""):
    open_page(page, server, "pca", query)


def test_train_and_watch_the_planes_meet(server, page):
    _open(page, server)
    assert_no_exception(page)
    page.wait_for_selector(".gs3-canvas", timeout=60_000)  # the 3-D view (ui/scene3d.py)
    angle0 = float(_metric(page, "Largest principal angle").rstrip("°"))
    mse0 = float(_metric(page, "Autoencoder MSE"))
    assert angle0 > 1
    assert page.get_by_text("Not yet PCA's scores up to a linear map").count() == 1  # no claim before training
    screenshot(page, "pca-untrained")
    page.get_by_role("button", name=re.compile("^Play$")).first.click()
    seen_epochs = set()
    deadline = time.time() + 180
    while time.time() < deadline:
        epoch = _metric(page, "Epoch")
        seen_epochs.add(epoch)
        if epoch.startswith("500 /"):
            break
        page.wait_for_timeout(500)
    else:
        raise AssertionError(f"training did not finish; last epoch shown {epoch}")
    page.wait_for_timeout(1500)  # the final full rerun after the run ends
    wait_idle(page)
    assert_no_exception(page)
    assert len(seen_epochs) >= 2  # the numbers updated while it trained
    angle = float(_metric(page, "Largest principal angle").rstrip("°"))
    ratio = float(_metric(page, "MSE / PCA's MSE"))
    assert angle < 1 < angle0 and ratio < 1.01
    assert float(_metric(page, "Autoencoder MSE")) < mse0
    assert page.get_by_text("autoencoder plane (epoch 500)").count() >= 1  # the 3D legend
    assert page.get_by_text("The codings are PCA's scores up to an invertible linear map").count() == 1
    screenshot(page, "pca-trained")
    assert_accessible(page, "PCA vs autoencoder after training")


def test_bad_k_is_clamped_with_a_notice(server, page):
    _open(page, server, "k=-5")
    assert_no_exception(page)
    assert page.get_by_text(re.compile(r"k=-5 is outside \[2, 30\]; clamped to 2")).count() == 1
    # ?k= belongs to the images tab, so the link opens it; the other tabs are not drawn
    assert page.get_by_role("tab", name=re.compile("Images")).get_attribute("aria-selected") == "true"
    assert _metric(page, "PCA MSE, k=2")
    assert page.locator('[data-testid="stMetric"]').filter(has_text="Largest principal angle").count() == 0
    screenshot(page, "pca-images-k2")


def test_tabs_run_one_at_a_time_and_keep_their_settings(server, page):
    """Switching tabs puts ?section= in the URL and draws only that tab; the images tab's k survives a visit
    to another tab."""
    _open(page, server, "k=10")
    assert _metric(page, "PCA MSE, k=10")
    page.get_by_role("tab", name=re.compile("Curved data")).click()
    page.wait_for_function("location.search.includes('section=Curved')", timeout=30_000, polling=250)
    wait_idle(page)
    assert_no_exception(page)
    assert float(_metric(page, "AE / PCA")) < 1
    assert page.locator('[data-testid="stMetric"]').filter(has_text="PCA MSE, k=").count() == 0
    page.get_by_role("tab", name=re.compile("Images")).click()
    page.wait_for_function("location.search.includes('section=Images')", timeout=30_000, polling=250)
    wait_idle(page)
    assert _metric(page, "PCA MSE, k=10") and "k=10" in page.url
    assert_no_exception(page)


def test_curved_and_images_tabs_state_what_was_measured(server, page):
    _open(page, server, "section=Curved+data")
    assert_no_exception(page)
    assert page.get_by_text("code keeps both of the sheet's coordinates").count() == 1
    screenshot(page, "pca-curved")
    _open(page, server, "section=Images+and+code+size&dataset=mnist")
    assert_no_exception(page)
    assert _metric(page, "PCA MSE, k=10")  # the page opens at k = 10, where the autoencoder wins
    assert page.get_by_text(re.compile(r"At k = 10 the stacked autoencoder.s held-out error is")).count() == 1
    assert page.get_by_text(re.compile(r"below")).count() >= 1
    screenshot(page, "pca-images-default")



def _scene(page, key="planes"):
    return page.evaluate(f"""() => {{ const v = window.genlabScene3d && window.genlabScene3d[{key!r}];
        if (!v) return null;
        return {{camera: {{yaw: v.camera.yaw, pitch: v.camera.pitch, zoom: v.camera.zoom}}, redraws: v.redraws(),
                 projected: v.projected(), frame: v.frame(), screen: v.screen()}}; }}""")


def _expected(scene) -> np.ndarray:
    """The documented projection (ui/components/scene3d.js), in NumPy: the eye's direction e, the screen's
    right r and up u from the camera's yaw and pitch; a point centred and scaled is drawn at
    (q.r, q.u) / (1 - q.e / 4), times the canvas scale, from the canvas's centre, y downwards."""
    yaw, pitch = scene["camera"]["yaw"], scene["camera"]["pitch"]
    e = np.array([np.cos(pitch) * np.cos(yaw), np.cos(pitch) * np.sin(yaw), np.sin(pitch)])
    r = np.array([-np.sin(yaw), np.cos(yaw), 0.0])
    u = np.cross(e, r)
    src = np.array([p["src"] for p in scene["projected"]])
    q = (src - np.array(scene["frame"]["centre"])) * scene["frame"]["scale"]
    f = 1 / (1 - q @ e / 4)
    w, h, s = scene["screen"]["w"], scene["screen"]["h"], scene["screen"]["s"]
    return np.stack([w / 2 + s * (q @ r) * f, h / 2 - s * (q @ u) * f], 1)


def test_the_3d_view_draws_the_data_and_turns(server, page):
    """The planes' 3-D view (a canvas, no WebGL): every data point drawn where the documented projection
    puts it; dragging and the arrow keys turn it, a full turn comes back, + zooms, 0 resets, the legend hides."""
    _open(page, server)
    canvas = page.locator(".gs3-canvas").first
    canvas.wait_for(timeout=60_000)
    canvas.scroll_into_view_if_needed()
    page.wait_for_function("() => window.genlabScene3d && window.genlabScene3d.planes && "
                           "window.genlabScene3d.planes.redraws() > 0", timeout=30_000)
    first = _scene(page)
    got = np.array([[p["x"], p["y"]] for p in first["projected"]])
    assert len(got) == 200  # the book's 3D dataset, as drawn (no reconstructions yet)
    np.testing.assert_allclose(got, _expected(first), atol=1e-6)
    w, h = first["screen"]["w"], first["screen"]["h"]
    assert (got[:, 0] > 0).all() and (got[:, 0] < w).all() and (got[:, 1] > 0).all() and (got[:, 1] < h).all()
    inked = canvas.evaluate("""(c) => {  // (the component draws in a shadow root: the locator pierces it)
        const d = c.getContext('2d').getImageData(0, 0, c.width, c.height).data; let n = 0;
        for (let i = 3; i < d.length; i += 4) n += d[i] > 0; return n; }""")
    assert inked > 5_000  # the box, two planes and 200 points are on the canvas

    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.wheel(0, -300)  # a page scrolled past the view keeps scrolling: no zoom before a click
    page.wait_for_timeout(100)
    assert _scene(page)["camera"]["zoom"] == 1
    canvas.scroll_into_view_if_needed()  # (the page scrolled)
    box = canvas.bounding_box()
    page.mouse.move(box["x"] + box["width"] / 2, box["y"] + box["height"] / 2)
    page.mouse.down()
    page.mouse.move(box["x"] + box["width"] / 2 + 100, box["y"] + box["height"] / 2 + 30, steps=5)
    page.mouse.up()
    page.wait_for_timeout(100)
    turned = _scene(page)
    assert turned["camera"]["yaw"] == pytest.approx(first["camera"]["yaw"] - 1.0, abs=1e-6)  # 0.01 rad a pixel
    assert turned["camera"]["pitch"] == pytest.approx(first["camera"]["pitch"] + 0.3, abs=1e-6)
    np.testing.assert_allclose(np.array([[p["x"], p["y"]] for p in turned["projected"]]), _expected(turned), atol=1e-6)
    page.mouse.wheel(0, -300)  # clicked (dragged): now the wheel zooms in
    page.wait_for_timeout(100)
    assert _scene(page)["camera"]["zoom"] > 1.2

    canvas.focus()
    page.keyboard.press("0")  # reset
    for _ in range(72):  # 72 turns of 5 degrees: a full circle
        page.keyboard.press("ArrowLeft")
    page.wait_for_timeout(100)
    around = _scene(page)
    assert around["camera"]["yaw"] == pytest.approx(first["camera"]["yaw"] + 2 * np.pi, abs=1e-9)
    np.testing.assert_allclose(np.array([[p["x"], p["y"]] for p in around["projected"]]), got, atol=1e-6)
    page.keyboard.press("+")
    page.wait_for_timeout(100)
    assert _scene(page)["screen"]["s"] == pytest.approx(1.15 * first["screen"]["s"])

    key = page.locator(".gs3-key", has_text="data x")
    key.click()
    page.wait_for_timeout(100)
    assert key.get_attribute("aria-pressed") == "false" and len(_scene(page)["projected"]) == 0
    key.click()
    page.wait_for_timeout(100)
    assert len(_scene(page)["projected"]) == 200
    assert_no_exception(page)
    screenshot(page, "pca-3d-view")
