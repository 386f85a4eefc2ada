"""Live training runs on a page: shared or per-session runs from :mod:`models.runs.run`.

Pattern (the only one that survives widget clicks):

    key = live.run_key("gan", shared=shared)
    every = live.poll_every(key, shared, 0.5)                     # None while idle: no redraws
    @st.fragment(run_every=every)
    def panel():
        run = live.pool().get(key)
        if st.button("Start"):
            run = live.start(key, job)                           # a models.runs.Job
        live.sync_polling(run, every, 0.5)                        # started or ended: rerun the page once
        snap = live.show_status(run)                              # queued / error / done messages
        ... draw snap.latest ...
    panel()
"""

from __future__ import annotations

import hmac
import os
import shutil
import threading
import time
import weakref
from collections import OrderedDict
from dataclasses import asdict, dataclass
from pathlib import Path
from typing import Any, Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from models.runs import backend
from models.runs.job import Job
from models.runs.pool import PoolBusy, RunPool
from models.runs.run import ERROR, QUEUED, STOPPED, Run, Snapshot


@st.cache_resource(show_spinner=False)
def pool() -> RunPool:
    """The process-wide run pool (one for every user of this server): its threads, or the Ray cluster's
    pool when ``GENLAB_RAY_ADDRESS`` is set (:mod:`models.runs.backend`; same methods, same runs)."""
    return backend.pool()


def session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def _release(key: str) -> None:
    run = backend.pool().get(key)
    backend.pool().release(key)
    if run is not None:
        run.join(10)  # its last checkpoint is written as it stops
    shutil.rmtree(checkpoint_root(key), ignore_errors=True)  # a closed tab's checkpoints go with it


@st.cache_resource(scope="session", on_release=_release, show_spinner=False)
def _session_key(name: str) -> str:
    """A per-tab key; when the tab closes, Streamlit releases it and the run is stopped."""
    return f"{name}/{session_id()}"


def started_elsewhere(run: Run | None) -> bool:
    """True for a live shared run that another browser session started (the lecturer's, say)."""
    return (run is not None and run.key.endswith("/shared") and run.snapshot().active
            and run.owner not in (None, session_id()))


def run_key(name: str, *, shared: bool) -> str:
    """``name/shared`` for the run everyone watches, ``name/<session>`` for this tab's own."""
    return f"{name}/shared" if shared else _session_key(name)


def checkpoint_root(key: str) -> Path:
    """Where the runs under ``key`` keep their checkpoints: one folder per key (a tab's folder goes when the
    tab closes; a shared run's stays, so a lecture continues after a server restart)."""
    from models.runs.checkpoint import runs_dir

    return runs_dir() / key.replace("/", "__")


def start(key: str, job: Job, *, start_paused: bool = False, max_steps: int | None = None,
          device: str | None = None, resume: bool = False) -> Run | None:
    """Submit a run of ``job``; returns None when the pool is full (then :func:`show_status` says the machine
    is busy)."""
    try:
        run = pool().submit(key, job, start_paused=start_paused, max_steps=max_steps, owner=session_id(),
                            device=device, resume=resume, checkpoint_root=checkpoint_root(key))
    except PoolBusy as exc:
        # kept for a while: the page's fragment redraws twice a second and would wipe a plain warning
        st.session_state[_BUSY] = (str(exc), time.monotonic())  # show_status draws it
        return None
    st.session_state.pop(_BUSY, None)
    _STARTED[run] = Started(session_id(), time.time(), is_lecturer())
    if hasattr(run, "set_started"):  # a run on the cluster: the other replicas show who started it too
        run.set_started(asdict(_STARTED[run]))
    if is_shared(key):
        _present(session_id())  # so the run's control passes on when this browser leaves
    return run


def train_to_end(key: str, job, label: str) -> Run | None:
    """Train ``job`` through the pool under ``key`` and wait for it here, drawing its progress (and its place
    in the queue while the machine is busy). Everyone asking for the same key shares the one run: a class
    that opens a page with the same settings trains it once. Returns the run when it finished (done), else
    None after :func:`show_status` said why (an error, a stop, or a full queue)."""
    from models.runs.run import DONE
    from models.runs.family import family

    total = family(job.family).total_steps(job)
    run = pool().get(key)
    if run is None or run.job != job or run.snapshot().status in (STOPPED, ERROR):
        run = start(key, job, max_steps=total)
    if run is None:
        show_status(None)
        return None
    bar = st.progress(0.0, text=label)
    while not run.snapshot().finished:
        snap = run.snapshot()
        if snap.status == QUEUED:
            bar.progress(0.0, text=f"{label}: waiting for a free training slot (position {snap.queue_position})")
        elif total:
            bar.progress(min(1.0, snap.steps / total), text=f"{label}: step {snap.steps:,} of {total:,}")
        time.sleep(0.2)
    bar.empty()
    if run.snapshot().status != DONE:
        show_status(run)
        return None
    return run


