"""Discriminative and generative classifiers for two-class 2D data, all from scikit-learn.

Discriminative models learn P(y | x) directly: logistic regression and a small MLP. Generative models
learn P(x | y) and P(y) and classify with Bayes' rule,

    P(y | x) = P(x | y) P(y) / sum_y' P(x | y') P(y'),

so they can also *sample* new labelled points: y ~ P(y), then x ~ P(x | y). Here they are Gaussian naive
Bayes (diagonal Gaussian per class), LDA (a Gaussian per class with one shared covariance) and a Gaussian
mixture per class. For naive Bayes and LDA the sampling is written from scikit-learn's fitted attributes
(``theta_``, ``var_``, ``class_prior_``; ``means_``, ``covariance_``, ``priors_``).
"""

from __future__ import annotations

import warnings
from dataclasses import dataclass

import numpy as np
from scipy.special import logsumexp
from scipy.stats import multivariate_normal, norm
from sklearn.base import BaseEstimator, ClassifierMixin
from sklearn.discriminant_analysis import LinearDiscriminantAnalysis
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.mixture import GaussianMixture
from sklearn.naive_bayes import GaussianNB
from sklearn.neural_network import MLPClassifier
from threadpoolctl import threadpool_limits


@dataclass(frozen=True)
class ModelInfo:
    name: str
    label: str
    generative: bool
    learns: str  # what the model estimates, as LaTeX
    short: str   # for narrow panel titles


MODELS: dict[str, ModelInfo] = {m.name: m for m in (
    ModelInfo("logreg", "Logistic regression", False, r"P(y=1 \mid x) = \sigma(w^\top x + b)", "Log. regression"),
    ModelInfo("mlp", "MLP (16-16)", False, r"P(y=1 \mid x) = \sigma(f_\theta(x))", "MLP"),
    ModelInfo("gnb", "Gaussian naive Bayes", True, r"p(x \mid y) = \prod_d \mathcal{N}(x_d; \mu_{yd}, \sigma^2_{yd})",
              "Naive Bayes"),
    ModelInfo("lda", "LDA", True, r"p(x \mid y) = \mathcal{N}(x; \mu_y, \Sigma)", "LDA"),
    ModelInfo("gmm", "Gaussian mixture per class", True,
              r"p(x \mid y) = \sum_c \pi_{yc}\, \mathcal{N}(x; \mu_{yc}, \Sigma_{yc})", "Mixture per class"),
)}
GENERATIVE = tuple(k for k, m in MODELS.items() if m.generative)
DISCRIMINATIVE = tuple(k for k, m in MODELS.items() if not m.generative)


class GenerativeMixin:
    """Bayes' rule and ancestral sampling for a classifier that models p(x | y) and P(y).

    Subclasses provide ``class_log_density(X) -> (N, K)`` (log p(x | y = k)), ``class_priors`` (K,) and
    ``_sample_class(k, m, rng) -> (m, D)``.
    """

    def log_joint(self, X: np.ndarray) -> np.ndarray:
        """log p(x, y = k) = log p(x | y = k) + log P(y = k), (N, K)."""
        return self.class_log_density(X) + np.log(self.class_priors)

    def log_density(self, X: np.ndarray) -> np.ndarray:
        """log p(x) = logsumexp_k log p(x, y = k), (N,): the learned data density."""
        return logsumexp(self.log_joint(X), axis=1)

    def posterior(self, X: np.ndarray) -> np.ndarray:
        """P(y = k | x) by Bayes' rule, (N, K): softmax over k of log p(x, y = k)."""
        lj = self.log_joint(X)
        return np.exp(lj - logsumexp(lj, axis=1, keepdims=True))

    def sample(self, n: int, rng: np.random.Generator) -> tuple[np.ndarray, np.ndarray]:
        """n new labelled points: y ~ Categorical(class_priors), x ~ p(x | y) with the fitted parameters.

        Returns:
            X (n, D) float64, y (n,) int64 class labels (values of ``classes_``).
        """
        k = rng.choice(len(self.class_priors), size=int(n), p=self.class_priors)
        X = np.empty((int(n), self.n_features_in_))
        for c in range(len(self.class_priors)):
            idx = np.flatnonzero(k == c)
            if idx.size:
                X[idx] = self._sample_class(c, idx.size, rng)
        return X, np.asarray(self.classes_)[k].astype(np.int64)


