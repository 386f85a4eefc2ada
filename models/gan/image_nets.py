"""Image GANs: the book's dense GAN, a small DCGAN and a conditional GAN (generator and discriminator).

Generators output images in [0, 1] (sigmoid), shape (B, 1, H, W); discriminators output one raw value
(a logit, or a critic value for WGAN-GP) per image, shape (B, 1). H = W must be divisible by 4 for DCGAN
(8 for digits, 28 for MNIST).
"""

from __future__ import annotations

import torch
import torch.nn.functional as F
from torch import nn

from .config import ImageGANConfig


class DenseGenerator(nn.Module):
    """HOML ch. 17's generator: z (codings 30) -> Dense 100 SELU -> Dense 150 SELU -> Dense H*W sigmoid.

    For the conditional GAN, a one-hot class vector is concatenated to z (Mirza & Osindero 2014).
    """

    def __init__(self, codings: int, shape: tuple[int, int, int], n_classes: int = 0):
        super().__init__()
        self.shape, self.n_classes = shape, n_classes
        c, h, w = shape
        self.net = nn.Sequential(nn.Linear(codings + n_classes, 100), nn.SELU(), nn.Linear(100, 150),
                                 nn.SELU(), nn.Linear(150, c * h * w))

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        if self.n_classes:
            z = torch.cat([z, F.one_hot(y, self.n_classes).to(z.dtype)], 1)
        return torch.sigmoid(self.net(z)).view(-1, *self.shape)  # (B, C, H, W) in [0, 1]


class DenseDiscriminator(nn.Module):
    """HOML ch. 17's discriminator: image -> Dense 150 SELU -> Dense 100 SELU -> 1 (logit here; the
    book's sigmoid is inside the loss). The conditional one also reads the one-hot class."""

    def __init__(self, shape: tuple[int, int, int], n_classes: int = 0):
        super().__init__()
        self.n_classes = n_classes
        c, h, w = shape
        self.net = nn.Sequential(nn.Linear(c * h * w + n_classes, 150), nn.SELU(), nn.Linear(150, 100),
                                 nn.SELU(), nn.Linear(100, 1))

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        x = x.flatten(1)
        if self.n_classes:
            x = torch.cat([x, F.one_hot(y, self.n_classes).to(x.dtype)], 1)
        return self.net(x)  # (B, 1)


class DCGenerator(nn.Module):
    """DCGAN generator (Radford et al. 2016; HOML ch. 17's version, narrower for the CPU):
    z -> Dense (64, H/4, W/4) -> BN ReLU -> ConvT 5x5/2 to 32 -> BN ReLU -> ConvT 5x5/2 to C -> sigmoid."""

    def __init__(self, codings: int, shape: tuple[int, int, int]):
        super().__init__()
        c, h, w = shape
        self.s = (h // 4, w // 4)
        self.fc = nn.Linear(codings, 64 * self.s[0] * self.s[1])
        self.net = nn.Sequential(
            nn.BatchNorm2d(64), nn.ReLU(),
            nn.ConvTranspose2d(64, 32, 5, stride=2, padding=2, output_padding=1), nn.BatchNorm2d(32), nn.ReLU(),
            nn.ConvTranspose2d(32, c, 5, stride=2, padding=2, output_padding=1))

    def forward(self, z: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        x = self.fc(z).view(-1, 64, *self.s)  # (B, 64, H/4, W/4)
        return torch.sigmoid(self.net(x))  # (B, C, H, W)


class DCDiscriminator(nn.Module):
    """DCGAN discriminator: Conv 5x5/2 to 32 LeakyReLU(0.2) -> Conv 5x5/2 to 64 LeakyReLU -> Dense 1."""

    def __init__(self, shape: tuple[int, int, int]):
        super().__init__()
        c, h, w = shape
        self.net = nn.Sequential(
            nn.Conv2d(c, 32, 5, stride=2, padding=2), nn.LeakyReLU(0.2),
            nn.Conv2d(32, 64, 5, stride=2, padding=2), nn.LeakyReLU(0.2), nn.Flatten(),
            nn.Linear(64 * ((h + 3) // 4) * ((w + 3) // 4), 1))

    def forward(self, x: torch.Tensor, y: torch.Tensor | None = None) -> torch.Tensor:
        return self.net(x * 2 - 1)  # (B, 1); inputs rescaled to [-1, 1] as in DCGAN


def build_generator(config: ImageGANConfig, shape: tuple[int, int, int], n_classes: int) -> nn.Module:
    """The generator a config defines (this is what a checkpoint stores)."""
    if config.kind == "dcgan":
        return DCGenerator(config.codings, shape)
    return DenseGenerator(config.codings, shape, n_classes if config.kind == "cgan" else 0)


def build_discriminator(config: ImageGANConfig, shape: tuple[int, int, int], n_classes: int) -> nn.Module:
    if config.kind == "dcgan":
        return DCDiscriminator(shape)
    return DenseDiscriminator(shape, n_classes if config.kind == "cgan" else 0)


DATASET_SHAPES = {"digits": (1, 8, 8), "mnist": (1, 28, 28), "fashion": (1, 28, 28)}
N_CLASSES = 10
