"""Crop-and-zoom: the window it picks, and that enlarging copies pixels instead of smoothing them."""

import numpy as np
import pytest

from models.denoise import zoom


def test_zoom_one_is_the_whole_image_and_windows_stay_inside():
    assert zoom.crop_box(28, 28, 1, 0.5, 0.5) == (0, 0, 28, 28)
    assert zoom.crop_box(100, 200, 4, 0.5, 0.5) == (38, 75, 25, 50)  # centred: 50 - 12.5, 100 - 25
    assert zoom.crop_box(100, 200, 4, 0.0, 0.0) == (0, 0, 25, 50)  # pushed inside at the corner
    assert zoom.crop_box(100, 200, 4, 1.0, 1.0) == (75, 150, 25, 50)
    assert zoom.crop_box(3, 3, 16, 0.5, 0.5)[2:] == (1, 1)  # never an empty window
    with pytest.raises(ValueError, match="zoom must be >= 1"):
        zoom.crop_box(10, 10, 0.5, 0.5, 0.5)
    with pytest.raises(ValueError, match="fractions"):
        zoom.crop_box(10, 10, 2, 1.5, 0.5)


def test_enlarging_repeats_each_pixel_as_a_block():
    rng = np.random.default_rng(0)
    img = rng.random((28, 28)).astype(np.float32)
    out = zoom.crop_zoom(img, 4, 0.25, 0.25, side=280)  # a 7x7 window, 40x enlarged
    assert out.shape == (280, 280) and out.dtype == np.uint8
    top, left, h, w = zoom.crop_box(28, 28, 4, 0.25, 0.25)
    window = (np.clip(img[top:top + h, left:left + w], 0, 1) * 255 + 0.5).astype(np.uint8)
    np.testing.assert_array_equal(out, np.kron(window, np.ones((40, 40), np.uint8)))


def test_colour_images_keep_their_channels_and_large_ones_shrink():
    img = np.random.default_rng(1).random((600, 900, 3)).astype(np.float32)
    out = zoom.crop_zoom(img, 1, side=300)
    assert out.shape == (200, 300, 3)
    assert zoom.crop_zoom(img[..., :1], 2, side=100).shape == (67, 100)  # (H, W, 1) shown as gray
