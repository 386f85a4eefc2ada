"""The networks the browser runs, as data: the spec holds the exact float32 weights, and networks the
browser's MLP cannot run are refused with a message."""

from __future__ import annotations

import base64

import numpy as np
import pytest
import torch
from torch import nn

from models.latent.export import mlp_spec


def _weights(layer: dict) -> np.ndarray:
    return np.frombuffer(base64.b64decode(layer["w"]), "<f4").reshape(layer["out"], layer["in"])


@pytest.mark.parametrize("act,name", [(nn.LeakyReLU(0.2), "leaky_relu"), (nn.SELU(), "selu")])
def test_the_spec_holds_the_exact_weights_and_the_activation(act, name):
    torch.manual_seed(0)
    net = nn.Sequential(nn.Linear(3, 5), act, nn.Linear(5, 2))
    spec = mlp_spec(net)
    assert spec["act"] == name and [(l["in"], l["out"]) for l in spec["layers"]] == [(3, 5), (5, 2)]
    assert np.array_equal(_weights(spec["layers"][0]), net[0].weight.detach().numpy())
    if name == "leaky_relu":
        assert spec["slope"] == pytest.approx(0.2)


@pytest.mark.parametrize("net,why", [
    (nn.Sequential(nn.Linear(2, 2), nn.Tanh(), nn.Linear(2, 2)), "not Tanh"),
    (nn.Sequential(nn.Linear(2, 2), nn.SELU(), nn.Linear(2, 2), nn.LeakyReLU(), nn.Linear(2, 2)), "One kind"),
    (nn.Sequential(nn.Linear(2, 2), nn.Linear(2, 2)), "need an activation"),
    (nn.Sequential(nn.Linear(2, 2), nn.SELU()), "between two Linear"),
])
def test_what_the_browser_cannot_run_is_refused_with_the_reason(net, why):
    with pytest.raises(ValueError, match=why):
        mlp_spec(net)
