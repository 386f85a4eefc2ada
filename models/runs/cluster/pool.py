"""``RayPool``: the :class:`models.runs.pool.RunPool` of a Ray cluster (``get``, ``submit``, ``stop``,
``release``, ``counts``, ``max_running``), so the pages cannot tell the backends apart.

Runs are actors named after their key and a fresh suffix, in namespace ``genlab``; the cluster's
:class:`~models.runs.cluster.pool_actor.PoolActor` maps each key to its current actor, so a browser on any
replica that asks for ``gan/shared`` finds the same run. A shared run's actor is *detached*: it lives on
when the replica that started it dies. A tab's own run is not: it ends with its replica, as its tab does.
Actors are created here, by the replica (the cluster's driver), never by another actor: a detached actor
created by an actor dies with it (ray-project/ray#40864).

``fit`` jobs (:mod:`models.runs.fit`, a model trained whole when its weights are missing) stay on this
replica's thread pool: they write their weights to this machine's cache, where ``load_or_train`` reads them.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
import uuid

import ray

from ..job import Job
from ..pool import PoolBusy, RunPool
from .pool_actor import CALL_TIMEOUT_S, POOL_NAME, START_TIMEOUT_S, PoolActor
from .run_actor import RunActor
from .connect import NAMESPACE, has_gpu
from .proxy import RayRun

LOCAL_FAMILIES = ("fit",)
LOOKUP_TTL_S = 1.0  # how stale this replica's idea of "the run under this key" may be (another replica may
# have replaced it)


class RayPool:
    """The run pool of a Ray cluster (call :func:`models.runs.cluster.connect.connect` first).

    Args:
        max_running, max_queued: the cluster-wide cap, used when this replica creates the pool actor
            (the first replica to start decides; default ``GENLAB_MAX_RUNS`` or 2, ``GENLAB_MAX_QUEUED`` or 8).
    """

    def __init__(self, max_running: int | None = None, max_queued: int | None = None):
        max_running = max_running or int(os.environ.get("GENLAB_MAX_RUNS", 2))
        max_queued = max_queued if max_queued is not None else int(os.environ.get("GENLAB_MAX_QUEUED", 8))
        self._actor = PoolActor.options(name=POOL_NAME, namespace=NAMESPACE, lifetime="detached",
                                        get_if_exists=True).remote(max_running, max_queued)
        self.max_running, self.max_queued = ray.get(self._actor.settings.remote(), timeout=START_TIMEOUT_S)
        self.gpu = has_gpu()
        self.local = RunPool(max_running, max_queued)
        self._lock = threading.Lock()
        self._proxies: dict[str, RayRun] = {}
        self._checked: dict[str, float] = {}

    def get(self, key: str):
        run = self.local.get(key)
        if run is not None:
            return run
        with self._lock:
            proxy = self._proxies.get(key)
            if proxy is not None and time.monotonic() - self._checked.get(key, 0.0) < LOOKUP_TTL_S:
                return proxy
        try:
            found = ray.get(self._actor.lookup.remote(key), timeout=CALL_TIMEOUT_S)
        except ray.exceptions.GetTimeoutError:  # the cluster is slow to answer: show what was known
            with self._lock:
                return self._proxies.get(key)
        with self._lock:
            self._checked[key] = time.monotonic()
            proxy = self._proxies.get(key)
            if found is None:
                self._proxies.pop(key, None)
                return None
            name, job, owner = found
            if proxy is not None and proxy.name == name:
                return proxy
        proxy = RayRun(self._actor, key, name, record=self._record(name), job=pickle.loads(job), owner=owner)
        with self._lock:
            self._proxies[key] = proxy
        return proxy

    def _record(self, name: str) -> dict | None:
        record = ray.get(self._actor.record.remote(name), timeout=CALL_TIMEOUT_S)
        return None if record is None else pickle.loads(record)

    def submit(self, key: str, job: Job, *, start_paused: bool = False, max_steps: int | None = None,
               owner: str | None = None, device: str | None = None, resume: bool = False,
               checkpoint_root=None):
        """Start a run of ``job`` under ``key`` on the cluster, stopping the run there before. ``device`` is
        ignored: the run trains where the cluster places it (a GPU when it has one).

        Raises:
            PoolBusy: the cluster's queue is full.
        """
        if job.family in LOCAL_FAMILIES:
            return self.local.submit(key, job, start_paused=start_paused, max_steps=max_steps, owner=owner,
                                     device=device, resume=resume, checkpoint_root=checkpoint_root)
        name = f"run:{key}:{uuid.uuid4().hex[:8]}"
        # the pool actor keeps the job as bytes: unpickling it would import the family (and PyTorch) there
        try:
            old, busy = ray.get(self._actor.admit.remote(key, name, pickle.dumps(job), owner),
                                timeout=CALL_TIMEOUT_S)
        except ray.exceptions.GetTimeoutError:
            raise PoolBusy(f"The training cluster did not answer within {CALL_TIMEOUT_S:.0f} s (it may be "
                           "overloaded). Try again in a moment; the rest of the page works.") from None
        if busy:
            raise PoolBusy(busy)
        if old is not None:
            try:
                ray.get(ray.get_actor(old, namespace=NAMESPACE).stop.remote(), timeout=CALL_TIMEOUT_S)
            except Exception:  # noqa: BLE001 - it ended or died already
                pass
        shared = key.endswith("/shared")
        resources = {"num_gpus": 1} if self.gpu else {"num_cpus": 1}
        options = dict(start_paused=start_paused, max_steps=max_steps, resume=resume,
                       checkpoint_root=checkpoint_root)  # a folder every replica and node shares
        # a shared run outlives the replica that started it; a tab's run ends with its replica
        handle = RunActor.options(name=name, namespace=NAMESPACE, lifetime="detached" if shared else None,
                                  **resources).remote(name, key, job, options, {"owner": owner})
        proxy = RayRun(self._actor, key, name, handle=handle, job=job, owner=owner)
        with self._lock:
            self._proxies[key], self._checked[key] = proxy, time.monotonic()
        return proxy

    def stop(self, key: str) -> None:
        run = self.get(key)
        if run is not None:
            run.stop()

    def release(self, key: str) -> None:
        """Stop the run under ``key`` and forget it (its tab was closed)."""
        if self.local.get(key) is not None:
            self.local.release(key)
            return
        run = self.get(key)
        if run is None:
            return
        run.stop()
        run.join(10)  # its last checkpoint is written as it stops
        self._actor.forget.remote(key, run.name)
        with self._lock:
            self._proxies.pop(key, None)

    def counts(self) -> tuple[int, int]:
        """(running, queued), cluster-wide."""
        return tuple(ray.get(self._actor.counts.remote(), timeout=CALL_TIMEOUT_S))
