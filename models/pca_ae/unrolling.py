"""Does a 2D code unroll a curved sheet? Measured against the sheet's true coordinates (t, height).

scikit-learn's S-curve and swiss roll are a flat rectangle of coordinates u = (t, h) (position along the
sheet, height) bent into 3D. A code z (n, 2) *keeps* a coordinate when a smooth function of z recovers it;
we measure that with the cross-validated R^2 of a k-nearest-neighbour regression u_j ~ z:

    R^2_j = 1 - sum_i (u_ij - u_hat_ij)^2 / sum_i (u_ij - mean(u_j))^2     (u_hat: 5-fold, out of fold)

(1: recovered exactly; 0: no better than the mean; negative: worse). A code that folds the sheet (puts far
apart points of the sheet next to each other) loses its trustworthiness (Venna & Kaski 2001; scikit-learn's
``sklearn.manifold.trustworthiness``, 1 = every code-space neighbour is a neighbour on the sheet):

    T(K) = 1 - 2 / (n K (2n - 3K - 1)) sum_i sum_{j in U_K(i)} (r(i, j) - K)

A code that keeps both coordinates with a high trustworthiness keeps the sheet without folding it; it
need not unroll it into a flat rectangle (the MSE loss does not ask the code to keep distances, only to be
decodable).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np

NEIGHBOURS = 10


@dataclass(frozen=True)
class Unrolling:
    """How much of the sheet's coordinates a 2D code keeps.

    Attributes:
        r2_t, r2_h: cross-validated kNN R^2 of the position t and of the height h from the code.
        trust: trustworthiness of the code's neighbourhoods with respect to (t, h), in [0, 1].
    """

    r2_t: float
    r2_h: float
    trust: float


def sheet_coordinates(x: np.ndarray, t: np.ndarray) -> np.ndarray:
    """The sheet's own coordinates (t, h), each standardised; h is the height axis x[:, 1] of both datasets.

    Args:
        x: (n, 3) points of ``models.pca_ae.nonlinear_ae.manifold_data`` (height is its second axis).
        t: (n,) position along the sheet.
    Returns:
        (n, 2) float64.
    """
    u = np.c_[np.asarray(t, np.float64), np.asarray(x, np.float64)[:, 1]]
    return (u - u.mean(axis=0)) / u.std(axis=0)


def knn_r2(codes: np.ndarray, target: np.ndarray, neighbours: int = NEIGHBOURS) -> float:
    """Out-of-fold R^2 of a k-nearest-neighbour regression target ~ codes (5 shuffled folds, seed 0)."""
    from sklearn.model_selection import KFold, cross_val_predict
    from sklearn.neighbors import KNeighborsRegressor

    folds = KFold(5, shuffle=True, random_state=0)
    pred = cross_val_predict(KNeighborsRegressor(neighbours), codes, target, cv=folds)
    return float(1 - np.sum((target - pred) ** 2) / np.sum((target - target.mean()) ** 2))


def measure(codes: np.ndarray, coords: np.ndarray, neighbours: int = NEIGHBOURS) -> Unrolling:
    """:class:`Unrolling` of codes (n, 2) against the sheet's coordinates (n, 2) from :func:`sheet_coordinates`."""
    from sklearn.manifold import trustworthiness

    z = np.asarray(codes, np.float64)
    return Unrolling(knn_r2(z, coords[:, 0], neighbours), knn_r2(z, coords[:, 1], neighbours),
                     float(trustworthiness(coords, z, n_neighbors=neighbours)))
