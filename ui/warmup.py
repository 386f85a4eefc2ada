"""Load PyTorch and the backend in a background thread, so the home page shows before they are in memory.

Importing torch takes a few seconds on a laptop CPU. The home page needs none of it, so the router starts
the import in the background right after the first page has been drawn (earlier, the import would hold
Python's GIL while the page script runs); a page that needs the backend simply waits on Python's import
lock for whatever is left.
"""

from __future__ import annotations

import importlib
import sys
import threading

import streamlit as st

MODULES = ("torch", "models.device", "models.data.images", "models.checkpoints")
# then, not waited for by ready(): scikit-learn (scipy and pandas come with it), which the digits loader and
# the 2-D views of codes import; 1.5-3 s of a student's first visit to an image page otherwise
LATER = ("sklearn.datasets", "sklearn.model_selection", "sklearn.decomposition")

_FAILED: list[BaseException] = []
_BACKEND = threading.Event()


def _load() -> None:
    try:
        for name in MODULES:
            importlib.import_module(name)
    except Exception as exc:  # noqa: BLE001 - the page that needs the module will raise it visibly
        _FAILED.append(exc)
    _BACKEND.set()
    for name in LATER:
        try:
            importlib.import_module(name)
        except Exception:  # noqa: BLE001 - optional warm-up; the page that imports it reports the error
            pass


@st.cache_resource(show_spinner=False)
def _thread() -> threading.Thread:
    """One warm-up thread per server process."""
    thread = threading.Thread(target=_load, name="genlab-warmup", daemon=True)
    thread.start()
    return thread


def start() -> None:
    """Begin loading the backend (once per process; later calls do nothing)."""
    _thread()


def ready() -> bool:
    """True once the backend modules are imported (by the warm-up thread or by a page), or the import failed
    (then whatever needs the backend shows the error instead of waiting for ever)."""
    if _FAILED or _BACKEND.is_set():
        return True
    return all(name in sys.modules for name in MODULES) and not any(
        t.name == "genlab-warmup" and t.is_alive() for t in threading.enumerate())
