"""'Show the code': the backend functions a page just ran, as source, so students read the real thing."""

from __future__ import annotations

import functools
import inspect

import streamlit as st


@functools.lru_cache(maxsize=512)
def _source(obj) -> tuple[str, str] | None:
    """(module.qualname, source) of a function or class, read from its file once per server."""
    try:
        return f"{obj.__module__}.{obj.__qualname__}", inspect.getsource(obj)
    except (TypeError, OSError):
        return None


def show_code(*objects, label: str = "Show the code") -> None:
    """An expander with the source of each function or class (its module path as the caption)."""
    with st.expander(label, icon=":material/code:"):
        for obj in objects:
            found = _source(obj)
            if found is None:
                continue
            st.caption(found[0])
            st.code(found[1], language="python")
