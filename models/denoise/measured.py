"""What the denoisers' checkpoints and cards say was measured, as typed fields (the page never reads dicts).

The digit autoencoders' checkpoints store :func:`models.denoise.dae_eval.evaluate_dae`'s dict, the photo
network's its held-out card, and ``pretrained/`` the comparison with BM3D. These readers turn each into a
frozen dataclass, so a renamed or missing quantity fails here, loudly, and never as a silently missing
sentence or a different number on the page.
"""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class SweepPoint:
    """Mean PSNR (dB) on the held-out digits at one sigma of the page's slider (0-255 scale)."""

    sigma_255: float
    noisy: float
    dae: float
    nlm: float
    blur: float
    median: float


@dataclass(frozen=True)
class DAEScores:
    """A digit DAE on ``heldout_digits`` held-out MNIST digits: its ceiling (the clean digits as input) and,
    for a Gaussian DAE, the sigma sweep."""

    heldout_digits: int
    psnr_clean_input: float
    sweep: tuple[SweepPoint, ...]

    def at(self, sigma_255: float) -> SweepPoint | None:
        return next((p for p in self.sweep if p.sigma_255 == sigma_255), None)


def dae_scores(metrics: dict) -> DAEScores:
    """Raises KeyError when a quantity every DAE checkpoint stores is missing."""
    sweep = tuple(SweepPoint(float(r["sigma_255"]), float(r["noisy"]), float(r["dae"]), float(r["nlm"]),
                             float(r["blur"]), float(r["median"])) for r in metrics.get("sweep", ()))
    return DAEScores(int(metrics["heldout_digits"]), float(metrics["psnr_clean_input"]), sweep)


@dataclass(frozen=True)
class PhotoCard:
    """The photo network on held-out photos at sigma 25: mean PSNR (dB), network and non-local means."""

    n_gray_heldout: int  # Train400 photos it never saw
    n_colour: int
    gray_dncnn: float
    gray_nlm: float
    colour_dncnn: float
    colour_nlm: float


def photo_card(metrics: dict, train400_prefix: str) -> PhotoCard | None:
    """The card of the shipped photo network, or None when it has not been evaluated."""
    if "gray_mean_dncnn" not in metrics:
        return None
    photos = metrics["per_photo"]
    return PhotoCard(sum(p["name"].startswith(train400_prefix) for p in photos), sum(bool(p["colour"]) for p in photos),
                     float(metrics["gray_mean_dncnn"]), float(metrics["gray_mean_nlm"]),
                     float(metrics["colour_mean_dncnn"]), float(metrics["colour_mean_nlm"]))


@dataclass(frozen=True)
class VersusBM3D:
    """The photo network against BM3D at one sigma: mean PSNR of each over ``n`` photos, and its wins."""

    sigma_255: float
    n: int
    network: float
    bm3d: float
    wins: int


def versus_bm3d(rows: list[dict] | None) -> tuple[VersusBM3D, ...]:
    """The stored comparison (``models.denoise.bm3d_card.load_results()``), one value per sigma."""
    return tuple(VersusBM3D(float(r["sigma_255"]), int(r["n"]), float(r["mean_dncnn"]), float(r["mean_bm3d"]),
                            int(r["wins"])) for r in rows or ())
