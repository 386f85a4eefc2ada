"""Has an autoencoder collapsed to the mean image? Two measured signs, against a trivial baseline.

The mean-image baseline draws the training mean x_bar = (1/N) sum_n x0_n for every input; its held-out
error is

    MSE_mean = (1/(N D)) sum_n ||x0_n - x_bar||^2       (about 0.071 per pixel on MNIST, 0.074 on 8x8 digits)

An autoencoder that learnt nothing about its input reaches this error and no better. Two signs of a
collapse, either one is enough:

    mse_ratio = MSE / MSE_mean >= MAX_MSE_RATIO                  (barely better than the mean image)
    spread    = mean_i Var_n(x_hat_ni) / mean_i Var_n(x0_ni) < MIN_SPREAD   (every reconstruction alike)

A KL-sparse code can meet its target activation rho exactly while collapsed (a constant code with every
unit at rho), so a sparsity target reached says nothing about the reconstructions on its own.
"""

from __future__ import annotations

from dataclasses import dataclass

import torch

MAX_MSE_RATIO = 0.8  # at or above: little better than drawing the mean image every time
MIN_SPREAD = 0.1  # below: the reconstructions vary less than a tenth as much as the images do


@dataclass(frozen=True)
class Collapse:
    """The two collapse measures of one autoencoder on held-out images.

    Attributes:
        mse_ratio: held-out MSE over the mean-image baseline's (0 perfect, 1 no better than the mean image).
        spread: variance of the reconstructions across images over that of the images (1: as varied).
        baseline_mse: the mean-image baseline's MSE per pixel.
    """

    mse_ratio: float
    spread: float
    baseline_mse: float

    @property
    def collapsed(self) -> bool:
        return self.mse_ratio >= MAX_MSE_RATIO or self.spread < MIN_SPREAD


def mean_image_mse(x_train: torch.Tensor, x_test: torch.Tensor) -> float:
    """MSE per pixel of predicting the training mean image for every held-out image; (N, C, H, W) inputs."""
    return float((x_test - x_train.mean(dim=0, keepdim=True)).pow(2).mean())


def spread(x_hat: torch.Tensor, x_test: torch.Tensor) -> float:
    """mean_i Var_n(x_hat_ni) / mean_i Var_n(x0_ni): how varied the reconstructions are, relative to the images."""
    return float(x_hat.flatten(1).var(dim=0).mean() / x_test.flatten(1).var(dim=0).mean().clamp_min(1e-12))


def measure(x_hat: torch.Tensor, x_test: torch.Tensor, x_train: torch.Tensor) -> Collapse:
    """Both measures for reconstructions x_hat of x_test (all (N, C, H, W), in [0, 1])."""
    baseline = mean_image_mse(x_train, x_test)
    mse = float((x_hat - x_test).pow(2).mean())
    return Collapse(mse / max(baseline, 1e-12), spread(x_hat, x_test), baseline)
