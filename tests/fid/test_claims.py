"""The FID page's result sentences, checked on its defaults (MNIST, digit-classifier features, N = 500, seed 0;
set A the held-out split, set B noisy training images at level 0.3) and the shipped weights.

Claims and where they are stated:
- KID tab: KID is about 0 for two samples of one distribution (within its ± of 0), whatever N.
- KID tab / models.fid.extractors: the classifier features' RMS on MNIST is 2.75; undivided, KID on the
  default sets is about 100 times larger (KID x 1000 = 2.6e+04); after the division the default noisy set is
  separated from the real one (KID many spreads above 0).
- KID: one odd upload among 200 moves KID by less than its reported spread (issue 20 saw 2.11 -> -484 behind
  a "± 0").
- FID vs N tab: FID is biased upwards at small N, FID-infinity lies below the FID at N.
- Leaderboard tab: the first row, real training images, is the floor (lowest FID); every KID has a spread.
  And issue 20's acceptance order: real < diffusion < every unconditional GAN (the conditional GAN, told the
  class, ties with diffusion on FID and trails it on recall); the AAE's and VAE's FID below the plain AE's.
"""

from __future__ import annotations

import os
from pathlib import Path

import numpy as np
import pytest

from models.fid import extractors, imagesets, small_n
from models.fid.comparison import compare
from models.fid.kid import kernel_inception_distance
from models.fid.leaderboard import leaderboard

pytestmark = pytest.mark.slow
N, SEED = 500, 0


@pytest.fixture(scope="module")
def default_sets():
    a = imagesets.from_dataset("mnist", "test", N, SEED)
    b = imagesets.corrupted(imagesets.from_dataset("mnist", "train", N, SEED + 2), "noise", 0.3, SEED)
    return extractors.extract("mnist", a.images, device="cpu"), extractors.extract("mnist", b.images, device="cpu")


def test_classifier_feature_rms_on_mnist_is_the_kid_scale():
    f = extractors.extract("mnist", imagesets.from_dataset("mnist", "train", 2000, 0).images, device="cpu").features
    assert np.sqrt((f ** 2).mean()) == pytest.approx(extractors.MNIST_FEATURE_RMS, rel=0.05)


def test_default_kid_separates_the_noisy_set_and_raw_features_were_100x(default_sets):
    fa, fb = default_sets
    c = compare(fa, fb, seed=SEED)
    assert c.kid.subsets == 100 and c.kid.subset_size == 250 and c.kid.std > 0
    assert c.kid.mean > 5 * c.kid.std  # the default pair is clearly apart
    assert c.kid_warnings == []
    raw = kernel_inception_distance(fa.features, fb.features, seed=SEED)
    assert 1.5e4 < 1000 * raw.mean < 4e4  # "KID x 1000 = 2.6e+04" undivided
    assert 50 < raw.mean / c.kid.mean < 200  # "about 100 times larger"


@pytest.mark.parametrize("n", [200, 1000])
def test_kid_is_about_zero_for_two_samples_of_one_distribution(mnist_test, n):
    # two disjoint random halves of the held-out 2,000 (its first and last thousand differ slightly: at
    # n = 1000 KID told them apart, 0.0112 against a spread of 0.0083)
    order = np.random.default_rng(0).permutation(len(mnist_test.x))
    x = mnist_test.x[order]
    fa = extractors.extract("mnist", x[:n], device="cpu")
    fb = extractors.extract("mnist", x[1000:1000 + n], device="cpu")
    k = compare(fa, fb, seed=SEED).kid
    assert abs(k.mean) < k.std, k


def test_one_odd_upload_moves_kid_less_than_its_spread(default_sets, mnist_test):
    from tests.fid.helpers import png

    photos = sorted(Path(os.environ.get("GENLAB_DATA_DIR", "data"), "Train400").glob("*.png"))
    if not photos:
        pytest.skip("the Train400 photos are not on this machine")
    uploads = [(f"d{i}.png", png(mnist_test.x[i, 0].numpy())) for i in range(200)]
    odd = imagesets.from_uploads([(p.name, p.read_bytes()) for p in photos[:40]])
    odd_f = extractors.extract("mnist", odd.images, device="cpu").features
    worst = photos[int(np.argmax((odd_f ** 2).sum(1)))]  # the photo with the longest feature vector
    fa = extractors.extract("mnist", imagesets.from_dataset("mnist", "train", N, SEED).images, device="cpu")
    without = extractors.extract("mnist", imagesets.from_uploads(uploads).images, device="cpu")
    with_photo = extractors.extract("mnist", imagesets.from_uploads(uploads + [(worst.name, worst.read_bytes())])
                                    .images, device="cpu")
    k0, k1 = compare(fa, without, seed=SEED).kid, compare(fa, with_photo, seed=SEED).kid
    assert k0.std > 0 and k1.std > 0
    assert abs(k1.mean - k0.mean) < k0.std, (k0, k1)


def test_fid_is_biased_upwards_at_small_n(default_sets):
    fa, fb = default_sets
    curve = small_n.fid_curve(fa.features, fb.features, repeats=3, seed=SEED)
    assert curve.fid[0] > curve.fid[-1]  # fewer images, larger FID
    assert curve.fid_inf < curve.fid[-1]


@pytest.fixture(scope="module")
def board():
    return list(leaderboard("mnist", 250, "mnist", seed=SEED, device="cpu"))  # the tab's defaults


def test_real_images_are_the_floor_and_every_kid_has_a_spread(board):
    real = board[0]
    assert real["family"] == "real"
    assert all(r["FID"] > real["FID"] for r in board[1:]), [(r["model"], r["FID"]) for r in board]
    assert all(r["KID std"] > 0 for r in board)


def test_diffusion_beats_every_unconditional_gan_and_the_conditional_one_on_recall(board):
    """Diffusion's FID is below every unconditional GAN's (measured 45.6 against the DCGAN's 80.6 and the
    dense GAN's 191.5). The conditional GAN is told which digit to draw (classes 0-9 in turn): since its
    retraining (12,000 steps) its FID ties with diffusion's at this N (46.1), while its recall stays far lower
    (0.72 against 0.96), as the page says under the table."""
    diffusion = [r for r in board if r["family"] == "diffusion"]
    gans = [r for r in board if r["family"] == "GAN"]
    conditional = [r for r in gans if r["model"].startswith("Conditional")]
    unconditional = [r for r in gans if r not in conditional]
    assert diffusion and len(unconditional) == 2 and len(conditional) == 1, board
    assert max(r["FID"] for r in diffusion) < min(r["FID"] for r in unconditional), board
    assert min(r["recall"] for r in diffusion) > conditional[0]["recall"] + 0.1, board


def test_aae_and_vae_beat_the_plain_autoencoder(board):
    fid = {r["model"]: r["FID"] for r in board}
    ae = fid["Autoencoder (Gaussian fitted to its codes)"]
    assert fid["Adversarial autoencoder"] < ae and fid["Variational autoencoder"] < ae, fid
