"""Cached access to datasets and devices for the pages, with teaching error messages."""

from __future__ import annotations

import streamlit as st

from models.data import DatasetUnavailable, ImageData, LABELS, download, download_allowed, load_images, needs_download
from models.device import DeviceUnavailable, pick_device


@st.cache_resource(show_spinner=False)
def _images(name: str, split: str, holdout: str) -> ImageData:
    return load_images(name, split, holdout=holdout)


def _download_with_progress(name: str) -> None:
    """First use of MNIST or Fashion-MNIST: fetch its four files with a progress bar (about 30 MB)."""
    bar = st.progress(0.0, text=f"Downloading {LABELS.get(name, name)} (about 30 MB, once)...")

    def on_file(done: int, total: int, file_name: str) -> None:
        bar.progress(done / total, text=f"Downloading {LABELS.get(name, name)}: {file_name} ({done + 1} of {total})"
                     if file_name else "Downloaded.")

    try:
        download(name, on_file=on_file)
    finally:
        bar.empty()


def images(name: str, split: str = "train", holdout: str = "tail") -> ImageData | None:
    """The dataset split, or ``None`` after showing why it is unavailable (the page keeps working).

    ``holdout``: the held-out scheme of the page's shipped models (``models.data.images.held_out_index``)."""
    try:
        if needs_download(name) and download_allowed(name):
            _download_with_progress(name)
        with st.spinner(f"Loading {LABELS.get(name, name)} ({split})..."):
            data = _images(name, split, holdout)
    except DatasetUnavailable as exc:
        st.error(str(exc), icon=":material/cloud_off:")
        return None
    if data.note:
        st.caption(f":material/info: {data.note}")
    return data


def images_or_stop(name: str, split: str = "train", holdout: str = "tail") -> ImageData:
    """Like :func:`images` but ends this page's run (not the app) when the data is missing."""
    data = images(name, split, holdout)
    if data is None:
        st.info("Pick the digits dataset in the sidebar: it is bundled and always works offline.")
        st.stop()
    return data


@st.cache_resource(show_spinner=False)
def _device_or_error():
    try:
        return pick_device(), None
    except DeviceUnavailable as exc:
        return pick_device("cpu"), str(exc)


def device():
    """The torch device the app computes on (the CPU, with a warning, when GENLAB_DEVICE is wrong)."""
    dev, problem = _device_or_error()
    if problem:
        st.sidebar.warning(problem + " Using the CPU.")
    return dev


def load_warnings(loaded) -> None:
    """Show what ``load_or_train`` met on the way (a corrupt weights file it retrained, a GPU out of memory)."""
    for w in getattr(loaded, "warnings", None) or []:
        st.warning(w, icon=":material/warning:")
