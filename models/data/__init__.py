"""Datasets: images (digits, MNIST, Fashion-MNIST) and synthetic point clouds."""

from .errors import DatasetUnavailable
from .images import IMAGE_DATASETS, LABELS, ImageData, download, load_images, needs_download
from .paths import cache_dir, data_dir, download_allowed, pretrained_dir
from .synthetic import TOYS_2D, Toy2D, grid25, homl_3d, ring8, s_curve, swiss_roll

__all__ = [
    "DatasetUnavailable", "IMAGE_DATASETS", "LABELS", "ImageData", "download", "load_images", "needs_download",
    "cache_dir", "data_dir", "download_allowed", "pretrained_dir",
    "TOYS_2D", "Toy2D", "grid25", "homl_3d", "ring8", "s_curve", "swiss_roll",
]
