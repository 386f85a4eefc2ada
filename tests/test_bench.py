"""The benchmark's smoke run (``python -m bench --quick``) in CI: every area runs and produces its rows.

No timing is asserted here (speed is measured by the benchmark, not by tests). What is asserted is what
must hold at any speed: no area fails, the hostile-input sweep meets no unhandled exception, and the
load test is listed (the quick run skips it: the six-session load test runs in CI as
``tests/browser/test_load.py``).
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parents[1]
AREAS = {"a11y", "app", "cluster", "denoise", "diffusion", "fid", "flow", "gan", "gendisc", "gpu", "hostile", "latent", "latent_pad", "load", "pca_ae",
         "prdc", "zoo"}

pytestmark = [pytest.mark.slow, pytest.mark.browser]


@pytest.fixture(scope="module")
def quick_run(tmp_path_factory):
    out = tmp_path_factory.mktemp("bench") / "bench.json"
    proc = subprocess.run([sys.executable, "-m", "bench", "--quick", "--json", str(out)], cwd=REPO,
                          capture_output=True, text=True, timeout=900, env={**os.environ})
    return proc, (json.loads(out.read_text()) if out.is_file() else None)


def test_every_area_runs_and_prints_its_table(quick_run):
    proc, result = quick_run
    assert proc.returncode == 0, proc.stderr[-3000:]
    assert result is not None and result["quick"] is True
    rows = result["rows"]
    assert {r["area"] for r in rows} == AREAS
    failed = [r for r in rows if r["measure"] == "(failed)"]
    assert not failed, failed
    assert "| area | measure | value |" in proc.stdout


def test_hostile_sweep_meets_no_unhandled_exception(quick_run):
    _, result = quick_run
    rows = {r["measure"]: r for r in result["rows"] if r["area"] == "hostile"}
    assert rows["inputs tried on every upload path"]["value"] >= 150
    assert rows["unhandled exceptions"]["value"] == 0, rows["unhandled exceptions"]["note"]


def test_quick_run_says_where_the_load_test_runs(quick_run):
    _, result = quick_run
    (load,) = [r for r in result["rows"] if r["area"] == "load"]
    assert load["value"] is None and "tests/browser/test_load.py" in load["note"]
