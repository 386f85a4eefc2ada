"""GAN losses on the discriminator's raw outputs (logits or critic values).

Every function takes ``d_real`` = D(x) and ``d_fake`` = D(G(z)) as raw outputs of shape (B, 1) and returns
a scalar to *minimise*. For the two cross-entropy losses D outputs a logit and D's probability is
sigmoid(logit); log sigmoid is computed as -softplus(-a) so large logits never give log(0).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F


def d_loss_bce(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """Discriminator loss of the original GAN (Goodfellow et al. 2014, eq. 1).

    L_D = -E[log D(x)] - E[log(1 - D(G(z)))],  D = sigmoid(logit),
    i.e. softplus(-d_real) + softplus(d_fake) averaged over the batch.
    """
    return F.softplus(-d_real).mean() + F.softplus(d_fake).mean()


def g_loss_minimax(d_fake: torch.Tensor) -> torch.Tensor:
    """Generator loss of the minimax game, saturating (Goodfellow et al. 2014, eq. 1).

    L_G = E[log(1 - D(G(z)))] = -E[softplus(d_fake)]. Its gradient vanishes when D confidently rejects
    the fakes (D(G(z)) -> 0), which is exactly early in training: the loss "saturates".
    """
    return -F.softplus(d_fake).mean()


def g_loss_nonsat(d_fake: torch.Tensor) -> torch.Tensor:
    """Non-saturating generator loss (Goodfellow et al. 2014, section 3).

    L_G = -E[log D(G(z))] = E[softplus(-d_fake)]: same fixed point, strong gradients when D wins.
    """
    return F.softplus(-d_fake).mean()


def d_loss_lsgan(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """Least-squares discriminator loss with a=0, b=1 (Mao et al. 2017, eq. 2).

    L_D = 1/2 E[(D(x) - 1)^2] + 1/2 E[D(G(z))^2], D's raw output (no sigmoid).
    """
    return 0.5 * ((d_real - 1) ** 2).mean() + 0.5 * (d_fake ** 2).mean()


def g_loss_lsgan(d_fake: torch.Tensor) -> torch.Tensor:
    """Least-squares generator loss with c=1 (Mao et al. 2017, eq. 2): L_G = 1/2 E[(D(G(z)) - 1)^2]."""
    return 0.5 * ((d_fake - 1) ** 2).mean()


def d_loss_wgan(d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """Wasserstein critic loss without the penalty (Arjovsky et al. 2017): L_D = E[D(G(z))] - E[D(x)]."""
    return d_fake.mean() - d_real.mean()


def g_loss_wgan(d_fake: torch.Tensor) -> torch.Tensor:
    """Wasserstein generator loss: L_G = -E[D(G(z))]."""
    return -d_fake.mean()


def gradient_penalty(critic, x_real: torch.Tensor, x_fake: torch.Tensor,
                     generator: torch.Generator | None = None) -> torch.Tensor:
    """Gradient penalty of WGAN-GP (Gulrajani et al. 2017, eq. 3, Algorithm 1 lines 4-8).

    GP = E[(||grad_xhat D(xhat)||_2 - 1)^2],  xhat = eps x + (1 - eps) G(z),  eps ~ U[0, 1] per sample.

    Args:
        critic: the network D, (B, ...) -> (B, 1).
        x_real, x_fake: (B, ...) batches of the same shape; x_fake should be detached.
    Returns:
        A scalar tensor that keeps the graph (create_graph=True) so it can be minimised.
    """
    shape = (x_real.shape[0],) + (1,) * (x_real.dim() - 1)
    # drawn where the generator lives (a CPU generator cannot draw on CUDA), then moved to the batch
    eps = torch.rand(shape, generator=generator, device=generator.device if generator is not None else None)
    eps = eps.to(x_real)
    x_hat = (eps * x_real + (1 - eps) * x_fake).requires_grad_(True)
    out = critic(x_hat)
    (grad,) = torch.autograd.grad(out.sum(), x_hat, create_graph=True)
    norm = grad.flatten(1).norm(2, dim=1)
    return ((norm - 1) ** 2).mean()


def d_loss(loss: str, d_real: torch.Tensor, d_fake: torch.Tensor) -> torch.Tensor:
    """The discriminator/critic loss for ``loss`` (the WGAN-GP penalty is added by the caller)."""
    if loss in ("minimax", "nonsat"):
        return d_loss_bce(d_real, d_fake)
    if loss == "lsgan":
        return d_loss_lsgan(d_real, d_fake)
    if loss == "wgan-gp":
        return d_loss_wgan(d_real, d_fake)
    raise ValueError(f"Unknown loss {loss!r}.")


def g_loss(loss: str, d_fake: torch.Tensor) -> torch.Tensor:
    """The generator loss for ``loss``."""
    return {"minimax": g_loss_minimax, "nonsat": g_loss_nonsat, "lsgan": g_loss_lsgan,
            "wgan-gp": g_loss_wgan}[loss](d_fake)


def d_output(loss: str, raw: torch.Tensor) -> torch.Tensor:
    """What the page plots as "D(x)": a probability sigmoid(logit) for the cross-entropy losses,
    the raw output for LSGAN (target 1 real, 0 fake) and the critic value for WGAN-GP."""
    return torch.sigmoid(raw) if loss in ("minimax", "nonsat") else raw