# -- who controls a shared run ------------------------------------------------------------------------
# A shared run (key ``name/shared``) is on the lecture-hall projector and on every student's laptop. Only
# the browser session that started it, or a browser that opened a lecturer link (``?lecturer=<token>``
# with the server's GENLAB_LECTURER_TOKEN), may pause, resume, step, stop or replace it. When a token is
# set, only lecturer browsers may start a shared run at all; without one, anyone may start one when none
# is live (and then controls it alone). When the starting browser leaves (its session ends), control
# passes to whoever may start a run. A run of one tab (``name/<session>``) is only ever seen by that tab.

LECTURER_TOKEN_ENV = "GENLAB_LECTURER_TOKEN"
LECTURER_PARAM = "lecturer"
_LECTURER = "_genlab_lecturer"


class NotInControl(PermissionError):
    """This browser may not control the shared run; the message says who does and what to do."""


@dataclass(frozen=True)
class Started:
    """Who started a run: ``session`` (Streamlit session id), ``at`` (Unix time), ``lecturer`` (it held a
    valid lecturer link)."""

    session: str
    at: float
    lecturer: bool


@dataclass(frozen=True)
class Control:
    """Whether this browser may act on a run: ``allowed``, and ``reason`` (a sentence for the viewers who
    may not, empty when allowed)."""

    allowed: bool
    reason: str = ""


_STARTED: "weakref.WeakKeyDictionary[Run, Started]" = weakref.WeakKeyDictionary()
_GONE: set[str] = set()  # sessions that ended (Streamlit released their session-scoped resources)
_GONE_LOCK = threading.Lock()


def is_shared(key: str) -> bool:
    return key.endswith("/shared")


def lecturer_token_set() -> bool:
    return bool(os.environ.get(LECTURER_TOKEN_ENV, ""))


def token_matches(token: str | None) -> bool:
    """True when ``token`` equals GENLAB_LECTURER_TOKEN (constant-time comparison); False when unset."""
    expected = os.environ.get(LECTURER_TOKEN_ENV, "")
    return bool(expected) and token is not None and hmac.compare_digest(token.encode(), expected.encode())


def is_lecturer() -> bool:
    """This session opened a valid lecturer link. Call it on every page run: the first time it reads
    ``?lecturer=<token>``, remembers the result for the session and removes the token from the address
    bar (a projector shows the URL to the room)."""
    if st.session_state.get(_LECTURER):
        return True
    token = st.query_params.get(LECTURER_PARAM)
    if token is None:
        return False
    del st.query_params[LECTURER_PARAM]
    if token_matches(token):
        st.session_state[_LECTURER] = True
        return True
    st.session_state[_LECTURER + "_refused"] = True
    return False


def lecturer_link_refused() -> str | None:
    """A sentence for a browser whose lecturer link was refused (once), else None."""
    if not st.session_state.pop(_LECTURER + "_refused", False):
        return None
    if not lecturer_token_set():
        return (f"This server has no lecturer token ({LECTURER_TOKEN_ENV} is not set), so the lecturer link "
                "gives no control: you control the shared runs you start yourself.")
    return "The lecturer link's token is wrong: you are watching as a viewer. Ask for the link again."


def _left(session: str) -> None:
    with _GONE_LOCK:
        _GONE.add(session)


@st.cache_resource(scope="session", on_release=_left, show_spinner=False)
def _present(session: str) -> str:
    """Held while the session lives; Streamlit releases it (``_left``) when the browser has gone."""
    return session


def started(run: Run | None) -> Started | None:
    """Who started ``run``: this replica remembers the runs its browsers started; a run on the cluster also
    carries it, for the other replicas."""
    if run is None:
        return None
    who = _STARTED.get(run)
    carried = getattr(run, "started_by", None)
    return who if who is not None or not carried else Started(**carried)


def may_start(key: str) -> Control:
    """May this session start a new run under ``key`` (replacing the one there)?"""
    if not is_shared(key) or is_lecturer():
        return Control(True)
    run = pool().get(key)
    if run is not None and run.snapshot().active:
        return may_control(run)
    if lecturer_token_set():
        return Control(False, "Only the lecturer starts shared runs here (with the lecturer link); "
                              "turn *Shared run* off to train your own.")
    return Control(True)


def may_control(run: Run | None) -> Control:
    """May this session pause, resume, step, stop or replace ``run``? Always for a tab's own run."""
    if run is None or not is_shared(run.key) or is_lecturer():
        return Control(True)
    who = started(run)
    owner = who.session if who is not None else run.owner
    if owner == session_id():
        return Control(True)
    with _GONE_LOCK:
        gone = owner in _GONE
    if gone and not lecturer_token_set():
        return Control(True)
    return Control(False, controlled_by(run) + " You watch it live; to train with your own settings, "
                          "turn *Shared run* off.")


