"""The latent-model configuration: one frozen dataclass names a model *and* its training.

The checkpoint stores it (``models.checkpoints.save_checkpoint``), so changing any field (the beta of a
beta-VAE, say) names different weights.
"""

from __future__ import annotations

from dataclasses import dataclass, replace

KINDS = ("ae", "vae", "aae")
KIND_LABELS = {"ae": "Autoencoder", "vae": "VAE", "aae": "Adversarial autoencoder"}
DATASET_SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28), "fashion": (1, 28, 28)}
SHIPPED_DATASETS = ("digits", "mnist")
LATENT_DIMS = (2, 16)
# The held-out images when MNIST-style data is carved from one split (models.data.images.held_out_index):
# 1,000 from each of MNIST's two writer populations, so the held-out codes are compared with N(0, I) on the
# same mix of writers the codes were fitted to.
HOLDOUT = "halves"


@dataclass(frozen=True)
class LatentConfig:
    """An autoencoder-family model (AE, VAE or AAE) on one image dataset.

    Attributes:
        kind: ``"ae"`` (plain autoencoder), ``"vae"`` (Kingma & Welling 2014) or ``"aae"`` (Makhzani
            et al. 2016, adversarial autoencoder with a standard-normal prior).
        dataset: ``"digits"`` (8x8), ``"mnist"`` or ``"fashion"`` (28x28).
        latent_dim: size d of the code z.
        hidden, hidden2: widths of the encoder's two hidden layers (the decoder mirrors them).
        beta: weight of the KL term (beta-VAE, Higgins et al. 2017); only the VAE uses it.
        epochs, batch_size, lr: training schedule (Adam) for the autoencoding part.
        adv_lr: Adam learning rate of the AAE's encoder-as-generator phase (Makhzani et al. used a
            regularisation rate above the reconstruction rate).
        d_lr: Adam learning rate of the AAE's code discriminator.
        d_hidden: width of the AAE discriminator's two hidden layers.
        seed: fixes initialisation, batch order and the noise eps.
        holdout: which images are held out when the data is carved from one split (``HOLDOUT``, see
            :func:`models.data.images.held_out_index`); part of the config because it names the training set.
    """

    kind: str = "vae"
    dataset: str = "digits"
    latent_dim: int = 2
    hidden: int = 128
    hidden2: int = 64
    beta: float = 1.0
    epochs: int = 100
    batch_size: int = 128
    lr: float = 1e-3
    adv_lr: float = 3e-3
    d_lr: float = 1e-3
    d_hidden: int = 64
    seed: int = 0
    holdout: str = HOLDOUT

    def __post_init__(self):
        if self.kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {self.kind!r}.")
        if self.dataset not in DATASET_SHAPES:
            raise ValueError(f"dataset must be one of {', '.join(DATASET_SHAPES)}, got {self.dataset!r}.")
        if not 1 <= int(self.latent_dim) <= 64:
            raise ValueError(f"latent_dim must be in [1, 64], got {self.latent_dim}.")
        if not self.beta > 0:
            raise ValueError(f"beta must be positive, got {self.beta}.")
        if self.holdout not in ("tail", "halves"):
            raise ValueError(f"holdout must be 'tail' or 'halves', got {self.holdout!r}.")

    @property
    def widths(self) -> tuple[int, int]:
        """The encoder's hidden widths (plain ints in the config: checkpoints store it as JSON)."""
        return (self.hidden, self.hidden2)

    @property
    def image_shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image of the dataset."""
        return DATASET_SHAPES[self.dataset]


def default_config(kind: str, dataset: str, latent_dim: int, **overrides) -> LatentConfig:
    """The configuration the app ships (or trains on demand) for a kind, dataset and code size.

    Digits: 1,437 training images of 8x8, 100 epochs of batches of 128 (1,100 steps: a live demo).
    MNIST and Fashion-MNIST: 8,000 training images of 28x28, batches of 128: 30 epochs (1,860 steps) for
    the AE and the VAE; 60 epochs for the AAE with its encoder-as-generator at Adam 1e-3 (d = 16) or 1e-4
    (d = 2, where 1e-3 still left 0.0% 2s among its samples and a reconstruction 25 nats worse; at 1e-4 the
    2-D discriminator wins and the calibration step does the prior matching, see pretrained/latent.md). Its earlier
    schedule (15 epochs, generator at 3e-3) let the adversarial phase win over reconstruction: held-out
    reconstruction 168 nats (16-D), prior samples read as 8s and 9s (0-2% of most other digits) and the worst
    FID of the leaderboard. The shift and scale of z are nearly flat directions of the VAE's loss (the
    decoder's first layer absorbs them, only the prior term pulls, by ~0.1 nat), so its held-out codes
    are still settling toward N(0, I) after 30 epochs (see pretrained/latent.md).
    """
    base = LatentConfig(kind=kind, dataset=dataset, latent_dim=latent_dim,
                        epochs=100 if dataset == "digits" else (60 if kind == "aae" else 30))
    if kind == "aae" and dataset != "digits":
        base = replace(base, adv_lr=1e-4 if latent_dim == 2 else 1e-3)
    return replace(base, **overrides) if overrides else base


def shipped_configs() -> list[LatentConfig]:
    """Every configuration whose weights ``python -m models.latent.train`` writes to ``pretrained/``."""
    return [default_config(k, ds, d) for ds in SHIPPED_DATASETS for d in LATENT_DIMS for k in KINDS]
