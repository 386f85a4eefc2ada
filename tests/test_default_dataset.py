"""models.data.default: MNIST when it is on disk or downloadable, else the bundled digits (no PyTorch needed)."""

import gzip
import socket
import subprocess
import sys
import threading

from models.data import default


def _touch_split(root, split):
    raw = root / "MNIST" / "raw"
    raw.mkdir(parents=True, exist_ok=True)
    for kind in ("images-idx3", "labels-idx1"):
        with gzip.open(raw / f"{split}-{kind}-ubyte.gz", "wb") as f:
            f.write(b"\0" * 16)


def test_on_disk_needs_images_and_labels_of_one_split(tmp_path, monkeypatch):
    monkeypatch.setenv("GENLAB_DATA_DIR", str(tmp_path))
    assert not default.mnist_on_disk()
    raw = tmp_path / "MNIST" / "raw"
    raw.mkdir(parents=True)
    (raw / "t10k-images-idx3-ubyte").write_bytes(b"x")  # images without labels: not a usable split
    assert not default.mnist_on_disk()
    (raw / "train-labels-idx1-ubyte.gz").write_bytes(b"")  # an empty file does not count
    assert not default.mnist_on_disk()
    _touch_split(tmp_path, "t10k")
    assert default.mnist_on_disk()
    assert default.default_dataset() == "mnist"


def test_offline_gives_digits_and_a_notice_naming_the_folder(tmp_path, monkeypatch):
    monkeypatch.setenv("GENLAB_DATA_DIR", str(tmp_path))
    monkeypatch.setenv("GENLAB_NO_DOWNLOAD", "mnist")
    assert default.default_dataset() == "digits"
    note = default.offline_notice()
    assert "GENLAB_NO_DOWNLOAD" in note and str(tmp_path / "MNIST" / "raw") in note
    assert "t10k-images-idx3-ubyte.gz" in note


def test_probe_reports_a_listening_mirror_and_a_closed_port(monkeypatch):
    server = socket.socket()
    server.bind(("127.0.0.1", 0))
    server.listen(1)
    port = server.getsockname()[1]
    for mirror, expected in ((("127.0.0.1", port), True), (("127.0.0.1", _closed_port()), False)):
        monkeypatch.setattr(default, "MIRROR", mirror)
        monkeypatch.setattr(default, "_probe_done", threading.Event())
        monkeypatch.setattr(default, "_probe_result", [])
        default._probe()
        assert default._probe_result == [expected]
    server.close()


def _closed_port() -> int:
    s = socket.socket()
    s.bind(("127.0.0.1", 0))
    port = s.getsockname()[1]
    s.close()
    return port


def test_deciding_the_default_imports_no_pytorch(tmp_path):
    code = ("import sys; from models.data.default import default_dataset; default_dataset(); "
            "assert 'torch' not in sys.modules, 'torch was imported'")
    env_cmd = [sys.executable, "-c", code]
    import os

    env = {**os.environ, "GENLAB_DATA_DIR": str(tmp_path), "GENLAB_NO_DOWNLOAD": "all"}
    subprocess.run(env_cmd, check=True, env=env, cwd=default.__file__.rsplit("/models/", 1)[0])
