"""A training run that a web page can watch, pause, single-step, stop and resume.

A run trains a :class:`~models.runs.job.Job` (data: family, config, dataset, seed). A :class:`Run` builds the
job's trainer in a daemon thread and drives it one step at a time (:mod:`models.runs.family`); every
``publish_every_s`` it copies a snapshot out (a value: numpy arrays and numbers), which the UI polls with
:meth:`Run.snapshot` a few times a second and never blocks on. Whenever the run is about to wait (pause, a
single step done), on stop, at the end and every ``CHECKPOINT_EVERY_S`` of training it writes a resumable
checkpoint (:mod:`models.runs.checkpoint`); ``resume=True`` continues from it, exactly where it stopped.

The states a run goes through::

    created -> queued -> running <-> paused -> done | stopped | error

Errors raised inside training stop the run, free its pool slot and are kept in the snapshot.

A trainer whose one step is long (a whole fit, :mod:`models.runs.fit`) may have a ``report`` attribute:
the run sets it to a function that publishes a snapshot from inside the step and raises
:class:`StopRequested` there once the run is stopped.
"""

from __future__ import annotations

import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

from . import checkpoint
from .family import family, make_trainer
from .job import Job
from ..threads import limit_this_thread

if TYPE_CHECKING:
    from .pool import RunPool

PUBLISH_EVERY_S = 0.5  # a job's snapshots are copied out this often while it trains freely

_LOCAL = threading.local()


def current_run() -> "Run | None":
    """The run whose thread calls this, or None outside every run (code that would queue for a slot of
    the pool checks it: a run already holds one)."""
    return getattr(_LOCAL, "run", None)


class StopRequested(Exception):
    """Raised by a trainer's ``report`` hook inside a long step once its run was stopped."""


CREATED, QUEUED, RUNNING, PAUSED, DONE, STOPPED, ERROR = (
    "created", "queued", "running", "paused", "done", "stopped", "error")
FINISHED = (DONE, STOPPED, ERROR)


@dataclass(frozen=True)
class Snapshot:
    """A consistent view of a run for the UI.

    Attributes:
        status: one of created, queued, running, paused, done, stopped, error.
        steps: the trainer's training steps.
        latest: the last snapshot the trainer published (the family's own frozen value), or None.
        error: ``"ExceptionType: message"`` when status is error.
        queue_position: 1-based place in the queue when status is queued.
    """

    key: str
    status: str
    steps: int
    latest: Any
    error: str | None
    queue_position: int | None
    elapsed_s: float
    steps_per_s: float
    advances: int = 0  # training steps and single commands (Step D, Step G) taken since the run started

    @property
    def finished(self) -> bool:
        return self.status in FINISHED

    @property
    def active(self) -> bool:
        return self.status in (QUEUED, RUNNING, PAUSED)


