"""The ``fit`` family: a whole model trained by its package's ``fit`` function, as a run of the pool.

Some models a page needs whole, not watched step by step: the anomaly detector for a digit that no
weights ship for, anything on a dataset without shipped weights. Their package trains them with one call,
``fit(model, config, device, on_step) -> metrics``. :func:`models.checkpoints.load_or_train` does not make
that call in the page's thread: it sends it to the run pool as a job, so it is capped and queued with every
other training on the machine, and waits for it::

    job = fit_job(config, build, fit)    # data: the config and the import names of the two functions
    run = pool.submit(key, job)          # one step is the whole fit; it publishes progress from inside
    # ... done: the weights are in the user cache, where load_or_train reads them

The job names ``build`` and ``fit`` by import path (``models.zoo.variants:build``), never holds them, so it
stays data. Its one step is long, so the trainer publishes a :class:`FitProgress` from inside it (through
the run's ``report`` hook) and stops between two of the fit's own steps when the run is stopped. A fit that
is interrupted starts over: its product is the finished weights file, written atomically at the end.
"""

from __future__ import annotations

import importlib
import threading
import time
from dataclasses import dataclass
from typing import Any, Callable

import torch

from .family import Family, register
from .job import Job

REPORT_EVERY_S = 0.2  # progress snapshots from inside the fit, at most this often
_SUBMITTING = threading.Lock()


@dataclass(frozen=True)
class FitSpec:
    """What a ``fit`` job trains: ``build`` and ``fit`` as ``"package.module:function"``, and the config."""

    build: str
    fit: str
    config: Any


@dataclass(frozen=True)
class FitProgress:
    """A fit job's snapshot.

    Attributes:
        step, total: the fit's own step counter (what its ``on_step`` reports), 0 of 0 before it starts.
        logs: the numbers it reported with that step (``loss``, ...), as (name, value) pairs.
        done: the weights are written (to ``path``).
        trained_on: the device the weights were trained on (the CPU after an accelerator ran out of memory).
        warnings: sentences for the page (e.g. that out-of-memory fallback).
    """

    step: int = 0
    total: int = 0
    logs: tuple[tuple[str, float], ...] = ()
    done: bool = False
    path: str | None = None
    trained_on: str | None = None
    warnings: tuple[str, ...] = ()


def import_name(fn: Callable) -> str:
    """``"module:qualname"`` of a module-level function, so a job can name it.

    Raises:
        TypeError: ``fn`` is a lambda, a closure or a method a job could not name.
    """
    module, qualname = getattr(fn, "__module__", None), getattr(fn, "__qualname__", "")
    if not module or "<" in qualname or resolve(f"{module}:{qualname}") is not fn:
        raise TypeError(f"{fn!r} is not a module-level function, so a training job cannot name it; "
                        "define build and fit at the top of a module.")
    return f"{module}:{qualname}"


def resolve(name: str) -> Callable:
    """The function an :func:`import_name` names."""
    module, _, qualname = name.partition(":")
    obj: Any = importlib.import_module(module)
    for part in qualname.split("."):
        obj = getattr(obj, part, None)
    return obj


def fit_job(config: Any, build: Callable, fit: Callable) -> Job:
    return Job("fit", FitSpec(import_name(build), import_name(fit), config))


class FitTrainer:
    """Trains the job's model in one :meth:`advance` and writes it to the user cache."""

    def __init__(self, job: Job, device: torch.device):
        self.job, self.spec, self.device = job, job.config, device
        self.step = 0
        self.report: Callable[[], None] | None = None  # set by the run: publish now (raises if stopped)
        self._progress = FitProgress()
        self._t_report = 0.0

    def _on_step(self, step: int, total: int, logs: dict) -> None:
        values = tuple((str(k), float(v)) for k, v in (logs or {}).items() if isinstance(v, (int, float)))
        self._progress = FitProgress(int(step), int(total), values)
        now = time.perf_counter()
        if self.report is not None and now - self._t_report >= REPORT_EVERY_S:
            self._t_report = now
            self.report()

    def advance(self, command=None) -> None:
        from ..checkpoints import fit_with_cpu_fallback, save_checkpoint, weight_paths

        if self.step >= 1:
            raise StopIteration
        config, warnings = self.spec.config, []
        model, device, metrics = fit_with_cpu_fallback(config, resolve(self.spec.build), resolve(self.spec.fit),
                                                       self.device, self._on_step, warnings)
        path = save_checkpoint(weight_paths(config)[1], model, config, metrics)
        p = self._progress
        self._progress = FitProgress(p.step, p.total, p.logs, True, str(path), str(device), tuple(warnings))
        self.step = 1

    def snapshot(self) -> FitProgress:
        return self._progress

    def state_dict(self) -> dict:
        return {"step": self.step}  # the product is the weights file; an interrupted fit starts over

    def load_state_dict(self, state: dict) -> None:
        self.step = int(state["step"])

    def modules(self) -> dict[str, torch.nn.Module]:
        return {}


FIT = register(Family("fit", FitTrainer, code=(FitTrainer.advance,), total_steps=lambda job: 1, threads=None))


def train_in_pool(config: Any, build: Callable, fit: Callable, device: torch.device,
                  on_step: Callable[[int, int, dict], None] | None = None,
                  on_wait: Callable[[str], None] | None = None, pool=None) -> FitProgress:
    """Train ``config``'s model through ``pool`` (default: the app's) and wait for it; returns the last
    :class:`FitProgress` (done, with the weights file's path).

    While it waits it forwards the fit's progress to ``on_step`` and says to ``on_wait`` why nothing moves
    (waiting for a free slot, or a full queue: then it asks again every second). Everyone asking for the
    same config and device joins the one run, also a caller whose page was left while it trained.

    Raises:
        the fit's own exception when it failed; RuntimeError when the run was stopped.
    """
    from .pool import PoolBusy, default_pool
    from .run import QUEUED

    pool = pool or default_pool()
    job = fit_job(config, build, fit)
    key = f"fit/{job.digest()}/{device}"
    while True:
        with _SUBMITTING:  # two callers at once: the second finds the first's run and joins it
            run = pool.get(key)
            if run is None or run.job != job or run.snapshot().finished:
                try:
                    run = pool.submit(key, job, max_steps=1, device=str(device))
                except PoolBusy as exc:
                    run, why = None, str(exc)
        if run is not None:
            break
        if on_wait:
            on_wait(why)
        time.sleep(1.0)
    shown = None
    while not (snap := run.snapshot()).finished:
        latest = snap.latest
        if snap.status == QUEUED:
            if on_wait:
                on_wait(f"Waiting for a free training slot: place {snap.queue_position} in the queue.")
        elif latest is not None and latest.total and on_step and latest.step != shown:
            shown = latest.step
            on_step(latest.step, latest.total, dict(latest.logs))
        time.sleep(0.1)
    latest = snap.latest
    if latest is not None and latest.total and on_step and latest.step != shown:
        on_step(latest.step, latest.total, dict(latest.logs))  # the last progress, also of a quick fit
    if snap.error:
        raise run.exception if run.exception is not None else RuntimeError(snap.error)
    if snap.latest is None or not snap.latest.done:
        raise RuntimeError(f"The training of {config!r} was stopped before it finished.")
    return snap.latest
