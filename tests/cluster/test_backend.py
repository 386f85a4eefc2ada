"""Which backend the app trains on: threads unless a cluster is configured, and threads again (with a clear
message) when the configured cluster does not answer. Neither case may import Ray."""

from __future__ import annotations

import os
import subprocess
import sys
from pathlib import Path

from tests.browser.conftest import free_port

REPO = Path(__file__).resolve().parents[2]


def _run(code: str, **env) -> str:
    clean = {k: v for k, v in os.environ.items() if k != "GENLAB_RAY_ADDRESS"}
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, env={**clean, **env}, capture_output=True,
                          text=True, timeout=120)
    assert proc.returncode == 0, proc.stderr[-3000:]
    return proc.stdout + proc.stderr


def test_without_a_cluster_address_the_app_never_imports_ray():
    _run("import sys\n"
         "import ui.launch, ui.live, ui.run_panel\n"
         "from models.runs import backend\n"
         "assert backend.connect_if_configured() is None\n"
         "assert type(backend.pool()).__name__ == 'RunPool' and not backend.uses_cluster()\n"
         "assert 'ray' not in sys.modules, 'the thread backend imported ray'\n")


def test_an_unreachable_cluster_says_so_and_the_app_trains_on_threads():
    out = _run("import sys, time\n"
               "from models.runs import backend\n"
               "t = time.perf_counter()\n"
               "why = backend.connect_if_configured()\n"
               "assert time.perf_counter() - t < 10, 'the launcher waited too long for a missing cluster'\n"
               "assert why and 'Nothing answers at GENLAB_RAY_ADDRESS=' in why and 'threads' in why, why\n"
               "assert backend.fallback_reason() == why\n"
               "assert type(backend.pool()).__name__ == 'RunPool'\n"
               "assert 'ray' not in sys.modules\n",
               GENLAB_RAY_ADDRESS=f"127.0.0.1:{free_port()}")
    assert "GenLab: Nothing answers" in out  # printed for the admin too


def test_a_client_address_is_refused_with_the_native_one_named():
    out = _run("from models.runs import backend\n"
               "print(backend.connect_if_configured())\n", GENLAB_RAY_ADDRESS="ray://127.0.0.1:10001")
    assert "native address" in out


def test_the_launcher_starts_the_server_before_importing_pytorch():
    """Without a cluster, ``python app.py`` hands over to Streamlit without importing the run layer (which
    imports PyTorch): the server listens first and the pages import PyTorch in the background warm-up. When
    the launcher imported it, the cold start went from 2.8 s to 5.2 s (bench.compare)."""
    _run("import sys\n"
         "from streamlit.web import cli\n"
         "seen = {}\n"
         "def fake_main(args, prog_name=None):\n"
         "    seen.update(torch='torch' in sys.modules, ray='ray' in sys.modules, args=args)\n"
         "    raise SystemExit(0)\n"
         "cli.main = fake_main\n"
         "import ui.launch\n"
         "assert ui.launch.main(['--server.port', '1']) == 0\n"
         "assert seen['args'][0] == 'run', seen\n"
         "assert not seen['torch'], 'the launcher imported PyTorch before the server started'\n"
         "assert not seen['ray']\n",
         GENLAB_PREWARM="0")
