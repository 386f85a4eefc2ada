"""What the explorer page asks of a trained model: codes, decodes, prior samples, 2-D views and grids.

Every function takes a model from :func:`load` (eval mode) and returns CPU tensors or NumPy arrays.
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np
import torch

from models.checkpoints import Loaded, OnStep, load_or_train

from .config import default_config
from .training import build, fit


def load(kind: str, dataset: str, latent_dim: int, *, device: torch.device | None = None,
         on_step: OnStep | None = None, on_wait=None, **overrides) -> Loaded:
    """The model for (kind, dataset, d): shipped weights when they exist, else trained through the run pool
    (progress to ``on_step``, a wait for a free slot to ``on_wait``: :func:`models.checkpoints.load_or_train`)."""
    return load_or_train(default_config(kind, dataset, latent_dim, **overrides), build, fit,
                         on_step=on_step, on_wait=on_wait, device=device)


def _device(model) -> torch.device:
    return next(model.parameters()).device


@torch.no_grad()
def encode(model, x0: torch.Tensor, batch_size: int = 2000) -> torch.Tensor:
    """Deterministic codes (the VAE's posterior mean mu): (N, C, H, W) in [0, 1] -> (N, d) on the CPU."""
    dev = _device(model)
    return torch.cat([model.encode(x0[i:i + batch_size].to(dev)).cpu()
                      for i in range(0, len(x0), batch_size)])


@torch.no_grad()
def decode(model, z) -> torch.Tensor:
    """Codes (n, d) (tensor or array-like) -> images (n, C, H, W) in [0, 1] on the CPU."""
    z = torch.as_tensor(np.asarray(z, dtype=np.float32)).reshape(-1, model.latent_dim)
    return model.decode(z.to(_device(model))).cpu()


def prior_codes(kind: str, metrics: dict, latent_dim: int, n: int, seed: int) -> torch.Tensor:
    """n codes (n, d) from the model's prior: N(0, I) for the VAE and the AAE.

    The plain AE has no prior; it gets the most charitable simple one, a diagonal Gaussian fitted to
    its training codes (``code_mean``, ``code_std`` in the metrics), and still decodes many non-digits.
    """
    eps = torch.randn((n, latent_dim), generator=torch.Generator().manual_seed(int(seed)))  # (n, d)
    if kind != "ae":
        return eps
    return torch.tensor(metrics["code_mean"]) + torch.tensor(metrics["code_std"]) * eps


def slider_range(kind: str, metrics: dict, latent_dim: int) -> tuple[list[float], list[float]]:
    """Per-dimension (lo, hi) for the sliders: [-4, 4] under a N(0, I) prior, else the codes' extent."""
    if kind != "ae":
        return [-4.0] * latent_dim, [4.0] * latent_dim
    lo, hi = np.asarray(metrics["code_lo"]), np.asarray(metrics["code_hi"])
    pad = 0.15 * (hi - lo)
    return np.floor(lo - pad).tolist(), np.ceil(hi + pad).tolist()


@dataclass(frozen=True)
class View2D:
    """A 2-D picture of d-dimensional codes.

    Attributes:
        coords: (N, 2) positions of the codes in the picture.
        method: "identity" (d = 2), "pca" or "tsne".
        center, basis: for linear views, z = center + u @ basis maps a picture point u (2,) back to a
            code (d,): basis (2, d). None for t-SNE, which has no inverse.
        explained: fraction of the code variance the two PCA axes keep (1.0 for d = 2).
    """

    coords: np.ndarray
    method: str
    center: np.ndarray | None
    basis: np.ndarray | None
    explained: float | None

    def to_latent(self, u: np.ndarray) -> np.ndarray:
        """Picture points (n, 2) -> codes (n, d); only for linear views."""
        if self.basis is None:
            raise ValueError("A t-SNE picture has no inverse map: pick PCA to click on the map.")
        return self.center[None] + np.asarray(u, dtype=np.float32).reshape(-1, 2) @ self.basis


def view_2d(codes: np.ndarray, method: str = "pca", seed: int = 0, max_tsne: int = 1000) -> View2D:
    """Place codes (N, d) in 2-D: directly when d = 2, else PCA (scikit-learn) or t-SNE (first max_tsne)."""
    codes = np.asarray(codes, dtype=np.float32)
    d = codes.shape[1]
    if d == 2:
        return View2D(codes, "identity", np.zeros(2, np.float32), np.eye(2, dtype=np.float32), 1.0)
    if method == "pca":
        from sklearn.decomposition import PCA

        pca = PCA(n_components=2, random_state=seed).fit(codes)
        return View2D(pca.transform(codes).astype(np.float32), "pca", pca.mean_.astype(np.float32),
                      pca.components_.astype(np.float32), float(pca.explained_variance_ratio_.sum()))
    if method == "tsne":
        from sklearn.manifold import TSNE

        sub = codes[:max_tsne]
        xy = TSNE(n_components=2, init="pca", perplexity=30, random_state=seed).fit_transform(sub)
        return View2D(xy.astype(np.float32), "tsne", None, None, None)
    raise ValueError(f"method must be 'pca' or 'tsne', got {method!r}.")


def grid_codes(view: View2D, lo: tuple[float, float], hi: tuple[float, float], n: int) -> np.ndarray:
    """An n x n grid over the picture rectangle [lo, hi], mapped to codes: (n * n, d), row-major, top row
    at the largest second coordinate (so a tiled image has the same orientation as the scatter plot)."""
    u0 = np.linspace(lo[0], hi[0], n, dtype=np.float32)
    u1 = np.linspace(hi[1], lo[1], n, dtype=np.float32)
    uu = np.stack(np.meshgrid(u0, u1), -1).reshape(-1, 2)  # (n * n, 2)
    return view.to_latent(uu)


def tile(images: torch.Tensor, rows: int, cols: int, pad: int = 1) -> np.ndarray:
    """Images (rows * cols, 1, H, W) in [0, 1] -> one (rows * (H + pad) - pad, cols * (W + pad) - pad) array,
    padded with white lines (1.0)."""
    n, _, h, w = images.shape
    if n != rows * cols:
        raise ValueError(f"tile needs rows * cols = {rows * cols} images, got {n}.")
    out = np.ones((rows * (h + pad) - pad, cols * (w + pad) - pad), np.float32)
    arr = images[:, 0].numpy()
    for i in range(n):
        r, c = divmod(i, cols)
        out[r * (h + pad):r * (h + pad) + h, c * (w + pad):c * (w + pad) + w] = arr[i]
    return out


def sheet(images: torch.Tensor, rows: int, cols: int, width: int = 420) -> np.ndarray:
    """Images (rows * cols, 1, H, W) in [0, 1] -> one uint8 picture (tiled with white lines), enlarged by
    an integer factor (nearest neighbour) to at most about ``width`` pixels wide, ready for ``st.image``."""
    tiled = tile(images, rows, cols)
    k = max(1, width // tiled.shape[1])
    return (np.kron(tiled, np.ones((k, k), np.float32)) * 255).round().astype(np.uint8)


def to_display(image: torch.Tensor, size: int = 196) -> np.ndarray:
    """One image (1, H, W) in [0, 1] -> (size', size') uint8, enlarged by an integer factor (nearest)."""
    arr = image[0].clamp(0, 1).numpy()
    k = max(1, size // arr.shape[0])
    return (np.kron(arr, np.ones((k, k), np.float32)) * 255).round().astype(np.uint8)


@torch.no_grad()
def vae_internals(model, x0: torch.Tensor, seed: int) -> dict[str, np.ndarray | float]:
    """For one image (1, C, H, W): mu, sigma, a sampled eps and z = mu + sigma * eps (each (d,)), the two
    loss terms for that sample (nats), and the decodes of mu and of z ((1, C, H, W) each)."""
    gen = torch.Generator().manual_seed(int(seed))
    t = model.terms(x0.to(_device(model)), gen)
    return {"mu": t["mu"][0].cpu().numpy(), "sigma": t["logvar"][0].mul(0.5).exp().cpu().numpy(),
            "eps": t["eps"][0].cpu().numpy(), "z": t["z"][0].cpu().numpy(),
            "recon": float(t["recon"][0]), "kl": float(t["kl"][0]),
            "x_mu": decode(model, t["mu"].cpu()), "x_z": decode(model, t["z"].cpu())}


def grid_extent(kind: str, view: View2D) -> tuple[tuple[float, float], tuple[float, float]]:
    """The rectangle the manifold grid covers: [-3, 3]^2 under an N(0, I) prior seen directly (d = 2),
    else the 1st to 99th percentile of the codes in the picture (the plain AE's codes have no set scale)."""
    if kind != "ae" and view.method == "identity":
        return (-3.0, -3.0), (3.0, 3.0)
    lo, hi = np.percentile(view.coords, 1, axis=0), np.percentile(view.coords, 99, axis=0)
    return (float(lo[0]), float(lo[1])), (float(hi[0]), float(hi[1]))


def project(view: View2D, z) -> np.ndarray:
    """A code (d,) -> its point (2,) in a linear picture: u = (z - center) @ basis^T."""
    if view.basis is None:
        raise ValueError("A t-SNE picture has no projection for new codes.")
    return (np.asarray(z, dtype=np.float32) - view.center) @ view.basis.T
