"""The pipeline: digit preprocessing, scoring, refusals that name the limit, the DDPM adapter."""

import numpy as np
import pytest
import torch

from models.denoise import pipeline
from models.denoise.metrics import psnr, ssim


def test_to_digit_resizes_greys_and_inverts_dark_on_light():
    img = np.ones((56, 56, 3), np.float32)
    img[10:46, 25:31] = 0.0  # a dark vertical stroke on white paper
    digit, notes = pipeline.to_digit(img)
    assert digit.shape == (28, 28) and digit.dtype == np.float32
    assert digit[14, 14] > 0.9 and digit[2, 2] < 0.1  # stroke light, background dark, as MNIST
    assert any("inverted" in n for n in notes) and any("resized" in n for n in notes)
    mnist_like = np.zeros((28, 28, 1), np.float32)
    same, notes = pipeline.to_digit(mnist_like)
    np.testing.assert_array_equal(same, mnist_like[..., 0]) and not notes


def test_scores_are_psnr_and_ssim_of_the_outputs():
    rng = np.random.default_rng(0)
    x0 = rng.random((40, 50)).astype(np.float32)
    y = x0 + 0.1 * rng.standard_normal(x0.shape).astype(np.float32)
    seen = []
    results = pipeline.denoise_all(y, ["blur", "median", "nlm"], 0.1, pipeline.Nets(), clean=x0,
                                   on_progress=lambda k, d, n: seen.append(k))
    assert [r.key for r in results] == ["blur", "median", "nlm"] and set(seen) == {"blur", "median", "nlm"}
    for r in results:
        assert r.psnr == pytest.approx(psnr(r.output, x0)) and r.ssim == pytest.approx(ssim(r.output, x0))
        assert r.seconds >= 0 and r.label == pipeline.DENOISERS[r.key]
    unknown = pipeline.denoise_all(y, ["blur"], 0.1, pipeline.Nets(), clean=None)
    assert unknown[0].psnr is None and unknown[0].output is not None


def test_big_images_are_refused_with_the_limit_named():
    big = np.zeros((1500, 1500), np.float32)  # 2.25 MP: over the non-local means limit
    out, note = pipeline.run_denoiser("nlm", big, 0.1, pipeline.Nets())
    assert out is None and "2 MP limit" in note
    huge = np.zeros((4100, 4000), np.float32)  # 16.4 MP: over the photo denoiser's limit
    out, note = pipeline.run_denoiser("dncnn", huge, 0.1, pipeline.Nets(dncnn=object()))
    assert out is None and "16 MP limit" in note
    out, note = pipeline.run_denoiser("dncnn_x8", big, 0.1, pipeline.Nets(dncnn=object()))  # 8 passes: 2 MP
    assert out is None and "2 MP limit" in note and "self-ensemble" in note


def test_digit_models_need_28x28_and_missing_nets_are_reported():
    out, note = pipeline.run_denoiser("dae_conv", np.zeros((30, 30), np.float32), 0.5, pipeline.Nets())
    assert out is None and "28x28" in note
    out, note = pipeline.run_denoiser("dae_conv", np.zeros((28, 28), np.float32), 0.5, pipeline.Nets())
    assert out is None and "not loaded" in note
    with pytest.raises(ValueError, match="Unknown denoiser"):
        pipeline.run_denoiser("wiener", np.zeros((28, 28), np.float32), 0.5, pipeline.Nets())


def test_photo_denoiser_runs_in_tiles_with_progress():
    from models.denoise.nets import load_dncnn

    model = load_dncnn(torch.device("cpu")).model
    rng = np.random.default_rng(1)
    y = rng.random((600, 530, 3)).astype(np.float32)
    calls = []
    out, note = pipeline.run_denoiser("dncnn", y, 25 / 255, pipeline.Nets(dncnn=model),
                                      on_progress=lambda d, n: calls.append((d, n)))
    assert out.shape == y.shape and "4 tiles" in note and calls == [(1, 4), (2, 4), (3, 4), (4, 4)]


def test_self_ensemble_runs_eight_passes_with_progress():
    from models.denoise.nets import load_dncnn

    model = load_dncnn(torch.device("cpu")).model
    y = np.random.default_rng(3).random((40, 30)).astype(np.float32)
    calls = []
    out, note = pipeline.run_denoiser("dncnn_x8", y, 25 / 255, pipeline.Nets(dncnn=model),
                                      on_progress=lambda d, n: calls.append((d, n)))
    assert out.shape == y.shape and "8 flipped/rotated passes" in note and calls == [(k, 8) for k in range(1, 9)]
    assert "dncnn_x8" in pipeline.DOMAIN_DENOISERS["photo"] and "dncnn_x8" in pipeline.SLOW_DENOISERS


def test_ddpm_adapter_denoises_digits_when_the_diffusion_family_is_there(mnist_test):
    from models.denoise import nets

    if not nets.ddpm_available():
        pytest.skip("models.diffusion.denoise_from is not in this tree")
    x0 = mnist_test.x[-4:].numpy()
    y = x0 + 0.5 * np.random.default_rng(2).standard_normal(x0.shape).astype(np.float32)
    out = nets.ddpm_denoiser(torch.device("cpu"), steps=10)(y, 0.5)
    assert out.shape == x0.shape and 0 <= out.min() and out.max() <= 1
    assert psnr(out, x0) > psnr(y, x0) + 5
