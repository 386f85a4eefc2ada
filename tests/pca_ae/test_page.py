"""AppTest of the PCA vs autoencoder page: train live, see both numbers reach PCA; bad URL values clamped;
one tab runs at a time, chosen by ?section= or by a tab's own parameter in the link."""

import time

import pytest


def _metric(at, label):
    return next(m for m in at.metric if m.label == label).value


def _train_to_the_end(at, timeout=240):
    at.button(key="pca_linear_play").click().run()
    deadline = time.time() + timeout
    while time.time() < deadline:
        assert not at.exception, at.exception
        epoch = _metric(at, "Epoch")
        if epoch.split(" / ")[0] == epoch.split(" / ")[1]:
            return
        time.sleep(0.5)
        at.run()  # run_every never ticks in AppTest
    raise AssertionError(f"training did not finish in {timeout} s (at {epoch})")


def _scenes(at) -> list:
    """The page's 3-D views (ui/scene3d.py's component)."""
    return [e for e in at.get("bidi_component") if e.proto.component_name == "genlab_scene3d"]


@pytest.mark.slow
def test_train_linear_autoencoder_and_reach_pca(app_test):
    at = app_test("pca")
    assert not at.exception, at.exception
    charts_before = len(at.get("plotly_chart"))
    assert charts_before == 2  # curves, codings (the 3D planes: a canvas component); the other tabs are not drawn
    assert len(_scenes(at)) == 1
    angle0 = float(_metric(at, "Largest principal angle").rstrip("°"))
    assert angle0 > 1  # untrained: far from PCA's plane
    _train_to_the_end(at)
    angle = float(_metric(at, "Largest principal angle").rstrip("°"))
    ratio = float(_metric(at, "MSE / PCA's MSE"))
    assert angle < 1 and 1 - 1e-6 <= ratio < 1.01
    assert any("found PCA's subspace" in s.value for s in at.success)
    assert "autoencoder plane (epoch 500)" in str(_scenes(at)[0].proto)
    assert len(at.get("plotly_chart")) == charts_before


def test_bad_k_in_the_url_is_clamped_with_a_notice(app_test):
    at = app_test("pca", k=-5)
    assert not at.exception, at.exception
    assert any("k=-5" in w.value and "clamped to 2" in w.value for w in at.warning)
    assert at.select_slider(key="k").value == 2


def test_bad_optimizer_and_lr_in_the_url_fall_back(app_test):
    at = app_test("pca", opt="rmsprop", lr="nan", epochs=10**9)
    assert not at.exception, at.exception
    texts = " ".join(w.value for w in at.warning)
    assert "opt=rmsprop" in texts and "lr=nan" in texts and "clamped to 3000" in texts
    assert at.selectbox(key="opt").value == "sgd"
    assert at.number_input(key="epochs").value == 3000


def test_nonlinear_tab_shows_ae_beating_pca(app_test):
    at = app_test("pca", section="Curved data")
    ae = float(_metric(at, "Nonlinear AE MSE (2D code)"))
    pca = float(_metric(at, "PCA MSE (2D code)"))
    assert ae < pca


def test_fashion_unavailable_keeps_the_page_working(app_test):
    at = app_test("pca", dataset="fashion", section="Images and code size")
    assert not at.exception, at.exception
    assert any("Fashion" in e.value for e in at.error)
    assert any("Pick the digits dataset" in i.value for i in at.info)
    at = app_test("pca", dataset="fashion")
    assert not at.exception, at.exception
    assert _metric(at, "Epoch")  # the linear tab does not need image data


def _labels(at) -> set[str]:
    return {m.label for m in at.metric}


def test_one_tab_runs_at_a_time_chosen_by_the_link(app_test):
    """Default: the linear tab only. ?section= picks a tab; a tab's own parameter (?k=, ?manifold=) opens that
    tab; an unknown section gets a notice and the first tab."""
    at = app_test("pca")
    assert "Epoch" in _labels(at) and "PCA MSE (2D code)" not in _labels(at)
    assert not any(m.startswith("PCA MSE, k=") for m in _labels(at))
    at = app_test("pca", section="Curved data")
    assert "PCA MSE (2D code)" in _labels(at) and "Epoch" not in _labels(at)
    at = app_test("pca", manifold="swiss_roll")
    assert "PCA MSE (2D code)" in _labels(at) and at.selectbox(key="manifold").value == "swiss_roll"
    at = app_test("pca", k=10)
    assert "PCA MSE, k=10" in _labels(at) and "Epoch" not in _labels(at)
    at = app_test("pca", k=10, section="Linear autoencoder = PCA")  # an explicit section wins
    assert "Epoch" in _labels(at) and "PCA MSE, k=10" not in _labels(at)
    at = app_test("pca", section="Decoder")
    assert any("section=Decoder" in w.value for w in at.warning) and "Epoch" in _labels(at)
    assert not at.exception, at.exception


@pytest.mark.slow
def test_images_tab_numbers_and_tsne(app_test):
    from sklearn.decomposition import PCA

    from models.data import load_images
    from models.pca_ae.image_ae import flatten

    at = app_test("pca", k=5, tsne_n=100, dataset="digits")
    assert not at.exception, at.exception
    x_train, x_test = flatten(load_images("digits", "train").x), flatten(load_images("digits", "test").x)
    ref = PCA(5).fit(x_train)  # an independent PCA on the same split
    expected = float(((ref.inverse_transform(ref.transform(x_test)) - x_test) ** 2).mean())
    assert float(_metric(at, "PCA MSE, k=5")) == pytest.approx(expected, abs=6e-5)  # shown with 4 decimals
    assert float(_metric(at, "Stacked AE MSE")) > 0
    at.button(key="pca_tsne_play").click().run()
    deadline = time.time() + 180
    while time.time() < deadline and not any("t-SNE of 30-D" in c.proto.spec for c in at.get("plotly_chart")):
        assert not at.exception, at.exception
        time.sleep(1)
        at.run()
    assert any("t-SNE of 30-D" in c.proto.spec for c in at.get("plotly_chart"))


@pytest.mark.slow
def test_pause_holds_the_run_and_resume_continues(app_test):
    """The one run panel (ui/run_panel.py): Pause freezes the epoch, Resume trains on from it."""
    at = app_test("pca", epochs=3000)
    at.button(key="pca_linear_play").click().run()
    deadline = time.time() + 60
    while time.time() < deadline and int(_metric(at, "Epoch").split(" / ")[0]) == 0:
        time.sleep(0.3)
        at.run()
    at.button(key="pca_linear_pause").click().run()
    time.sleep(1.0)
    at.run()
    held = _metric(at, "Epoch")
    assert at.button(key="pca_linear_play").label == "Resume"
    time.sleep(1.0)
    at.run()
    assert _metric(at, "Epoch") == held and not held.startswith("3000")
    at.button(key="pca_linear_play").click().run()
    deadline = time.time() + 60
    while time.time() < deadline and _metric(at, "Epoch") == held:
        time.sleep(0.3)
        at.run()
    assert _metric(at, "Epoch") != held
    at.button(key="pca_linear_stop").click().run()
    assert not at.exception, at.exception
