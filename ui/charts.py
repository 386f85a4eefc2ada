"""Every chart with a text alternative and its data: draw Plotly figures with :func:`show`.

Screen readers cannot read a Plotly chart (an SVG without a name). :func:`show` draws the chart and, right
after it, its summary as visually hidden text (read aloud, not shown; :func:`models.figure_text.summary`,
built from the figure itself). :func:`footer` (app.py draws it under every page) offers the data of all
the page's charts as CSV files in one zip.
"""

from __future__ import annotations

import html
import io
import re
import threading
import weakref
import zipfile
from collections import OrderedDict

import streamlit as st

from models.figure_text import summary, to_csv

_REGISTRY = "_genlab_charts"


def reset() -> None:
    """Forget the last run's charts (app.py calls it before the page runs)."""
    st.session_state[_REGISTRY] = {}


_SUMMARIES: OrderedDict[int, tuple[weakref.ref, str]] = OrderedDict()
_SUMMARIES_LOCK = threading.Lock()


def _summary(fig) -> str:
    """:func:`models.figure_text.summary`, once per figure object: a shared run's figures are built once per
    snapshot for every session watching (:func:`ui.live.figure`), and so are their summaries."""
    with _SUMMARIES_LOCK:
        hit = _SUMMARIES.get(id(fig))
        if hit is not None and hit[0]() is fig:
            return hit[1]
    text = summary(fig)
    try:
        ref = weakref.ref(fig)
    except TypeError:  # not weakly referenceable: not cached
        return text
    with _SUMMARIES_LOCK:
        _SUMMARIES[id(fig)] = (ref, text)
        while len(_SUMMARIES) > 64:
            _SUMMARIES.popitem(last=False)
    return text


def show(where, fig, **kwargs):
    """``where.plotly_chart(fig, **kwargs)`` (``where``: ``st`` or a container), then the chart's summary as
    hidden text; returns what ``plotly_chart`` returns (selection events)."""
    out = where.plotly_chart(fig, **kwargs)
    describe(where, fig, key=kwargs.get("key"))
    return out


def describe(where, fig, key: str | None = None) -> None:
    """The chart's summary as hidden text in ``where``, and its data in the page's download (:func:`footer`):
    what :func:`show` adds to a Plotly chart, for a chart drawn otherwise (:mod:`ui.scene3d`)."""
    text = _summary(fig)
    where.html(f'<p class="genlab-sr-only">{html.escape(text)}</p>')
    charts = st.session_state.setdefault(_REGISTRY, {})
    charts[key or text[:80]] = fig


def _zip(figs: dict) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", zipfile.ZIP_DEFLATED) as z:
        for i, (key, fig) in enumerate(figs.items(), 1):
            name = re.sub(r"[^A-Za-z0-9_-]+", "_", str(key)).strip("_")[:60] or f"chart_{i}"
            z.writestr(f"{i:02d}_{name}.csv", to_csv(fig))
            z.writestr(f"{i:02d}_{name}.txt", summary(fig) + "\n")
    return buf.getvalue()


def footer(page: str) -> None:
    """A download of the data behind every chart the page drew (built only when clicked)."""
    figs = dict(st.session_state.get(_REGISTRY, {}))
    if not figs:
        return
    st.divider()
    st.download_button(f"The data of this page's {len(figs)} chart{'s' if len(figs) > 1 else ''} (CSV and a text "
                       "summary of each, in a zip)", lambda: _zip(figs), f"genlab-{page or 'home'}-charts.zip",
                       "application/zip", icon=":material/table_view:", on_click="ignore", key="chart_data")
