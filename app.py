"""GenLab: the router. Run with ``streamlit run app.py``."""

import streamlit as st

import models  # noqa: F401 - first, so its OpenMP setting is in place before PyTorch loads
from ui import nav, sidebar, warmup

st.set_page_config(page_title="GenLab", page_icon=":material/science:", layout="wide")

sections: dict[str, list] = {}
for spec in nav.PAGES:
    page = st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                   default=spec.url_path == "home")
    sections.setdefault(spec.section, []).append(page)

current = st.navigation(sections)
sidebar.render(lazy_device=current.url_path in ("", "home"))
current.run()
warmup.start()  # then PyTorch loads in the background (once per server); the home page did not wait for it
