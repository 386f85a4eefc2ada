"""A class on two app replicas behind nginx, training on one Ray cluster (issue 24's acceptance test).

``deploy/cluster.sh`` (what a university's admin runs) starts a Ray head, two replicas (``python app.py`` with
``GENLAB_RAY_ADDRESS``) and nginx on loopback ports. The lecturer starts a shared GAN run from a tab that
nginx sends to replica A, opens the same lecturer link in a second browser that nginx sends to replica B,
watches the run there and pauses it; A sees the pause; a student on B is told who controls the run and
cannot. Then the run's worker process is killed: both tabs say so in plain words and keep the last picture
and step count, and the run continues from its checkpoint. Then replica A is killed: the run trains on and B
stops it. At the end ``cluster.sh stop`` stops every process by its PID.
"""

from __future__ import annotations

import os
import re
import secrets
import shutil
import signal
import subprocess
import sys
import time
import urllib.request
from pathlib import Path

import pytest

from tests.browser.conftest import (assert_no_exception, free_port_outside_ray, free_port_pair_outside_ray,
                                   screenshot)
from tests.browser.test_gan_lab import click, disabled, stable_step, step_of, wait_until

pytestmark = [pytest.mark.browser, pytest.mark.slow]

REPO = Path(__file__).resolve().parents[2]
LOST = "The training process stopped unexpectedly"


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    pytest.importorskip("ray", reason="the cluster backend's test needs `pip install -r requirements-dev.txt`")
    nginx = shutil.which("nginx") or ("/usr/sbin/nginx" if Path("/usr/sbin/nginx").exists() else None)
    if nginx is None:
        pytest.fail("nginx is not installed: `apt-get install -y nginx` (tests/run.sh does this).")
    where = tmp_path_factory.mktemp("cluster")
    ports = [free_port_outside_ray() for _ in range(2)]
    env = {**os.environ, "PYTHON": sys.executable, "RAY": str(Path(sys.executable).parent / "ray"), "NGINX": nginx,
           "GENLAB_DEPLOY_DIR": str(where), "GENLAB_RUNS_DIR": str(where / "runs"), "GENLAB_REPLICAS": "2",
           "GENLAB_RAY_PORT": str(ports[0]), "GENLAB_LISTEN": f"127.0.0.1:{ports[1]}", "GENLAB_RAY_CPUS": "2",
           "GENLAB_LECTURER_TOKEN": secrets.token_urlsafe(16), "GENLAB_PREWARM": "0",
           "STREAMLIT_SERVER_FILE_WATCHER_TYPE": "none", "GENLAB_RAY_DRAIN_S": "3"}
    env["GENLAB_FIRST_PORT"] = str(free_port_pair_outside_ray())
    script = ["bash", str(REPO / "deploy" / "cluster.sh")]
    started = subprocess.run(script + ["start"], env=env, cwd=REPO, capture_output=True, text=True, timeout=240)
    info = {"env": env, "dir": where, "base": f"http://127.0.0.1:{ports[1]}",
            "token": env["GENLAB_LECTURER_TOKEN"], "out": started.stdout}
    pids = [int(p.read_text()) for p in where.glob("*.pid")]
    try:
        assert started.returncode == 0, f"cluster.sh start failed:\n{started.stdout}\n{started.stderr}"
        yield info
    finally:
        stopped = subprocess.run(script + ["stop"], env=env, cwd=REPO, capture_output=True, text=True, timeout=120)
        deadline = time.time() + 10
        while (left := [pid for pid in pids if _alive(pid)]) and time.time() < deadline:
            time.sleep(0.2)
        assert stopped.returncode == 0 and not left, f"still running after stop: {left}\n{stopped.stderr}"


def _alive(pid: int) -> bool:
    """Running, and not a zombie waiting to be reaped."""
    try:
        return Path(f"/proc/{pid}/stat").read_text().rsplit(")", 1)[1].split()[0] != "Z"
    except OSError:
        return False


def _upstream(base: str, cookie: str) -> str:
    request = urllib.request.Request(f"{base}/_stcore/health", headers={"Cookie": f"genlab_replica={cookie}"})
    with urllib.request.urlopen(request, timeout=10) as response:
        return response.headers["X-GenLab-Upstream"]


def _two_replicas(base: str) -> tuple[str, str]:
    """Two cookie values that nginx sends to different replicas (and always to the same one each), in the
    order of the replicas' ports."""
    seen: dict[str, str] = {}
    for i in range(64):
        cookie = f"browser{i}"
        upstream = _upstream(base, cookie)
        assert _upstream(base, cookie) == upstream, "nginx sent one browser to two replicas"
        seen.setdefault(upstream, cookie)
        if len(seen) == 2:
            return tuple(cookie for _, cookie in sorted(seen.items(), key=lambda kv: int(kv[0].rsplit(":", 1)[1])))
    raise AssertionError(f"nginx sent 64 browsers to one replica: {seen}")


def _worker_pid(cluster, key: str) -> int:
    env = {**cluster["env"], "GENLAB_RAY_ADDRESS": f"127.0.0.1:{cluster['env']['GENLAB_RAY_PORT']}",
           "RAY_AUTH_TOKEN": (cluster["dir"] / "ray_token").read_text().strip()}
    out = subprocess.run([sys.executable, "-m", "models.runs.cluster", "pid", key], env=env, cwd=REPO,
                         capture_output=True, text=True, timeout=120)
    assert out.returncode == 0, out.stderr[-2000:]
    return int(out.stdout.strip().splitlines()[-1])


