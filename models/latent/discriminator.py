"""What the AAE's code discriminator D sees and says, as arrays for the page's figures.

D(z) = sigmoid(logit) is D's probability that z was drawn from the prior p(z) = N(0, I) rather than
produced by the encoder (Makhzani et al. 2016, section 2). At the end of a successful game the encoder's
aggregate posterior q(z) matches p(z) and D cannot do better than chance: D(z) = 1/2 for both kinds of
code (Goodfellow et al. 2014, proposition 1: D*(z) = p(z) / (p(z) + q(z))).

GenLab's D also sees its minibatch's per-dimension mean and standard deviation
(:class:`models.latent.networks.CodeDiscriminator`). :func:`judge` scores codes in real minibatches, as in
training; :func:`surface` scores single points of the code plane with the batch moments of the prior,
[0, 1], the moments a well-matched batch of codes has.

D is frozen at the end of the SGD steps; the closed-form calibration step that follows
(:mod:`models.latent.calibrate`, z' = a * (z - s)) moves the codes but not D. To show the game as it ended,
:func:`judge` maps the shipped codes back to D's coordinates, z = z' / a + s, when given the calibration.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch


@dataclass(frozen=True)
class Judgement:
    """D on prior samples and on the encoder's codes of held-out images.

    Attributes:
        z_prior: (N, d) samples of p(z).  z_codes: (N, d) codes z ~ q(z | x0) of N held-out images.
        d_prior, d_codes: (N,) D's probability "drawn from the prior" for each.
    """

    z_prior: np.ndarray
    z_codes: np.ndarray
    d_prior: np.ndarray
    d_codes: np.ndarray

    @property
    def accuracy(self) -> float:
        """Balanced accuracy of D thresholded at 1/2: (P[D(prior) > 1/2] + P[D(code) < 1/2]) / 2; 0.5 is chance."""
        return 0.5 * (float((self.d_prior > 0.5).mean()) + float((self.d_codes < 0.5).mean()))


@torch.no_grad()
def judge(model, x0: torch.Tensor, seed: int = 0, batch_size: int = 128,
          calibration: dict | None = None) -> Judgement:
    """Score prior samples and the codes of images x0 (N, C, H, W) in [0, 1] with the AAE's discriminator.

    Both sets are scored in minibatches of ``batch_size`` (the training batch size), each minibatch all
    prior or all codes, as D met them in training. The codes are sampled, z = mu + sigma * eps; with
    ``calibration`` ({"shift": s, "scale": a}, stored in the checkpoint's metrics) they are first mapped
    back to the coordinates D was trained in, z / a + s.
    """
    gen = torch.Generator().manual_seed(int(seed))
    dev = next(model.parameters()).device
    mu, logvar = model.posterior(x0.to(dev))  # (N, d) each
    eps = torch.randn(mu.shape, generator=gen).to(dev)
    z_codes = mu + (0.5 * logvar).exp() * eps  # (N, d)
    if calibration:
        s = torch.tensor(calibration["shift"], device=dev)
        a = torch.tensor(calibration["scale"], device=dev)
        z_codes = z_codes / a + s  # undo z' = a (z - s): D's coordinates
    z_prior = torch.randn(mu.shape, generator=gen).to(dev)  # (N, d)

    def score(z: torch.Tensor) -> torch.Tensor:
        return torch.cat([torch.sigmoid(model.discriminator(z[i:i + batch_size]))
                          for i in range(0, len(z), batch_size)])

    return Judgement(z_prior.cpu().numpy(), z_codes.cpu().numpy(), score(z_prior).cpu().numpy(),
                     score(z_codes).cpu().numpy())


@torch.no_grad()
def surface(model, lo: float = -3.0, hi: float = 3.0, n: int = 61) -> tuple[np.ndarray, np.ndarray]:
    """D(z) on an n x n grid of the 2-D code plane [lo, hi]^2, each point scored with batch moments [0, 1].

    Returns:
        u: (n,) grid coordinates (both axes); p: (n, n) with p[i, j] = D((u[j], u[i])) (row = z2, column = z1,
        the layout of a plotly heat map).
    """
    if model.latent_dim != 2:
        raise ValueError(f"The code plane is drawn for d = 2 only; this model has d = {model.latent_dim}. "
                         "Use judge() and its histograms for larger codes.")
    dev = next(model.parameters()).device
    u = np.linspace(lo, hi, n, dtype=np.float32)
    zz = torch.from_numpy(np.stack(np.meshgrid(u, u), -1).reshape(-1, 2)).to(dev)  # (n * n, 2)
    stats = torch.tensor([0.0, 0.0, 1.0, 1.0], device=dev)
    p = torch.sigmoid(model.discriminator(zz, stats)).reshape(n, n)
    return u, p.cpu().numpy()


def plane_extent(j: Judgement, q: float = 1.0) -> tuple[float, float]:
    """A square [lo, hi] for :func:`surface` holding [-3, 3] and the q-th to (100 - q)-th percentiles of
    both sets of 2-D codes (uncalibrated codes may lie far from the prior)."""
    both = np.concatenate([j.z_prior, j.z_codes])
    lo = min(-3.0, float(np.percentile(both, q)))
    hi = max(3.0, float(np.percentile(both, 100 - q)))
    return float(np.floor(lo)), float(np.ceil(hi))
