"""Decision boundaries and learned densities on a grid, and how far a boundary moved.

A two-class boundary is the set {x : P(y = 1 | x) = 1/2}. For LDA and logistic regression it is a line
w^T x + b = 0, whose closed form for equal-covariance Gaussians is (Hastie et al., ESL eq. 4.9)

    w = Sigma^-1 (mu_1 - mu_0),  b = -1/2 (mu_1 + mu_0)^T w + log(pi_1 / pi_0).
"""

from __future__ import annotations

from dataclasses import dataclass

import numpy as np


@dataclass(frozen=True)
class Grid:
    """A regular grid over a 2D box.

    Attributes:
        xs: (R,) first coordinates; ys: (R,) second coordinates.
        points: (R * R, 2) every grid point, row-major (ys vary slowest), so ``values.reshape(R, R)``
            lines up with ``xs`` along columns and ``ys`` along rows.
    """

    xs: np.ndarray
    ys: np.ndarray

    @property
    def points(self) -> np.ndarray:
        gx, gy = np.meshgrid(self.xs, self.ys)
        return np.column_stack([gx.ravel(), gy.ravel()])

    @property
    def shape(self) -> tuple[int, int]:
        return len(self.ys), len(self.xs)


def grid_around(X: np.ndarray, resolution: int = 120, margin: float = 0.15) -> Grid:
    """A ``resolution`` x ``resolution`` grid covering the points X (N, 2) plus ``margin`` of their range."""
    lo, hi = X.min(axis=0), X.max(axis=0)
    pad = margin * np.maximum(hi - lo, 1e-6)
    return Grid(np.linspace(lo[0] - pad[0], hi[0] + pad[0], resolution),
                np.linspace(lo[1] - pad[1], hi[1] + pad[1], resolution))


def posterior_on(model, grid: Grid) -> np.ndarray:
    """P(y = 1 | x) on the grid, (R, R) in [0, 1] (``predict_proba`` of any fitted classifier)."""
    return model.predict_proba(grid.points)[:, 1].reshape(grid.shape)


def log_density_on(model, grid: Grid) -> np.ndarray:
    """The generative model's learned log p(x) = log sum_y p(x | y) P(y) on the grid, (R, R)."""
    return model.log_density(grid.points).reshape(grid.shape)


def boundary_shift(model_a, model_b, grid: Grid) -> float:
    """Fraction of the grid's area where two classifiers predict different classes, in [0, 1].

    Zero when the boundaries coincide over the box; it works for curved boundaries too.
    """
    pts = grid.points
    return float(np.mean(model_a.predict(pts) != model_b.predict(pts)))


def linear_boundary(model) -> tuple[np.ndarray, float]:
    """(w (2,), b) of a linear two-class model (LogisticRegression or LDA): P(y=1|x) > 1/2 iff w^T x + b > 0."""
    return np.asarray(model.coef_, dtype=np.float64).ravel(), float(np.ravel(model.intercept_)[0])


def bayes_boundary(mu0: np.ndarray, mu1: np.ndarray, sigma: np.ndarray, pi1: float = 0.5) -> tuple[np.ndarray, float]:
    """The Bayes-optimal line for x | y ~ N(mu_y, Sigma), P(y=1) = pi1 (ESL eq. 4.9), as (w (2,), b)."""
    w = np.linalg.solve(sigma, mu1 - mu0)
    b = -0.5 * float((mu1 + mu0) @ w) + float(np.log(pi1 / (1 - pi1)))
    return w, b


def line_distance(w1: np.ndarray, b1: float, w2: np.ndarray, b2: float, points: np.ndarray) -> tuple[float, float]:
    """How far apart two lines w^T x + b = 0 are near some points.

    Returns:
        angle: degrees between the normals, in [0, 180].
        offset: the largest distance from the projection of ``points`` (N, 2) onto line 1 to line 2.
    """
    n1, n2 = w1 / np.linalg.norm(w1), w2 / np.linalg.norm(w2)
    angle = float(np.degrees(np.arccos(np.clip(n1 @ n2, -1.0, 1.0))))
    on_line1 = points - np.outer(points @ w1 + b1, w1) / (w1 @ w1)  # (N, 2) feet of the perpendiculars
    offset = float(np.max(np.abs(on_line1 @ w2 + b2)) / np.linalg.norm(w2))
    return angle, offset
