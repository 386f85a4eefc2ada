"""A page's sections as lazy tabs: only the open tab runs and is drawn.

Streamlit draws every tab's content on every run unless the tabs are stateful (``on_change="rerun"``). A
page with several tabs of charts paid for all of them on each visit (the FID page's eight tabs made its
first visit the slowest of the app), so the pages with heavy tabs open one at a time. The open tab is bound
to the URL (``?section=Curved+data``); a link that sets a tab's own parameter (``?k=5``) opens that tab.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from ui import params

KEY = "section"


def lazy_tabs(sections: dict[str, Callable[[], None]], keep: tuple[str, ...] = (),
              own_params: dict[str, tuple[str, ...]] | None = None) -> None:
    """Draw ``sections`` (tab label -> function drawing it) as tabs, running only the open one.

    Args:
        keep: widget keys of the tabs' inputs; Streamlit forgets a widget's value (and its URL parameter) on a
            run that does not draw it, so they are kept while another tab is open.
        own_params: tab label -> URL parameters that belong to it; a link with one of them and no
            ``?section=`` opens that tab.
    """
    for key in keep:
        if key in st.session_state:
            st.session_state[key] = st.session_state[key]
    opened_by_link = next((tab for tab, keys in (own_params or {}).items()
                           if any(k in st.query_params for k in keys)), None)
    if opened_by_link and KEY not in st.query_params and KEY not in st.session_state:
        st.session_state[KEY] = opened_by_link  # state, not ``default=``: a changed default is a new widget
    labels = list(sections)
    params.choice_param(KEY, labels, labels[0])  # a notice for a bad ?section=
    for tab, draw in zip(st.tabs(labels, key=KEY, on_change="rerun", bind="query-params"), sections.values()):
        if tab.open:
            with tab:
                draw()
