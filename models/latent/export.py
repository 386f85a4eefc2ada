"""The latent models' encoder and decoder as plain data, for running them in the browser.

The AE, VAE and AAE of :mod:`models.latent.networks` are small MLPs: Linear layers with LeakyReLU(0.2)
between them. A layer is ``y = W x + b`` with ``W`` of shape (out, in); the browser computes exactly that,
in float32 (``Float32Array``, ``Math.fround`` after every multiply-add is not needed: JavaScript adds in
float64, which is *more* precise than PyTorch's float32, so the two agree to about 1e-6 on a pixel).

    spec = mlp_spec(model.decoder.net)        # {"layers": [{"in", "out", "w", "b"}], "slope": 0.2}

Weights travel as base64 of little-endian float32 bytes: exact (JSON numbers with a fixed number of
digits would round them), and about a third larger than the raw bytes (the MNIST decoder: 0.45 MB).
"""

from __future__ import annotations

import base64
from typing import Any

import numpy as np
from torch import nn


def b64(array: np.ndarray, dtype=np.float32) -> str:
    """An array as base64 of its little-endian bytes (row-major)."""
    return base64.b64encode(np.ascontiguousarray(array, dtype=np.dtype(dtype).newbyteorder("<")).tobytes()).decode()


def mlp_spec(net: nn.Sequential) -> dict[str, Any]:
    """Linear layers with one kind of activation between every two of them -> {"layers": [{"in", "out", "w",
    "b"}], "act", "slope"}: ``act`` is ``"leaky_relu"`` (with ``slope``; the latent models) or ``"selu"``
    (HOML's dense GAN generator: scale * (x if x > 0 else alpha * (exp(x) - 1)), Klambauer et al. 2017).
    The last layer has no activation (the caller applies its own output function).

    Raises:
        ValueError: another layer, mixed activations, or activations not between every two Linears.
    """
    layers, slope, acts = [], None, set()
    modules = list(net)
    for i, m in enumerate(modules):
        if isinstance(m, nn.Linear):
            w = m.weight.detach().cpu().numpy()  # (out, in)
            b = (m.bias.detach().cpu().numpy() if m.bias is not None else np.zeros(w.shape[0], np.float32))
            layers.append({"in": int(w.shape[1]), "out": int(w.shape[0]), "w": b64(w), "b": b64(b)})
        elif isinstance(m, (nn.LeakyReLU, nn.SELU)):
            if i == 0 or not isinstance(modules[i - 1], nn.Linear) or i == len(modules) - 1:
                raise ValueError(f"{type(m).__name__} must sit between two Linear layers.")
            acts.add("selu" if isinstance(m, nn.SELU) else "leaky_relu")
            if isinstance(m, nn.LeakyReLU):
                slope = float(m.negative_slope) if slope is None else slope
        else:
            raise ValueError(f"Only Linear, LeakyReLU and SELU layers run in the browser, not {type(m).__name__}.")
    if len(acts) > 1:
        raise ValueError("One kind of activation per network runs in the browser.")
    if len(layers) > 1 and sum(isinstance(m, (nn.LeakyReLU, nn.SELU)) for m in modules) != len(layers) - 1:
        raise ValueError("Every two Linear layers need an activation between them.")
    return {"layers": layers, "act": acts.pop() if acts else "leaky_relu", "slope": 0.0 if slope is None else slope}


def model_spec(model, kind: str) -> dict[str, Any]:
    """Everything the browser needs to decode codes and encode a drawing with one latent model:
    the decoder (logits; the browser applies the sigmoid), the encoder (its output is z, or [mu, logvar]
    for the VAE, whose log-variance is clamped to [-12, 8] as in :meth:`models.latent.vae.VAE.posterior`),
    the image shape and the code size."""
    return {"kind": kind, "latent_dim": int(model.latent_dim), "shape": list(model.decoder.image_shape),
            "decoder": mlp_spec(model.decoder.net), "encoder": mlp_spec(model.encoder.net),
            "logvar_clamp": [-12.0, 8.0]}
