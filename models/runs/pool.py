"""The run pool: caps how many runs train at once, queues the rest, and names runs by key.

The machine has few cores, so at most ``max_running`` runs train; runs past the cap wait in a FIFO queue and
report their position, and a full queue refuses new runs with :class:`PoolBusy`. Runs are named by a key, so
a run keyed ``"gan/shared"`` is shared by everyone who asks for that key (a lecturer's projector and the
students' laptops), while ``"gan/<session id>"`` belongs to one tab.
"""

from __future__ import annotations

import os
import threading
from collections import deque

from .job import Job
from .run import Run


class PoolBusy(RuntimeError):
    """Too many runs are training or waiting; the message says how many and what to do."""


class RunPool:
    """Caps concurrent training: at most ``max_running`` run, ``max_queued`` wait, the rest are refused.

    Args:
        max_running: runs training at once (default ``GENLAB_MAX_RUNS`` or 2).
        max_queued: runs allowed to wait for a slot (default ``GENLAB_MAX_QUEUED`` or 8).
    """

    def __init__(self, max_running: int | None = None, max_queued: int | None = None):
        self.max_running = max_running or int(os.environ.get("GENLAB_MAX_RUNS", 2))
        self.max_queued = max_queued if max_queued is not None else int(os.environ.get("GENLAB_MAX_QUEUED", 8))
        self._lock = threading.Condition()
        self._runs: dict[str, Run] = {}
        self._running: set[Run] = set()
        self._queue: deque[Run] = deque()

    def get(self, key: str) -> Run | None:
        with self._lock:
            return self._runs.get(key)

    def submit(self, key: str, job: Job, *, start_paused: bool = False,
               max_steps: int | None = None, owner: str | None = None, device: str | None = None,
               resume: bool = False, checkpoint_root=None) -> Run:
        """Start a new run of ``job`` under ``key``, stopping any earlier run with that key. ``resume``: the
        job continues from its checkpoint when there is one.

        Raises:
            PoolBusy: the queue is full.
        """
        with self._lock:
            old = self._runs.get(key)
            running = len([r for r in self._running if r is not old])
            waiting = len([r for r in self._queue if r is not old])
            # Admitted runs are counted from the moment they are submitted (they join the queue here, not
            # later in their own thread), so quick submits in a row cannot slip past the cap.
            if running + waiting >= self.max_running + self.max_queued:
                raise PoolBusy(
                    f"The machine is busy: {running} training runs are going and "
                    f"{max(0, running + waiting - self.max_running)} are waiting (limit {self.max_running} "
                    f"running + {self.max_queued} waiting). Try again when one finishes, or watch the shared "
                    f"run instead of starting your own.")
            run = Run(key, job, pool=self, start_paused=start_paused, max_steps=max_steps, owner=owner,
                      device=device, resume=resume, checkpoint_root=checkpoint_root)
            self._runs[key] = run
            self._queue.append(run)
        if old is not None:
            old.stop()
        return run.start()

    def stop(self, key: str) -> None:
        run = self.get(key)
        if run is not None:
            run.stop()

    def release(self, key: str) -> None:
        """Stop the run under ``key`` and forget it (e.g. its browser tab was closed)."""
        with self._lock:
            run = self._runs.pop(key, None)
        if run is not None:
            run.stop()

    def counts(self) -> tuple[int, int]:
        """(running, queued)."""
        with self._lock:
            return len(self._running), len(self._queue)

    # -- used by Run -----------------------------------------------------------------------------------
    def _acquire(self, run: Run) -> bool:
        with self._lock:
            if run not in self._queue and run not in self._running:
                self._queue.append(run)
            while True:
                if run._stop:
                    self._dequeue_locked(run)
                    return False
                if self._queue and self._queue[0] is run and len(self._running) < self.max_running:
                    self._queue.popleft()
                    self._running.add(run)
                    self._lock.notify_all()
                    return True
                self._lock.wait(0.5)

    def _release(self, run: Run) -> None:
        with self._lock:
            self._running.discard(run)
            self._lock.notify_all()

    def _dequeue(self, run: Run) -> None:
        with self._lock:
            self._dequeue_locked(run)

    def _dequeue_locked(self, run: Run) -> None:
        if run in self._queue:
            self._queue.remove(run)
        self._lock.notify_all()

    def _position(self, run: Run) -> int | None:
        with self._lock:
            try:
                return self._queue.index(run) + 1
            except ValueError:
                return None


_DEFAULT: RunPool | None = None
_DEFAULT_GUARD = threading.Lock()


def default_pool() -> RunPool:
    """The process-wide pool every page shares."""
    global _DEFAULT
    with _DEFAULT_GUARD:
        if _DEFAULT is None:
            _DEFAULT = RunPool()
        return _DEFAULT
