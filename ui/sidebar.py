"""The sidebar every page shares: device in use, dataset, seed."""

from __future__ import annotations

import streamlit as st

from models.data.default import default_dataset, offline_notice
from models.data.names import IMAGE_DATASETS
from models.seed import MAX_SEED

from . import params, style, warmup


def _device_line() -> None:
    from models.device import describe_device

    from . import data

    st.caption(f":material/memory: Computing on **{describe_device(data.device())}**")


@st.fragment(run_every=0.5)
def _device_when_ready() -> None:
    """While PyTorch loads in the background: a placeholder, then one rerun of the page to show the device."""
    if warmup.ready():
        st.rerun(scope="app")
    st.caption(":material/hourglass_top: Loading PyTorch in the background...")


def render(lazy_device: bool = False) -> None:
    """Draw the shared sidebar. Pages read ``st.session_state["dataset"]`` and ``["seed"]``.

    Args:
        lazy_device: do not wait for PyTorch to name the device (the home page, which needs no model).
    """
    with st.sidebar:
        if lazy_device and not warmup.ready():
            _device_when_ready()
        else:
            _device_line()
        default = default_dataset()
        choice = st.selectbox(
            "Dataset", IMAGE_DATASETS, key="dataset", bind="query-params",
            help="Image pages use this dataset: digits (scikit-learn 8x8), mnist, fashion (Fashion-MNIST). The "
                 "app opens on MNIST (the shipped models' data) when it is on disk or can be downloaded. Digits is "
                 "bundled and works offline; MNIST and Fashion-MNIST download once (about 30 MB each) into "
                 "GENLAB_DATA_DIR.",
            **params.choice_param("dataset", IMAGE_DATASETS, default))
        if default == "digits" and choice == "digits":
            st.caption(f":material/info: {offline_notice()}")
        st.number_input("Seed", 0, MAX_SEED, step=1, key="seed", bind="query-params",
                        help="Fixes every random choice of a run: same seed, same result.",
                        **params.int_param("seed", 0, MAX_SEED, 0))
        if projector_mode():
            style.projector()


def projector_mode() -> bool:
    """The sidebar's projector toggle (``?present=1`` turns it on; it stays on from page to page)."""
    if st.query_params.get("present") in ("1", "yes", "on") and "present" not in st.session_state:
        st.session_state["present"] = True  # a bound toggle reads only "true" from the URL
    return st.toggle("Projector mode", key="present", bind="query-params",
                     help="Larger type, black captions and thicker chart lines, for a lecture-hall projector "
                          "(1280x720). Link to a page with ?present=1 to open it this way.")


def dataset() -> str:
    return st.session_state.get("dataset") or default_dataset()


def seed() -> int:
    return int(st.session_state.get("seed", 0))
