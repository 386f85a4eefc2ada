"""models.data: real datasets load with the right shapes and values; partial and missing data are handled."""

import gzip
import hashlib
import os
from pathlib import Path

import numpy as np
import pytest
import torch

from models.data import (TOYS_2D, DatasetUnavailable, homl_3d, load_images, ring8, s_curve, swiss_roll)

# torchvision's published MD5 of the MNIST test files (independent of how we read them)
MNIST_T10K_MD5 = {"t10k-images-idx3-ubyte.gz": "9fb629c4189551a2d022fa330f9573f3",
                  "t10k-labels-idx1-ubyte.gz": "ec29112dd5afa0611ce80d1b7f02629c"}


def test_digits_split_shapes_and_range():
    tr, te = load_images("digits", "train"), load_images("digits", "test")
    assert tr.x.shape == (1437, 1, 8, 8) and te.x.shape == (360, 1, 8, 8)
    assert tr.x.dtype == torch.float32 and float(tr.x.min()) == 0.0 and float(tr.x.max()) == 1.0
    from sklearn.datasets import load_digits

    assert len(tr) + len(te) == len(load_digits().target)
    assert set(tr.y.tolist()) == set(range(10))


def test_mnist_test_split_is_the_real_one(mnist_test):
    """10,000 real images, 28x28, labels balanced as published (digit 1: 1,135 images)."""
    data_dir = Path(os.environ.get("GENLAB_DATA_DIR", ""))
    raw = data_dir / "MNIST" / "raw"
    for name, md5 in MNIST_T10K_MD5.items():
        if (raw / name).is_file():
            assert hashlib.md5((raw / name).read_bytes()).hexdigest() == md5
    x = mnist_test.x
    n_test = len(x)
    assert x.shape[1:] == (1, 28, 28) and x.dtype == torch.float32
    assert 0.0 <= float(x.min()) and float(x.max()) == 1.0
    # Whether or not the train split is on disk, the held-out part is the test split's last 2,000 images:
    # the shipped weights were trained on its first 8,000.
    assert n_test == 2000 and mnist_test.note


