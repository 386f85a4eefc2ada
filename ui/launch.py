"""``python app.py``: start Streamlit's server on ``app.py``, as ``streamlit run app.py`` does, with one
setting made before the server starts so that the first visitor's deep link opens cleanly.

Why it is needed: Streamlit decides once per server process, when the first browser session connects,
whether the app is an old-style multipage app, by looking for a folder named ``pages/`` beside the main
script (``PagesManager.uses_pages_directory``). GenLab keeps its page scripts in ``pages/`` (one folder per
subject) and routes with ``st.navigation`` in ``app.py``, which resets that flag, but only during the first
session's first run, after Streamlit has looked the requested URL up among ``pages/*.py`` (there are none)
and sent a "Page not found" dialog. So the first person to open a deep link after a server start (a lecturer
clicking ``/gan?loss=wgan-gp`` on a slide) saw that dialog over the right page (streamlit/streamlit#9992).
Setting the flag before the server starts, in the same process, avoids it; ``streamlit run app.py`` still
works, with the dialog on that first deep link.
"""

from __future__ import annotations

import sys
from pathlib import Path

APP = Path(__file__).resolve().parents[1] / "app.py"


def main(argv: list[str] | None = None) -> int:
    """Run ``streamlit run app.py [options]`` in this process, routing by ``st.navigation`` from the start.

    Args:
        argv: Streamlit options (``--server.port 8502``, ``--server.address 0.0.0.0``); default sys.argv[1:].
    Returns:
        the exit status of Streamlit's command line.
    """
    from streamlit.runtime.pages_manager import PagesManager
    from streamlit.web import cli

    from models.data.default import start_probe
    from models.runs.cluster.connect import address
    from ui import prewarm

    PagesManager.uses_pages_directory = False  # what app.py's st.navigation would set in the first run
    # GENLAB_RAY_ADDRESS: join the cluster here, in the main thread (ray.init installs its SIGTERM handler
    # only there); unset, nothing more is imported: the run layer imports PyTorch (1.8 s here), which the
    # server would wait for before it listens (bench.compare: cold start 2.8 s -> 5.2 s when it did).
    # A cluster that does not answer leaves the app on threads.
    if address() is not None:
        from models.runs import backend

        backend.connect_if_configured()
    start_probe()  # is MNIST downloadable? answered before the first visitor's sidebar asks (the default dataset)
    prewarm.start()  # once the server answers: run every page once, so a lecturer's first click is warm
    args = sys.argv[1:] if argv is None else argv
    try:
        cli.main(["run", str(APP), *args], prog_name="streamlit")
    except SystemExit as done:  # click ends every command with SystemExit
        return done.code if isinstance(done.code, int) else (0 if done.code is None else 1)
    return 0
