"""GANs: 2D toy training (losses, views, mode metrics) and image GANs (dense, DCGAN, conditional).

``sample(kind, dataset, n, seed)`` returns images from the shipped generators (for the FID page).
"""

from .config import IMAGE_KINDS, LOSSES, ImageGANConfig, ToyConfig
from .sampling import sample

__all__ = ["IMAGE_KINDS", "LOSSES", "ImageGANConfig", "ToyConfig", "sample"]
