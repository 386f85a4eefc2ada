"""Greedy layer-wise training of a stacked autoencoder (Bengio et al. 2007; HOML ch. 17, "Training
One Autoencoder at a Time").

The same architecture as :class:`models.zoo.stacked.StackedAE` is trained in stages:

    stage 1 (outer):  x_hat = sigmoid(W4 h1 + b4),  h1 = relu(W1 x + b1);   loss ||x - x_hat||^2
    stage 2 (inner):  on the frozen codes h1: h1_hat = relu(W3 a(W2 h1 + b2) + b3);
                      loss ||h1 - h1_hat||^2
    stage 3 (stack):  the two are stacked, x -> W1 -> W2 -> W3 -> W4, and fine-tuned end to end.

Each stage is a shallow autoencoder, which was the way to train deep ones before good initialisations
and optimisers made end-to-end training easy.
"""

from __future__ import annotations

import torch
from torch.nn import functional as F

from .stacked import StackedAE

STAGES = ("outer", "inner", "fine-tune")
FRACTIONS = (0.4, 0.4, 0.2)  # share of the step budget per stage


def stage_bounds(total: int) -> tuple[int, int]:
    """The steps at which stages 2 and 3 begin, for a budget of ``total`` steps."""
    first = int(round(FRACTIONS[0] * total))
    second = int(round((FRACTIONS[0] + FRACTIONS[1]) * total))
    return first, second


def stage_of(step: int, total: int) -> int:
    """Stage index (0, 1, 2) of 0-based ``step`` in a budget of ``total`` steps."""
    first, second = stage_bounds(total)
    return 0 if step < first else (1 if step < second else 2)


def stage_loss(model: StackedAE, x_in: torch.Tensor, x0: torch.Tensor, stage: int) -> torch.Tensor:
    """The loss of one greedy stage, summed over pixels (or hidden units) and averaged over the batch.

    Args:
        model: the stacked autoencoder being built.
        x_in: (B, C, H, W) network input; x0: (B, C, H, W) the target.
        stage: 0 outer, 1 inner, 2 fine-tune.
    Returns:
        scalar loss; only the stage's own parameters receive gradients.
    """
    if stage == 0:
        h1 = model.encode_hidden(x_in)  # (B, h)
        x_hat = torch.sigmoid(model.dec2(h1)).view_as(x0)
        return (x_hat - x0).pow(2).flatten(1).sum(1).mean()
    if stage == 1:
        h1 = model.encode_hidden(x_in).detach()  # frozen outer encoder
        h1_hat = F.relu(model.dec1(model.code_activation(model.enc2(h1))))
        return (h1_hat - h1).pow(2).sum(1).mean()
    x_hat, _ = model(x_in)
    return (x_hat - x0).pow(2).flatten(1).sum(1).mean()
