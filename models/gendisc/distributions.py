"""A catalogue of discrete and continuous distributions on top of ``scipy.stats``.

Every density, sample and moment comes from scipy's frozen distributions (never a hand-written formula),
so a student can compare the theory (PMF/PDF, mean, variance) with samples drawn by a seeded
``numpy.random.Generator``. The LaTeX formulas are only shown on the page.
"""

from __future__ import annotations

import math
from dataclasses import dataclass
from typing import Callable

import numpy as np
from scipy import stats


@dataclass(frozen=True)
class ParamSpec:
    """One parameter of a distribution: its name, the slider range and its default."""

    name: str
    label: str
    lo: float
    hi: float
    default: float
    step: float
    integer: bool = False


@dataclass(frozen=True)
class DistSpec:
    """A distribution family: discrete or continuous, its parameters, its formula and a scipy builder.

    ``build(params)`` returns a frozen ``scipy.stats`` distribution; ``params`` maps ``ParamSpec.name``
    to a value.
    """

    name: str
    label: str
    discrete: bool
    params: tuple[ParamSpec, ...]
    latex: str
    build: Callable[[dict], object]


@dataclass(frozen=True)
class Moments:
    """Theoretical mean and variance of a distribution."""

    mean: float
    var: float


def _p(default: float = 0.3) -> ParamSpec:
    return ParamSpec("p", "success probability p", 0.01, 0.99, default, 0.01)


DISTRIBUTIONS: dict[str, DistSpec] = {d.name: d for d in (
    DistSpec("bernoulli", "Bernoulli", True, (_p(),),
             r"P(X=k) = p^k (1-p)^{1-k},\ k \in \{0, 1\}",
             lambda q: stats.bernoulli(q["p"])),
    DistSpec("binomial", "Binomial", True,
             (ParamSpec("n", "number of trials n", 1, 100, 20, 1, integer=True), _p()),
             r"P(X=k) = \binom{n}{k} p^k (1-p)^{n-k},\ k = 0, \dots, n",
             lambda q: stats.binom(int(q["n"]), q["p"])),
    DistSpec("poisson", "Poisson", True, (ParamSpec("lam", "rate lambda", 0.1, 50.0, 4.0, 0.1),),
             r"P(X=k) = \frac{\lambda^k e^{-\lambda}}{k!},\ k = 0, 1, 2, \dots",
             lambda q: stats.poisson(q["lam"])),
    DistSpec("geometric", "Geometric", True, (_p(0.2),),
             r"P(X=k) = (1-p)^{k-1} p,\ k = 1, 2, \dots \text{ (trials until the first success)}",
             lambda q: stats.geom(q["p"])),
    DistSpec("uniform", "Uniform", False,
             (ParamSpec("a", "lower end a", -10.0, 10.0, 0.0, 0.1),
              ParamSpec("b", "upper end b", -10.0, 10.0, 1.0, 0.1)),
             r"p(x) = \frac{1}{b - a},\ a \le x \le b",
             lambda q: stats.uniform(loc=q["a"], scale=q["b"] - q["a"])),
    DistSpec("gaussian", "Gaussian", False,
             (ParamSpec("mu", "mean mu", -10.0, 10.0, 0.0, 0.1), ParamSpec("sigma", "std sigma", 0.1, 10.0, 1.0, 0.1)),
             r"p(x) = \frac{1}{\sqrt{2\pi}\sigma} \exp\left(-\frac{(x-\mu)^2}{2\sigma^2}\right)",
             lambda q: stats.norm(loc=q["mu"], scale=q["sigma"])),
    DistSpec("exponential", "Exponential", False, (ParamSpec("lam", "rate lambda", 0.1, 10.0, 1.0, 0.1),),
             r"p(x) = \lambda e^{-\lambda x},\ x \ge 0",
             lambda q: stats.expon(scale=1.0 / q["lam"])),
    DistSpec("lognormal", "Log-normal", False,
             (ParamSpec("mu", "log-mean mu", -2.0, 2.0, 0.0, 0.1),
              ParamSpec("sigma", "log-std sigma", 0.1, 1.5, 0.5, 0.05)),
             r"p(x) = \frac{1}{x \sigma \sqrt{2\pi}} \exp\left(-\frac{(\ln x - \mu)^2}{2\sigma^2}\right),\ x > 0",
             lambda q: stats.lognorm(s=q["sigma"], scale=math.exp(q["mu"]))),
    DistSpec("beta", "Beta", False,
             (ParamSpec("alpha", "alpha", 0.1, 10.0, 2.0, 0.1), ParamSpec("beta", "beta", 0.1, 10.0, 5.0, 0.1)),
             r"p(x) = \frac{x^{\alpha-1} (1-x)^{\beta-1}}{B(\alpha, \beta)},\ 0 \le x \le 1",
             lambda q: stats.beta(q["alpha"], q["beta"])),
)}
DISCRETE = tuple(k for k, d in DISTRIBUTIONS.items() if d.discrete)
CONTINUOUS = tuple(k for k, d in DISTRIBUTIONS.items() if not d.discrete)
MAX_SAMPLES = 1_000_000