class Run:
    """One training run driven by a daemon thread.

    Args:
        key: the run's name in its pool.
        job: what to train (its trainer is built in the thread, so heavy set-up never blocks a page).
        start_paused: wait for :meth:`resume` or :meth:`step` after the first snapshot.
        max_steps: stop (status done) at this training step; None runs until stopped.
        device: where the job trains.
        resume: continue the job from its checkpoint when there is one.
        checkpoint_root: where its checkpoints go (default :func:`models.runs.checkpoint.runs_dir`).
        publish_every_s: seconds between snapshots while it trains freely (single steps publish each).
    """

    def __init__(self, key: str, job: Job, *, pool: "RunPool | None" = None,
                 start_paused: bool = False, max_steps: int | None = None, owner: str | None = None,
                 device: str | None = None, resume: bool = False, checkpoint_root=None,
                 publish_every_s: float = PUBLISH_EVERY_S):
        if not isinstance(job, Job):
            raise TypeError(f"A run trains a models.runs.job.Job, not a {type(job).__name__}.")
        self.key = key
        self.owner = owner  # who started it (a browser session id), so a shared run's viewers can be told
        self.job = job
        self._device, self._resume, self._root = device or "cpu", resume, checkpoint_root
        self._publish_every_s = publish_every_s
        self._pool = pool
        self._cond = threading.Condition()
        self._status = CREATED
        self._paused = start_paused
        self._budget = 0  # steps still allowed while paused (single-stepping)
        self._commands: deque[Any] = deque()
        self._stop = False
        self._steps = 0
        self._advances = 0
        self._latest: Any = None
        self._error: str | None = None
        self.traceback: str | None = None
        self.exception: BaseException | None = None  # what the training raised (status error)
        self.resumed_from: int | None = None  # the checkpoint step a resumed job continued from
        self.checkpoint_error: str | None = None
        self._max_steps = max_steps
        self._t0: float | None = None
        self._t_end: float | None = None
        self._thread = threading.Thread(target=self._main, name=f"genlab-run-{key}", daemon=True)

    # -- control (any thread) --------------------------------------------------------------------------
    def start(self) -> "Run":
        if self._status == CREATED:
            self._status = QUEUED
            self._thread.start()
        return self

    def pause(self) -> None:
        with self._cond:
            self._paused, self._budget = True, 0
            if self._status == RUNNING:
                self._status = PAUSED
            self._cond.notify_all()

    def resume(self) -> None:
        with self._cond:
            self._paused = False
            if self._status == PAUSED:
                self._status = RUNNING
            self._cond.notify_all()

    def step(self, n: int = 1, command: Any = None) -> None:
        """Pause, then advance exactly ``n`` steps, sending ``command`` to the trainer for each."""
        with self._cond:
            self._paused = True
            if self._status == RUNNING:
                self._status = PAUSED
            self._budget += max(0, int(n))
            self._commands.extend([command] * max(0, int(n)))
            self._cond.notify_all()

    def stop(self) -> None:
        with self._cond:
            self._stop = True
            self._cond.notify_all()
        if self._pool is not None:
            self._pool._dequeue(self)

    def join(self, timeout: float | None = None) -> bool:
        """Wait for the thread to end; True when it has."""
        if self._status == CREATED:
            return True
        self._thread.join(timeout)
        return not self._thread.is_alive()

    def snapshot(self) -> Snapshot:
        with self._cond:
            now = self._t_end or time.perf_counter()
            elapsed = (now - self._t0) if self._t0 else 0.0
            pos = self._pool._position(self) if (self._pool and self._status == QUEUED) else None
            return Snapshot(self.key, self._status, self._steps, self._latest, self._error, pos,
                            elapsed, self._steps / elapsed if elapsed > 0 else 0.0, self._advances)

    # -- the thread ------------------------------------------------------------------------------------
    def _make_trainer(self):
        fam = family(self.job.family)
        if fam.threads:
            limit_this_thread(fam.threads)
        trainer = make_trainer(self.job, self._device)
        if hasattr(trainer, "report"):
            trainer.report = lambda: self._report(trainer)
        if self._resume:
            self.resumed_from = checkpoint.load(trainer, self._root)
        return trainer

    def _checkpoint(self, trainer) -> None:
        """Save the trainer's state (atomically); a failure is reported, never fatal to the run."""
        try:
            checkpoint.save(trainer, self._root)
            self.checkpoint_error = None
        except Exception as exc:  # noqa: BLE001 - a full disk must not kill the training shown on a page
            self.checkpoint_error = f"{type(exc).__name__}: {exc}"

    def _report(self, trainer) -> None:
        self._publish(trainer)
        if self._stop:
            raise StopRequested

    def _main(self) -> None:
        _LOCAL.run = self
        try:
            if self._pool is not None and not self._pool._acquire(self):
                self._finish(STOPPED)
                return
            with self._cond:
                if self._stop:
                    self._finish_locked(STOPPED)
                    return
                self._status = PAUSED if self._paused else RUNNING
                self._t0 = time.perf_counter()
            trainer = self._make_trainer()
            self._publish(trainer)
            t_pub = t_ckpt = time.perf_counter()
            published = saved = trainer.step
            while True:
                with self._cond:
                    waiting = self._paused and self._budget == 0 and not self._stop
                if waiting:  # about to wait: show and save where the run stands
                    if published != trainer.step:
                        self._publish(trainer)
                        published = trainer.step
                    if saved != trainer.step:
                        self._checkpoint(trainer)
                        saved, t_ckpt = trainer.step, time.perf_counter()
                with self._cond:
                    while self._paused and self._budget == 0 and not self._stop:
                        self._cond.wait(0.5)
                    if self._stop:
                        break
                    if self._max_steps is not None and trainer.step >= self._max_steps:
                        break
                    command = self._commands.popleft() if self._commands else None
                    single = self._paused
                    if self._paused:
                        self._budget -= 1
                try:
                    trainer.advance(command)
                except StopIteration:  # a trainer whose run is complete (all its epochs) says so this way
                    break
                except StopRequested:
                    break
                self._advances += 1
                now = time.perf_counter()
                if single or now - t_pub >= self._publish_every_s or (
                        self._max_steps is not None and trainer.step >= self._max_steps):
                    self._publish(trainer)
                    published, t_pub = trainer.step, now
                else:
                    with self._cond:
                        self._steps = trainer.step
                if now - t_ckpt >= checkpoint.CHECKPOINT_EVERY_S:
                    self._checkpoint(trainer)
                    saved, t_ckpt = trainer.step, time.perf_counter()
            if published != trainer.step:
                self._publish(trainer)
            if saved != trainer.step:
                self._checkpoint(trainer)
            self._finish(STOPPED if self._stop else DONE)
        except BaseException as exc:  # noqa: BLE001 - anything the training code raises is shown in the UI
            self.traceback, self.exception = traceback.format_exc(), exc
            with self._cond:
                self._error = f"{type(exc).__name__}: {exc}"
                self._finish_locked(ERROR)
        finally:
            _LOCAL.run = None
            if self._pool is not None:
                self._pool._release(self)

    def _publish(self, trainer) -> None:
        value = trainer.snapshot()  # copied out here, in the training thread, between steps
        with self._cond:
            self._latest = value
            self._steps = trainer.step

    def _finish(self, status: str) -> None:
        with self._cond:
            self._finish_locked(status)

    def _finish_locked(self, status: str) -> None:
        self._status = status
        self._t_end = time.perf_counter()
        self._cond.notify_all()
