"""The zoo's results table: one row of comparable numbers per trained variant."""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch
from torch import nn

from .collapse import Collapse, measure
from .config import LABELS, ZooConfig
from .contractive import jacobian_frobenius_sq_autograd
from .probe import encode_all, linear_probe, reconstruct
from .sparse import mean_activations
from .stacked import n_params

JACOBIAN_IMAGES = 128  # the encoder Jacobian norm is averaged over this many test images


@dataclass(frozen=True)
class ZooRow:
    """Comparable numbers for one variant.

    Attributes:
        params: trainable scalars.
        time_s: training time in seconds.
        mse: mean squared error per pixel on the held-out images, (1/(N D)) sum ||x0 - x_hat||^2.
        probe_acc: held-out accuracy of the linear probe on the codes.
        jacobian: mean over held-out images of ||J_f(x0)||_F (encoder Jacobian, Frobenius norm).
        mean_activation: mean of z over the held-out images and units (the sparse target is rho).
        unit_means: (k,) rho_hat_j, each coding unit's mean activation on the held-out images.
        collapse: MSE against the mean-image baseline's and the spread of the reconstructions
            (:mod:`models.zoo.collapse`).
    """

    variant: str
    params: int
    time_s: float
    mse: float
    probe_acc: float
    jacobian: float
    mean_activation: float
    unit_means: np.ndarray
    collapse: Collapse

    def as_dict(self) -> dict:
        return {"variant": LABELS[self.variant], "parameters": self.params, "train time (s)": round(self.time_s, 2),
                "test MSE / pixel": round(self.mse, 5), "MSE / mean image's": round(self.collapse.mse_ratio, 2),
                "linear probe accuracy": round(self.probe_acc, 3),
                "encoder ||J||_F": round(self.jacobian, 3), "mean code activation": round(self.mean_activation, 3)}


def evaluate(model: nn.Module, config: ZooConfig, x_train: torch.Tensor, y_train: torch.Tensor,
             x_test: torch.Tensor, y_test: torch.Tensor, time_s: float) -> ZooRow:
    """Score a trained variant on held-out images (codes of the training images fit the probe).

    Args:
        x_train, x_test: (N, C, H, W) images in [0, 1]; y_train, y_test: (N,) labels.
        time_s: the training time to report.
    """
    x_hat = reconstruct(model, x_test)
    mse = float((x_hat - x_test).pow(2).mean())
    z_train, z_test = encode_all(model, x_train), encode_all(model, x_test)
    acc = linear_probe(z_train, y_train.numpy(), z_test, y_test.numpy(), seed=config.seed)
    device = next(model.parameters()).device
    jac = jacobian_frobenius_sq_autograd(model.encode, x_test[:JACOBIAN_IMAGES].to(device)).sqrt().mean()
    rho_hat = mean_activations(torch.from_numpy(z_test)).numpy()
    return ZooRow(config.variant, n_params(model), float(time_s), mse, acc, float(jac),
                  float(rho_hat.mean()), rho_hat, measure(x_hat, x_test, x_train))
