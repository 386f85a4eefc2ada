"""The app's generators as float64 functions of their latent code, for perceptual path length.

A decoder of the latent explorer (VAE, AAE, the plain autoencoder with its fitted Gaussian) or an image GAN's
generator becomes ``decode(z)`` on a float64 copy of the shipped network, with its prior; the diffusion
model is left out (its "code" is the noise x_T of a 50-step sampler, not a generator's input).
"""

from __future__ import annotations

import copy
from dataclasses import dataclass
from typing import Callable

import torch

from .ppl import Decode

PPL_KEYS = ("ae", "vae", "aae", "gan-dense", "gan-dcgan")
LATENT_DIM = 16  # the latent explorer's shipped 16-D models (the FID leaderboard's too)


@dataclass(frozen=True)
class LatentGenerator:
    """decode: codes (n, z_dim) float64 -> images (n, 1, H, W) float64 in [0, 1]; prior(n, generator)."""

    key: str
    z_dim: int
    decode: Decode
    prior: Callable[[int, torch.Generator], torch.Tensor]


def _float64(net: torch.nn.Module) -> torch.nn.Module:
    return copy.deepcopy(net).cpu().double().eval().requires_grad_(False)


def latent_generator(key: str, dataset: str = "mnist") -> LatentGenerator:
    """The shipped generator ``key`` (one of :data:`PPL_KEYS`) for ``dataset``, in float64 on the CPU."""
    if key not in PPL_KEYS:
        raise ValueError(f"PPL is defined for generators with a latent code: {', '.join(PPL_KEYS)} (got {key!r}).")
    if key in ("ae", "vae", "aae"):
        from models.latent.explore import load

        loaded = load(key, dataset, LATENT_DIM)
        net, d = _float64(loaded.model), LATENT_DIM
        mean, std = torch.zeros(d, dtype=torch.float64), torch.ones(d, dtype=torch.float64)
        if key == "ae":  # no prior of its own: the Gaussian fitted to its training codes (as the app samples it),
            # written as a standardised code eps ~ N(0, I) mapped to mean + std * eps inside decode
            mean = torch.tensor(loaded.metrics["code_mean"], dtype=torch.float64)
            std = torch.tensor(loaded.metrics["code_std"], dtype=torch.float64)
        return LatentGenerator(key, d, lambda eps: net.decode(mean + std * eps),
                               lambda n, g: torch.randn((n, d), generator=g, dtype=torch.float64))
    from models.gan.sampling import load_generator

    loaded = load_generator(key.split("-", 1)[1], dataset)
    net, d = _float64(loaded.model), loaded.config.codings
    return LatentGenerator(key, d, lambda z: net(z), lambda n, g: torch.randn((n, d), generator=g, dtype=torch.float64))


def classifier_embedding(dataset: str = "mnist") -> Callable[[torch.Tensor], torch.Tensor]:
    """Images -> the shipped classifier's penultimate features (the ``mnist`` feature space), in float64."""
    from models.classifier import load_classifier

    net = _float64(load_classifier(dataset))
    return net.features


@dataclass(frozen=True)
class PPLReport:
    """PPL of one shipped generator with the options used, and one interpolation drawn along a path.

    strip: (steps, H, W) float32 images in [0, 1] from z1 to z2; strip_lengths: d / eps^2 at each of them
    (where along the path the image changes fastest)."""

    key: str
    ppl: float
    kept: int
    n: int
    space: str
    sampling: str
    distance: str
    strip: "np.ndarray"
    strip_lengths: "np.ndarray"


def ppl_report(key: str, dataset: str = "mnist", *, space: str = "slerp", sampling: str = "full",
               distance: str = "pixels", n: int = 500, seed: int = 0, steps: int = 9) -> PPLReport:
    """PPL of generator ``key`` in ``distance`` space (``pixels`` or ``mnist``), and one path drawn."""
    import numpy as np

    from .ppl import DISTANCES, interpolation_strip, path_lengths, ppl

    if distance not in DISTANCES:
        raise ValueError(f"Unknown distance {distance!r}; choose one of {', '.join(DISTANCES)}.")
    gen = latent_generator(key, dataset)
    embed = classifier_embedding(dataset) if distance == "mnist" else None
    r = ppl(gen.decode, gen.z_dim, n, space=space, sampling=sampling, embed=embed, prior=gen.prior,
            distance=distance, seed=seed)
    g = torch.Generator().manual_seed(seed + 1)
    z1, z2 = gen.prior(1, g), gen.prior(1, g)
    strip = interpolation_strip(gen.decode, z1, z2, steps, space)
    t = torch.linspace(0, 1 - 1e-4, steps, dtype=torch.float64)
    with torch.no_grad():
        lengths = path_lengths(gen.decode, z1.expand(steps, -1), z2.expand(steps, -1), t, space=space, embed=embed)
    return PPLReport(key, r.ppl, r.kept, r.n, space, sampling, distance,
                     strip[:, 0].numpy().astype(np.float32), lengths.numpy())
