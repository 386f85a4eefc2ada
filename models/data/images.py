"""Image datasets: scikit-learn's 8x8 digits (always offline), MNIST and Fashion-MNIST (torchvision).

Every loader returns an :class:`ImageData` with images as float32 in [0, 1], shape (N, 1, H, W).

MNIST-style datasets are read through torchvision's own IDX readers. torchvision's dataset classes
insist that *both* splits are on disk; GenLab also works when only one split is there (a laptop with
only the 10,000-image test split, say): the split that is missing is carved out of the one present,
and :attr:`ImageData.note` says so, so pages can tell the student.
"""

from __future__ import annotations

import functools
import gzip
import os
import shutil
import tempfile
from dataclasses import dataclass
from pathlib import Path
from typing import Callable

import numpy as np
import torch

from .errors import DatasetUnavailable
from .names import IMAGE_DATASETS, LABELS
from .paths import cache_dir, data_dir, download_allowed

SPLITS = ("train", "test")
# When one split is missing, this many images of the other one become the training part.
CARVE_TRAIN = 8000
# Which images of a carved split are held out (see :func:`held_out_index`).
HOLDOUTS = ("tail", "halves")
# Datasets whose shipped weights (pretrained/) were trained on a carved part of the official *test* split
# (the build machine had only that split). With both splits on disk, "test" still leaves those images out,
# so no page ever scores a shipped model on images it was trained on.
SHIPPED_FROM_TEST = ("mnist",)


@dataclass(frozen=True)
class ImageData:
    """A labelled image dataset split.

    Attributes:
        x: (N, 1, H, W) float32 in [0, 1].
        y: (N,) int64 class labels.
        classes: class names, ``classes[y[i]]`` names image i.
        note: set when the split is not the canonical one (e.g. carved from the test split).
    """

    name: str
    split: str
    x: torch.Tensor
    y: torch.Tensor
    classes: tuple[str, ...]
    note: str | None = None

    @property
    def shape(self) -> tuple[int, int, int]:
        """(C, H, W) of one image."""
        return tuple(self.x.shape[1:])  # type: ignore[return-value]

    def __len__(self) -> int:
        return int(self.x.shape[0])


def load_images(name: str, split: str = "train", *, root: str | Path | None = None,
                download: bool = True, holdout: str = "tail") -> ImageData:
    """Load one split of an image dataset (cached in memory; do not modify the tensors in place).

    Args:
        name: ``"digits"``, ``"mnist"`` or ``"fashion"``.
        split: ``"train"`` or ``"test"``.
        root: dataset folder; default :func:`models.data.paths.data_dir` (``GENLAB_DATA_DIR``).
        download: for MNIST-style sets, let torchvision download when nothing is on disk.
        holdout: which images of a carved split are held out, one of ``HOLDOUTS`` (:func:`held_out_index`);
            a model family passes the one its shipped weights were trained with. Digits ignore it.

    Raises:
        DatasetUnavailable: nothing on disk and no download possible; the message names the files.
    """
    if name not in IMAGE_DATASETS:
        raise ValueError(f"Unknown dataset {name!r}; choose one of {', '.join(IMAGE_DATASETS)}.")
    if split not in SPLITS:
        raise ValueError(f"Unknown split {split!r}; choose 'train' or 'test'.")
    if holdout not in HOLDOUTS:
        raise ValueError(f"Unknown holdout {holdout!r}; choose one of {', '.join(HOLDOUTS)}.")
    root = Path(root).expanduser().resolve() if root is not None else data_dir()
    return _load_cached(name, split, str(root), bool(download), "tail" if name == "digits" else holdout)


def held_out_index(n: int, holdout: str = "tail") -> np.ndarray:
    """Indices (sorted) of the held-out part when one split of ``n`` images must also give the training set.

    Both schemes hold out ``n - min(CARVE_TRAIN, 0.8 n)`` images (2,000 of MNIST's 10,000 test images) in a
    fixed order; the rest train.

    - ``tail``: the last ones (MNIST: images 8,000-9,999).
    - ``halves``: the same share from the end of each half (MNIST: images 4,000-4,999 and 9,000-9,999).
      MNIST's test file is 5,000 images by NIST SD-3 writers (Census Bureau employees) followed by 5,000
      by SD-1 writers (high-school students) (LeCun, Cortes & Burges, the MNIST database page), so ``tail``
      holds out SD-1 writers only while training saw both; ``halves`` holds out 1,000 of each, like the
      official split. A model whose codes encode the writer population (a 16-D VAE) needs it to be tested
      on held-out data that has the training mix.
    """
    n_train = min(CARVE_TRAIN, int(0.8 * n))
    if holdout == "tail":
        return np.arange(n_train, n)
    if holdout == "halves":
        half = n // 2
        k = (n - n_train) // 2  # held out per half (the odd one, if any, from the second)
        return np.concatenate([np.arange(half - k, half), np.arange(n - (n - n_train - k), n)])
    raise ValueError(f"Unknown holdout {holdout!r}; choose one of {', '.join(HOLDOUTS)}.")


