"""models.runs.run and .pool: runs start, pause, single-step with commands, stop, fail cleanly, resume, and
queue past the cap. The runs train the ``test_counter`` family (tests/runs/counter.py)."""

import threading
import time

import pytest

from models.runs.pool import PoolBusy, RunPool
from models.runs.run import DONE, ERROR, PAUSED, QUEUED, RUNNING, STOPPED, Run
from tests.runs.counter import counter


def wait_for(pred, timeout=10.0):
    deadline = time.time() + timeout
    while time.time() < deadline:
        if pred():
            return True
        time.sleep(0.01)
    raise AssertionError("condition not reached in time")


def test_run_to_completion():
    run = Run("a", counter(limit=50)).start()
    assert run.join(5)
    snap = run.snapshot()
    assert snap.status == DONE and snap.steps == 50 and snap.latest.step == 50


def test_pause_step_with_commands_and_resume():
    run = Run("b", counter(), start_paused=True).start()
    wait_for(lambda: run.snapshot().latest is not None)
    time.sleep(0.1)
    assert run.snapshot().steps == 0 and run.snapshot().status == PAUSED
    run.step(3, command="d")
    wait_for(lambda: run.snapshot().steps == 3)
    time.sleep(0.1)
    snap = run.snapshot()
    assert snap.steps == 3 and snap.latest.commands == ("d", "d", "d") and snap.advances == 3
    run.resume()
    wait_for(lambda: run.snapshot().steps > 100)
    assert run.snapshot().status == RUNNING
    run.stop()
    assert run.join(5) and run.snapshot().status == STOPPED


def test_error_in_thread_is_kept_and_frees_the_slot():
    pool = RunPool(max_running=1, max_queued=2)
    run = pool.submit("x", counter(fail_at=3))
    assert run.join(5)
    snap = run.snapshot()
    assert snap.status == ERROR and snap.error == "FloatingPointError: loss is NaN"
    assert "loss is NaN" in run.traceback
    assert pool.counts() == (0, 0)
    nxt = pool.submit("y", counter(limit=3))
    assert nxt.join(5) and nxt.snapshot().status == DONE


def test_cap_queue_and_refusal():
    pool = RunPool(max_running=1, max_queued=1)
    first = pool.submit("one", counter(delay=0.001))
    wait_for(lambda: first.snapshot().status == RUNNING)
    second = pool.submit("two", counter(delay=0.001))
    wait_for(lambda: second.snapshot().status == QUEUED)
    assert second.snapshot().queue_position == 1
    with pytest.raises(PoolBusy, match="busy"):
        pool.submit("three", counter())
    first.stop()
    wait_for(lambda: second.snapshot().status == RUNNING)
    pool.release("two")
    assert second.join(5) and pool.get("two") is None


def test_rapid_submits_cannot_slip_past_the_cap():
    """Submits in a row, before any run's thread has reached the pool: the cap counts them from submission."""

    class SlowThreads(RunPool):  # a loaded server: each run's thread gets the CPU only later
        def _acquire(self, run):
            time.sleep(0.3)
            return super()._acquire(run)

    pool = SlowThreads(max_running=2, max_queued=3)
    runs, refused = [], 0
    for i in range(12):
        try:
            runs.append(pool.submit(f"r{i}", counter(delay=0.001)))
        except PoolBusy:
            refused += 1
    assert len(runs) == 5 and refused == 7
    running, queued = pool.counts()
    assert running + queued == 5
    for r in runs:
        r.stop()
    assert all(r.join(5) for r in runs)
    assert pool.counts() == (0, 0)


def test_same_key_replaces_the_old_run_and_shares_one_object():
    pool = RunPool(max_running=2, max_queued=2)
    a = pool.submit("gan/shared", counter(delay=0.001))
    assert pool.get("gan/shared") is a  # every viewer gets the same run
    b = pool.submit("gan/shared", counter(delay=0.001))
    assert a.join(5) and a.snapshot().status == STOPPED and pool.get("gan/shared") is b
    b.stop()
    b.join(5)


def test_snapshots_are_safe_from_other_threads():
    run = Run("c", counter(delay=0.0)).start()
    seen = []

    def reader():
        for _ in range(200):
            seen.append(run.snapshot().steps)

    threads = [threading.Thread(target=reader) for _ in range(4)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    run.stop()
    run.join(5)
    assert seen and all(isinstance(s, int) for s in seen)


def test_a_single_step_of_a_job_writes_its_checkpoint(tmp_path):
    """Step pauses the run after one step; the run saves where it stands before it waits, so "Continue from
    step N" and "use this model" see that step (not only after Stop)."""
    from models.gan.config import ToyConfig
    from models.runs import checkpoint
    from models.runs.job import Job

    job = Job("gan_toy", ToyConfig(batch=32, width=8), "ring8", 0)
    run = Run("s", job, start_paused=True, checkpoint_root=tmp_path).start()
    wait_for(lambda: run.snapshot().status == PAUSED, timeout=60)
    run.step(1, command="both")
    wait_for(lambda: checkpoint.saved_step(job, tmp_path) == 1, timeout=60)
    run.stop()
    assert run.join(30)


def test_a_stopped_run_resumes_from_its_checkpoint(tmp_path):
    job = counter()
    first = Run("r", job, start_paused=True, checkpoint_root=tmp_path).start()
    first.step(7, command="d")
    wait_for(lambda: first.snapshot().steps == 7)
    first.stop()
    assert first.join(5)
    second = Run("r", job, start_paused=True, resume=True, checkpoint_root=tmp_path).start()
    wait_for(lambda: second.snapshot().latest is not None)
    assert second.resumed_from == 7 and second.snapshot().latest == first.snapshot().latest
    second.stop()
    assert second.join(5)


def test_a_run_trains_jobs_only():
    with pytest.raises(TypeError, match="Job"):
        Run("f", lambda: iter(range(3)))
