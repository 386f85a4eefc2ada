"""The command ``python -m models.denoise``: real files in, denoised PNGs out, bad files reported."""

import io
import subprocess
import sys

import numpy as np
import pytest
from PIL import Image

from models.denoise.__main__ import main
from models.denoise.metrics import psnr
from tests.conftest import REPO


def _noisy_photo():
    from sklearn.datasets import load_sample_images

    x0 = load_sample_images().images[0][100:196, 200:328].astype(np.float32) / 255  # (96, 128, 3)
    y = np.clip(x0 + 25 / 255 * np.random.default_rng(0).standard_normal(x0.shape), 0, 1)
    return x0, y


def test_png_and_jpeg_in_pngs_out_and_a_bad_file_is_reported(tmp_path, capsys):
    x0, y = _noisy_photo()
    Image.fromarray((y * 255).round().astype(np.uint8)).save(tmp_path / "a.png")
    Image.fromarray((y[..., 0] * 255).round().astype(np.uint8)).save(tmp_path / "b.jpg", quality=98)
    (tmp_path / "c.png").write_bytes(b"not an image at all")
    code = main([str(tmp_path / n) for n in ("a.png", "b.jpg", "c.png")] + ["-o", str(tmp_path / "out"),
                                                                           "--sigma", "25"])
    assert code == 1  # one input was bad, the other two were written
    err = capsys.readouterr().err
    assert "c.png" in err and "not an image" in err
    a = np.asarray(Image.open(tmp_path / "out" / "a_denoised.png"), dtype=np.float32) / 255
    b = np.asarray(Image.open(tmp_path / "out" / "b_denoised.png"), dtype=np.float32) / 255
    assert a.shape == x0.shape and b.shape == x0.shape[:2]
    assert psnr(a, x0) > psnr(y, x0) + 2


def test_single_output_file_and_estimated_sigma(tmp_path, capsys):
    _, y = _noisy_photo()
    Image.fromarray((y * 255).round().astype(np.uint8)).save(tmp_path / "a.png")
    assert main([str(tmp_path / "a.png"), "-o", str(tmp_path / "clean.png"), "--model", "median"]) == 0
    assert (tmp_path / "clean.png").is_file() and "estimated" in capsys.readouterr().out


def test_self_ensemble_model(tmp_path):
    x0, y = _noisy_photo()
    Image.fromarray((y * 255).round().astype(np.uint8)).save(tmp_path / "a.png")
    assert main([str(tmp_path / "a.png"), "-o", str(tmp_path / "x8.png"), "--model", "dncnn_x8", "--sigma", "25"]) == 0
    out = np.asarray(Image.open(tmp_path / "x8.png"), dtype=np.float32) / 255
    assert out.shape == x0.shape and psnr(out, x0) > psnr(y, x0) + 2


def test_bm3d_model(tmp_path):
    x0, y = _noisy_photo()
    Image.fromarray((y * 255).round().astype(np.uint8)).save(tmp_path / "a.png")
    assert main([str(tmp_path / "a.png"), "-o", str(tmp_path / "b.png"), "--model", "bm3d", "--sigma", "25"]) == 0
    out = np.asarray(Image.open(tmp_path / "b.png"), dtype=np.float32) / 255
    assert out.shape == x0.shape and psnr(out, x0) > psnr(y, x0) + 2


def test_bad_sigma_is_a_usage_error(tmp_path):
    with pytest.raises(SystemExit) as exc:
        main(["x.png", "-o", str(tmp_path), "--sigma", "300"])
    assert exc.value.code == 2


def test_runs_as_a_module(tmp_path):
    buf = io.BytesIO()
    Image.fromarray(np.full((20, 20), 128, np.uint8)).save(buf, format="PNG")
    (tmp_path / "g.png").write_bytes(buf.getvalue())
    proc = subprocess.run([sys.executable, "-m", "models.denoise", str(tmp_path / "g.png"), "-o",
                           str(tmp_path / "o"), "--model", "blur", "--sigma", "10"],
                          cwd=REPO, capture_output=True, text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr
    assert (tmp_path / "o" / "g_denoised.png").is_file()
