"""Which dataset the app opens on: MNIST when it is on disk or can be downloaded, else the bundled 8x8 digits.

The shipped weights of every image page are MNIST's, so a newcomer's first look should be MNIST, not 8x8 blobs.
Nothing here imports PyTorch: the sidebar decides before the backend has loaded.

Decision (:func:`default_dataset`):
    1. MNIST's files are in the data folder (either split, ``.gz`` or extracted)   -> ``mnist``
    2. downloads of MNIST are allowed (``GENLAB_NO_DOWNLOAD``) and a mirror answers -> ``mnist`` (the page then
       downloads it with a progress bar, about 30 MB, once)
    3. otherwise (offline lecture hall, air-gapped server)                          -> ``digits``, and
       :func:`offline_notice` says how to get MNIST.

The mirror probe (step 2) is a TCP connection with a short timeout, made once per process in a background
thread started with the server (:func:`start_probe`), so no page ever waits on the network for long.
"""

from __future__ import annotations

import socket
import threading
from pathlib import Path

from .paths import data_dir, download_allowed

# torchvision's MNIST file names (torchvision.datasets.MNIST.resources), without importing torchvision
MNIST_FILES = ("train-images-idx3-ubyte", "train-labels-idx1-ubyte", "t10k-images-idx3-ubyte",
               "t10k-labels-idx1-ubyte")
# the first of torchvision's MNIST mirrors (torchvision.datasets.MNIST.mirrors)
MIRROR = ("ossci-datasets.s3.amazonaws.com", 443)
PROBE_TIMEOUT_S = 1.5
WAIT_FOR_PROBE_S = 2.0

_probe_done = threading.Event()
_probe_lock = threading.Lock()
_probe_result: list[bool] = []


def mnist_on_disk(root: Path | None = None) -> bool:
    """True when an image file and its label file of either MNIST split are in ``<root>/MNIST/raw``."""
    raw = (root if root is not None else data_dir()) / "MNIST" / "raw"

    def present(name: str) -> bool:
        return any((raw / n).is_file() and (raw / n).stat().st_size > 0 for n in (name, name + ".gz"))

    return any(present(f"{split}-images-idx3-ubyte") and present(f"{split}-labels-idx1-ubyte")
               for split in ("train", "t10k"))


def _probe() -> None:
    ok = False
    try:
        with socket.create_connection(MIRROR, timeout=PROBE_TIMEOUT_S):
            ok = True
    except OSError:
        ok = False
    _probe_result.append(ok)
    _probe_done.set()


def start_probe() -> None:
    """Ask once, in the background, whether MNIST's mirror answers (later calls do nothing)."""
    with _probe_lock:
        if any(t.name == "genlab-mnist-probe" for t in threading.enumerate()) or _probe_done.is_set():
            return
        if mnist_on_disk() or not download_allowed("mnist"):
            _probe_result.append(False)
            _probe_done.set()
            return
        threading.Thread(target=_probe, name="genlab-mnist-probe", daemon=True).start()


def mirror_reachable(wait_s: float = WAIT_FOR_PROBE_S) -> bool:
    """The probe's answer, waiting at most ``wait_s`` seconds for it (False when it has not answered)."""
    start_probe()
    _probe_done.wait(wait_s)
    return bool(_probe_result and _probe_result[-1])


def default_dataset() -> str:
    """``mnist`` when it is on disk or downloadable from here, else ``digits`` (see the module docstring)."""
    if mnist_on_disk():
        return "mnist"
    if download_allowed("mnist") and mirror_reachable():
        return "mnist"
    return "digits"


def offline_notice() -> str:
    """What to tell a user who gets the 8x8 digits because MNIST is neither on disk nor downloadable."""
    raw = data_dir() / "MNIST" / "raw"
    why = ("downloads of MNIST are turned off (GENLAB_NO_DOWNLOAD)" if not download_allowed("mnist")
           else "its download mirror did not answer (offline?)")
    return (f"Showing scikit-learn's 8x8 digits: MNIST is not on this machine and {why}. The shipped models "
            f"were trained on MNIST (28x28). To get it: with internet, pick *mnist* in the Dataset menu once "
            f"(about 30 MB); offline, copy the files {', '.join(f + '.gz' for f in MNIST_FILES)} into {raw} "
            f"(or set GENLAB_DATA_DIR to a folder that has MNIST/raw/ inside).")
