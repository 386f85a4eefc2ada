"""What the Ray backend costs (issue 24): the cluster's start, a run's first step on it against a thread's,
a snapshot's round trip to the run's actor (what every replica pays per poll), and the toy GAN's training
speed in an actor against a thread. An embedded cluster (``GENLAB_RAY_ADDRESS=local``) on this machine's
cores; each round starts and ends its own.

Then, when the area is named (``python -m bench --only cluster``, about 5 minutes: a full run of every area
would pass its 10-minute budget), a class: ``bench.load``'s protocol sessions (GAN trainings, readers, latent sliders) on
one replica with threads (the bench's own server) and on two replicas behind nginx training on Ray
(``deploy/cluster.sh``, what an admin runs), for 30 and 60 sessions, side by side. On this machine both
set-ups share the same two cores, so this measures what the replicas and Ray cost, not what more machines buy.

Skipped (one row saying so) when Ray is not installed: it is in requirements-dev.txt, not requirements.txt.
"""

from __future__ import annotations

import os
import tempfile
import time

from .stats import RUN, first_round, per_round, percentile, percentile_note, row, summary

AREA = "cluster"
CLASSES = (30, 60)
SETTLE_S = 45.0  # after cluster.sh start: the replicas' background warm-up (every page once) finishes


def _class_on(base: str, n: int) -> dict:
    from .load import run_ws_load

    return run_ws_load(base, n, moves_per_session=6, trainers_every=4)


def _class_rows() -> list[dict]:
    """The bench's class on one threads replica, then on two Ray replicas behind nginx."""
    import shutil
    import subprocess
    import sys
    from pathlib import Path

    from tests.browser.conftest import free_port_outside_ray, free_port_pair_outside_ray

    from .app import shared_server

    repo = Path(__file__).resolve().parents[1]
    threads = {n: _class_on(shared_server(), n) for n in CLASSES}
    nginx = shutil.which("nginx") or "/usr/sbin/nginx"
    with tempfile.TemporaryDirectory() as where:
        listen = free_port_outside_ray()
        env = {**os.environ, "PYTHON": sys.executable, "RAY": str(Path(sys.executable).parent / "ray"),
               "NGINX": nginx, "GENLAB_DEPLOY_DIR": where, "GENLAB_REPLICAS": "2", "GENLAB_RAY_CPUS": "2",
               "GENLAB_RAY_PORT": str(free_port_outside_ray()), "GENLAB_LISTEN": f"127.0.0.1:{listen}",
               "GENLAB_FIRST_PORT": str(free_port_pair_outside_ray()), "GENLAB_RAY_DRAIN_S": "3"}
        script = ["bash", str(repo / "deploy" / "cluster.sh")]
        t0 = time.perf_counter()
        started = subprocess.run(script + ["start"], env=env, cwd=repo, capture_output=True, text=True, timeout=300)
        up_s = time.perf_counter() - t0
        try:
            if started.returncode != 0:
                return [row(AREA, "(failed) class on two Ray replicas", None, "",
                            note=(started.stderr or started.stdout)[-300:])]
            time.sleep(SETTLE_S)
            on_ray = {n: _class_on(f"http://127.0.0.1:{listen}", n) for n in CLASSES}
        finally:
            subprocess.run(script + ["stop"], env=env, cwd=repo, capture_output=True, text=True, timeout=180)
    out = [row(AREA, "deploy/cluster.sh start: Ray head, 2 replicas, nginx healthy", round(up_s, 1), "s")]
    for n in CLASSES:
        a, b = threads[n], on_ray[n]
        for q in ("p50", "p95"):
            out.append(row(AREA, f"class of {n}: slider -> new image {q}, two replicas on Ray", b[q], "s",
                           anchor="one replica, threads", anchor_value=a[q],
                           ratio=(b[q] / a[q]) if a[q] and b[q] else None,
                           note=f"{b['moves']} moves (threads: {a['moves']}); protocol sessions (bench/load.py)"))
        out.append(row(AREA, f"class of {n}: sessions held / errors, two replicas on Ray", float(len(b["errors"])),
                       "errors", anchor="one replica, threads", anchor_value=float(len(a["errors"])),
                       note=f"held {b['held']} of {n} (threads: {a['held']}); {b['trainers']} GAN runs started "
                            f"(threads: {a['trainers']}); " + ("; ".join(b["errors"][:2]) or "no errors")))
        ra, rb = a.get("train_steps_per_s"), b.get("train_steps_per_s")
        out.append(row(AREA, f"class of {n}: GAN training, all runs together, two replicas on Ray",
                       round(rb, 1) if rb else None, "steps/s", anchor="one replica, threads",
                       anchor_value=round(ra, 1) if ra else None, ratio=(rb / ra) if ra and rb else None,
                       note=f"{b['trainers']} runs started (threads: {a['trainers']}), at most the pool's cap "
                            "training at once, the rest queued; the Step shown on each training tab over the "
                            "seconds since Play"))
    return out


