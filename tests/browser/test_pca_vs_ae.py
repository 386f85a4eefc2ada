"""PCA vs autoencoder in Chromium: train live, watch the 3D planes and both numbers; a bad ?k= is clamped."""

import re
import time

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
    page.wait_for_selector('.js-plotly-plot .gl-container canvas, .js-plotly-plot canvas', timeout=60_000)
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

