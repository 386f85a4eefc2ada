"""The photo denoiser: shapes at any size, exact tiling, locality, and held-out quality of the shipped weights."""

import numpy as np
import pytest
import torch

from models.denoise import dncnn
from models.denoise.config import DNCNN_CONFIG, DnCNNConfig
from models.denoise.metrics import psnr

SMALL = DnCNNConfig(depth=5, width=8)


def _random_net(config=SMALL, seed=0):
    torch.manual_seed(seed)
    model = dncnn.DnCNN(config)
    torch.nn.init.normal_(model.body[-1].weight, std=0.1)  # not the identity: every test sees a real residual
    return model.eval()


def test_fresh_network_is_the_identity_denoiser():
    model = dncnn.build(SMALL).eval()
    y = torch.rand(2, 1, 9, 13)
    torch.testing.assert_close(model(y, torch.tensor([0.1, 0.2])), y)


@pytest.mark.parametrize("shape", [(1, 1), (7, 5), (33, 40), (40, 33, 3)])
def test_any_size_grayscale_or_colour(shape):
    y = np.random.default_rng(0).random(shape).astype(np.float32)
    out = dncnn.denoise_array(_random_net(), y, 0.1)
    assert out.shape == y.shape and out.dtype == np.float32
    assert 0 <= out.min() and out.max() <= 1


def test_tiles_give_the_same_result_as_one_pass():
    model = _random_net()
    y = np.random.default_rng(1).random((70, 90, 3)).astype(np.float32)
    calls = []
    tiled = dncnn.denoise_array(model, y, 0.1, tile=16, margin=16, on_progress=lambda d, n: calls.append((d, n)))
    whole = dncnn.denoise_array(model, y, 0.1, tile=1024)
    np.testing.assert_allclose(tiled, whole, atol=1e-5)
    assert calls[-1] == (len(dncnn.tile_boxes(70, 90, 16)), 30) and len(calls) == 30  # 5 x 6 tiles


def test_receptive_field_is_local():
    """Changing one pixel only changes outputs within 2 * depth pixels (the tiling margin relies on it)."""
    model = _random_net()
    y = torch.rand(1, 1, 64, 64)
    y2 = y.clone()
    y2[0, 0, 32, 32] += 1.0
    diff = (model(y2, torch.tensor([0.1])) - model(y, torch.tensor([0.1])))[0, 0].abs()
    rows, cols = torch.nonzero(diff > 0, as_tuple=True)
    reach = 2 * SMALL.depth + 1
    assert rows.min() >= 32 - reach and rows.max() <= 32 + reach
    assert cols.min() >= 32 - reach and cols.max() <= 32 + reach


def test_bad_tiles_are_refused():
    with pytest.raises(ValueError, match="even"):
        dncnn.denoise_array(_random_net(), np.zeros((8, 8), np.float32), 0.1, tile=15)
    with pytest.raises(ValueError, match="colour"):
        dncnn.denoise_array(_random_net(), np.zeros((8, 8, 3), np.float32), 0.1, colour="hsv")


@pytest.mark.slow
def test_a_few_training_steps_learn_to_denoise():
    """Training on synthetic piecewise-constant images lowers the error on a fixed noisy batch."""
    rng = np.random.default_rng(0)
    images = np.repeat(np.repeat(rng.integers(0, 256, (20, 4, 4), dtype=np.uint8), 8, axis=1), 8, axis=2)
    config = DnCNNConfig(depth=3, width=8, steps=80, batch=8, patch=16, lr=3e-3, sigma_max=50)
    model = dncnn.build(config)
    x0 = torch.from_numpy(images[:8, :16, :16]).float().div(255).unsqueeze(1)  # (8, 1, 16, 16)
    sigma = torch.full((8,), 0.15)
    y = x0 + 0.15 * torch.randn(x0.shape, generator=torch.Generator().manual_seed(1))

    def error() -> float:
        with torch.no_grad():
            return torch.mean((model(y, sigma) - x0) ** 2).item()

    before = error()
    states = list(dncnn.train_steps(model, config, torch.device("cpu"), images=images))
    assert [s.step for s in states] == list(range(1, 81)) and states[-1].lr < config.lr
    assert error() < 0.8 * before  # 0.0238 -> 0.0153 when written


@pytest.fixture(scope="module")
def shipped():
    from models.denoise.nets import load_dncnn

    loaded = load_dncnn(torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory"), "the photo denoiser must load from pretrained/"
    return loaded.model


def _heldout_scores(model):
    """[(name, ours, noisy, blur, median, nlm)] PSNRs at sigma = 25 on the 22 held-out photos."""
    from models.denoise import classical
    from models.denoise.evaluate import heldout_photos
    from models.denoise.noise import add_gaussian

    sigma, rows = 25 / 255, []
    for k, (name, x0) in enumerate(heldout_photos(DNCNN_CONFIG)):
        y = add_gaussian(x0, sigma, np.random.default_rng(100 + k))
        rows.append((name, psnr(dncnn.denoise_array(model, y, sigma), x0), psnr(y, x0),
                     psnr(classical.gaussian_blur(y, 1.0), x0), psnr(classical.median(y, 3), x0),
                     psnr(classical.non_local_means(y, sigma), x0)))
    assert len(rows) == 22 and sum(name.endswith(".jpg") for name, *_ in rows) == 2
    return rows


@pytest.fixture(scope="module")
def heldout_scores(shipped):
    return _heldout_scores(shipped)


@pytest.mark.slow
def test_shipped_denoiser_cleans_every_held_out_photo(heldout_scores):
    """Held-out photos at sigma = 25: above the noisy input (+2 dB; +2.4 on the most textured, test_281) and
    above blur and the median filter on every one (smallest margin +0.53 dB, test_341, when written)."""
    for name, ours, noisy, blur, med, nlm in heldout_scores:
        assert ours >= noisy + 2.0 and ours >= max(blur, med) + 0.3, (name, ours, noisy, blur, med)


@pytest.mark.slow
def test_shipped_denoiser_beats_non_local_means(heldout_scores):
    """Against the strongest classical filter: at least level on every photo, +0.6 dB on the gray mean and
    +1 dB on the colour mean (measured +0.47 dB smallest, +1.02 gray, +1.76 colour when written)."""
    margins = {name: ours - nlm for name, ours, noisy, blur, med, nlm in heldout_scores}
    gray = [m for name, m in margins.items() if name.endswith(".png")]
    colour = [m for name, m in margins.items() if name.endswith(".jpg")]
    assert min(margins.values()) >= 0.0, {k: round(v, 2) for k, v in margins.items()}
    assert np.mean(gray) >= 0.6 and np.mean(colour) >= 1.0, (np.mean(gray), np.mean(colour))


@pytest.mark.slow
@pytest.mark.xfail(reason="Acceptance not met by the shipped weights (all 12,000 planned Adam steps, 27 minutes on "
                          "2 CPU threads): the smallest margin over the best classical filter (non-local means) is "
                          "+0.47 dB (test_081), the gray mean +1.02 dB. Needs a larger network trained far longer, "
                          "on a GPU.", strict=True)
def test_shipped_denoiser_beats_best_classical_by_1db_on_every_photo(heldout_scores):
    """Issue acceptance: PSNR >= best classical (blur, median, NLM) + 1 dB on every held-out photo."""
    margins = {name: ours - max(blur, med, nlm) for name, ours, noisy, blur, med, nlm in heldout_scores}
    assert min(margins.values()) >= 1.0, {k: round(v, 2) for k, v in margins.items()}
