"""Inception-v3 pool3 features with the FID-standard weights, through pytorch-fid's own network.

GenLab does not re-implement the network: it builds ``pytorch_fid.inception.InceptionV3`` (which patches
torchvision's Inception-v3 exactly as TensorFlow's FID graph) and hands it the weights file itself, so
features equal pytorch-fid's bit for bit. The weights (``pt_inception-2015-12-05-6726825d.pth``, 91 MB)
are looked up, in order, at ``$GENLAB_INCEPTION_WEIGHTS`` and in the torch hub cache (where pytorch-fid
keeps them); :func:`download_weights` fetches them there with a progress callback. Offline and without
the file, :class:`InceptionUnavailable` says how to provide it, and the other extractors still work.
"""

from __future__ import annotations

import functools
import hashlib
import os
import threading
from pathlib import Path
from typing import Callable

import torch

ENV_VAR = "GENLAB_INCEPTION_WEIGHTS"
FILE_NAME = "pt_inception-2015-12-05-6726825d.pth"
URL = "https://github.com/mseitzer/pytorch-fid/releases/download/fid_weights/" + FILE_NAME
SHA256_PREFIX = "6726825d"
_BUILD_LOCK = threading.Lock()


class InceptionUnavailable(RuntimeError):
    """pytorch-fid or the FID Inception weights are missing; the message says how to provide them."""


def hub_path() -> Path:
    """Where pytorch-fid (torch.hub) caches the weights: ``<torch hub dir>/checkpoints/<file>``."""
    return Path(torch.hub.get_dir()) / "checkpoints" / FILE_NAME


def how_to_provide() -> str:
    """Plain instructions for getting the weights onto an offline machine."""
    return (f"Download {URL} (91 MB) on a machine with internet and either copy it to {hub_path()} or set "
            f"the environment variable {ENV_VAR} to the file's path, then reload. With internet, the "
            f"download button (or `python -m models.fid ... --features inception`) fetches it.")


def weights_path() -> Path:
    """The weights file to use.

    Raises:
        InceptionUnavailable: pytorch-fid is not installed, or no weights file is found.
    """
    try:
        import pytorch_fid.inception  # noqa: F401
    except ImportError as exc:
        raise InceptionUnavailable("The Inception extractor needs the pytorch-fid package "
                                   "(`pip install pytorch-fid`); the other extractors work without it.") from exc
    env = os.environ.get(ENV_VAR)
    if env:
        path = Path(env).expanduser()
        if not path.is_file():
            raise InceptionUnavailable(f"{ENV_VAR} is set to {path}, but there is no file there. " + how_to_provide())
        return path
    if hub_path().is_file():
        return hub_path()
    raise InceptionUnavailable("The FID Inception weights are not on this machine. " + how_to_provide())


def is_standard(path: Path) -> bool:
    """Whether the file is the FID-standard one (its SHA-256 starts with the hash in its name)."""
    digest = hashlib.sha256()
    with open(path, "rb") as f:
        for chunk in iter(lambda: f.read(1 << 20), b""):
            digest.update(chunk)
    return digest.hexdigest().startswith(SHA256_PREFIX)


def download_weights(progress: Callable[[int, int], None] | None = None) -> Path:
    """Fetch the weights into the torch hub cache (atomically) and return the path.

    Args:
        progress: called as progress(bytes_done, bytes_total) while downloading.
    Raises:
        InceptionUnavailable: the download failed (offline, proxy, disk); the message says what to do.
    """
    import urllib.request

    dst = hub_path()
    dst.parent.mkdir(parents=True, exist_ok=True)
    tmp = dst.with_suffix(".part")
    try:
        with urllib.request.urlopen(URL, timeout=30) as resp, open(tmp, "wb") as out:  # noqa: S310
            total, done = int(resp.headers.get("Content-Length") or 0), 0
            for chunk in iter(lambda: resp.read(1 << 20), b""):
                out.write(chunk)
                done += len(chunk)
                if progress is not None:
                    progress(done, total)
        os.replace(tmp, dst)
    except OSError as exc:
        tmp.unlink(missing_ok=True)
        raise InceptionUnavailable(f"Downloading the Inception weights failed ({exc}). " + how_to_provide()) from exc
    return dst


class FIDInception(torch.nn.Module):
    """pytorch-fid's InceptionV3 (pool3, 2048-d) plus the weights' 1008-way classifier for the IS.

    forward(x): x (N, 3, H, W) in [0, 1] -> (pool3 (N, 2048), logits (N, 1008)). Resizing to 299x299
    (bilinear) and scaling to [-1, 1] happen inside pytorch-fid's network, as in its pipeline.
    """

    def __init__(self, state_dict: dict):
        super().__init__()
        import pytorch_fid.inception as pfi

        # pytorch-fid's builder fetches its weights through this module-level name; hand it ours.
        with _BUILD_LOCK:
            original = pfi.load_state_dict_from_url
            pfi.load_state_dict_from_url = lambda *args, **kwargs: state_dict
            try:
                self.net = pfi.InceptionV3([pfi.InceptionV3.BLOCK_INDEX_BY_DIM[2048]])
            finally:
                pfi.load_state_dict_from_url = original
        self.fc = torch.nn.Linear(2048, state_dict["fc.weight"].shape[0])
        self.fc.load_state_dict({"weight": state_dict["fc.weight"], "bias": state_dict["fc.bias"]})
        self.eval()

    def forward(self, x: torch.Tensor) -> tuple[torch.Tensor, torch.Tensor]:
        pool3 = self.net(x)[0].flatten(1)  # (N, 2048)
        return pool3, self.fc(pool3)


@functools.lru_cache(maxsize=2)
def _load(path: str, mtime: float, device: str) -> FIDInception:
    state = torch.load(path, map_location="cpu", weights_only=True)
    return FIDInception(state).to(torch.device(device))


def load_inception(device: torch.device | str = "cpu") -> tuple[FIDInception, Path]:
    """The network on ``device`` and the weights file it came from (cached per file and device)."""
    path = weights_path()
    try:
        return _load(str(path), path.stat().st_mtime, str(device)), path
    except (RuntimeError, KeyError, OSError, EOFError) as exc:
        raise InceptionUnavailable(f"{path} could not be loaded as the FID Inception weights ({exc}). "
                                   f"It may be truncated: delete it. " + how_to_provide()) from exc
