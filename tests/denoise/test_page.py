"""The denoise page in AppTest: a sample, uploads (good and bad), digits, downloads, URL clamping."""

import io

import numpy as np
from PIL import Image



def _encode(array: np.ndarray, fmt: str) -> bytes:
    buf = io.BytesIO()
    Image.fromarray(array).save(buf, format=fmt, **({"quality": 95} if fmt == "JPEG" else {}))
    return buf.getvalue()


def _photo(h=48, w=64):
    from sklearn.datasets import load_sample_images

    return load_sample_images().images[1][150:150 + h, 250:250 + w]  # (h, w, 3) uint8


def test_default_sample_runs_and_reports_scores(app_test):
    at = app_test("denoise")
    assert not at.exception, at.exception
    assert at.subheader and at.subheader[0].value.startswith("Train400 held out")
    assert at.get("plotly_chart"), "the score bars are drawn"
    assert any(b.label == "Download PNG" for b in at.get("download_button"))
    assert any("Show the code" in e.label for e in at.expander)


def test_upload_png_jpeg_and_bad_files(app_test):
    at = app_test("denoise")
    at.radio(key="source").set_value("upload").run()
    at.multiselect(key="denoisers_photo").set_value(["dncnn", "median"]).run()
    photo = _photo()
    files = [("a.png", _encode(photo, "PNG"), "image/png"), ("b.jpg", _encode(photo, "JPEG"), "image/jpeg"),
             ("notes.png", b"this is not a picture", "image/png"), ("empty.png", b"", "image/png")]
    at.file_uploader(key="uploads").set_value(files).run()
    assert not at.exception, at.exception
    warnings = " ".join(w.value for w in at.warning)
    assert "notes.png" in warnings and "not an image" in warnings and "empty.png" in warnings
    assert [s.value for s in at.subheader] == ["a.png", "b.jpg"]
    labels = [b.label for b in at.get("download_button")]
    assert "Download 2 PNGs (zip)" in labels


def test_already_noisy_upload_estimates_sigma_and_has_no_scores(app_test):
    at = app_test("denoise")
    at.radio(key="source").set_value("upload").run()
    noisy = np.clip(_photo() / 255 + 20 / 255 * np.random.default_rng(0).standard_normal((48, 64, 3)), 0, 1)
    at.radio(key="noise").set_value("none").run()
    at.file_uploader(key="uploads").set_value([("noisy.png", _encode((noisy * 255).astype(np.uint8), "PNG"),
                                                "image/png")]).run()
    assert not at.exception, at.exception
    captions = " ".join(c.value for c in at.caption)
    assert "estimated" in captions
    assert any(b.label == "Download PNG" for b in at.get("download_button"))


def test_digit_domain_runs_the_autoencoders(app_test):
    at = app_test("denoise")
    at.radio(key="source").set_value("digit").run()
    at.radio(key="domain").set_value("digit").run()
    at.multiselect(key="denoisers_digit").set_value(["dae_conv", "blur"]).run()
    assert not at.exception, at.exception
    assert at.subheader[0].value.endswith("-test-0.png")
    assert "28x28" in " ".join(c.value for c in at.caption)


def test_out_of_range_url_values_are_clamped_with_a_notice(app_test):
    at = app_test("denoise", sigma=999, noise="poisson")
    assert not at.exception
    text = " ".join(w.value for w in at.warning)
    assert "sigma=999" in text and "clamped to 150" in text
    assert "noise=poisson" in text


def test_links_carry_short_values(app_test):
    """The URL holds option values, not labels: ?source=digit&noise=dropout works, and a label is refused."""
    at = app_test("denoise", source="digit", noise="dropout", domain="digit")
    assert not at.exception, at.exception
    assert (at.radio(key="source").value, at.radio(key="noise").value) == ("digit", "dropout")
    assert at.slider(key="p").value == 0.5, "digits open at the masking level the dropout autoencoder trained at"
    at = app_test("denoise", source="Sample digit (28x28)")
    assert at.radio(key="source").value == "photo"
    assert "is not one of: upload, photo, digit" in " ".join(w.value for w in at.warning)


def test_switching_to_digits_moves_the_noise_to_their_training_level(app_test):
    at = app_test("denoise")
    assert at.slider(key="sigma").value == 25
    at.radio(key="source").set_value("digit").run()
    assert not at.exception, at.exception
    assert at.radio(key="domain").value == "digit" and at.slider(key="sigma").value == 128


def test_a_new_upload_denoises_only_the_new_image(app_test):
    at = app_test("denoise")
    at.radio(key="source").set_value("upload").run()
    at.multiselect(key="denoisers_photo").set_value(["dncnn", "median"]).run()
    photo = _photo()
    first = ("a.png", _encode(photo, "PNG"), "image/png")
    memo = at.session_state["denoise_memo"]  # the sample photo's results are in it already
    misses = memo.misses
    at.file_uploader(key="uploads").set_value([first]).run()
    assert at.session_state["denoise_memo"].misses == misses + 2
    second = ("b.png", _encode(photo[::-1].copy(), "PNG"), "image/png")
    at.file_uploader(key="uploads").set_value([first, second]).run()
    assert not at.exception, at.exception
    memo = at.session_state["denoise_memo"]
    assert memo.misses == misses + 4, "a.png came from the memo, only b.png's two denoisers ran"
    assert [s.value for s in at.subheader] == ["a.png", "b.png"]
    at.selectbox(key="inspect").set_value(1).run()  # inspecting the other image, closer, recomputes nothing
    at.select_slider(key="zoom").set_value(4).run()
    assert at.session_state["denoise_memo"].misses == misses + 4 and not at.exception
    at.slider(key="sigma").set_value(30).run()  # new noise: both images again
    assert at.session_state["denoise_memo"].misses == misses + 8


def test_compare_up_close_picks_an_image_and_zooms(app_test):
    at = app_test("denoise", source="digit", dataset="mnist")
    assert [h.value for h in at.header][:2] == ["Compare up close", "All results"]
    assert at.selectbox(key="compare_left").value == "noisy"
    at.selectbox(key="compare_right").set_value("nlm").run()
    at.select_slider(key="zoom").set_value(4).run()
    assert not at.exception, at.exception
    assert "Window: 7x7 pixels" in " ".join(c.value for c in at.caption)