def defaults(name: str) -> dict:
    """The default parameters of distribution ``name`` as ``{param: value}``."""
    return {p.name: p.default for p in spec(name).params}


def spec(name: str) -> DistSpec:
    """The catalogue entry for ``name``; a ``ValueError`` naming the choices when it is unknown."""
    if name not in DISTRIBUTIONS:
        raise ValueError(f"Unknown distribution {name!r}; choose one of: {', '.join(DISTRIBUTIONS)}.")
    return DISTRIBUTIONS[name]


def frozen(name: str, params: dict):
    """The frozen ``scipy.stats`` distribution for ``name`` with ``params``, after checking them.

    Raises:
        ValueError: a parameter is missing, outside its range, or (uniform) ``b <= a``; the message says
            which and what is allowed.
    """
    d = spec(name)
    for p in d.params:
        if p.name not in params:
            raise ValueError(f"{d.label} needs the parameter {p.label}.")
        value = float(params[p.name])
        if not (math.isfinite(value) and p.lo <= value <= p.hi):
            raise ValueError(f"{d.label}: {p.label} = {value:g} is outside [{p.lo:g}, {p.hi:g}].")
        if p.integer and not value.is_integer():
            raise ValueError(f"{d.label}: {p.label} must be a whole number, got {value:g}.")
    if name == "uniform" and not params["b"] > params["a"]:
        raise ValueError(f"Uniform needs a < b, got a = {params['a']:g} and b = {params['b']:g}: "
                         f"raise b or lower a.")
    return d.build(params)


def moments(name: str, params: dict) -> Moments:
    """Theoretical mean E[X] and variance Var[X] (scipy's closed forms)."""
    mean, var = frozen(name, params).stats(moments="mv")
    return Moments(float(mean), float(var))


def sample(name: str, params: dict, n: int, rng: np.random.Generator) -> np.ndarray:
    """``n`` independent draws, (n,) float64 (integers for discrete families).

    Args:
        n: 1 <= n <= MAX_SAMPLES.
        rng: the seeded generator; the same seed gives the same draws.
    """
    if not 1 <= int(n) <= MAX_SAMPLES:
        raise ValueError(f"Number of samples must be between 1 and {MAX_SAMPLES:,}, got {n}.")
    return np.asarray(frozen(name, params).rvs(size=int(n), random_state=rng), dtype=np.float64)


def density_grid(name: str, params: dict, points: int = 400) -> tuple[np.ndarray, np.ndarray]:
    """Where to draw the PMF/PDF, and its values.

    Returns:
        x: (M,) the integer support between the 0.05% and 99.95% quantiles (discrete), or ``points`` values
           spanning them (continuous).
        f: (M,) PMF P(X = x) or PDF p(x).
    """
    dist, discrete = frozen(name, params), spec(name).discrete
    lo, hi = dist.ppf(0.0005), dist.ppf(0.9995)
    if discrete:
        x = np.arange(math.floor(lo), math.ceil(hi) + 1, dtype=np.float64)
        return x, dist.pmf(x)
    x = np.linspace(lo, hi, points)
    return x, dist.pdf(x)


