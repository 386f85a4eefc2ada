"""Datasets: images (digits, MNIST, Fashion-MNIST) and synthetic point clouds."""

from .errors import DatasetUnavailable
from .images import IMAGE_DATASETS, LABELS, ImageData, load_images
from .paths import cache_dir, data_dir, pretrained_dir
from .synthetic import TOYS_2D, Toy2D, grid25, homl_3d, ring8, s_curve, swiss_roll

__all__ = [
    "DatasetUnavailable", "IMAGE_DATASETS", "LABELS", "ImageData", "load_images",
    "cache_dir", "data_dir", "pretrained_dir",
    "TOYS_2D", "Toy2D", "grid25", "homl_3d", "ring8", "s_curve", "swiss_roll",
]
