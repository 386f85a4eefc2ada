"""Live training runs on a page: shared or per-session runs from :mod:`models.runner`.

Pattern (the only one that survives widget clicks):

    key = live.run_key("gan", shared=shared)
    every = live.poll_every(key, shared, 0.5)                     # None while idle: no redraws
    @st.fragment(run_every=every)
    def panel():
        run = live.pool().get(key)
        if st.button("Start"):
            run = live.start(key, lambda: train_steps(config))   # a generator from models/
        live.sync_polling(run, every, 0.5)                        # started or ended: rerun the page once
        snap = live.show_status(run)                              # queued / error / done messages
        ... draw snap.latest ...
    panel()
"""

from __future__ import annotations

import threading
import time
from collections import OrderedDict
from typing import Any, Callable

import streamlit as st
from streamlit.runtime.scriptrunner import get_script_run_ctx

from models.runner import ERROR, QUEUED, STOPPED, PoolBusy, Run, RunPool, Snapshot, default_pool


@st.cache_resource(show_spinner=False)
def pool() -> RunPool:
    """The process-wide run pool (one for every user of this server)."""
    return default_pool()


def session_id() -> str:
    ctx = get_script_run_ctx()
    return ctx.session_id if ctx is not None else "no-session"


def _release(key: str) -> None:
    default_pool().release(key)


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


def start(key: str, factory: Callable, *, start_paused: bool = False,
          max_steps: int | None = None) -> Run | None:
    """Submit a run; returns None when the pool is full (then :func:`show_status` says the machine is busy)."""
    try:
        run = pool().submit(key, factory, start_paused=start_paused, max_steps=max_steps, owner=session_id())
    except PoolBusy as exc:
        # kept for a while: the page's fragment redraws twice a second and would wipe a plain warning
        st.session_state[_BUSY] = (str(exc), time.monotonic())  # show_status draws it
        return None
    st.session_state.pop(_BUSY, None)
    return run


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
    elif snap.status == ERROR:
        st.error(f"Training stopped with an error: {snap.error}. Change the settings (a smaller learning "
                 f"rate, say) and start again; the rest of the page still works.", icon=":material/error:")
    elif snap.status == STOPPED:
        st.caption(f"Stopped after {snap.steps:,} steps.")
    return snap


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
