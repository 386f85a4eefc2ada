"""The GAN lab's run controls: Play / Resume, Pause, Step D, Step G, Step, Stop, New run.

Used inside an ``st.fragment(run_every=...)``; the run itself is a :class:`models.runner.Run` from the
shared pool. A shared run (lecture mode) obeys only the browser that started it, or one that opened the
lecturer link (:func:`ui.live.may_control`): the other viewers see who controls it, their buttons are
disabled, and a click that arrives anyway (a button drawn before the run changed hands) is refused here,
not only greyed out.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from models.runner import PAUSED, QUEUED, RUNNING, Run

from . import live

LABELS = ("Play", "Resume", "Pause", "Step D", "Step G", "Step", "Stop", "New run")


def _refuse(reason: str) -> None:
    st.warning(f"Not done: {reason}", icon=":material/lock:")


def controls(key: str, factory: Callable, *, prefix: str, single_steps: bool, max_steps: int | None,
             container=None) -> Run | None:
    """Draw the buttons, act on a click this browser may make, and return the run under ``key`` (or None).

    Args:
        key: the run's pool key (``gan/shared`` or ``gan/<session>``).
        factory: makes the training generator for a new run (called in the run's thread).
        prefix: widget-key prefix, unique per mode.
        single_steps: show "Step D" and "Step G" (2D toys) besides "Step".
        max_steps: a run stops by itself after this many values (steps); None: when its generator ends.
        container: where to draw (default: here).
    """
    where = container if container is not None else st.container()
    run = live.pool().get(key)
    snap = run.snapshot() if run is not None else None
    active = snap is not None and snap.active
    paused = active and snap.status == PAUSED
    playing = active and snap.status in (RUNNING, QUEUED)
    # one rule for every button: a live run obeys who may control it; with none, who may start one
    verdict = live.may_start(key)
    locked = not verdict.allowed
    row = where.container(horizontal=True, gap="small")
    clicked = {
        # "Resume" continues a run that has trained; a new run waiting at step 0 just plays
        "play": row.button("Resume" if paused and snap.steps > 1 else "Play", icon=":material/play_arrow:",
                           key=f"{prefix}_play",
                           type="primary", disabled=locked or playing,
                           help="Continue this run." if paused else "Start a new run with the current settings "
                                                                    "and train continuously."),
        "pause": row.button("Pause", icon=":material/pause:", key=f"{prefix}_pause", disabled=locked or not playing,
                            help="Pause training; Resume or Step continue from here."),
    }
    if single_steps:
        clicked["d"] = row.button("Step D", icon=":material/skip_next:", key=f"{prefix}_step_d", disabled=locked,
                                  help="One discriminator update only.")
        clicked["g"] = row.button("Step G", icon=":material/skip_next:", key=f"{prefix}_step_g", disabled=locked,
                                  help="One generator update only.")
    clicked["both"] = row.button("Step", icon=":material/redo:", key=f"{prefix}_step", disabled=locked,
                                 help="One full step: k discriminator updates, then one generator update.")
    clicked["stop"] = row.button("Stop", icon=":material/stop:", key=f"{prefix}_stop", disabled=locked or not active,
                                 help="End this run (for every viewer of a shared run).")
    clicked["new"] = row.button("New run", icon=":material/restart_alt:", key=f"{prefix}_new", disabled=locked,
                                help="Fresh weights with the current settings, paused at step 0.")
    if locked:
        where.caption(f":material/lock: {verdict.reason}")
    elif active and live.is_shared(key):
        where.caption(f":material/groups: {live.controlled_by(run)}")
    if not any(clicked.values()):
        return run
    verdict = live.may_start(key)  # again at click time: the run may have changed hands since it was drawn
    if not verdict.allowed:
        _refuse(verdict.reason)
        return run
    if clicked["play"]:
        if paused:
            run.resume()
        elif not playing:
            run = live.start(key, factory, max_steps=max_steps)
    elif clicked["pause"] and run is not None:
        run.pause()
    elif clicked["stop"] and run is not None:
        run.stop()
    elif clicked["new"]:
        run = live.start(key, factory, start_paused=True, max_steps=max_steps)
    else:
        for command in ("d", "g", "both"):
            if clicked.get(command):
                if run is None or not run.snapshot().active:
                    run = live.start(key, factory, start_paused=True, max_steps=max_steps)
                if run is not None:
                    run.step(1, command=command)
    return run
