"""One training objective per variant: build the network, compute its loss on a batch.

Every variant minimises a reconstruction term plus its own regulariser Omega:

    L(x0) = (1/B) sum_b ||x0_b - g(f(x~_b))||^2 + Omega

with x~ = x0 except for the denoising variants, and Omega = 0 except for the sparse and contractive
ones. The greedy variant follows its stage schedule (:mod:`models.zoo.greedy`).
"""

from __future__ import annotations

import math
from dataclasses import dataclass

import torch
from torch import nn

from . import contractive, denoising, greedy, sparse
from .config import MLP_VARIANTS, ZooConfig
from .convolutional import ConvAE
from .recurrent import RecurrentAE
from .stacked import StackedAE
from .tied import TiedAE
from ..seed import seeded_init

SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28), "fashion": (1, 28, 28)}
# The KL penalty acts on activations in (0, 1), the L1 penalty on non-negative ones; the rest are linear.
CODE_ACT = {"sparse_kl": "sigmoid", "sparse_l1": "relu"}


def image_shape(config: ZooConfig) -> tuple[int, int, int]:
    """(C, H, W) of the config's dataset."""
    return SHAPES[config.dataset]


def build(config: ZooConfig) -> nn.Module:
    """A freshly initialised network for ``config`` (seeded by ``config.seed``)."""
    with seeded_init(config.seed):
        return _build(config)


def _build(config: ZooConfig) -> nn.Module:
    shape = image_shape(config)
    if config.variant == "conv":
        return ConvAE(shape, config.code)
    if config.variant == "recurrent":
        return RecurrentAE(shape, config.hidden, config.code)
    if config.variant == "tied":
        return TiedAE(shape, config.hidden, config.code)
    assert config.variant in MLP_VARIANTS
    # The KL-sparse code starts at its target activation rho (b2 = logit(rho)); see models.zoo.stacked.
    bias = math.log(config.rho / (1 - config.rho)) if config.variant == "sparse_kl" else None
    return StackedAE(shape, config.hidden, config.code, code_act=CODE_ACT.get(config.variant, "linear"),
                     code_bias=bias)


@dataclass(frozen=True)
class LossTerms:
    """One step's loss: ``loss`` (a tensor to backpropagate), and its parts as floats."""

    loss: torch.Tensor
    recon: float
    penalty: float


def loss_terms(model: nn.Module, x0: torch.Tensor, config: ZooConfig, step: int,
               generator: torch.Generator | None = None) -> LossTerms:
    """The variant's training loss on a batch.

    Args:
        model: the network :func:`build` made for ``config``.
        x0: (B, C, H, W) clean images in [0, 1].
        config: the variant and its penalty weights.
        step: 0-based step (the greedy variant's stage depends on it).
        generator: CPU generator for the corruption noise.
    Returns:
        :class:`LossTerms`; recon is the squared error summed over pixels, averaged over the batch.
    """
    x_in = denoising.corrupt(x0, config.variant, sigma=config.noise_std, p=config.drop_p, generator=generator)
    if config.variant == "greedy":
        loss = greedy.stage_loss(model, x_in, x0, greedy.stage_of(step, config.steps))
        return LossTerms(loss, float(loss.detach()), 0.0)
    x_hat, z = model(x_in)  # (B, C, H, W), (B, k)
    recon = (x_hat - x0).pow(2).flatten(1).sum(1).mean()
    if config.variant == "sparse_l1":
        penalty = sparse.l1_penalty(z, config.l1_weight)
    elif config.variant == "sparse_kl":
        penalty = sparse.kl_penalty(z, config.rho, config.beta)
    elif config.variant == "contractive":
        penalty = config.contractive_weight * contractive.jacobian_frobenius_sq(model, x_in).mean()
    else:
        penalty = torch.zeros((), device=x0.device)
    return LossTerms(recon + penalty, float(recon.detach()), float(penalty.detach()))
