"""Exports read back with independent decoders (csv, PIL)."""

import csv
import io

import numpy as np
import pytest
from PIL import Image

from models.gan.export import grid_png, history_csv, points_gif, snapshots_gif, tile


def test_history_csv_round_trip():
    hist = {"step": np.array([1, 2, 3]), "d_loss": np.array([0.5, 0.25, 1e-7]), "g_loss": np.array([1.0, 2.0, 3.0]),
            "d_real": np.array([0.9, 0.8, 0.7]), "d_fake": np.array([0.1, 0.2, np.nan])}
    rows = list(csv.reader(io.StringIO(history_csv(hist).decode())))
    assert rows[0] == ["step", "d_loss", "g_loss", "d_real", "d_fake"]
    assert [int(r[0]) for r in rows[1:]] == [1, 2, 3]
    np.testing.assert_allclose([float(r[1]) for r in rows[1:]], hist["d_loss"], rtol=1e-6)
    assert rows[3][4] == "nan"


def test_tile_layout():
    grid = np.stack([np.full((2, 3), i / 10, np.float32) for i in range(5)])
    img = tile(grid, cols=3, pad=1)
    assert img.shape == (2 * 3 - 1, 3 * 4 - 1)
    assert img[0, 0] == 0 and img[0, 4] == np.float32(0.1) and img[3, 0] == np.float32(0.3)
    assert img[0, 3] == 1.0 and img[2, 0] == 1.0  # padding
    assert img[3, 8] == 1.0  # the missing sixth image is blank


def test_png_decodes_to_the_tiled_grid():
    grid = np.random.default_rng(0).random((6, 4, 4)).astype(np.float32)
    img = np.asarray(Image.open(io.BytesIO(grid_png(grid, cols=3, scale=1))))
    np.testing.assert_array_equal(img, (tile(grid, 3) * 255).round().astype(np.uint8))
    big = Image.open(io.BytesIO(grid_png(grid, cols=3, scale=3)))
    assert big.size == (3 * 14, 3 * 9)


def test_gifs_have_one_frame_per_snapshot():
    snaps = [(i * 100, np.full((4, 3, 3), i / 3, np.float32)) for i in range(4)]
    gif = Image.open(io.BytesIO(snapshots_gif(snaps, cols=2)))
    assert gif.format == "GIF" and gif.n_frames == 4
    frames = [(s, np.zeros((10, 2)), np.ones((10, 2)) * 0.5) for s in (0, 25, 50)]
    gif2 = Image.open(io.BytesIO(points_gif(frames, (-1, 1, -1, 1))))
    assert gif2.n_frames == 3
    with pytest.raises(ValueError, match="train for a few steps"):
        snapshots_gif([])
