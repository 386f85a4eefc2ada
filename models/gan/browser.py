"""The dense GAN generators as plain data, for walking their latent space in the browser.

HOML's dense generator (:class:`models.gan.image_nets.DenseGenerator`) is an MLP with SELU between its
layers and a sigmoid on its pixels; the latent pad's module (``ui/components/latent_pad.js``) runs exactly
that. The conditional GAN's class enters as a one-hot vector appended to z, which the browser appends after
interpolating (the walk changes z, never the class). The DCGAN's transposed convolutions stay on the server.
"""

from __future__ import annotations

from typing import Any

import torch

from ..latent.export import mlp_spec
from .image_nets import N_CLASSES, DenseGenerator


def runs_in_browser(g_net: torch.nn.Module) -> bool:
    return isinstance(g_net, DenseGenerator)


def generator_spec(g_net: DenseGenerator, codings: int) -> dict[str, Any]:
    """What the browser needs to draw ``g_net``'s images: its MLP (logits; the browser applies the sigmoid),
    the image shape and the size of z (without the class)."""
    if not runs_in_browser(g_net):
        raise ValueError(f"Only the dense generators run in the browser, not {type(g_net).__name__}.")
    return {"kind": "gan", "latent_dim": int(codings), "shape": list(g_net.shape), "decoder": mlp_spec(g_net.net),
            "encoder": None}


def one_hot(digit: int) -> list[float]:
    return [1.0 if c == digit else 0.0 for c in range(N_CLASSES)]
