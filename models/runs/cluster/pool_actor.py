"""``PoolActor`` (one per cluster, named ``genlab-pool``): the cap of :class:`models.runs.pool.RunPool` made
cluster-wide (at most ``max_running`` runs train, ``max_queued`` wait, in one FIFO queue whose positions every
replica shows), and the registry from run keys (``gan/shared``) to the actor that runs them now, with each
finished run's last record for the replicas still showing it.

Its methods run one at a time (``max_concurrency=1``), so its state needs no lock. It never unpickles a job
or a snapshot (they arrive as bytes and leave as bytes): its worker imports neither PyTorch nor any model
family, so it starts in a second and answers at once even on a loaded machine.
"""

from __future__ import annotations

import time
from collections import deque

import ray

from .connect import NAMESPACE

POOL_NAME = "genlab-pool"
CALL_TIMEOUT_S = 10.0  # every ray.get has one: a call to a dead or unplaced actor never returns
START_TIMEOUT_S = 60.0  # the first call to a new actor waits for its worker process to start
ADMIT_GRACE_S = 60.0  # a queued run whose actor does not exist after this long is dropped from the queue
RECORDS_KEPT = 256  # finished runs' last records kept for their viewers


@ray.remote(num_cpus=0, max_restarts=-1, max_concurrency=1)
class PoolActor:
    """The cluster's run pool: cap, FIFO queue, key -> actor registry, finished runs' last snapshots."""

    def __init__(self, max_running: int, max_queued: int):
        self.max_running, self.max_queued = max_running, max_queued
        self.keys: dict[str, str] = {}  # run key -> the name of the actor running it now
        self.running: set[str] = set()
        self.queue: deque[str] = deque()
        self.admitted: dict[str, float] = {}  # name -> when it was admitted
        self.records: dict[str, bytes] = {}  # name -> its pickled record, once the run has ended
        self.jobs: dict[str, tuple[bytes, str | None]] = {}  # name -> (pickled job, owner) while its key maps to it

    def settings(self) -> tuple[int, int]:
        return self.max_running, self.max_queued

    def counts(self) -> tuple[int, int]:
        return len(self.running), len(self.queue)

    def runs(self) -> dict[str, str]:
        """Every run key and the name of its actor."""
        return dict(self.keys)

    def lookup(self, key: str) -> tuple[str, bytes, str | None] | None:
        """(actor name, pickled job, owner) of the run under ``key``, or None."""
        name = self.keys.get(key)
        return None if name is None else (name, *self.jobs[name])

    def admit(self, key: str, name: str, job: bytes, owner: str | None) -> tuple[str | None, str | None]:
        """Register ``name`` as the run under ``key`` and queue it. Returns (the replaced actor's name,
        None), or (None, a sentence saying the machine is busy) when running + waiting are at the cap."""
        self._prune()
        old = self.keys.get(key)
        running = len(self.running - {old})
        waiting = len([n for n in self.queue if n != old])
        if running + waiting >= self.max_running + self.max_queued:
            return None, (
                f"The cluster is busy: {running} training runs are going and "
                f"{max(0, running + waiting - self.max_running)} are waiting (limit {self.max_running} running "
                f"+ {self.max_queued} waiting). Try again when one finishes, or watch the shared run instead "
                f"of starting your own.")
        if old is not None and old not in self.running and old not in self.queue:
            self.jobs.pop(old, None)  # ended and replaced: nobody can look it up any more
            self.records.pop(old, None)
        self.keys[key] = name
        self.jobs[name] = (job, owner)
        self.queue.append(name)
        self.admitted[name] = time.monotonic()
        return old, None

    def acquire(self, name: str) -> tuple[bool, int | None]:
        """(True, None) when ``name`` may train now, else (False, its 1-based place in the queue)."""
        if name in self.running:
            return True, None
        if name not in self.queue:
            self.queue.append(name)
            self.admitted[name] = time.monotonic()
        if self.queue[0] != name or len(self.running) >= self.max_running:
            self._prune()
        if self.queue[0] == name and len(self.running) < self.max_running:
            self.queue.popleft()
            self.running.add(name)
            return True, None
        return False, self.queue.index(name) + 1

    def release(self, name: str) -> None:
        self.running.discard(name)

    def dequeue(self, name: str) -> None:
        if name in self.queue:
            self.queue.remove(name)

    def retire(self, name: str, record: bytes) -> None:
        """A run ended: keep its record for the replicas still showing it, free its slot, end its actor."""
        self.running.discard(name)
        self.dequeue(name)
        if name in self.keys.values():
            self.records[name] = record
            while len(self.records) > RECORDS_KEPT:
                self.records.pop(next(iter(self.records)))
        try:
            ray.kill(ray.get_actor(name, namespace=NAMESPACE))
        except ValueError:
            pass  # already gone

    def record(self, name: str) -> bytes | None:
        return self.records.get(name)

    def forget(self, key: str, name: str | None) -> None:
        """A tab closed (or a lost run was replaced): drop the key, its record and any slot it held."""
        if name is not None and self.keys.get(key) == name:
            del self.keys[key]
        if name is not None:
            self.records.pop(name, None)
            self.jobs.pop(name, None)
            self.running.discard(name)
            self.dequeue(name)

    def _alive(self, name: str) -> bool:
        try:
            ray.get_actor(name, namespace=NAMESPACE)
            return True
        except ValueError:
            return False

    def _prune(self) -> None:
        """Free the slots of runs whose worker died without retiring (killed, out of memory), and drop
        queued runs whose actor never appeared or is gone."""
        for name in [n for n in self.running if not self._alive(n)]:
            self.running.discard(name)
        now = time.monotonic()
        for name in [n for n in self.queue if now - self.admitted.get(n, now) > ADMIT_GRACE_S
                     and not self._alive(n)]:
            self.queue.remove(name)
