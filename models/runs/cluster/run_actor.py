"""``RunActor``: one training run in a worker process of its own, on the cluster.

It wraps an ordinary :class:`models.runs.run.Run` (the same thread, snapshots, checkpoints and single steps as
on a laptop), so the cluster adds no second training loop; the run's pool is the cluster's
:class:`~models.runs.cluster.pool_actor.PoolActor`, through :class:`_Slots`. It asks for one CPU
(``num_cpus=1``; an actor asks for none by default, and two dozen of them would then share one core), or one
GPU when the cluster has one (set by :class:`~models.runs.cluster.pool.RayPool`). When its run ends it hands
its last record to the pool actor, which keeps it for the viewers and ends the actor, so a finished run holds
no CPU.
"""

from __future__ import annotations

import os
import pickle
import threading
import time
from typing import Any

import ray

from ..job import Job
from ..run import Run
from .connect import NAMESPACE
from .pool_actor import CALL_TIMEOUT_S, POOL_NAME


class _Slots:
    """The pool interface :class:`~models.runs.run.Run` calls (``_acquire``, ``_release``, ``_dequeue``,
    ``_position``), answered by the cluster's :class:`PoolActor` instead of a local queue."""

    def __init__(self, name: str):
        self.name = name
        self.position: int | None = None
        self._pool = ray.get_actor(POOL_NAME, namespace=NAMESPACE)

    def _acquire(self, run: Run) -> bool:
        while True:
            if run._stop:
                self._dequeue(run)
                return False
            try:
                granted, self.position = ray.get(self._pool.acquire.remote(self.name), timeout=CALL_TIMEOUT_S)
            except ray.exceptions.GetTimeoutError:
                granted = False
            if granted:
                self.position = None
                return True
            time.sleep(0.5)

    def _release(self, run: Run) -> None:
        self._pool.release.remote(self.name)

    def _dequeue(self, run: Run) -> None:
        self._pool.dequeue.remote(self.name)

    def _position(self, run: Run) -> int | None:
        return self.position  # kept by _acquire: a snapshot must never wait on another actor


@ray.remote(max_restarts=0, max_concurrency=4)
class RunActor:
    """One run of ``job`` under ``key``, trained by a :class:`~models.runs.run.Run` in this process.

    Args:
        name: this actor's name in the ``genlab`` namespace (the pool's registry maps ``key`` to it).
        key, job: as for :meth:`models.runs.pool.RunPool.submit`.
        options: the Run's ``start_paused``, ``max_steps``, ``resume``, ``checkpoint_root``.
        meta: who started it (``owner``, ``started``), shown by every replica.
    """

    def __init__(self, name: str, key: str, job: Job, options: dict, meta: dict):
        self.name = name
        device = "cuda" if ray.get_gpu_ids() else "cpu"
        self.meta = {**meta, "device": device, "node": ray.util.get_node_ip_address(), "pid": os.getpid()}
        self.run = Run(key, job, pool=_Slots(name), device=device, **options)
        self.run.start()
        threading.Thread(target=self._retire_when_done, name="genlab-retire", daemon=True).start()

    def _retire_when_done(self) -> None:
        self.run.join()
        pool = ray.get_actor(POOL_NAME, namespace=NAMESPACE)
        pool.retire.remote(self.name, pickle.dumps(self.record()))  # the pool keeps it, then ends this actor

    def record(self) -> dict:
        """Everything a replica shows of this run: its snapshot and who/where/how it ran."""
        run = self.run
        return {"snapshot": run.snapshot(), "meta": self.meta, "job": run.job, "resumed_from": run.resumed_from,
                "checkpoint_error": run.checkpoint_error, "traceback": run.traceback}

    def snapshot(self):
        return self.run.snapshot()

    def pause(self) -> None:
        self.run.pause()

    def resume(self) -> None:
        self.run.resume()

    def step(self, n: int = 1, command: Any = None) -> None:
        self.run.step(n, command)

    def stop(self) -> None:
        self.run.stop()

    def set_started(self, started: dict) -> None:
        self.meta["started"] = started

    def pid(self) -> int:
        return os.getpid()
