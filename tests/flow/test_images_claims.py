"""The flow page's MNIST section says three things about the shipped flow-matching U-Net; each is measured
here on the shipped weights with the page's defaults (seed 0), not read from its card.

- Few steps: at 1, 2 and 4 network evaluations the flow's unconditional samples have a lower FID (MNIST
  classifier features, 500 samples, the 2,000 held-out digits) than DDIM on the shipped DDPM; at 8 DDIM wins
  (the DDPM has 1.8 times the parameters and twice the training steps). DDIM's 1- and 2-step samples are
  all classified as an 8, with certainty.
- Guidance: the classifier's mean probability for the asked digit rises from w = 0 to w = 1 (500 samples,
  20 Euler steps, digits 0-9 in turn) while recall falls from w = 0 to w = 10. The card's numbers are
  reproduced within 0.01.
- The one-step guesses at t = 0, where x_t is pure noise: the minimiser of the flow-matching loss is then
  E[x1 - x0 | x0] = E[x1] - x0, so the unconditional guess x0 + v is the mean training digit and the
  conditional one the mean of the asked digit's training images (closed form, checked on the network);
  the guided guess is their extrapolation (1 + w) mean_y - w mean.
"""

from __future__ import annotations

import pytest
import torch

from models.flow.images import evaluate, measured, sampling
from models.flow.images.card import load
from models.flow.images.config import ImageFlowConfig

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def flow():
    loaded = load(ImageFlowConfig(), "cpu")
    assert loaded.path.name.startswith("ImageFlowConfig-") and "pretrained" in str(loaded.path)
    return loaded


def test_the_flow_beats_ddim_at_one_to_four_evaluations_and_loses_from_eight(flow):
    from models.diffusion.api import load_model

    curves = evaluate.quality_vs_nfe(flow.model, load_model("mnist"), n=500, nfes=(1, 2, 4, 8))
    fm, ddim = curves["flow matching"], curves["DDIM (shipped DDPM)"]
    for a, b in zip(fm[:3], ddim[:3]):
        assert a.fid < b.fid, (a, b)
    assert ddim[3].fid < fm[3].fid, (fm[3], ddim[3])
    ddpm = load_model("mnist")
    size = lambda m: sum(p.numel() for p in m.parameters())  # noqa: E731
    assert round(size(ddpm.model) / size(flow.model), 1) == 1.8
    assert ddpm.config.steps == 2 * flow.config.steps
    card = measured.quality_vs_nfe(flow.metrics)
    for name, points in curves.items():
        for got, shipped in zip(points, card[name]):
            assert got.nfe == shipped.nfe and got.fid == pytest.approx(shipped.fid, rel=0.02), (name, got, shipped)


def test_ddim_in_one_or_two_steps_draws_an_8_every_time():
    from models.diffusion.api import load_model
    from models.diffusion.evaluate import generate

    ddpm = load_model("mnist")
    for nfe in (1, 2):
        _, probs = evaluate._features(generate(ddpm.model, ddpm.config, 500, steps=nfe, seed=0))
        assert (probs.argmax(1) == 8).all() and (probs.max(1) > 0.9).all(), nfe


def test_guidance_raises_the_asked_digits_probability_and_lowers_recall(flow):
    points = evaluate.guidance_curve(flow.model, n=500, steps=20, ws=(0.0, 1.0, 10.0))
    w0, w1, w10 = points
    assert w1.asked_prob > w0.asked_prob + 0.02
    assert w10.recall < w0.recall - 0.3
    card = {p.w: p for p in measured.guidance(flow.metrics)}
    for p in points:
        assert p.asked_prob == pytest.approx(card[p.w].asked_prob, abs=0.01)
        assert p.recall == pytest.approx(card[p.w].recall, abs=0.01)


def test_at_time_zero_the_guesses_are_the_means_and_guidance_extrapolates(flow):
    from models.data import load_images

    train = load_images("mnist", "train")
    x1, y = train.x.float(), torch.as_tensor(train.y).long()
    overall = x1.mean(0)
    w = 2.0
    for digit in range(10):
        mean_y = x1[y == digit].mean(0)
        gap = float(((overall - mean_y) ** 2).mean())  # how far apart the two answers are
        x = sampling.path_state(flow.model, 32, 0.0, digit, w, seed=0)
        guess = sampling.predictions(flow.model, x, 0.0, digit, w)
        mse = lambda a, b: float(((a - b) ** 2).mean())  # noqa: E731
        assert mse(guess["unconditional"], overall) < 0.25 * gap, digit
        assert mse(guess["conditional"], mean_y) < 0.25 * gap, digit
        # in the model's range [-1, 1], clipped back to [0, 1] as the page shows it
        extrapolated = (((1 + w) * (2 * mean_y - 1) - w * (2 * overall - 1)).clamp(-1, 1) + 1) / 2
        assert mse(guess["guided"], extrapolated) < 0.4 * mse(guess["guided"], mean_y), digit
