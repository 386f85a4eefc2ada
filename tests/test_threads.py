"""models.threads: a training thread runs on one CPU thread without changing it for the rest of the server."""

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
