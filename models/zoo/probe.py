"""Codes and the linear probe: how much of the label a code keeps, read by logistic regression.

The probe is scikit-learn's multinomial logistic regression on standardised codes, fitted on the
training codes and scored on held-out ones. A code that separates the classes linearly scores high
even though the autoencoder never saw a label.
"""

from __future__ import annotations

import numpy as np
import torch
from torch import nn


@torch.no_grad()
def encode_all(model: nn.Module, x0: torch.Tensor, batch_size: int = 512) -> np.ndarray:
    """Codes of many images: (N, C, H, W) -> (N, k) float32 numpy, computed in batches on the model's device."""
    device = next(model.parameters()).device
    model.eval()
    out = [model.encode(x0[i:i + batch_size].to(device)).float().cpu() for i in range(0, len(x0), batch_size)]
    return torch.cat(out).numpy()


@torch.no_grad()
def reconstruct(model: nn.Module, x0: torch.Tensor, batch_size: int = 512) -> torch.Tensor:
    """x_hat = g(f(x0)) for (N, C, H, W) images, returned on the CPU."""
    device = next(model.parameters()).device
    model.eval()
    out = [model(x0[i:i + batch_size].to(device))[0].float().cpu() for i in range(0, len(x0), batch_size)]
    return torch.cat(out)


def linear_probe(z_train: np.ndarray, y_train: np.ndarray, z_test: np.ndarray, y_test: np.ndarray,
                 seed: int = 0) -> float:
    """Test accuracy in [0, 1] of logistic regression fitted on (z_train, y_train).

    Args:
        z_train: (N, k) codes; y_train: (N,) integer labels.
        z_test: (M, k) codes; y_test: (M,) labels.
    """
    from sklearn.linear_model import LogisticRegression
    from sklearn.pipeline import make_pipeline
    from sklearn.preprocessing import StandardScaler

    clf = make_pipeline(StandardScaler(), LogisticRegression(max_iter=2000, random_state=seed))
    clf.fit(z_train, y_train)
    return float(clf.score(z_test, y_test))
