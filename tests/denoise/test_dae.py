"""The denoising autoencoders: architectures, corruption, and the shipped weights on held-out MNIST digits."""

import numpy as np
import pytest
import torch

from models.denoise import dae
from models.denoise.config import DAEConfig
from models.denoise.metrics import psnr


@pytest.mark.parametrize("kind", dae.KINDS)
def test_shapes_and_range(kind):
    model = dae.build(DAEConfig(kind=kind)).eval()
    out = model(torch.randn(3, 1, 28, 28))
    assert out.shape == (3, 1, 28, 28) and 0 <= out.min() and out.max() <= 1
    assert dae.denoise_batch(model, np.zeros((28, 28), np.float32)).shape == (28, 28)
    with pytest.raises(ValueError, match="28x28"):
        dae.denoise_batch(model, np.zeros((1, 1, 32, 32), np.float32))


def test_training_corruption_matches_its_definition():
    x0 = torch.full((50, 1, 28, 28), 0.5)
    gen = torch.Generator().manual_seed(0)
    g = dae.corrupt_batch(x0, DAEConfig(noise="gaussian", noise_level=0.3), gen) - x0
    assert g.std().item() == pytest.approx(0.3, rel=0.02)
    d = dae.corrupt_batch(x0, DAEConfig(noise="dropout", noise_level=0.25), gen)
    assert (d == 0).float().mean().item() == pytest.approx(0.25, abs=0.01)
    assert set(torch.unique(d).tolist()) == {0.0, 0.5}


def test_unknown_kind_or_noise_is_refused():
    with pytest.raises(ValueError, match="kind"):
        dae.build(DAEConfig(kind="rnn"))
    with pytest.raises(ValueError, match="noise"):
        dae.build(DAEConfig(noise="poisson"))


@pytest.mark.parametrize("kind", dae.KINDS)
def test_shipped_gaussian_dae_beats_blur_and_median_by_2db(kind, mnist_test):
    """Acceptance: held-out MNIST digits (last 2,000 of the test split), Gaussian noise sigma = 0.5."""
    from models.denoise import classical
    from models.denoise.nets import load_dae

    loaded = load_dae(kind, "gaussian", torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory")
    x0 = mnist_test.x[-500:].numpy()  # (500, 1, 28, 28), never trained on
    y = x0 + 0.5 * np.random.default_rng(7).standard_normal(x0.shape).astype(np.float32)
    mean = lambda est: np.mean([psnr(e, c) for e, c in zip(est, x0)])  # noqa: E731
    ours = mean(dae.denoise_batch(loaded.model, y))
    blur = mean([classical.gaussian_blur(im[0], 1.0)[None] for im in y])
    med = mean([classical.median(im[0], 3)[None] for im in y])
    assert ours >= blur + 2.0 and ours >= med + 2.0, (ours, blur, med)


def test_shipped_dropout_dae_fills_masked_pixels(mnist_test):
    from models.denoise.nets import load_dae
    from models.denoise.noise import add_dropout

    loaded = load_dae("dense", "dropout", torch.device("cpu"))
    assert loaded.config.noise == "dropout" and loaded.source in ("pretrained", "memory")
    model = loaded.model
    x0 = mnist_test.x[-200:].numpy()
    y = add_dropout(x0, 0.5, np.random.default_rng(8))
    assert psnr(dae.denoise_batch(model, y), x0) > psnr(y, x0) + 3


def test_conv_dropout_falls_back_to_the_gaussian_conv_dae():
    from models.denoise.config import dae_config

    assert dae_config("conv", "dropout").noise == "gaussian"
    assert dae_config("dense", "dropout").noise == "dropout"
