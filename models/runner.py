"""Background training runs that a web page can watch, pause, single-step, stop and resume.

A run trains a :class:`~models.runs.job.Job` (data: family, config, dataset, seed). A :class:`Run` builds the
job's trainer in a daemon thread and drives it one step at a time (:mod:`models.runs.family`); every
``publish_every_s`` it copies a snapshot out (a value: numpy arrays and numbers), which the UI polls with
:meth:`Run.snapshot` a few times a second and never blocks on. On pause, stop, finish and every
``CHECKPOINT_EVERY_S`` of training the run writes a resumable checkpoint (:mod:`models.runs.checkpoint`);
``resume=True`` continues from it, exactly where it stopped.

Older pages still pass a *factory* (a function returning a generator that yields one state per step and may
receive a command through ``send``); such runs cannot be checkpointed or sent to another process.

A :class:`RunPool` caps how many runs train at once (the machine has few cores): runs past the cap
wait in a FIFO queue and report their position, and a full queue refuses new runs with :class:`PoolBusy`.
Runs are named by a key, so a run keyed ``"gan/shared"`` is shared by everyone who asks for that key
(a lecturer's projector and the students' laptops), while ``"gan/<session id>"`` belongs to one tab.

Errors raised inside training stop the run, free its slot and are kept in the snapshot.
"""

from __future__ import annotations

import os
import threading
import time
import traceback
from collections import deque
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, Callable, Generator

if TYPE_CHECKING:
    from .runs.job import Job

StepGenerator = Generator[Any, Any, Any]
Factory = Callable[[], StepGenerator]
PUBLISH_EVERY_S = 0.5  # a job's snapshots are copied out this often while it trains freely

CREATED, QUEUED, RUNNING, PAUSED, DONE, STOPPED, ERROR = (
    "created", "queued", "running", "paused", "done", "stopped", "error")
FINISHED = (DONE, STOPPED, ERROR)


class PoolBusy(RuntimeError):
    """Too many runs are training or waiting; the message says how many and what to do."""


@dataclass(frozen=True)
class Snapshot:
    """A consistent view of a run for the UI.

    Attributes:
        status: one of created, queued, running, paused, done, stopped, error.
        steps: the trainer's training steps (a factory run: values its generator yielded).
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


class _GeneratorTrainer:
    """A factory's generator seen as a trainer (one value per step; no checkpoints)."""

    checkpoints = False

    def __init__(self, factory: Factory):
        self._gen = factory()
        self._latest = next(self._gen)
        self.step = 1  # values yielded (as these runs always counted)

    def advance(self, command: Any = None) -> None:
        self._latest = self._gen.send(command)
        self.step += 1

    def snapshot(self) -> Any:
        return self._latest

    def close(self) -> None:
        self._gen.close()


class Run:
    """One training run driven by a daemon thread.

    Args:
        key: the run's name in its pool.
        source: the :class:`~models.runs.job.Job` to train (its trainer is built in the thread, so heavy
            set-up never blocks a page), or a legacy factory returning a step generator.
        start_paused: wait for :meth:`resume` or :meth:`step` after the first snapshot.
        max_steps: stop (status done) at this training step; None runs until stopped (or the generator ends).
        device: where a job trains.
        resume: continue a job from its checkpoint when there is one.
        checkpoint_root: where a job's checkpoints go (default :func:`models.runs.checkpoint.runs_dir`).
        publish_every_s: seconds between snapshots while a job trains freely (single steps publish each).
    """

    def __init__(self, key: str, source: "Job | Factory", *, pool: "RunPool | None" = None,
                 start_paused: bool = False, max_steps: int | None = None, owner: str | None = None,
                 device: str | None = None, resume: bool = False, checkpoint_root=None,
                 publish_every_s: float = PUBLISH_EVERY_S):
        from .runs.job import Job

        self.key = key
        self.owner = owner  # who started it (a browser session id), so a shared run's viewers can be told
        self.job = source if isinstance(source, Job) else None
        self._factory = None if self.job is not None else source
        self._device, self._resume, self._root = device or "cpu", resume, checkpoint_root
        self._publish_every_s = publish_every_s if self.job is not None else 0.0
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
        if self.job is None:
            return _GeneratorTrainer(self._factory)
        from .runs import checkpoint
        from .runs.family import family, make_trainer
        from .threads import limit_this_thread

        fam = family(self.job.family)
        if fam.threads:
            limit_this_thread(fam.threads)
        trainer = make_trainer(self.job, self._device)
        if self._resume:
            self.resumed_from = checkpoint.load(trainer, self._root)
        return trainer

    def _checkpoint(self, trainer) -> None:
        """Save a job's state (atomically); a failure is reported, never fatal to the run."""
        if self.job is None:
            return
        from .runs import checkpoint

        try:
            checkpoint.save(trainer, self._root)
            self.checkpoint_error = None
        except Exception as exc:  # noqa: BLE001 - a full disk must not kill the training shown on a page
            self.checkpoint_error = f"{type(exc).__name__}: {exc}"

    def _main(self) -> None:
        from .runs.checkpoint import CHECKPOINT_EVERY_S

        trainer = None
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
                trainer.advance(command)
                self._advances += 1
                now = time.perf_counter()
                if single or now - t_pub >= self._publish_every_s or (
                        self._max_steps is not None and trainer.step >= self._max_steps):
                    self._publish(trainer)
                    published, t_pub = trainer.step, now
                else:
                    with self._cond:
                        self._steps = trainer.step
                if now - t_ckpt >= CHECKPOINT_EVERY_S:
                    self._checkpoint(trainer)
                    saved, t_ckpt = trainer.step, time.perf_counter()
            if published != trainer.step:
                self._publish(trainer)
            if saved != trainer.step:
                self._checkpoint(trainer)
            self._finish(STOPPED if self._stop else DONE)
        except StopIteration:
            self._finish(DONE)
        except BaseException as exc:  # noqa: BLE001 - anything the training code raises is shown in the UI
            self.traceback = traceback.format_exc()
            with self._cond:
                self._error = f"{type(exc).__name__}: {exc}"
                self._finish_locked(ERROR)
        finally:
            if trainer is not None and hasattr(trainer, "close"):
                try:
                    trainer.close()
                except BaseException:  # noqa: BLE001
                    pass
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

    def submit(self, key: str, source: "Job | Factory", *, start_paused: bool = False,
               max_steps: int | None = None, owner: str | None = None, device: str | None = None,
               resume: bool = False, checkpoint_root=None) -> Run:
        """Start a new run of ``source`` (a job; or a legacy factory) under ``key``, stopping any earlier run
        with that key. ``resume``: a job continues from its checkpoint when there is one.

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
            run = Run(key, source, pool=self, start_paused=start_paused, max_steps=max_steps, owner=owner,
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
