"""The one config every autoencoder of the zoo is built and trained from (stored in its checkpoint)."""

from __future__ import annotations

from dataclasses import dataclass, replace

# Variant names, in the order the page lists them.
VARIANTS = ("stacked", "conv", "recurrent", "denoise_gauss", "denoise_dropout",
            "sparse_l1", "sparse_kl", "contractive", "tied", "greedy")
LABELS = {
    "stacked": "Stacked (MLP)",
    "conv": "Convolutional",
    "recurrent": "Recurrent (rows as a sequence)",
    "denoise_gauss": "Denoising, Gaussian noise",
    "denoise_dropout": "Denoising, dropout (masking) noise",
    "sparse_l1": "Sparse, L1 penalty",
    "sparse_kl": "Sparse, KL penalty",
    "contractive": "Contractive",
    "tied": "Tied weights",
    "greedy": "Greedy layer-wise",
}
# The zoo page's default set (tests/zoo/test_claims.py checks each one's shipped weights).
DEFAULT_VARIANTS = ("stacked", "denoise_gauss", "sparse_kl", "tied")
LIVE_STEPS = 300  # the page's default number of steps for a live run
# Variants that share the stacked MLP architecture D -> hidden -> code -> hidden -> D.
MLP_VARIANTS = ("stacked", "denoise_gauss", "denoise_dropout", "sparse_l1", "sparse_kl", "contractive", "greedy")


@dataclass(frozen=True)
class ZooConfig:
    """Everything that defines one autoencoder of the zoo and its training.

    Attributes:
        variant: one of :data:`VARIANTS`.
        dataset: ``"digits"``, ``"mnist"`` or ``"fashion"`` (training split of ``models.data``).
        hidden: width of the hidden layer (MLP) or of the GRU state (recurrent).
        code: size of the coding layer z (linear units; sigmoid for sparse_kl, relu for sparse_l1).
        steps: optimiser steps (mini-batches).
        batch_size: images per step.
        lr: Adam learning rate.
        seed: fixes initialisation, batch order and noise.
        noise_std: sigma of the Gaussian corruption x~ = x0 + sigma * eps (denoise_gauss).
        drop_p: probability that a pixel is zeroed by masking noise (denoise_dropout).
        l1_weight: lambda of the L1 activity penalty lambda * sum_j |z_j| (sparse_l1).
        rho: target mean activation of each coding unit (sparse_kl).
        beta: weight of the KL sparsity penalty beta * sum_j KL(rho || rho_hat_j) (sparse_kl).
        contractive_weight: lambda of the penalty lambda * ||J_f(x)||_F^2 (contractive).
        exclude_digit: a class left out of training (anomaly detection); -1 trains on every class.
    """

    variant: str = "stacked"
    dataset: str = "digits"
    hidden: int = 64
    code: int = 8
    steps: int = 400
    batch_size: int = 64
    lr: float = 3e-3
    seed: int = 0
    noise_std: float = 0.3
    drop_p: float = 0.3
    l1_weight: float = 0.05
    rho: float = 0.1
    beta: float = 3.0
    contractive_weight: float = 0.1
    exclude_digit: int = -1

    def __post_init__(self):
        if self.variant not in VARIANTS:
            raise ValueError(f"Unknown autoencoder variant {self.variant!r}; choose one of {', '.join(VARIANTS)}.")
        if not 1 <= self.code <= 512 or not 1 <= self.hidden <= 4096:
            raise ValueError(f"code ({self.code}) must be in [1, 512] and hidden ({self.hidden}) in [1, 4096].")
        if self.steps < 1 or self.batch_size < 1 or not self.lr > 0:
            raise ValueError("steps and batch_size must be at least 1 and lr positive.")
        if not 0 < self.rho < 1:
            raise ValueError(f"The sparsity target rho must be in (0, 1), got {self.rho}.")
        if not 0 <= self.drop_p < 1:
            raise ValueError(f"drop_p must be in [0, 1), got {self.drop_p}.")
        if not -1 <= self.exclude_digit <= 9:
            raise ValueError(f"exclude_digit must be -1 (none) or a class 0..9, got {self.exclude_digit}.")


def digits_config(variant: str, **overrides) -> ZooConfig:
    """The live, few-second setting on scikit-learn's 8x8 digits."""
    return replace(ZooConfig(variant=variant, dataset="digits"), **overrides)


def image28_config(dataset: str, variant: str, **overrides) -> ZooConfig:
    """The 28x28 setting (MNIST, Fashion-MNIST): that of the shipped MNIST weights unless overridden."""
    # beta grows with the reconstruction term (784 pixels against 64), or the KL pull is too weak to
    # bring the mean activation to rho (beta = 3 left it at 0.14 for rho = 0.1).
    base = ZooConfig(variant=variant, dataset=dataset, hidden=64, code=16, steps=2000, batch_size=128,
                     lr=2e-3, beta=20.0)
    return replace(base, **overrides)


def mnist_config(variant: str, **overrides) -> ZooConfig:
    """The setting of the shipped MNIST weights (trained by ``python -m models.zoo.train``)."""
    return image28_config("mnist", variant, **overrides)


def anomaly_config(dataset: str, digit: int, **overrides) -> ZooConfig:
    """The stacked autoencoder trained on every class but ``digit`` (the anomaly), for the uses page."""
    base = mnist_config("stacked") if dataset != "digits" else digits_config("stacked")
    return replace(base, exclude_digit=digit, **overrides)


def pretrain_config(dataset: str) -> ZooConfig:
    """The autoencoder whose encoder is reused for pretraining (trained without labels).

    MNIST: the convolutional one. With 80 labels its frozen codes beat the same network trained from
    scratch for each of 3 seeds; the stacked and tied MLP codes did not (see pretrained/zoo.md).
    8x8 digits: the stacked one (it wins there for each of 3 seeds).
    """
    return mnist_config("conv") if dataset != "digits" else digits_config("stacked")


def replace_variant(config: ZooConfig, variant: str) -> ZooConfig:
    """The same setting for another variant (its twin)."""
    return replace(config, variant=variant)