def _context(browser, base: str, cookie: str):
    ctx = browser.new_context(viewport={"width": 1280, "height": 720})
    ctx.set_default_timeout(90_000)
    ctx.add_cookies([{"name": "genlab_replica", "value": cookie, "url": base}])
    return ctx


def test_a_shared_run_across_two_replicas_survives_a_killed_worker(cluster, browser):
    base, token = cluster["base"], cluster["token"]
    cookie_a, cookie_b = _two_replicas(base)
    ctx_a, ctx_b = _context(browser, base, cookie_a), _context(browser, base, cookie_b)
    try:
        a, b = ctx_a.new_page(), ctx_b.new_page()
        link = f"{base}/gan?shared=true&lecturer={token}"
        a.goto(link, wait_until="domcontentloaded")
        a.wait_for_selector('[data-testid="stMetric"]')
        click(a, "Play")  # a fresh cluster: no shared run yet
        # a new worker process starts and imports PyTorch: seconds, or a minute on a loaded 2-core machine
        wait_until(lambda: step_of(a) > 0, timeout=180, what="the shared run to train (seen on replica A)")
        b.goto(link, wait_until="domcontentloaded")  # the lecturer's second browser, on replica B
        b.wait_for_selector('[data-testid="stMetric"]')
        wait_until(lambda: step_of(b) > 0, timeout=60, what="replica B to show the shared run")
        b0 = step_of(b)
        wait_until(lambda: step_of(b) > b0, timeout=60, what="the step count to rise on replica B")
        assert b.get_by_text(re.compile(r"Training on cpu on ")).count() > 0, "the panel does not say where it trains"
        click(b, "Pause")  # from replica B
        wait_until(lambda: stable_step(a) == stable_step(b) > 0, timeout=60, what="both replicas to show the pause")
        paused_at = step_of(a)
        wait_until(lambda: a.get_by_role("button", name=re.compile(r"^\W*Resume$")).count() > 0, timeout=30,
                   what="Resume on replica A")

        # a student on replica B (no lecturer link) watches, is told who controls the run, and cannot
        student = _context(browser, base, cookie_b).new_page()
        student.goto(f"{base}/gan?shared=true", wait_until="domcontentloaded")
        wait_until(lambda: step_of(student) == paused_at, timeout=60, what="the student to see the paused run")
        wait_until(lambda: student.get_by_text("Controlled by the lecturer's browser").count() > 0, timeout=30,
                   what="the student's page to say who controls the run")
        for name in ("Resume", "Stop", "Step", "New run"):
            assert disabled(student, name), f"the student's {name} button is enabled"
        student.context.close()

        os.kill(_worker_pid(cluster, "gan/shared"), signal.SIGKILL)
        for name, pg in (("A", a), ("B", b)):
            wait_until(lambda pg=pg: pg.get_by_text(LOST).count() > 0, timeout=60,
                       what=f"the stopped-unexpectedly message on replica {name}")
            assert step_of(pg) == paused_at, f"replica {name} lost the step count"
            assert pg.locator('[data-testid="stPlotlyChart"]').count() > 0, f"replica {name} lost the picture"
            assert_no_exception(pg)
        b.get_by_text(LOST).first.scroll_into_view_if_needed()
        screenshot(b, "cluster_worker_killed_b")

        cont = a.get_by_role("button", name=re.compile(r"^\W*Continue from step [\d,]+$"))
        wait_until(lambda: cont.count() > 0, timeout=30, what="Continue from step N on replica A")
        saved = int(re.search(r"[\d,]+$", cont.first.inner_text().strip()).group().replace(",", ""))
        assert 0 < saved <= paused_at
        cont.first.click()
        # a new worker starts (the page shows step 0 while it sets up), then publishes the checkpoint's step
        wait_until(lambda: a.get_by_text(LOST).count() == 0 and step_of(a) > 0, timeout=90,
                   what="the resumed run on replica A")
        assert step_of(a) >= saved, f"the run started over (step {step_of(a)}) instead of continuing from {saved}"
        wait_until(lambda: step_of(a) > paused_at, timeout=90, what="the resumed run to train on")
        wait_until(lambda: b.get_by_text(LOST).count() == 0 and step_of(b) > paused_at, timeout=60,
                   what="replica B to follow the resumed run")

        # replica A crashes: the shared run (a detached actor) trains on, watched and controlled from B
        os.kill(int((cluster["dir"] / "app-0.pid").read_text()), signal.SIGKILL)
        b1 = step_of(b)
        wait_until(lambda: step_of(b) > b1 + 20, timeout=60, what="the run to train on after replica A died")
        click(b, "Stop")
        wait_until(lambda: b.get_by_text(re.compile(r"Stopped after [\d,]+ steps")).count() > 0,
                   timeout=60, what="the stopped message on replica B")
        assert_no_exception(b)
    except Exception:
        for name, ctx in (("a", ctx_a), ("b", ctx_b)):
            for i, pg in enumerate(ctx.pages):
                screenshot(pg, f"cluster_failed_{name}{i}")  # what each browser showed when the test failed
        raise
    finally:
        ctx_a.close()
        ctx_b.close()
