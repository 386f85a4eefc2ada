"""Recurrent autoencoder: the image is read as a sequence of rows (HOML ch. 17, "Recurrent Autoencoders").

The encoder GRU reads row t = 1..H of the image (a vector of W pixels) at time step t; its last state is
mapped linearly to the k codes. The decoder feeds z at every one of the H time steps to a second GRU and
emits one row per step. This is the sequence-to-sequence view of an image.
"""

from __future__ import annotations

import torch
from torch import nn


class RecurrentAE(nn.Module):
    """GRU encoder over rows -> z -> GRU decoder emitting rows.

    Args:
        shape: (C, H, W); each time step sees C * W values.
        hidden: GRU state size.
        code: coding layer size k.
    """

    def __init__(self, shape: tuple[int, int, int], hidden: int, code: int):
        super().__init__()
        c, h, w = self.shape = tuple(shape)
        self.enc_rnn = nn.GRU(c * w, hidden, batch_first=True)
        self.enc_out = nn.Linear(hidden, code)
        self.dec_rnn = nn.GRU(code, hidden, batch_first=True)
        self.dec_out = nn.Linear(hidden, c * w)

    def rows(self, x0: torch.Tensor) -> torch.Tensor:
        """The image as a sequence: (B, C, H, W) -> (B, H, C * W), time step t = row t."""
        b, c, h, w = x0.shape
        return x0.permute(0, 2, 1, 3).reshape(b, h, c * w)

    def read(self, x0: torch.Tensor) -> torch.Tensor:
        """Encoder GRU states after each row: (B, C, H, W) -> (B, H, hidden)."""
        states, _ = self.enc_rnn(self.rows(x0))
        return states

    def encode(self, x0: torch.Tensor) -> torch.Tensor:
        """z = W s_H + b from the state s_H after the last row: (B, k)."""
        return self.enc_out(self.read(x0)[:, -1])

    def decode(self, z: torch.Tensor) -> torch.Tensor:
        """(B, k) -> x_hat (B, C, H, W): z is the decoder GRU's input at every step, one row out per step."""
        c, h, w = self.shape
        seq = z[:, None, :].expand(z.shape[0], h, z.shape[1])  # (B, H, k)
        states, _ = self.dec_rnn(seq.contiguous())
        rows = torch.sigmoid(self.dec_out(states))  # (B, H, C * W)
        return rows.view(-1, h, c, w).permute(0, 2, 1, 3).contiguous()

    def forward(self, x0: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        z = self.encode(x0)
        return self.decode(z), z
