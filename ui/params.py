"""URL parameters for deep links: bad values are clamped or ignored, and the user is told.

Streamlit's ``bind="query-params"`` silently drops a value it cannot use. Lecturers paste links into
slides, so GenLab says what it did instead. Call one of these *before* creating the widget and pass the
returned keyword arguments to it::

    k = st.slider("Code size k", 1, 64, key="k", bind="query-params", **int_param("k", 1, 64, 2))
"""

from __future__ import annotations

import math
from typing import Sequence

import streamlit as st

from ui.text import literal


def _raw(key: str) -> str | None:
    values = st.query_params.get_all(key)
    return values[-1] if values else None


def _notice(text: str) -> None:
    st.warning(text, icon=":material/link_off:")


def _value_kwargs(key: str, default, fixed) -> dict:
    """Set the fixed value through session state (then the widget takes no ``value``)."""
    if fixed is not None and key not in st.session_state:
        st.session_state[key] = fixed
        return {}
    return {} if key in st.session_state else {"value": default}


def int_param(key: str, lo: int, hi: int, default: int) -> dict:
    """Validate ``?key=`` as an integer in [lo, hi]; out of range is clamped, not a number is ignored."""
    raw, fixed = _raw(key), None
    if raw is not None:
        try:
            value = int(float(raw))
            if not float(raw).is_integer():
                raise ValueError
        except (ValueError, OverflowError):
            _notice(f"URL parameter {key}={literal(raw)} is not a whole number; using {default}.")
            fixed = default
        else:
            if not lo <= value <= hi:
                fixed = min(max(value, lo), hi)
                _notice(f"URL parameter {key}={value} is outside [{lo}, {hi}]; clamped to {fixed}.")
    return _value_kwargs(key, default, fixed)


def float_param(key: str, lo: float, hi: float, default: float) -> dict:
    """Validate ``?key=`` as a finite number in [lo, hi]."""
    raw, fixed = _raw(key), None
    if raw is not None:
        try:
            value = float(raw)
            if not math.isfinite(value):
                raise ValueError
        except ValueError:
            _notice(f"URL parameter {key}={literal(raw)} is not a number; using {default}.")
            fixed = default
        else:
            if not lo <= value <= hi:
                fixed = min(max(value, lo), hi)
                _notice(f"URL parameter {key}={value:g} is outside [{lo:g}, {hi:g}]; clamped to {fixed:g}.")
    return _value_kwargs(key, default, fixed)


def choice_param(key: str, options: Sequence, default, format_func=str) -> dict:
    """Validate ``?key=`` as one of ``options``; keyword args for selectbox/radio.

    A bound selectbox puts the *displayed* label in the URL, so pass the widget's ``format_func`` too
    (better: use short option values and no ``format_func``, for readable links).
    """
    raw = _raw(key)
    names = [str(format_func(o)) for o in options]
    if raw is not None and raw not in names:
        shown = ", ".join(names[:12])
        _notice(f"URL parameter {key}={literal(raw)} is not one of: {shown}; using {default}.")
        if key not in st.session_state:
            st.session_state[key] = default
        return {}
    return {} if key in st.session_state else {"index": list(options).index(default)}


def slider_choice_param(key: str, options: Sequence, default) -> dict:
    """:func:`choice_param` for a ``select_slider``, which takes its default as ``value=``, not ``index=``."""
    kwargs = choice_param(key, options, default)
    return {"value": list(options)[kwargs["index"]]} if "index" in kwargs else kwargs