def controlled_by(run: Run) -> str:
    """"Controlled by the lecturer's browser, started at 14:05 UTC." and the like."""
    who = started(run)
    if who is None:
        return "Controlled by the browser that started it."
    at = time.strftime("%H:%M UTC", time.gmtime(who.at))
    if who.session == session_id():
        return f"You control this run (you started it at {at})."
    if who.lecturer:
        return f"Controlled by the lecturer's browser, started at {at}."
    return f"Controlled by the browser that started it at {at}."


def check_control(run: Run | None) -> None:
    """Raise :class:`NotInControl` unless this session may act on ``run``."""
    control = may_control(run)
    if not control.allowed:
        raise NotInControl(control.reason)


_BUSY = "_genlab_pool_busy"
BUSY_SHOWN_S = 20.0


def _show_busy() -> None:
    busy = st.session_state.get(_BUSY)
    if busy is not None and time.monotonic() - busy[1] < BUSY_SHOWN_S:
        st.warning(busy[0], icon=":material/hourglass_top:")


SHARED_IDLE_POLL_S = 3.0


def poll_every(key: str, shared: bool, fast: float) -> float | None:
    """The ``run_every`` of a run's panel fragment, decided at each full run of the page.

    ``fast`` while the run under ``key`` is active (queued, training or paused); every
    ``SHARED_IDLE_POLL_S`` seconds for an idle shared run (to pick up one another browser starts); never
    for an idle run of this tab. An idle page must cost the server nothing: thirty open tabs whose panels
    redrew once a second kept a 2-core server busy and made every slider wait (bench ``load``).
    Pair it with :func:`sync_polling` inside the fragment.
    """
    run = pool().get(key)
    if run is not None and run.snapshot().active:
        return fast
    return SHARED_IDLE_POLL_S if shared else None


def sync_polling(run: Run | None, polling_every: float | None, fast: float) -> None:
    """Inside a panel fragment: rerun the whole page once when the run's state no longer matches the
    polling the page set up (a run was just started: start polling; it ended: stop)."""
    active = run is not None and run.snapshot().active
    if active != (polling_every == fast):
        st.rerun(scope="app")


def show_status(run: Run | None) -> Snapshot | None:
    """Render busy / queued / error / stopped messages for a run and return its snapshot.

    Call it after :func:`start` in the same run: a refused start ("the machine is busy") is shown here,
    for ``BUSY_SHOWN_S`` seconds of redraws.
    """
    _show_busy()
    if run is None:
        return None
    snap = run.snapshot()
    if snap.status == QUEUED:
        running, queued = pool().counts()
        st.info(f"Waiting for a free training slot: position {snap.queue_position} of {queued} "
                f"({running} runs are training; the limit is {pool().max_running}).",
                icon=":material/hourglass_top:")
    elif snap.status == ERROR and getattr(run, "lost", False):
        _show_lost(run, snap)
    elif snap.status == ERROR:
        st.error(f"Training stopped with an error: {snap.error}. Change the settings (a smaller learning "
                 f"rate, say) and start again; the rest of the page still works.", icon=":material/error:")
    elif snap.status == STOPPED:
        st.caption(f"Stopped after {snap.steps:,} steps.")
    return snap


def _show_lost(run, snap: Snapshot) -> None:
    """A run whose worker process died (on the cluster): what happened, and how to go on."""
    from models.runs.checkpoint import saved_step

    saved = saved_step(run.job, checkpoint_root(run.key)) if run.job is not None else None
    then = (f" Press **Continue from step {saved:,}** to resume from its last checkpoint." if saved else
            " It left no checkpoint: press **Play** to start again.")
    st.error(snap.error + then, icon=":material/heart_broken:")


_FIGURES: OrderedDict[tuple, tuple[tuple, Any]] = OrderedDict()
_FIGURES_LOCK = threading.Lock()
FIGURES_KEPT = 32


def figure(make: Callable, *sources: Any, **options: Any) -> Any:
    """``make(*sources, **options)``, built once per snapshot however many sessions draw it.

    Everyone watching a shared run draws the same snapshot objects (views, histories) each second; building
    a plotly figure is pure Python that holds the GIL for tens of milliseconds, time the training thread
    then waits for. Entries are keyed by the identity of ``sources`` (snapshots are never mutated) and
    keep them alive, so an id cannot be reused while cached; ``options`` must be hashable.
    """
    key = (make.__module__, make.__qualname__, tuple(map(id, sources)), tuple(sorted(options.items())))
    with _FIGURES_LOCK:
        hit = _FIGURES.get(key)
        if hit is not None and all(a is b for a, b in zip(hit[0], sources)):
            _FIGURES.move_to_end(key)
            return hit[1]
    fig = make(*sources, **options)
    with _FIGURES_LOCK:
        _FIGURES[key] = (sources, fig)
        while len(_FIGURES) > FIGURES_KEPT:
            _FIGURES.popitem(last=False)
    return fig
