"""The photo denoiser: shapes at any size, exact tiling, locality, and held-out quality of the shipped weights."""

import numpy as np
import pytest
import torch

from models.denoise import dncnn
from models.denoise.config import DNCNN_CONFIG, DnCNNConfig
from models.denoise.evaluate import TRAIN400_PREFIX
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


def test_self_ensemble_is_exactly_equivariant_and_averages_the_eight_passes():
    """x8 self-ensemble: denoising g(y) gives g(x0_hat) for every flip/rotation g (one pass of a network
    with free filters does not), and it equals the mean of the 8 passes computed here by hand."""
    model = _random_net()
    y = np.random.default_rng(2).random((20, 26, 3)).astype(np.float32)
    ens = dncnn.denoise_ensemble(model, y, 0.1)
    for g in (lambda a: np.rot90(a, 1), lambda a: a[:, ::-1], lambda a: np.rot90(a[::-1], 3)):
        np.testing.assert_allclose(dncnn.denoise_ensemble(model, np.ascontiguousarray(g(y)), 0.1), g(ens),
                                   atol=1e-5)
    single = dncnn.denoise_array(model, y, 0.1)
    assert np.abs(dncnn.denoise_array(model, np.ascontiguousarray(np.rot90(y)), 0.1) - np.rot90(single)).max() > 1e-3
    by_hand = []
    for flip in (False, True):
        for turns in range(4):
            g_y = np.rot90(y[:, ::-1] if flip else y, turns)
            back = np.rot90(dncnn.denoise_array(model, np.ascontiguousarray(g_y), 0.1), -turns)
            by_hand.append(back[:, ::-1] if flip else back)
    np.testing.assert_allclose(ens, np.mean(by_hand, axis=0), atol=1e-6)
    calls = []
    dncnn.denoise_ensemble(model, y, 0.1, tile=16, on_progress=lambda d, n: calls.append((d, n)))
    assert [d for d, _ in calls] == list(range(1, 8 * 4 + 1)) and {n for _, n in calls} == {32}  # 2x2 tiles x 8


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


def test_a_warm_restart_starts_from_the_parent_weights():
    """A config with a parent trains the parent first (no weights anywhere: the test cache is empty), then
    starts from its weights: with a zero learning rate (Adam's update is lr * m / (sqrt(v) + eps) = 0)
    the child's weights are exactly the parent's, which differ from a fresh network's."""
    from models.checkpoints import load_or_train

    cpu = torch.device("cpu")
    parent = DnCNNConfig(depth=3, width=8, steps=5, batch=4, patch=16, seed=11)
    child = DnCNNConfig(depth=3, width=8, steps=2, batch=4, patch=16, lr=0.0, seed=12, parent=parent)
    trained_child = load_or_train(child, dncnn.build, dncnn.fit, device=cpu)
    trained_parent = load_or_train(parent, dncnn.build, dncnn.fit, device=cpu)
    assert trained_child.source == "trained" and trained_parent.source == "memory"
    fresh = dncnn.build(parent).state_dict()
    for name, weight in trained_parent.model.state_dict().items():
        torch.testing.assert_close(trained_child.model.state_dict()[name], weight, rtol=0, atol=0)
    assert any(not torch.equal(fresh[name], w) for name, w in trained_parent.model.state_dict().items())


def test_a_parent_must_have_the_same_shape():
    with pytest.raises(ValueError, match="same shape"):
        DnCNNConfig(depth=3, width=8, parent=DnCNNConfig(depth=3, width=16))


