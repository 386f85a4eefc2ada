"""'Show the code': the backend functions a page just ran, as source, so students read the real thing."""

from __future__ import annotations

import inspect

import streamlit as st


def show_code(*objects, label: str = "Show the code") -> None:
    """An expander with the source of each function or class (its module path as the caption)."""
    with st.expander(label, icon=":material/code:"):
        for obj in objects:
            try:
                source = inspect.getsource(obj)
                where = f"{obj.__module__}.{obj.__qualname__}"
            except (TypeError, OSError):
                continue
            st.caption(where)
            st.code(source, language="python")
