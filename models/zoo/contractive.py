"""The contractive penalty: the Frobenius norm of the encoder's Jacobian (Rifai et al., ICML 2011).

    L = ||x0 - g(f(x0))||^2 + lambda * ||J_f(x0)||_F^2,     J_f(x0) = d z / d x0   (k x D),  eq. (5)

A small Jacobian means the code barely moves when the input moves off the data: the encoder contracts
the space around the training images. For a single sigmoid layer Rifai et al. give the closed form
||J||_F^2 = sum_j (z_j (1 - z_j))^2 sum_i W_ji^2 (eq. 7). Our encoder has two layers,
z = a(W2 relu(W1 x + b1) + b2) with a the identity (or a sigmoid, or a relu), so by the chain rule

    J = diag(a') W2 diag(1[W1 x + b1 > 0]) W1,      a' = 1 (identity), z (1 - z) (sigmoid) or 1[z > 0],

computed exactly and batched below; :func:`jacobian_frobenius_sq_autograd` is the model-agnostic
reference used for the convolutional and recurrent encoders and in the tests.
"""

from __future__ import annotations

import torch

from .stacked import StackedAE


def jacobian_frobenius_sq(model: StackedAE, x0: torch.Tensor) -> torch.Tensor:
    """||J_f(x0)||_F^2 per image, in closed form for the two-layer MLP encoder.

    Args:
        model: a :class:`StackedAE` (or a subclass sharing its encoder, e.g. the tied one).
        x0: (B, C, H, W) images.
    Returns:
        (B,) squared Frobenius norms (differentiable, so usable as a training penalty).
    """
    w1, w2 = model.enc1.weight, model.enc2.weight  # (h, D), (k, h)
    a1 = model.enc1(x0.flatten(1))  # (B, h)
    z = model.code_activation(model.enc2(torch.relu(a1)))  # (B, k)
    d1 = (a1 > 0).to(x0.dtype)  # relu'(a1), (B, h)
    if model.code_act == "sigmoid":
        d2 = z * (1 - z)  # a'(a2), (B, k)
    elif model.code_act == "relu":
        d2 = (z > 0).to(x0.dtype)
    else:
        d2 = torch.ones_like(z)
    inner = d2[:, :, None] * w2[None] * d1[:, None, :]  # (B, k, h)
    jac = inner @ w1  # (B, k, D)
    return jac.pow(2).sum(dim=(1, 2))


def jacobian_frobenius_sq_autograd(encode, x0: torch.Tensor) -> torch.Tensor:
    """||d encode(x0) / d x0||_F^2 per image for any encoder without cross-batch terms.

    One backward pass per code unit j: the gradient of sum_b z_bj with respect to x0 holds, in row b,
    the j-th row of image b's Jacobian (images do not interact).

    Args:
        encode: callable (B, C, H, W) -> (B, k).
        x0: (B, C, H, W) images.
    Returns:
        (B,) squared Frobenius norms (detached).
    """
    x = x0.detach().clone().requires_grad_(True)
    with torch.enable_grad():
        z = encode(x)  # (B, k)
        total = torch.zeros(x.shape[0], device=x.device, dtype=x.dtype)
        for j in range(z.shape[1]):
            (g,) = torch.autograd.grad(z[:, j].sum(), x, retain_graph=j < z.shape[1] - 1)
            total += g.flatten(1).pow(2).sum(dim=1)
    return total.detach()