def test_only_test_split_present_is_carved(tmp_path):
    src = Path(os.environ.get("GENLAB_DATA_DIR", "")) / "MNIST" / "raw"
    if not (src / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.fail("This test needs the MNIST test split in GENLAB_DATA_DIR/MNIST/raw.")
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for f in MNIST_T10K_MD5:
        (raw / f).symlink_to(src / f)
    tr = load_images("mnist", "train", root=tmp_path, download=False)
    te = load_images("mnist", "test", root=tmp_path, download=False)
    assert len(tr) == 8000 and len(te) == 2000 and "test split" in tr.note
    # the carve is a partition of the real file: pixel sums add up to the full split's
    with gzip.open(src / "t10k-images-idx3-ubyte.gz") as f:
        full = int(np.frombuffer(f.read()[16:], dtype=np.uint8).astype(np.int64).sum())
    as_int = lambda x: int((x.double() * 255).round().sum())  # noqa: E731 - back to the stored bytes
    assert as_int(tr.x) + as_int(te.x) == full


def _write_idx(path: Path, array: np.ndarray) -> None:
    """An IDX file (LeCun's format: magic 0x0000080<ndim>, big-endian sizes, then uint8 data), gzipped."""
    header = bytes([0, 0, 8, array.ndim]) + b"".join(int(d).to_bytes(4, "big") for d in array.shape)
    with gzip.open(path, "wb") as f:
        f.write(header + array.astype(np.uint8).tobytes())


def test_with_both_splits_the_shipped_training_images_stay_out_of_test(tmp_path):
    """A laptop that downloaded the full MNIST: "train" is the official train split, and "test" still leaves
    out the first 8,000 test images, on which the shipped weights were trained."""
    src = Path(os.environ.get("GENLAB_DATA_DIR", "")) / "MNIST" / "raw"
    if not (src / "t10k-images-idx3-ubyte.gz").is_file():
        pytest.fail("This test needs the MNIST test split in GENLAB_DATA_DIR/MNIST/raw.")
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    for f in MNIST_T10K_MD5:
        (raw / f).symlink_to(src / f)
    rng = np.random.default_rng(0)
    _write_idx(raw / "train-images-idx3-ubyte.gz", rng.integers(0, 256, (50, 28, 28)))
    _write_idx(raw / "train-labels-idx1-ubyte.gz", rng.integers(0, 10, 50))
    tr = load_images("mnist", "train", root=tmp_path, download=False)
    te = load_images("mnist", "test", root=tmp_path, download=False)
    assert len(tr) == 50 and tr.note is None  # the train split as it is on disk
    assert len(te) == 2000 and "8,000" in te.note
    with gzip.open(src / "t10k-images-idx3-ubyte.gz") as f:
        last = np.frombuffer(f.read()[16:], dtype=np.uint8).reshape(10_000, 28, 28)[8000:]
    assert np.array_equal((te.x[:, 0].numpy() * 255).round().astype(np.uint8), last)


def _raw_mnist_test() -> np.ndarray:
    """The (10000, 28, 28) uint8 images of the real test file, read here without the loader."""
    src = Path(os.environ.get("GENLAB_DATA_DIR", "")) / "MNIST" / "raw" / "t10k-images-idx3-ubyte.gz"
    if not src.is_file():
        pytest.fail("This test needs the MNIST test split in GENLAB_DATA_DIR/MNIST/raw.")
    with gzip.open(src) as f:
        return np.frombuffer(f.read()[16:], dtype=np.uint8).reshape(10_000, 28, 28)


def _bytes(x: torch.Tensor) -> np.ndarray:
    return (x[:, 0].numpy() * 255).round().astype(np.uint8)


def test_held_out_index_schemes():
    from models.data.images import describe_index, held_out_index

    tail, halves = held_out_index(10_000, "tail"), held_out_index(10_000, "halves")
    assert np.array_equal(tail, np.arange(8000, 10_000))
    # 1,000 from each half of the file: its SD-3 writers (0-4,999) and its SD-1 writers (5,000-9,999)
    assert np.array_equal(halves, np.r_[4000:5000, 9000:10_000])
    assert describe_index(halves) == "4,000-4,999 and 9,000-9,999"
    for n in (5, 7, 11, 360, 10_001):  # same size as "tail", sorted, no repeats, whatever n
        h = held_out_index(n, "halves")
        assert len(h) == len(held_out_index(n, "tail")) and np.all(np.diff(h) > 0) and h.max() < n
    with pytest.raises(ValueError, match="holdout"):
        held_out_index(10, "random")


def test_halves_holdout_partitions_the_real_test_file(tmp_path):
    """Carved with the 'halves' scheme: the held-out part is images 4,000-4,999 and 9,000-9,999 of the real file
    (byte for byte), the training part the other 8,000 in file order; with both splits on disk "test" is the
    same 2,000."""
    full = _raw_mnist_test()
    src = Path(os.environ["GENLAB_DATA_DIR"]) / "MNIST" / "raw"
    roots = {}
    for case in ("test only", "both"):
        roots[case] = tmp_path / case.replace(" ", "_")
        raw = roots[case] / "MNIST" / "raw"
        raw.mkdir(parents=True)
        for f in MNIST_T10K_MD5:
            (raw / f).symlink_to(src / f)
    rng = np.random.default_rng(0)
    _write_idx(roots["both"] / "MNIST" / "raw" / "train-images-idx3-ubyte.gz", rng.integers(0, 256, (50, 28, 28)))
    _write_idx(roots["both"] / "MNIST" / "raw" / "train-labels-idx1-ubyte.gz", rng.integers(0, 10, 50))
    tr = load_images("mnist", "train", root=roots["test only"], download=False, holdout="halves")
    te = load_images("mnist", "test", root=roots["test only"], download=False, holdout="halves")
    assert np.array_equal(_bytes(te.x), full[np.r_[4000:5000, 9000:10_000]])
    assert np.array_equal(_bytes(tr.x), full[np.r_[0:4000, 5000:9000]])
    assert "Only the test split" in te.note and "4,000-4,999 and 9,000-9,999" in te.note
    both = load_images("mnist", "test", root=roots["both"], download=False, holdout="halves")
    assert len(load_images("mnist", "train", root=roots["both"], download=False, holdout="halves")) == 50
    assert np.array_equal(_bytes(both.x), _bytes(te.x))
    assert both.note.startswith("Held out: images 4,000-4,999 and 9,000-9,999")
    with pytest.raises(ValueError, match="holdout"):
        load_images("mnist", "test", root=roots["both"], download=False, holdout="middle")


def test_download_fetches_each_file_with_progress_and_checksums(tmp_path, monkeypatch):
    """download() asks torchvision's download_url for each of the four files (first mirror, with its MD5) and
    reports each one; a file already on disk is not fetched again."""
    from torchvision.datasets import MNIST
    from torchvision.datasets import utils as tv_utils

    from models.data import download, needs_download

    calls, progress = [], []

    def fake_download_url(url, root, filename=None, md5=None, **kw):
        calls.append((url, filename, md5))
        _write_idx(Path(root) / filename, np.zeros((2, 2), np.uint8))

    monkeypatch.setattr(tv_utils, "download_url", fake_download_url)
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    _write_idx(raw / "t10k-labels-idx1-ubyte.gz", np.zeros(3, np.uint8))  # already there
    assert not needs_download("mnist", tmp_path)
    download("mnist", tmp_path, on_file=lambda d, t, f: progress.append((d, t, f)))
    expected = [(f"{MNIST.mirrors[0]}{f}", f, md5) for f, md5 in MNIST.resources if not f.startswith("t10k-labels")]
    assert calls == expected
    assert [p[0] for p in progress] == [0, 1, 2, 3, 4] and progress[-1] == (4, 4, "")
    assert needs_download("mnist", tmp_path / "elsewhere")


def test_download_failure_names_the_files(tmp_path, monkeypatch):
    from urllib.error import URLError

    from torchvision.datasets import utils as tv_utils

    from models.data import download

    def offline(*args, **kwargs):
        raise URLError("no network")

    monkeypatch.setattr(tv_utils, "download_url", offline)
    with pytest.raises(DatasetUnavailable) as info:
        download("fashion", tmp_path)
    msg = str(info.value)
    assert "train-images-idx3-ubyte.gz" in msg and str(tmp_path / "FashionMNIST" / "raw") in msg


def test_missing_dataset_message_says_where(tmp_path):
    with pytest.raises(DatasetUnavailable) as info:
        load_images("fashion", "train", root=tmp_path, download=False)
    msg = str(info.value)
    assert "train-images-idx3-ubyte.gz" in msg and str(tmp_path / "FashionMNIST" / "raw") in msg
    assert "digits" in msg


def test_truncated_file_is_a_clear_error(tmp_path):
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "t10k-images-idx3-ubyte").write_bytes(b"\x00\x00\x08\x03" + b"\x00" * 20)
    (raw / "t10k-labels-idx1-ubyte").write_bytes(b"\x00\x00\x08\x01\x00\x00\x00\x02\x01")
    with pytest.raises(DatasetUnavailable, match="could not be read|truncated"):
        load_images("mnist", "test", root=tmp_path, download=False)


