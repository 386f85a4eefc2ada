"""PNG and zip export round-trip through Pillow."""

import io
import zipfile

import numpy as np
from PIL import Image

from models.denoise import export


def test_png_round_trip_gray_and_colour():
    rng = np.random.default_rng(0)
    for img in (rng.random((9, 7)), rng.random((9, 7, 3)), rng.random((9, 7, 1))):
        back = np.asarray(Image.open(io.BytesIO(export.png_bytes(img))))
        np.testing.assert_array_equal(back, np.round(np.clip(img.squeeze(), 0, 1) * 255).astype(np.uint8))


def test_zip_holds_one_png_per_image_with_unique_names():
    items = [("a_denoised.png", np.zeros((4, 4))), ("a_denoised.png", np.ones((4, 4, 3))), ("b.png", np.zeros((2, 2)))]
    with zipfile.ZipFile(io.BytesIO(export.zip_pngs(items))) as z:
        assert z.namelist() == ["a_denoised.png", "a_denoised-2.png", "b.png"]
        assert Image.open(io.BytesIO(z.read("a_denoised-2.png"))).mode == "RGB"


def test_output_name_and_preview():
    assert export.output_name("trip.zip/dir/IMG_1.JPG") == "IMG_1_denoised.png"
    assert export.output_name("x.png", "dncnn") == "x_dncnn.png"
    assert export.preview(np.zeros((1000, 500, 3)), 100).shape == (100, 50, 3)
    assert export.preview(np.zeros((10, 5)), 100).shape == (10, 5)
