"""Where GenLab keeps datasets and the weights it trains itself.

- ``GENLAB_DATA_DIR``: datasets (MNIST and Fashion-MNIST in torchvision's layout,
  ``<dir>/MNIST/raw/*.gz`` and ``<dir>/FashionMNIST/raw/*.gz``). Default: ``<cache>/data``.
- ``GENLAB_CACHE_DIR``: weights trained on demand and decompressed copies of datasets.
  Default: ``$XDG_CACHE_HOME/genlab`` or ``~/.cache/genlab``.
- ``pretrained/`` beside this package: weights shipped with the repository (read-only).
- ``GENLAB_NO_DOWNLOAD``: datasets never downloaded, comma-separated (``fashion``, ``mnist``) or ``all``;
  for air-gapped servers, and for the tests, which must see Fashion-MNIST as unavailable on any machine.
"""

from __future__ import annotations

import os
from pathlib import Path

REPO_ROOT = Path(__file__).resolve().parents[2]


def cache_dir() -> Path:
    """The per-user cache folder (created on demand by writers, not here)."""
    env = os.environ.get("GENLAB_CACHE_DIR")
    if env:
        return Path(env).expanduser()
    xdg = os.environ.get("XDG_CACHE_HOME")
    return (Path(xdg).expanduser() if xdg else Path.home() / ".cache") / "genlab"


def data_dir() -> Path:
    """The dataset folder: ``GENLAB_DATA_DIR`` or ``<cache>/data``."""
    env = os.environ.get("GENLAB_DATA_DIR")
    return Path(env).expanduser().resolve() if env else cache_dir() / "data"


def pretrained_dir() -> Path:
    """The shipped weights: ``pretrained/`` at the repository root."""
    return REPO_ROOT / "pretrained"


def download_allowed(name: str) -> bool:
    """False when ``GENLAB_NO_DOWNLOAD`` names the dataset (or says ``all``)."""
    banned = {part.strip().lower() for part in os.environ.get("GENLAB_NO_DOWNLOAD", "").split(",")}
    return not ({"all", name.lower()} & banned)