def test_unknown_names_rejected():
    with pytest.raises(ValueError, match="Unknown dataset"):
        load_images("cifar", "train")
    with pytest.raises(ValueError, match="Unknown split"):
        load_images("digits", "val")


def test_homl_3d_lies_near_a_plane():
    X = homl_3d(200)
    assert X.shape == (200, 3) and np.allclose(X.mean(0), 0, atol=1e-12)
    s = np.linalg.svd(X, compute_uv=False)
    assert s[2] / s[0] < 0.15  # third direction is noise only (noise 0.1 vs spread ~1)
    assert np.array_equal(homl_3d(50, seed=4), homl_3d(50, seed=4))


def test_manifolds_are_3d():
    for fn in (s_curve, swiss_roll):
        X, t = fn(300, seed=1)
        assert X.shape == (300, 3) and t.shape == (300,)


def test_ring8_modes_and_samples():
    toy = ring8()
    ang = np.degrees(np.arctan2(toy.centers[:, 1], toy.centers[:, 0])) % 360
    assert np.allclose(np.sort(ang), np.arange(8) * 45.0)
    pts = toy.sample(8000, np.random.default_rng(0))
    d = np.linalg.norm(pts[:, None, :] - toy.centers[None], axis=2)
    nearest = d.argmin(1)
    assert np.all(d.min(1) < 5 * toy.std)
    counts = np.bincount(nearest, minlength=8)
    assert counts.min() > 800  # each mode ~1000 of 8000


def test_every_toy_samples_finite_points():
    rng = np.random.default_rng(1)
    for name, toy in TOYS_2D.items():
        pts = toy.sample(500, rng)
        assert pts.shape == (500, 2) and np.isfinite(pts).all(), name
        if toy.centers is not None:
            assert len(toy.centers) == {"ring8": 8, "grid25": 25}[name]
