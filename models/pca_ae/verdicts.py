"""What the page may state, decided from measured numbers: each sentence says what was measured.

- Linear autoencoder: "the codings are PCA's scores up to an invertible linear map" only once the two
  planes are the same (largest principal angle below SAME_PLANE_DEG); before that, what to expect.
- Curved data: a sheet coordinate is "kept" by a code when its kNN R^2 >= KEPT_R2 and "lost" below LOST_R2
  (:mod:`models.pca_ae.unrolling`); a code "keeps the sheet" when it keeps both, with trustworthiness >= TRUSTED
  (it does not fold the sheet onto itself). That is not "unrolled flat": the code may still be bent.
- Images: the stacked autoencoder "beats" PCA at k when its held-out MSE is more than TIE below PCA's
  (relative), "loses" when more than TIE above, and ties in between.
"""

from __future__ import annotations

from .unrolling import Unrolling

SAME_PLANE_DEG = 1.0
KEPT_R2, LOST_R2, TRUSTED = 0.9, 0.5, 0.95
TIE = 0.02


def same_plane(max_angle_deg: float) -> bool:
    """Whether the autoencoder's plane and PCA's are the same, to SAME_PLANE_DEG."""
    return max_angle_deg < SAME_PLANE_DEG


def codings_sentence(max_angle_deg: float, residual: float, condition: float) -> str:
    """Markdown: are the codings PCA's scores up to an invertible linear map, as measured now?"""
    fit = (f"the best $A, c$ with $z_{{PCA}} \\approx z_{{AE}}A + c$ (least squares) leave a relative residual "
           f"of **{residual:.2e}** (condition number of $A$: {condition:.1f})")
    if same_plane(max_angle_deg):
        return (f"**The codings are PCA's scores up to an invertible linear map** (the planes are "
                f"{max_angle_deg:.3f}° apart): {fit}.")
    return (f"**Not yet PCA's scores up to a linear map**: the planes are **{max_angle_deg:.1f}°** apart, and "
            f"{fit}. After training, expect an angle below {SAME_PLANE_DEG:g}° and a residual near 0: then the "
            f"codings are PCA's scores up to an invertible linear map (Baldi & Hornik).")


def _coordinate(r2: float, name: str) -> str:
    verdict = "keeps" if r2 >= KEPT_R2 else "loses" if r2 < LOST_R2 else "partly keeps"
    return f"{verdict} the {name} (R² {r2:.2f})"


def keeps_sheet(u: Unrolling) -> bool:
    """Both sheet coordinates recoverable from the code, and its neighbourhoods trustworthy."""
    return u.r2_t >= KEPT_R2 and u.r2_h >= KEPT_R2 and u.trust >= TRUSTED


def unrolling_sentence(label: str, ae: Unrolling, pca: Unrolling) -> str:
    """Markdown: what each 2D code keeps of the sheet's coordinates (t, height), from the measured numbers."""
    head = (f"Measured on the {label} (R²: how well a 10-nearest-neighbour regression recovers a coordinate "
            f"from the 2D code; trustworthiness: how many of the code's neighbours are neighbours on the sheet). "
            f"PCA {_coordinate(pca.r2_t, 'position t')} and {_coordinate(pca.r2_h, 'height')} "
            f"(trustworthiness {pca.trust:.2f}); the autoencoder {_coordinate(ae.r2_t, 'position t')} and "
            f"{_coordinate(ae.r2_h, 'height')} (trustworthiness {ae.trust:.2f}). ")
    if keeps_sheet(ae):
        return head + ("**The autoencoder's code keeps both of the sheet's coordinates** and does not fold the "
                       "sheet onto itself. It is not flattened into a rectangle, though: the loss asks only that "
                       "the code can be decoded, not that it keeps distances, so the sheet may come out bent.")
    return head + ("**The autoencoder's code does not keep this sheet's coordinates**: it folds or squeezes part "
                   "of the sheet. Try more steps or another seed.")


def k_gain(pca_mse: float, ae_mse: float) -> float:
    """Relative gain of the autoencoder over PCA, (PCA - AE) / PCA: positive when the autoencoder is better."""
    return (pca_mse - ae_mse) / pca_mse


def k_caption(k: int, pca_mse: float, ae_mse: float) -> str:
    """Markdown: which of PCA and the stacked autoencoder has the lower held-out error at this k."""
    gain = k_gain(pca_mse, ae_mse)
    if gain > TIE:
        return (f"At k = {k} the stacked autoencoder's held-out error is **{gain:.0%} below** PCA's "
                f"({ae_mse:.4f} against {pca_mse:.4f}): nonlinear codes pay off.")
    if gain < -TIE:
        return (f"At k = {k} the stacked autoencoder's held-out error is **{-gain:.0%} above** PCA's "
                f"({ae_mse:.4f} against {pca_mse:.4f}): at this code size PCA's optimal linear subspace wins.")
    return (f"At k = {k} the two are **within {TIE:.0%}** of each other ({ae_mse:.4f} against {pca_mse:.4f}): "
            f"a tie at this code size.")


def k_summary(pca_curve: dict[int, float], stacked: dict[int, float]) -> str:
    """One sentence over every k with trained autoencoders: where the stacked one beats PCA, ties, or loses."""
    groups: dict[str, list[int]] = {"beats": [], "ties with": [], "loses to": []}
    for k in sorted(stacked):
        gain = k_gain(pca_curve[k], stacked[k])
        groups["beats" if gain > TIE else "loses to" if gain < -TIE else "ties with"].append(k)
    parts = [f"{verb} PCA at k = {', '.join(map(str, ks))}" for verb, ks in groups.items() if ks]
    return "Measured with the shipped weights on the held-out images: the stacked autoencoder " + "; ".join(parts) + "."