@pytest.fixture(scope="module")
def shipped():
    from models.denoise.nets import load_dncnn

    loaded = load_dncnn(torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory"), "the photo denoiser must load from pretrained/"
    return loaded.model


def _heldout_scores(model):
    """[(name, colour, ours, noisy, blur, median, nlm)] PSNRs at sigma = 25 on the 28 held-out photos:
    20 Train400, the cameraman (gray), seven colour photos."""
    from models.denoise import classical
    from models.denoise.evaluate import heldout_photos
    from models.denoise.noise import add_gaussian

    sigma, rows = 25 / 255, []
    for k, (name, x0) in enumerate(heldout_photos(DNCNN_CONFIG)):
        y = add_gaussian(x0, sigma, np.random.default_rng(100 + k))
        rows.append((name, x0.ndim == 3, psnr(dncnn.denoise_array(model, y, sigma), x0), psnr(y, x0),
                     psnr(classical.gaussian_blur(y, 1.0), x0), psnr(classical.median(y, 3), x0),
                     psnr(classical.non_local_means(y, sigma), x0)))
    assert len(rows) == 28 and sum(name.startswith(TRAIN400_PREFIX) for name, *_ in rows) == 20
    assert sum(colour for _, colour, *_ in rows) == 7
    return rows


@pytest.fixture(scope="module")
def heldout_scores(shipped):
    return _heldout_scores(shipped)


@pytest.mark.slow
def test_shipped_denoiser_cleans_every_held_out_photo(heldout_scores):
    """Held-out photos at sigma = 25: above the noisy input (+2 dB; +3.4 on the most textured, test_281) and
    above blur and the median filter on every one (smallest margin +0.68 dB, test_341, when written)."""
    for name, _, ours, noisy, blur, med, nlm in heldout_scores:
        assert ours >= noisy + 2.0 and ours >= max(blur, med) + 0.3, (name, ours, noisy, blur, med)


@pytest.mark.slow
def test_shipped_denoiser_beats_non_local_means(heldout_scores):
    """Against the strongest classical filter: at least level on every photo, +0.6 dB on the gray mean and
    +1.5 dB on the colour mean (measured +0.74 dB smallest (the cameraman), +1.16 gray, +2.11 colour when
    written; the first stage's weights alone: +0.47, +1.02 and +1.76 on the old 22 photos)."""
    margins = {name: ours - nlm for name, _, ours, noisy, blur, med, nlm in heldout_scores}
    gray = [ours - nlm for _, colour, ours, noisy, blur, med, nlm in heldout_scores if not colour]
    colour = [ours - nlm for _, colour, ours, noisy, blur, med, nlm in heldout_scores if colour]
    assert min(margins.values()) >= 0.4, {k: round(v, 2) for k, v in margins.items()}
    assert np.mean(gray) >= 1.0 and np.mean(colour) >= 1.5, (np.mean(gray), np.mean(colour))


@pytest.mark.slow
def test_self_ensemble_improves_the_shipped_denoiser_on_gray_photos(shipped):
    """On the 21 gray held-out photos at sigma = 25, the x8 self-ensemble's mean PSNR is above one pass's,
    and it is not worse on any photo (measured +0.13 dB mean, +0.08 to +0.26 dB per photo, when written)."""
    from models.denoise.evaluate import heldout_photos
    from models.denoise.noise import add_gaussian

    sigma, gains = 25 / 255, []
    for k, (name, x0) in enumerate(p for p in heldout_photos(DNCNN_CONFIG) if p[1].ndim == 2):
        y = add_gaussian(x0, sigma, np.random.default_rng(200 + k))
        gains.append(psnr(dncnn.denoise_ensemble(shipped, y, sigma), x0) - psnr(dncnn.denoise_array(shipped, y, sigma), x0))
    assert len(gains) == 21 and np.mean(gains) >= 0.05 and min(gains) >= 0.0, np.round(gains, 3)


@pytest.mark.slow
@pytest.mark.xfail(reason="Acceptance not met by the shipped weights (12,000 + 44,193 Adam steps, 27 + 100 minutes "
                          "on 2 CPU threads): the smallest margin over the best classical filter is +0.68 dB "
                          "(test_341, over blur); 5 of 28 photos are under +1 dB (4 Train400, the cameraman); the "
                          "gray mean is +1.16 dB over non-local means. Needs a larger network trained far longer, "
                          "on a GPU.", strict=True)
def test_shipped_denoiser_beats_best_classical_by_1db_on_every_photo(heldout_scores):
    """Issue acceptance: PSNR >= best classical (blur, median, NLM) + 1 dB on every held-out photo."""
    margins = {name: ours - max(blur, med, nlm) for name, _, ours, noisy, blur, med, nlm in heldout_scores}
    assert min(margins.values()) >= 1.0, {k: round(v, 2) for k, v in margins.items()}