class NaiveBayes(GenerativeMixin, GaussianNB):
    """scikit-learn's GaussianNB plus its density and sampling: x_d | y ~ N(theta_[y, d], var_[y, d])."""

    @property
    def class_priors(self) -> np.ndarray:
        return self.class_prior_

    def class_log_density(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        # (N, 1, D) against (K, D): features are independent given the class, so log densities add.
        return norm.logpdf(X[:, None, :], self.theta_, np.sqrt(self.var_)).sum(axis=2)

    def _sample_class(self, k: int, m: int, rng: np.random.Generator) -> np.ndarray:
        return self.theta_[k] + np.sqrt(self.var_[k]) * rng.standard_normal((m, self.theta_.shape[1]))


class LDA(GenerativeMixin, LinearDiscriminantAnalysis):
    """scikit-learn's LDA plus density and sampling: x | y ~ N(means_[y], covariance_) (shared covariance)."""

    @property
    def class_priors(self) -> np.ndarray:
        return self.priors_

    def class_log_density(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        return np.stack([multivariate_normal.logpdf(X, mu, self.covariance_, allow_singular=True)
                         for mu in self.means_], axis=1).reshape(len(X), -1)

    def _sample_class(self, k: int, m: int, rng: np.random.Generator) -> np.ndarray:
        L = _cholesky(self.covariance_)
        return self.means_[k] + rng.standard_normal((m, L.shape[0])) @ L.T


class ClassGMM(GenerativeMixin, ClassifierMixin, BaseEstimator):
    """A Gaussian mixture per class with class priors: p(x | y) = sum_c pi_yc N(x; mu_yc, Sigma_yc).

    Each class gets ``sklearn.mixture.GaussianMixture`` with min(n_components, points in the class)
    components (full covariances, EM; Bishop, PRML sec. 9.2); P(y) is the class frequency.
    """

    def __init__(self, n_components: int = 4, reg_covar: float = 1e-3, random_state: int | None = None):
        self.n_components = n_components
        self.reg_covar = reg_covar
        self.random_state = random_state

    def fit(self, X: np.ndarray, y: np.ndarray) -> "ClassGMM":
        X, y = np.asarray(X, dtype=np.float64), np.asarray(y)
        self.classes_, counts = np.unique(y, return_counts=True)
        self.n_features_in_ = X.shape[1]
        self.priors_ = counts / counts.sum()
        self.mixtures_ = [
            GaussianMixture(min(self.n_components, int(n)), covariance_type="full", reg_covar=self.reg_covar,
                            n_init=1, random_state=self.random_state).fit(X[y == c])
            for c, n in zip(self.classes_, counts)]
        return self

    @property
    def class_priors(self) -> np.ndarray:
        return self.priors_

    def class_log_density(self, X: np.ndarray) -> np.ndarray:
        X = np.asarray(X, dtype=np.float64)
        return np.stack([g.score_samples(X) for g in self.mixtures_], axis=1)

    def predict_proba(self, X: np.ndarray) -> np.ndarray:
        return self.posterior(X)

    def predict(self, X: np.ndarray) -> np.ndarray:
        return self.classes_[np.argmax(self.log_joint(X), axis=1)]

    def _sample_class(self, k: int, m: int, rng: np.random.Generator) -> np.ndarray:
        g = self.mixtures_[k]
        comp = rng.choice(len(g.weights_), size=m, p=g.weights_)
        out = np.empty((m, g.means_.shape[1]))
        for c in range(len(g.weights_)):
            idx = np.flatnonzero(comp == c)
            if idx.size:
                L = _cholesky(g.covariances_[c])
                out[idx] = g.means_[c] + rng.standard_normal((idx.size, L.shape[0])) @ L.T
        return out


def _cholesky(cov: np.ndarray) -> np.ndarray:
    """A lower-triangular L with L L^T = cov (a tiny jitter when cov is only semi-definite)."""
    try:
        return np.linalg.cholesky(cov)
    except np.linalg.LinAlgError:
        return np.linalg.cholesky(cov + 1e-9 * np.trace(cov) * np.eye(len(cov)))


def make_model(name: str, seed: int = 0, gmm_components: int = 4):
    """An unfitted scikit-learn classifier for ``name`` (one of MODELS), seeded where it is random."""
    if name == "logreg":
        return LogisticRegression(C=1.0, max_iter=1000)
    if name == "mlp":
        return MLPClassifier((16, 16), solver="lbfgs", alpha=1e-3, max_iter=300, random_state=seed)
    if name == "gnb":
        return NaiveBayes()
    if name == "lda":
        return LDA(solver="lsqr", store_covariance=True)
    if name == "gmm":
        return ClassGMM(n_components=gmm_components, random_state=seed)
    raise ValueError(f"Unknown model {name!r}; choose one of: {', '.join(MODELS)}.")


def fit(name: str, X: np.ndarray, y: np.ndarray, seed: int = 0, gmm_components: int = 4):
    """``make_model(name, ...)`` fitted on X (N, 2), y (N,) in {0, 1}.

    Raises:
        ValueError: a class is missing, so neither P(y | x) nor P(x | y) can be learned.
    """
    if len(np.unique(y)) < 2:
        raise ValueError("The training points hold only one class; both classes are needed to fit a classifier.")
    model = make_model(name, seed, gmm_components)
    # One BLAS thread: these matrices are tiny, and on a busy 2-core machine threaded BLAS was 20x slower.
    with warnings.catch_warnings(), threadpool_limits(1):
        warnings.simplefilter("ignore", ConvergenceWarning)  # lbfgs' iteration cap is a deliberate budget
        return model.fit(np.asarray(X, dtype=np.float64), np.asarray(y))


def fit_all(names, X: np.ndarray, y: np.ndarray, seed: int = 0, gmm_components: int = 4) -> dict:
    """``{name: fitted model}`` for each name."""
    return {n: fit(n, X, y, seed, gmm_components) for n in names}


def accuracy(model, X: np.ndarray, y: np.ndarray) -> float:
    """Fraction of points whose predicted class equals y, in [0, 1]."""
    return float(np.mean(model.predict(X) == y))