def describe_index(idx: np.ndarray) -> str:
    """'8,000-9,999' or '4,000-4,999 and 9,000-9,999': the runs of consecutive indices."""
    runs, start = [], 0
    for i in range(1, len(idx) + 1):
        if i == len(idx) or idx[i] != idx[i - 1] + 1:
            runs.append(f"{idx[start]:,}-{idx[i - 1]:,}")
            start = i
    return " and ".join(runs)


@functools.lru_cache(maxsize=16)
def _load_cached(name: str, split: str, root: str, download: bool, holdout: str) -> ImageData:
    if name == "digits":
        return _load_digits(split)
    return _load_idx(name, split, Path(root), download, holdout)


def _load_digits(split: str) -> ImageData:
    from sklearn.datasets import load_digits
    from sklearn.model_selection import train_test_split

    bunch = load_digits()
    x = bunch.images.astype(np.float32) / 16.0  # pixel values are 0..16
    idx_train, idx_test = train_test_split(np.arange(len(x)), test_size=0.2, random_state=0,
                                           stratify=bunch.target)
    idx = idx_train if split == "train" else idx_test
    return ImageData("digits", split, torch.from_numpy(x[idx]).unsqueeze(1),
                     torch.from_numpy(bunch.target[idx].astype(np.int64)), tuple(str(i) for i in range(10)))


def _tv_class(name: str):
    from torchvision import datasets

    return datasets.MNIST if name == "mnist" else datasets.FashionMNIST


def _split_files(cls, split: str) -> tuple[str, str]:
    prefix = "train" if split == "train" else "t10k"
    files = [os.path.basename(url) for url, _ in cls.resources]
    images = next(f for f in files if f.startswith(prefix) and "images" in f)
    labels = next(f for f in files if f.startswith(prefix) and "labels" in f)
    return images, labels


def _find(raw: Path, gz_name: str) -> Path | None:
    """The file itself (``x.gz``) or its extracted twin (``x``), whichever is on disk."""
    for candidate in (raw / gz_name, raw / gz_name[:-3]):
        if candidate.is_file() and candidate.stat().st_size > 0:
            return candidate
    return None


def _extracted(path: Path, folder: str) -> Path:
    """torchvision's readers want the raw IDX file: gunzip into the cache (the data folder may be read-only)."""
    if path.suffix != ".gz":
        return path
    out_dir = cache_dir() / "extracted" / folder
    out = out_dir / path.name[:-3]
    if out.is_file() and out.stat().st_mtime >= path.stat().st_mtime:
        return out
    out_dir.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=out_dir, prefix=".part-")
    try:
        with os.fdopen(fd, "wb") as dst, gzip.open(path, "rb") as src:
            shutil.copyfileobj(src, dst)
        os.replace(tmp, out)  # atomic: a reader never sees half a file
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise
    return out


def _read_split(cls, raw: Path, split: str) -> tuple[torch.Tensor, torch.Tensor] | None:
    from torchvision.datasets.mnist import read_image_file, read_label_file

    img_name, lbl_name = _split_files(cls, split)
    img, lbl = _find(raw, img_name), _find(raw, lbl_name)
    if img is None or lbl is None:
        return None
    try:
        x = read_image_file(str(_extracted(img, cls.__name__)))
        y = read_label_file(str(_extracted(lbl, cls.__name__)))
    except (OSError, EOFError, AssertionError, RuntimeError, ValueError) as exc:
        raise DatasetUnavailable(
            f"The {cls.__name__} {split} files in {raw} could not be read ({exc}). They may be truncated: "
            f"delete them and download again (or copy fresh copies of {img_name} and {lbl_name})."
        ) from exc
    return x, y


