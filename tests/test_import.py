"""The backend is importable without streamlit (it runs under plain python and in commands)."""

import subprocess
import sys
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]


def test_models_never_imports_streamlit():
    # the cluster backend needs Ray (requirements-dev.txt), which an app-only install lacks
    code = ("import importlib, importlib.util, pkgutil, sys, models\n"
            "optional = () if importlib.util.find_spec('ray') else ('models.runs.cluster',)\n"
            "for m in pkgutil.walk_packages(models.__path__, 'models.'):\n"
            "    if not m.name.endswith('__main__') and not m.name.startswith(optional):\n"
            "        importlib.import_module(m.name)\n"
            "assert 'streamlit' not in sys.modules, 'a models/ module imported streamlit'\n")
    proc = subprocess.run([sys.executable, "-c", code], cwd=REPO, capture_output=True, text=True, timeout=300)
    assert proc.returncode == 0, proc.stderr[-3000:]