def running_moments(x: np.ndarray, checkpoints: np.ndarray) -> tuple[np.ndarray, np.ndarray]:
    """Sample mean and unbiased sample variance of the first n draws, for each n in ``checkpoints``.

    mean_n = (1/n) sum_i x_i;  var_n = (1/(n-1)) sum_i (x_i - mean_n)^2 (NaN for n = 1).

    Args:
        x: (N,) draws.
        checkpoints: (K,) increasing sample sizes in [1, N].
    Returns:
        means (K,), variances (K,).
    """
    x = np.asarray(x, dtype=np.float64)
    shift = x[0]  # variance is shift-invariant; centring avoids cancellation in sum(x^2) - n mean^2
    d = x - shift
    ns = np.asarray(checkpoints, dtype=np.int64)
    s1, s2 = np.cumsum(d)[ns - 1], np.cumsum(d * d)[ns - 1]
    means = s1 / ns
    with np.errstate(invalid="ignore", divide="ignore"):
        var = np.where(ns > 1, (s2 - ns * means**2) / (ns - 1), np.nan)
    return means + shift, np.maximum(var, 0.0)


def checkpoints(n: int, count: int = 60) -> np.ndarray:
    """About ``count`` sample sizes from 1 to n spaced evenly on a log scale, (K,) int64, last one n."""
    return np.unique(np.geomspace(1, n, count).round().astype(np.int64))


def histogram(x: np.ndarray, grid: np.ndarray, discrete: bool, bins: int = 40) -> tuple[np.ndarray, np.ndarray, float]:
    """The empirical PMF (discrete) or density histogram (continuous) of draws ``x`` on the plotted range.

    Discrete: height_k = #{x_i = k} / n for each k in ``grid``. Continuous: ``bins`` equal bins over
    [grid[0], grid[-1]], height = count / (n * width), so it estimates the PDF (draws outside the range
    are counted in n but shown nowhere).

    Returns:
        centres (M,), heights (M,), bar width.
    """
    x = np.asarray(x, dtype=np.float64)
    n = len(x)
    if discrete:
        counts = np.bincount((x - grid[0]).astype(np.int64).clip(-1, len(grid)) + 1, minlength=len(grid) + 2)
        return grid, counts[1:len(grid) + 1] / n, 0.8
    edges = np.linspace(grid[0], grid[-1], bins + 1)
    counts, _ = np.histogram(x, bins=edges)
    width = float(edges[1] - edges[0])
    return 0.5 * (edges[:-1] + edges[1:]), counts / (n * width), width


@dataclass(frozen=True)
class Convergence:
    """Draws from a distribution set against its theory, for the page's plots.

    Attributes:
        grid, f: (M,) where the PMF/PDF is drawn and its values.
        frames: ``[(n, centres, heights, width), ...]`` histograms of the first n draws, n = 10, 30, 100, ...
        ns, means, variances: (K,) running sample mean and variance after n draws.
        theory: the closed-form mean and variance.
    """

    grid: np.ndarray
    f: np.ndarray
    frames: list
    ns: np.ndarray
    means: np.ndarray
    variances: np.ndarray
    theory: Moments


def convergence(name: str, params: dict, n: int, seed: int) -> Convergence:
    """Draw n samples with ``default_rng(seed)`` and summarise how their histogram and moments approach theory."""
    x = sample(name, params, n, np.random.default_rng(seed))
    grid, f = density_grid(name, params)
    discrete = spec(name).discrete
    sizes = [m for m in (10, 30, 100, 300, 1000, 3000, 10_000, 30_000, 100_000, 300_000) if m < n] + [int(n)]
    frames = [(m, *histogram(x[:m], grid, discrete)) for m in sizes]
    ns = checkpoints(n)
    means, variances = running_moments(x, ns)
    return Convergence(grid, f, frames, ns, means, variances, moments(name, params))
