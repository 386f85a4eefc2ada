"""How good are a latent model's prior samples? Class coverage and FID, measured like the FID leaderboard.

Two independent judges of "can it generate":

- coverage: decode n codes z ~ p(z), classify each image with GenLab's shipped digit classifier
  (``models.classifier``) and count the share of each predicted class. A model that draws only 8s and
  9s has shares near 0 for the other digits; the data's shares are about 0.1 each.
- FID (Heusel et al. 2017): ||mu_r - mu_g||^2 + Tr(S_r + S_g - 2 (S_r S_g)^(1/2)) between Gaussians fitted
  to the MNIST classifier's 128-d penultimate features of n held-out real images and of n samples: the
  features, real images (``from_dataset(dataset, "test", n, seed)``) and estimator of
  :func:`models.fid.leaderboard.leaderboard`, so ``prior_fid(kind, "mnist", 16, 250, 0)`` is that kind's
  leaderboard row at the page's default N.

Measuring costs seconds on a busy CPU, so :func:`generation_metrics` runs when a model is trained and its
numbers are stored with the weights; the page shows them and ``tests/latent/test_claims.py`` measures again.
"""

from __future__ import annotations

import numpy as np
import torch

CLASSIFIED = ("digits", "mnist")  # datasets with a shipped classifier
N_SAMPLES = 2000  # prior samples classified for the class shares
N_FID = 1000  # samples and held-out images per FID


@torch.no_grad()
def class_shares(x: torch.Tensor, dataset: str = "mnist", batch_size: int = 500) -> np.ndarray:
    """Share of each predicted class among images (N, 1, H, W) in [0, 1]: (10,) float64 summing to 1."""
    from models.classifier import load_classifier

    net = load_classifier(dataset, "cpu")
    x = x.cpu()
    preds = torch.cat([net(x[i:i + batch_size]).argmax(1) for i in range(0, len(x), batch_size)])
    return np.bincount(preds.numpy(), minlength=10)[:10] / len(x)


def fid_to_held_out(x: torch.Tensor, dataset: str, n: int, seed: int = 0) -> float:
    """FID between images x (N, 1, H, W) in [0, 1] and n held-out real images, on the leaderboard's features."""
    from models.fid.comparison import fid_to
    from models.fid.extractors import extract
    from models.fid.imagesets import from_dataset
    from models.fid.stats import feature_stats

    real = extract("mnist", from_dataset(dataset, "test", n, seed).images, device="cpu")
    fake = extract("mnist", x.cpu(), device="cpu")
    return fid_to(feature_stats(real.features), fake.features)


def prior_images(model, kind: str, metrics: dict, n: int, seed: int) -> torch.Tensor:
    """Decodes (n, C, H, W) of n prior codes (:func:`models.latent.explore.prior_codes`, as the page draws)."""
    from .explore import decode, prior_codes

    return decode(model, prior_codes(kind, metrics, model.latent_dim, n, seed))


def generation_metrics(model, kind: str, dataset: str, metrics: dict, seed: int = 0) -> dict:
    """The numbers stored with the weights: {} for a dataset without a classifier, else

        prior_class_shares: (10,) list, :func:`class_shares` of N_SAMPLES prior decodes (seed ``seed``);
        prior_fid: FID of N_FID prior decodes against N_FID held-out images (seed ``seed``); prior_fid_n: N_FID.
    """
    if dataset not in CLASSIFIED:
        return {}
    shares = class_shares(prior_images(model, kind, metrics, N_SAMPLES, seed), dataset)
    fid = fid_to_held_out(prior_images(model, kind, metrics, N_FID, seed), dataset, N_FID, seed)
    return {"prior_class_shares": shares.tolist(), "prior_fid": float(fid), "prior_fid_n": N_FID}


def prior_fid(kind: str, dataset: str, latent_dim: int = 16, n: int = N_FID, seed: int = 0) -> float:
    """FID of n prior samples of the shipped model, measured now (``models.latent.sample`` as the leaderboard)."""
    from . import sample

    x = sample(kind, dataset, n, seed, latent_dim=latent_dim, device=torch.device("cpu"))
    return fid_to_held_out(x, dataset, n, seed)


def prior_class_shares(kind: str, dataset: str, latent_dim: int, n: int = N_SAMPLES, seed: int = 0) -> np.ndarray:
    """:func:`class_shares` of n prior samples of the shipped model, measured now."""
    from . import sample

    return class_shares(sample(kind, dataset, n, seed, latent_dim=latent_dim, device=torch.device("cpu")), dataset)


def describe(metrics: dict) -> str:
    """One sentence (markdown) for the page from a model's stored metrics: code spread, rarest digit, FID."""
    var = metrics.get("test_z_var", [])
    parts = []
    if var:
        parts.append(f"held-out code variance per axis {min(var):.2f} to {max(var):.2f}" if len(var) > 2 else
                     "held-out code variance " + ", ".join(f"{v:.2f}" for v in var))
    if "prior_fid" in metrics:
        shares = metrics["prior_class_shares"]
        rare = min(range(len(shares)), key=shares.__getitem__)
        parts.append(f"rarest digit in {N_SAMPLES:,} prior samples: {rare} ({shares[rare]:.1%})")
        parts.append(f"**prior-sample FID {metrics['prior_fid']:.0f}** ({metrics['prior_fid_n']:,} samples)")
    else:
        parts.append("prior samples not measured (no digit classifier for this dataset, or weights trained "
                     "before the measurement: `python -m models.latent.train` adds it)")
    return "; ".join(parts) + "."
