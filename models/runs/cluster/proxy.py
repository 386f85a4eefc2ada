"""``RayRun``: what a page holds for a run on the cluster, with the methods of :class:`models.runs.run.Run`.

Every method calls the run's :class:`~models.runs.cluster.run_actor.RunActor` under a timeout (an actor still
waiting for a CPU, or one on a vanished node, would otherwise block the page forever). The proxy keeps the
last snapshot it received, so when the worker process dies (killed, out of memory) the page still shows the
run's last picture and step count, and says in plain words what happened (:attr:`RayRun.lost`); the run can
then continue from its last checkpoint, which every replica reads from the shared ``runs_dir()``.
"""

from __future__ import annotations

import pickle
import threading
import time
from typing import Any

import ray

from ..run import ERROR, QUEUED, Snapshot
from .pool_actor import CALL_TIMEOUT_S
from .connect import NAMESPACE

SNAPSHOT_TTL_S = 0.2  # a page asks for the snapshot several times per redraw; one call serves them all
POLL_WAIT_S = 0.05  # a poll's answer usually arrives within this (a millisecond on one machine); else next time

LOST = ("The training process stopped unexpectedly after {steps:,} steps (its worker on the cluster was killed "
        "or ran out of memory). What you see is its last picture.")


def _dead(exc: BaseException) -> bool:
    return isinstance(exc, (ray.exceptions.RayActorError, ValueError))


class RayRun:
    """A run on the cluster, seen from one replica.

    Args:
        pool_actor: the cluster's PoolActor handle (asked for a finished run's record).
        key: the run's key; name: its actor's name.
        record: the run's record when it has already ended (then no actor is asked).
        job, owner: what it trains and who started it (from the pool's registry).
        handle: the actor's handle, when this replica just created it.
    """

    def __init__(self, pool_actor, key: str, name: str, *, job=None, owner: str | None = None,
                 record: dict | None = None, handle=None):
        self.key, self.name = key, name
        self._pool = pool_actor
        self._lock = threading.Lock()
        self._handle = handle
        self._record = record  # set once the run has ended normally: nothing more to ask
        self._pending = None  # the poll in flight (an ObjectRef)
        self._t_last = 0.0
        self.lost = False
        self._info: dict = record or {"meta": {"owner": owner}, "job": job}
        self._last: Snapshot = record["snapshot"] if record else Snapshot(key, QUEUED, 0, None, None, None, 0.0, 0.0)
        self.job = self._info.get("job", job)
        if record is None and handle is None:
            try:
                self._handle = ray.get_actor(name, namespace=NAMESPACE)
            except ValueError:  # gone between the pool's answer and now
                if not self._ended():
                    self._on_death()
        self.snapshot()

    # -- who, where ------------------------------------------------------------------------------------
    @property
    def owner(self) -> str | None:
        return self._info.get("meta", {}).get("owner")

    @property
    def started_by(self) -> dict | None:
        return self._info.get("meta", {}).get("started")

    @property
    def device(self) -> str:
        """``"cpu on 10.0.0.3"``: where the run trains (shown on its panel)."""
        meta = self._info.get("meta", {})
        return f"{meta['device']} on {meta['node']}" if "device" in meta else "not placed on a node yet"

    @property
    def resumed_from(self) -> int | None:
        return self._info.get("resumed_from")

    @property
    def checkpoint_error(self) -> str | None:
        return self._info.get("checkpoint_error")

    @property
    def traceback(self) -> str | None:
        return self._info.get("traceback")

    @property
    def exception(self) -> BaseException | None:
        snap = self._last
        return RuntimeError(snap.error) if snap is not None and snap.status == ERROR else None

    # -- the run ---------------------------------------------------------------------------------------
    def snapshot(self) -> Snapshot:
        """The run's latest snapshot, never waiting on the cluster: a poll is sent when the last answer is
        older than ``SNAPSHOT_TTL_S`` and read when it has arrived (an actor still starting, or waiting for a
        CPU, leaves the last view in place)."""
        with self._lock:
            if self._record is not None or self.lost or self._handle is None:
                return self._last
            now = time.monotonic()
            if self._pending is None and now - self._t_last >= SNAPSHOT_TTL_S:
                self._pending = self._handle.record.remote()
            if self._pending is not None:
                ready, _ = ray.wait([self._pending], timeout=POLL_WAIT_S)
                if ready:
                    self._pending = None
                    try:
                        self._info = ray.get(ready[0], timeout=CALL_TIMEOUT_S)
                    except Exception as exc:  # noqa: BLE001
                        if not _dead(exc):
                            raise
                        return self._on_death()
                    self._last, self._t_last, self.job = self._info["snapshot"], time.monotonic(), self._info["job"]
            return self._last

    def _ended(self) -> bool:
        """Did the run end normally (its record is with the pool)? Then show that."""
        try:
            record = ray.get(self._pool.record.remote(self.name), timeout=CALL_TIMEOUT_S)
        except Exception:  # noqa: BLE001 - the pool is unreachable: treat as not ended
            return False
        if record is None:
            return False
        record = pickle.loads(record)
        self._record, self._info, self._last = record, record, record["snapshot"]
        self.job = record.get("job")
        return True

    def _on_death(self) -> Snapshot:
        if self._ended():
            return self._last
        self.lost = True
        last = self._last or Snapshot(self.key, QUEUED, 0, None, None, None, 0.0, 0.0)
        self._last = Snapshot(self.key, ERROR, last.steps, last.latest, LOST.format(steps=last.steps), None,
                              last.elapsed_s, 0.0, last.advances)
        self._pool.release.remote(self.name)  # the slot it held
        return self._last

    def _call(self, method: str, *args) -> None:
        if self._handle is None or self._record is not None or self.lost:
            return
        try:
            ray.get(getattr(self._handle, method).remote(*args), timeout=CALL_TIMEOUT_S)
        except Exception as exc:  # noqa: BLE001
            if not (_dead(exc) or isinstance(exc, ray.exceptions.GetTimeoutError)):
                raise
        with self._lock:
            self._t_last = 0.0  # the next snapshot shows the effect

    def pause(self) -> None:
        self._call("pause")

    def resume(self) -> None:
        self._call("resume")

    def step(self, n: int = 1, command: Any = None) -> None:
        self._call("step", n, command)

    def stop(self) -> None:
        self._call("stop")

    def set_started(self, started: dict) -> None:
        self._info.setdefault("meta", {})["started"] = started
        self._call("set_started", started)

    def start(self) -> "RayRun":
        return self  # the actor started training when it was created

    def join(self, timeout: float | None = None) -> bool:
        """Wait until the run has ended (or its worker died); True when it has."""
        deadline = None if timeout is None else time.monotonic() + timeout
        while not self.snapshot().finished:
            if deadline is not None and time.monotonic() > deadline:
                return False
            time.sleep(0.1)
        return True

    def pid(self) -> int:
        """The worker process's id (the cluster test kills it)."""
        return ray.get(self._handle.pid.remote(), timeout=CALL_TIMEOUT_S)
