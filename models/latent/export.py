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
    """Linear / LeakyReLU layers -> {"layers": [{"in", "out", "w", "b"}], "slope"}; LeakyReLU follows every
    layer but the last.

    Raises:
        ValueError: a layer other than Linear and LeakyReLU, or activations not between every two Linears.
    """
    layers, slope = [], None
    modules = list(net)
    for i, m in enumerate(modules):
        if isinstance(m, nn.Linear):
            w = m.weight.detach().cpu().numpy()  # (out, in)
            b = (m.bias.detach().cpu().numpy() if m.bias is not None else np.zeros(w.shape[0], np.float32))
            layers.append({"in": int(w.shape[1]), "out": int(w.shape[0]), "w": b64(w), "b": b64(b)})
        elif isinstance(m, nn.LeakyReLU):
            if i == 0 or not isinstance(modules[i - 1], nn.Linear) or i == len(modules) - 1:
                raise ValueError("LeakyReLU must sit between two Linear layers.")
            slope = float(m.negative_slope) if slope is None else slope
        else:
            raise ValueError(f"Only Linear and LeakyReLU layers run in the browser, not {type(m).__name__}.")
    if len(layers) > 1 and sum(isinstance(m, nn.LeakyReLU) for m in modules) != len(layers) - 1:
        raise ValueError("Every two Linear layers need a LeakyReLU between them.")
    return {"layers": layers, "slope": 0.0 if slope is None else slope}


def model_spec(model, kind: str) -> dict[str, Any]:
    """Everything the browser needs to decode codes and encode a drawing with one latent model:
    the decoder (logits; the browser applies the sigmoid), the encoder (its output is z, or [mu, logvar]
    for the VAE, whose log-variance is clamped to [-12, 8] as in :meth:`models.latent.vae.VAE.posterior`),
    the image shape and the code size."""
    return {"kind": kind, "latent_dim": int(model.latent_dim), "shape": list(model.decoder.image_shape),
            "decoder": mlp_spec(model.decoder.net), "encoder": mlp_spec(model.encoder.net),
            "logvar_clamp": [-12.0, 8.0]}
