"""GenLab: the router. Run with ``python app.py`` (``streamlit run app.py`` works too; ui/launch.py says
what the first one adds)."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if __name__ == "__main__" and get_script_run_ctx(suppress_warning=True) is None:  # `python app.py`, not a run
    from ui.launch import main

    raise SystemExit(main())

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
