"""Shared test set-up: an isolated cache, the real MNIST test split, and AppTest with full errors.

Real-data tests read MNIST from ``GENLAB_DATA_DIR``. When that variable is set (CI sets it to
``../shared/data``) and the files are missing, the whole run fails at once: it never skips.
"""

from __future__ import annotations

import os
import tempfile
from pathlib import Path

import pytest

os.environ.setdefault("STREAMLIT_CLIENT_SHOW_ERROR_DETAILS", "full")
os.environ.setdefault("STREAMLIT_SERVER_FILE_WATCHER_TYPE", "none")
os.environ.setdefault("STREAMLIT_BROWSER_GATHER_USAGE_STATS", "false")
# The offline-behaviour tests need Fashion-MNIST to be unavailable, online or not (MNIST may still download
# when GENLAB_DATA_DIR is unset).
os.environ.setdefault("GENLAB_NO_DOWNLOAD", "fashion")
# live runs checkpoint here, not into the user's ~/.cache/genlab/runs (servers the tests start inherit it);
# one folder per test process: two pytest-xdist workers run AppTests under the same session id, so the same
# run keys, and must not continue each other's checkpoints
os.environ["GENLAB_RUNS_DIR"] = tempfile.mkdtemp(prefix="genlab-runs-")

REPO = Path(__file__).resolve().parents[1]
MNIST_TEST_FILES = ("t10k-images-idx3-ubyte", "t10k-labels-idx1-ubyte")


_OWN_CACHE: list[str] = []  # the cache folder this run made (removed at the end; a user's own is kept)


def pytest_configure(config):
    if not os.environ.get("GENLAB_CACHE_DIR"):
        import tempfile

        os.environ["GENLAB_CACHE_DIR"] = tempfile.mkdtemp(prefix="genlab-test-cache-")
        _OWN_CACHE.append(os.environ["GENLAB_CACHE_DIR"])
    data = os.environ.get("GENLAB_DATA_DIR")
    if data:
        raw = Path(data).expanduser() / "MNIST" / "raw"
        missing = [f for f in MNIST_TEST_FILES
                   if not (raw / f).is_file() and not (raw / (f + ".gz")).is_file()]
        if missing:
            pytest.exit(f"GENLAB_DATA_DIR={data} has no MNIST test split: {', '.join(missing)} missing "
                        f"in {raw}. Real-data tests cannot run; put the files there or unset "
                        f"GENLAB_DATA_DIR to let torchvision download them.", returncode=1)


def pytest_unconfigure(config):
    import shutil

    for folder in _OWN_CACHE:
        shutil.rmtree(folder, ignore_errors=True)


@pytest.fixture(scope="session")
def mnist_test():
    """The held-out part of the real MNIST test split (its last 2,000 images: the shipped weights trained on
    the first 8,000), as ``ImageData``."""
    from models.data import load_images

    return load_images("mnist", "test")


@pytest.fixture
def app_test():
    """Factory for AppTest on app.py with clean Streamlit caches; usage: ``at = app_test("ddpm")``."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from models import checkpoints

    def make(url_path: str | None = None, timeout: float = 60, **query) -> AppTest:
        st.cache_resource.clear()
        st.cache_data.clear()
        checkpoints.forget()  # every AppTest starts as a fresh server: weights come from disk again
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=timeout)
        for k, v in query.items():
            at.query_params[k] = str(v)
        at.run()
        if url_path and url_path != "home":
            from ui.nav import PAGES

            spec = next(p for p in PAGES if p.url_path == url_path)
            at.switch_page(spec.path)
            at.run()
        return at

    yield make
    st.cache_resource.clear()
