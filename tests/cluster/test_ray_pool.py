"""The run pool on a real (embedded) Ray cluster: the same runs, snapshots and cap as the thread pool, seen
alike from two replicas' pools, and a run whose worker process is killed keeps its last snapshot and
continues from its checkpoint. Runs of the ``test_counter`` family (tests/runs/counter.py)."""

from __future__ import annotations

import os
import signal
import time

import pytest

from models.runs.pool import PoolBusy
from tests.runs.counter import counter

ray = pytest.importorskip("ray", reason="the cluster backend's tests need `pip install -r requirements-dev.txt`")
pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def cluster(tmp_path_factory):
    from models.runs.cluster.connect import connect

    assert not ray.is_initialized()
    before = os.environ.get("GENLAB_RUNS_DIR")
    os.environ["GENLAB_RUNS_DIR"] = str(tmp_path_factory.mktemp("runs"))  # the workers inherit it
    try:
        connect("local")
        yield
    finally:
        ray.shutdown()  # the embedded cluster's processes end with it
        if before is None:
            os.environ.pop("GENLAB_RUNS_DIR", None)
        else:
            os.environ["GENLAB_RUNS_DIR"] = before


@pytest.fixture
def pools(cluster):
    """Two replicas' views of one cluster-wide pool (1 running + 1 waiting), emptied afterwards."""
    from models.runs.cluster.pool_actor import POOL_NAME
    from models.runs.cluster.pool import RayPool

    a, b = RayPool(max_running=1, max_queued=1), RayPool()
    yield a, b
    ray.kill(ray.get_actor(POOL_NAME, namespace="genlab"))
    for actor in ray.util.list_named_actors(all_namespaces=True):
        if actor["namespace"] == "genlab":
            try:
                ray.kill(ray.get_actor(actor["name"], namespace="genlab"))
            except ValueError:  # it died between the listing and the lookup (the pool actor just killed, say)
                pass


def wait_for(cond, timeout=60.0, what="condition"):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if cond():
            return
        time.sleep(0.1)
    raise AssertionError(f"timed out waiting for {what}")


def test_the_cap_and_the_queue_are_cluster_wide(pools, tmp_path):
    a, b = pools
    assert (b.max_running, b.max_queued) == (1, 1)  # the first replica's settings hold for every replica
    first = a.submit("t/one", counter(delay=0.01), checkpoint_root=tmp_path)
    second = b.submit("t/two", counter(delay=0.01), checkpoint_root=tmp_path)
    wait_for(lambda: first.snapshot().status == "running", what="the first run to train")
    wait_for(lambda: second.snapshot().queue_position == 1, what="the second run to wait in the queue")
    assert a.get("t/two").snapshot().status == "queued"  # the other replica sees its place too
    assert a.counts() == b.counts() == (1, 1)
    with pytest.raises(PoolBusy, match="busy"):
        a.submit("t/three", counter(), checkpoint_root=tmp_path)
    b.stop("t/one")  # from the other replica
    wait_for(lambda: second.snapshot().status == "running", what="the queued run to get the slot")
    second.stop()
    assert second.join(30)


def test_a_finished_run_frees_its_cpu_and_stays_visible(pools, tmp_path):
    a, b = pools
    run = a.submit("t/shared", counter(limit=7), owner="lecturer", checkpoint_root=tmp_path)
    assert run.join(60) and run.snapshot().status == "done" and run.snapshot().steps == 7
    seen = b.get("t/shared")
    assert seen.snapshot().status == "done" and seen.snapshot().steps == 7 and seen.owner == "lecturer"
    assert "cpu on" in seen.device
    wait_for(lambda: ray.available_resources().get("CPU") == ray.cluster_resources()["CPU"],
             what="the finished run's actor to give its CPU back")


def test_a_killed_worker_keeps_its_last_snapshot_and_resumes_from_its_checkpoint(pools, tmp_path):
    a, b = pools
    run = a.submit("t/shared", counter(delay=0.01), checkpoint_root=tmp_path)
    wait_for(lambda: run.snapshot().steps > 10, what="some steps")
    run.pause()  # a run writes its checkpoint when it is about to wait
    wait_for(lambda: run.snapshot().status == "paused", what="the pause")
    watcher = b.get("t/shared")
    # "paused" shows at once while the step in flight still lands (and is published when the run waits), and a
    # proxy never waits on the cluster (it shows its last answer until a fresher one has arrived): both
    # replicas must come to show the same last step
    wait_for(lambda: run.snapshot().steps == watcher.snapshot().steps == run.snapshot().steps,
             what="both replicas to show the paused run's last step")
    time.sleep(0.5)
    steps = run.snapshot().steps
    assert watcher.snapshot().steps == steps  # and it stays there: the run is paused
    os.kill(run.pid(), signal.SIGKILL)
    for proxy in (run, watcher):
        wait_for(lambda proxy=proxy: proxy.snapshot().status == "error", what="the proxy to notice the dead worker")
        assert proxy.lost
        snap = proxy.snapshot()
        assert snap.status == "error" and snap.steps == steps and not snap.active
        assert "stopped unexpectedly" in snap.error
    assert a.counts() == (0, 0)  # its slot is free again
    resumed = b.submit("t/shared", counter(delay=0.01), resume=True, start_paused=True, checkpoint_root=tmp_path)
    # paused as soon as it has its slot; its trainer (and the checkpoint's step) follow
    wait_for(lambda: resumed.snapshot().steps == steps, what="the resumed run at the checkpoint's step")
    assert resumed.snapshot().status == "paused" and resumed.resumed_from == steps
    resumed.step(3)
    wait_for(lambda: resumed.snapshot().steps == steps + 3, what="three more steps")
    wait_for(lambda: a.get("t/shared") is not None and a.get("t/shared").name == resumed.name,
             what="the first replica to find the resumed run")
    resumed.stop()
    assert resumed.join(30)
