"""models.threads: a training thread runs on one CPU thread without changing it for the rest of the server."""

import os
import threading

import torch

from models.threads import DEFAULT_THREADS, limit_this_thread


def _in_new_thread(fn):
    out = []
    t = threading.Thread(target=lambda: out.append(fn()))
    t.start()
    t.join()
    return out[0]


def test_only_the_calling_thread_is_limited():
    seen, release = {}, threading.Event()
    # earlier tests may have trained in this (pytest's main) thread, which limits it: compare with itself
    main_before = torch.get_num_threads()

    def trainer():
        limit_this_thread(1)
        torch.ones(8) + 1
        seen["trainer"] = torch.get_num_threads()
        release.wait(10)
        seen["trainer_later"] = torch.get_num_threads()  # unchanged by the restore

    t = threading.Thread(target=trainer)
    t.start()
    while "trainer" not in seen:
        threading.Event().wait(0.01)
    # a page run starting now (a new thread) and the main thread keep the process default
    assert _in_new_thread(torch.get_num_threads) == DEFAULT_THREADS
    assert torch.get_num_threads() == main_before
    release.set()
    t.join()
    assert seen == {"trainer": 1, "trainer_later": 1}


def test_plain_set_num_threads_would_leak_into_later_threads():
    """The problem limit_this_thread solves, shown with torch's own call (then undone)."""
    if DEFAULT_THREADS == 1:
        return  # nothing to see on a one-core machine
    try:
        _in_new_thread(lambda: torch.set_num_threads(1))
        assert _in_new_thread(torch.get_num_threads) == 1
    finally:
        _in_new_thread(lambda: torch.set_num_threads(DEFAULT_THREADS))
    assert _in_new_thread(torch.get_num_threads) == DEFAULT_THREADS


def test_idle_cores_sees_busy_processes():
    """With every core spinning in another process, idle_cores reports (almost) none idle and a job gets
    one thread; afterwards the cores are idle again. Checked against the kernel's own accounting."""
    import subprocess
    import sys
    import time

    from models.threads import idle_cores, threads_for_idle_cores

    n = os.cpu_count() or 1
    spinners = [subprocess.Popen([sys.executable, "-c", "while True: pass"]) for _ in range(n)]
    try:
        time.sleep(0.3)
        busy = idle_cores(0.3)
        threads = threads_for_idle_cores()
    finally:
        for p in spinners:
            p.kill()
            p.wait()
    assert 0.0 <= busy < 0.5 * n
    assert threads == 1
    time.sleep(0.2)
    assert 0.0 <= idle_cores(0.3) <= n


def test_flush_denormals_is_per_thread():
    """A subnormal float (1e-39 < 1.18e-38, the smallest normal float32) times 1 is 0 in a thread that
    flushes them, and itself in another thread that was running all along with subnormals on."""
    from models.threads import flush_denormals

    def product() -> float:
        return (torch.tensor([1e-39]) * 1.0).item()

    ready, go, out = threading.Event(), threading.Event(), {}

    def other() -> None:
        torch.set_flush_denormal(False)  # new threads inherit their creator's mode: start from a known one
        ready.set()
        go.wait(10)
        out["other"] = product()

    t = threading.Thread(target=other)
    t.start()
    ready.wait(10)
    supported = _in_new_thread(flush_denormals)
    out["flushing"] = _in_new_thread(lambda: (flush_denormals(), product())[1])
    go.set()
    t.join()
    if supported:
        assert out["flushing"] == 0.0
    assert out["other"] > 0.0
