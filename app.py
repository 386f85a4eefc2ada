"""GenLab: the router. Run with ``python app.py`` (``streamlit run app.py`` works too; ui/launch.py says
what the first one adds)."""

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

if __name__ == "__main__" and get_script_run_ctx(suppress_warning=True) is None:  # `python app.py`, not a run
    from ui.launch import main

    raise SystemExit(main())

import models  # noqa: F401 - first, so its OpenMP setting is in place before PyTorch loads
from ui import charts, nav, sidebar, style, warmup

# a projector link (?present=1, ui/sidebar.py) opens with the sidebar folded: the slides need the width
PRESENTING = st.query_params.get("present") in ("1", "true", "True", "yes", "on")
st.set_page_config(page_title="GenLab", page_icon=":material/science:", layout="wide",
                   initial_sidebar_state="collapsed" if PRESENTING else "auto")

# One flat list, not sections: Streamlit 1.67 draws a sectioned sidebar navigation as a <ul> whose children
# are <div>s, which screen readers cannot announce as a list (axe-core rules list and listitem, WCAG 1.3.1);
# a flat list is valid markup. The home page groups the pages by section.
pages = [st.Page(spec.path, title=spec.title, icon=spec.icon, url_path=spec.url_path,
                 default=spec.url_path == "home") for spec in nav.PAGES]
current = st.navigation(pages)
style.apply()
sidebar.render(lazy_device=current.url_path in ("", "home"))
charts.reset()
current.run()
charts.footer(current.url_path)  # the data of every chart the page drew, as CSV
warmup.start()  # then PyTorch loads in the background (once per server); the home page did not wait for it