def _load_idx(name: str, split: str, root: Path, download: bool, holdout: str) -> ImageData:
    cls = _tv_class(name)
    raw = root / cls.__name__ / "raw"
    other = "test" if split == "train" else "train"
    found, found_other = _read_split(cls, raw, split), _read_split(cls, raw, other)
    if found is None and found_other is None and download and download_allowed(name):
        _download(cls, root)
        found, found_other = _read_split(cls, raw, split), _read_split(cls, raw, other)
    note = None
    if found is None and found_other is not None:
        found, note = _carve(found_other, split, other, cls.__name__, holdout)
    elif found is not None and found_other is None:
        # Only this split is on disk: the other one is carved from it, so carve this one too,
        # or the two would overlap (training on test images).
        found, note = _carve(found, split, split, cls.__name__, holdout)
    elif found is not None and split == "test" and name in SHIPPED_FROM_TEST:
        x, y = found
        idx = held_out_index(len(x), holdout)
        found = (x[idx], y[idx])
        note = (f"Held out: images {describe_index(idx)} of the {cls.__name__} test split. GenLab's shipped weights "
                f"were trained on the other {len(x) - len(idx):,} (their build machine had no other "
                f"{cls.__name__} images), so those never count as test images.")
    if found is None:
        files = ", ".join(_split_files(cls, split) + _split_files(cls, other))
        raise DatasetUnavailable(
            f"{LABELS[name]} is not on disk and could not be downloaded. Put the files {files} "
            f"(the .gz files from torchvision's mirrors) into {raw}, or set GENLAB_DATA_DIR to a folder "
            f"that has {cls.__name__}/raw/ inside, then reload. The digits dataset always works offline."
        )
    x, y = found
    return ImageData(name, split, (x.float() / 255.0).unsqueeze(1).contiguous(), y.long(),
                     tuple(cls.classes), note)


def _carve(present, split: str, source: str, folder: str, holdout: str):
    """Split the one split on disk (``source``) into a training part and a held-out part
    (:func:`held_out_index`)."""
    x, y = present
    held = held_out_index(len(x), holdout)
    keep = np.ones(len(x), dtype=bool)
    keep[held] = False
    part = torch.from_numpy(np.flatnonzero(keep) if split == "train" else held)
    role = "training" if split == "train" else "held-out test"
    note = (f"Only the {source} split of {folder} is on disk: using {len(part):,} of its images as the {role} "
            f"set (images {describe_index(held)} are held out, the other {int(keep.sum()):,} train).")
    return (x[part], y[part]), note


# on_file(done, total, file_name): called before each file and once more at the end (done == total).
OnFile = Callable[[int, int, str], None]


def needs_download(name: str, root: str | Path | None = None) -> bool:
    """True when no split of the MNIST-style dataset ``name`` is on disk (loading it would download)."""
    if name == "digits":
        return False
    cls = _tv_class(name)
    raw = (Path(root).expanduser() if root is not None else data_dir()) / cls.__name__ / "raw"
    return not any(_find(raw, f) for split in SPLITS for f in _split_files(cls, split))


def download(name: str, root: str | Path | None = None, on_file: OnFile | None = None) -> None:
    """Fetch the four IDX files of an MNIST-style dataset into ``root/<Folder>/raw``, one at a time.

    Uses torchvision's mirrors and MD5 checksums (``download_url`` checks each file and retries the next
    mirror), so a page can show which file is coming instead of a silent spinner.

    Raises:
        DatasetUnavailable: no mirror answered for a file (offline, blocked); the message names the files.
    """
    from urllib.error import URLError

    from torchvision.datasets import utils as tv_utils

    cls = _tv_class(name)
    raw = (Path(root).expanduser() if root is not None else data_dir()) / cls.__name__ / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    total = len(cls.resources)
    for i, (file_name, md5) in enumerate(cls.resources):
        if on_file is not None:
            on_file(i, total, file_name)
        if _find(raw, file_name) is not None:
            continue
        errors = []
        for mirror in cls.mirrors:
            try:
                tv_utils.download_url(f"{mirror}{file_name}", root=str(raw), filename=file_name, md5=md5)
                break
            except (OSError, URLError, RuntimeError) as exc:  # offline, DNS, HTTP, checksum
                errors.append(f"{mirror}: {exc}")
        else:
            raise DatasetUnavailable(
                f"Could not download {file_name} of {LABELS[name]} ({'; '.join(errors)[:300]}). Without "
                f"internet, copy the files {', '.join(f for f, _ in cls.resources)} into {raw}, or set "
                f"GENLAB_DATA_DIR to a folder that has {cls.__name__}/raw/ inside. The digits dataset always "
                f"works offline.")
    if on_file is not None:
        on_file(total, total, "")


def _download(cls, root: Path) -> None:
    name = "mnist" if cls.__name__ == "MNIST" else "fashion"
    try:
        download(name, root)
    except Exception:  # noqa: BLE001 - offline, DNS, HTTP, disk: all mean "not downloadable now"
        return
