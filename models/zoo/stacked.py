"""The stacked (deep, fully connected) autoencoder every MLP variant of the zoo shares.

Architecture (HOML chapter 17, "Stacked Autoencoders"), with D = C * H * W pixels:

    encoder  f(x) = a(W2 relu(W1 x + b1) + b2)                x: (B, D) -> z: (B, k)
    decoder  g(z) = sigmoid(W4 relu(W3 z + b3) + b4)          z: (B, k) -> x_hat: (B, D)

The code activation a is the identity (a linear code, as in HOML's stacked autoencoder) except for the
sparse variants: the KL penalty is defined on units with activations in (0, 1), so there a = sigmoid;
the L1 penalty uses a = relu, whose units can be exactly 0. (A sigmoid code without the KL pull saturates
early on MNIST and its units die: with no penalty, and with the L1 penalty, we measured a test MSE of
0.065 per pixel, no better than the mean image, against 0.024 for the linear code.)

A sigmoid code starts at its sparsity target: ``code_bias`` sets b2 = logit(rho) = log(rho / (1 - rho)), so
every unit begins with activation about rho. Started at b2 ~ 0 (activation 0.5) the KL pull first drives
every unit to rho by saturating it, and the code then carries no information: on the 8x8 digits after the
page's 300 steps the reconstructions were the mean image (MSE 0.94-0.97 times the mean image's, seeds 0-2);
started at logit(rho) they reach 0.60-0.66 times (measured for GenLab issue 20).
"""

from __future__ import annotations

import torch
from torch import nn
from torch.nn import functional as F

CODE_ACTS = ("linear", "sigmoid", "relu")


class StackedAE(nn.Module):
    """D -> hidden (ReLU) -> code (linear, sigmoid or relu) -> hidden (ReLU) -> D (sigmoid).

    Args:
        shape: (C, H, W) of one image.
        hidden: hidden layer width h.
        code: coding layer size k.
        code_act: ``"linear"``, ``"sigmoid"`` or ``"relu"``.
        code_bias: if given, the initial bias b2 of every coding unit (logit(rho) for the KL-sparse code).
    """

    def __init__(self, shape: tuple[int, int, int], hidden: int, code: int, code_act: str = "linear",
                 code_bias: float | None = None):
        super().__init__()
        if code_act not in CODE_ACTS:
            raise ValueError(f"code_act must be one of {CODE_ACTS}, got {code_act!r}.")
        self.code_act = code_act
        self.shape = tuple(shape)
        d = self.shape[0] * self.shape[1] * self.shape[2]
        self.enc1 = nn.Linear(d, hidden)
        self.enc2 = nn.Linear(hidden, code)
        self.dec1 = nn.Linear(code, hidden)
        self.dec2 = nn.Linear(hidden, d)
        if code_bias is not None:
            nn.init.constant_(self.enc2.bias, code_bias)

    def encode_hidden(self, x0: torch.Tensor) -> torch.Tensor:
        """First encoder layer: (B, C, H, W) -> (B, h), relu(W1 x + b1)."""
        return F.relu(self.enc1(x0.flatten(1)))

    def code_activation(self, a2: torch.Tensor) -> torch.Tensor:
        """z = a(a2): the identity, the sigmoid or the relu."""
        if self.code_act == "sigmoid":
            return torch.sigmoid(a2)
        return F.relu(a2) if self.code_act == "relu" else a2

    def encode(self, x0: torch.Tensor) -> torch.Tensor:
        """Code z = f(x0): (B, C, H, W) in [0, 1] -> (B, k) (in (0, 1) for a sigmoid code)."""
        return self.code_activation(self.enc2(self.encode_hidden(x0)))

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """Reconstruction x_hat = g(z): (B, k) -> (B, C, H, W) in (0, 1)."""
        h = F.relu(self.dec1(z))
        return torch.sigmoid(self.dec2(h)).view(-1, *self.shape)

    def forward(self, x0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        """(x_hat (B, C, H, W), z (B, k))."""
        z = self.encode(x0)
        return self.decode(z), z

    def encoder_layers(self) -> list[nn.Linear]:
        """The encoder's linear maps [W1, W2], for the contractive penalty and for pretraining."""
        return [self.enc1, self.enc2]


def n_params(model: nn.Module) -> int:
    """Number of trainable scalars (a tied matrix counts once)."""
    return sum(p.numel() for p in model.parameters() if p.requires_grad)