def _first_step(submit) -> tuple[float, float]:
    """(seconds from submit to the first published step, steps/s over the next 3 s) of one run."""
    t0 = time.perf_counter()
    run = submit()
    while run.snapshot().steps < 1:
        time.sleep(0.005)
    first = time.perf_counter() - t0
    a = run.snapshot()
    time.sleep(3.0)
    b = run.snapshot()
    run.stop()
    run.join(30)
    return first, (b.steps - a.steps) / max(1e-9, b.elapsed_s - a.elapsed_s)


def rows(quick: bool) -> list[dict]:
    try:
        import ray  # noqa: F401
    except ImportError:
        return [row(AREA, "(skipped: Ray is not installed; pip install -r requirements-dev.txt)", None, "")]
    from models.gan.config import ToyConfig
    from models.gan.toy_trainer import toy_job
    from models.runs.cluster.connect import connect
    from models.runs.pool import RunPool

    reps = per_round(2, quick)
    job = toy_job(ToyConfig())
    before = os.environ.get("GENLAB_RUNS_DIR")
    with tempfile.TemporaryDirectory() as root:
        os.environ["GENLAB_RUNS_DIR"] = root  # (the workers inherit it) checkpoints stay in this folder
        t_start = connect("local")
        try:
            from models.runs.cluster.pool import RayPool

            pool, local = RayPool(max_running=2, max_queued=2), RunPool(2, 2)
            ray_first, ray_speed, thread_first, thread_speed = [], [], [], []
            for i in range(reps):  # alternate the two, so both see the same drift in load
                f, s = _first_step(lambda: pool.submit(f"bench/ray{i}", job, checkpoint_root=root))
                ray_first.append(f)
                ray_speed.append(s)
                f, s = _first_step(lambda: local.submit(f"bench/thread{i}", job, checkpoint_root=root))
                thread_first.append(f)
                thread_speed.append(s)
            # a snapshot's round trip to a training run's actor (the record a replica's proxy polls)
            run = pool.submit("bench/poll", job, checkpoint_root=root)
            while run.snapshot().steps < 1:
                time.sleep(0.01)
            handle = ray.get_actor(run.name, namespace="genlab")
            trips = []
            for _ in range(20 if quick else 200):
                t0 = time.perf_counter()
                ray.get(handle.record.remote(), timeout=10)
                trips.append(time.perf_counter() - t0)
                time.sleep(0.02)
            run.stop()
            run.join(30)
        finally:
            ray.shutdown()
            if before is None:  # the areas after this one use the app's own runs folder again
                os.environ.pop("GENLAB_RUNS_DIR", None)
            else:
                os.environ["GENLAB_RUNS_DIR"] = before
    rf, rf_note = summary(ray_first)
    tf, tf_note = summary(thread_first)
    rs, rs_note = summary(ray_speed)
    ts, ts_note = summary(thread_speed)
    ms = [t * 1e3 for t in trips]
    classes = _class_rows() if not quick and first_round() and AREA in RUN.named else []
    return classes + [
        row(AREA, "embedded Ray cluster start (ray.init, no dashboard)", round(t_start, 2), "s",
            note="one per round"),
        row(AREA, "toy GAN run: submit to first step, Ray actor (worker start, imports, networks)", round(rf, 2),
            "s", note=rf_note),
        row(AREA, "toy GAN run: submit to first step, thread", round(tf, 3), "s", note=tf_note),
        row(AREA, "snapshot round trip to a training run's actor, p50", round(percentile(ms, 50), 2), "ms",
            note=f"p95 {percentile(ms, 95):.2f} ms; " + percentile_note(ms, 50)),
        row(AREA, "toy GAN training speed in a Ray actor (1 CPU)", round(rs), "steps/s", note=rs_note),
        row(AREA, "toy GAN training speed in a thread", round(ts), "steps/s", note=ts_note),
    ]
