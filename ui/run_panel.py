"""The one run panel: every page that trains live draws its controls with :func:`controls`.

Play / Resume, Pause, the family's single-step commands (the GAN lab's Step D and Step G), Step, Stop, New
run, "Continue from step N" (a job's checkpoint, after a stop or a server restart), the queue position,
progress towards the run's length and a failed run's error, with the same labels and behaviour on every
page. The run itself is a :class:`models.runs.run.Run` of a :class:`models.runs.job.Job` from the shared pool.

A shared run (lecture mode) obeys only the browser that started it, or one that opened the lecturer link
(:func:`ui.live.may_control`): the other viewers see who controls it, their buttons are disabled, and a
click that arrives anyway (a button drawn before the run changed hands) is refused here, not only greyed.

Use it inside an ``st.fragment(run_every=...)`` (see :mod:`ui.live`):

    run = run_panel.controls(key, job, prefix="toy", max_steps=2000, container=right)
    snap = live.show_status(run)
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from models.runs.run import PAUSED, QUEUED, RUNNING, Run
from models.runs import backend, checkpoint
from models.runs.family import family
from models.runs.job import Job

from . import code, data, live

LABELS = ("Play", "Resume", "Pause", "Step", "Stop", "New run", "Continue from step")


def _refuse(reason: str) -> None:
    st.warning(f"Not done: {reason}", icon=":material/lock:")


def saved_step(key: str, job: Job) -> int | None:
    """The step of this key's checkpoint of ``job``, or None."""
    return checkpoint.saved_step(job, live.checkpoint_root(key))


def controls(key: str, job: Job, *, prefix: str, max_steps: int | None,
             container=None, commands: tuple[tuple[str, str], ...] | None = None) -> Run | None:
    """Draw the buttons, act on a click this browser may make, and return the run under ``key`` (or None).

    Args:
        key: the run's pool key (``<page>/shared`` or ``<page>/<session>``, from :func:`ui.live.run_key`).
        job: what a new run trains.
        prefix: widget-key prefix, unique on the page.
        max_steps: the run's length in training steps (None: until stopped).
        container: where to draw (default: here).
        commands: single-step commands (default: the job's family's, e.g. Step D / Step G).
    """
    where = container if container is not None else st.container()
    where.html(f'<span id="{anchor(prefix)}"></span>')  # the target of skip_link(prefix)
    commands = family(job.family).commands if commands is None else commands
    run = live.pool().get(key)
    snap = run.snapshot() if run is not None else None
    active = snap is not None and snap.active
    paused = active and snap.status == PAUSED
    playing = active and snap.status in (RUNNING, QUEUED)
    # one rule for every button: a live run obeys who may control it; with none, who may start one
    verdict = live.may_start(key)
    locked = not verdict.allowed
    saved = None if active else saved_step(key, job)
    row = where.container(horizontal=True, gap="small")
    clicked = {
        # "Resume" continues a run that has trained; a new run waiting at step 0 just plays
        "play": row.button("Resume" if paused and snap.advances > 0 else "Play", icon=":material/play_arrow:",
                           key=f"{prefix}_play", type="primary", disabled=locked or playing,
                           help="Continue this run." if paused else "Start a new run with the current settings "
                                                                    "and train continuously."),
        "pause": row.button("Pause", icon=":material/pause:", key=f"{prefix}_pause", disabled=locked or not playing,
                            help="Pause training; Resume or Step continue from here."),
    }
    for command, label in commands:
        clicked[command] = row.button(label, icon=":material/skip_next:", key=f"{prefix}_step_{command}",
                                      disabled=locked, help=f"{label}: one update of that network only.")
    clicked["both"] = row.button("Step", icon=":material/redo:", key=f"{prefix}_step", disabled=locked,
                                 help="One full training step, then pause.")
    clicked["stop"] = row.button("Stop", icon=":material/stop:", key=f"{prefix}_stop", disabled=locked or not active,
                                 help="End this run (for every viewer of a shared run); its checkpoint stays.")
    clicked["new"] = row.button("New run", icon=":material/restart_alt:", key=f"{prefix}_new", disabled=locked,
                                help="Fresh weights with the current settings, paused at step 0.")
    resumable = saved is not None and saved > 0 and (max_steps is None or saved < max_steps)
    if resumable:
        clicked["continue"] = row.button(f"Continue from step {saved:,}", icon=":material/history:",
                                         key=f"{prefix}_continue", disabled=locked,
                                         help="Load this run's last checkpoint (weights, optimiser, step and "
                                              "random state) and train on from there.")
    if locked:
        where.caption(f":material/lock: {verdict.reason}")
    elif active and live.is_shared(key):
        where.caption(f":material/groups: {live.controlled_by(run)}")
    if isinstance(getattr(run, "device", None), str):  # a run on the cluster says where it trains
        where.caption(f":material/memory: Training on {run.device}.")
    if why := backend.fallback_reason():
        where.caption(f":material/cloud_off: {why}")
    if max_steps and snap is not None and snap.steps:
        where.progress(min(1.0, snap.steps / max_steps), text=f"Step {snap.steps:,} of {max_steps:,}")
    if not any(clicked.values()):
        return run
    verdict = live.may_start(key)  # again at click time: the run may have changed hands since it was drawn
    if not verdict.allowed:
        _refuse(verdict.reason)
        return run
    start = dict(max_steps=max_steps, device=str(data.device()))
    if clicked["play"]:
        # a queued run (waiting for a slot, or for its worker on the cluster to start) that New run made
        # paused: a Play drawn just before it was submitted still means "play it"
        if paused or (active and snap.status == QUEUED):
            run.resume()
        elif not playing:
            run = live.start(key, job, **start)
    elif clicked["pause"] and run is not None:
        run.pause()
    elif clicked["stop"] and run is not None:
        run.stop()
    elif clicked["new"]:
        run = live.start(key, job, start_paused=True, **start)
    elif clicked.get("continue"):
        run = live.start(key, job, resume=True, **start)
    else:
        for command in [c for c, _ in commands] + ["both"]:
            if clicked.get(command):
                if run is None or not run.snapshot().active:
                    run = live.start(key, job, start_paused=True, **start)
                if run is not None:
                    run.step(1, command=command)
    return run


def anchor(prefix: str) -> str:
    return f"run-controls-{prefix}"


def skip_link(prefix: str, what: str = "the training controls") -> None:
    """A link at the top of a page that jumps to the run panel drawn with ``prefix`` (WCAG 2.4.1: a keyboard
    reaches Play in two key presses instead of tabbing through every setting and chart first)."""
    st.markdown(f"[:material/keyboard_tab: Skip to {what}](#{anchor(prefix)})")


def show_code(job: Job, *more: Callable) -> None:
    """"Show the code": the job's family's training step, then ``more``."""
    code.show_code(*family(job.family).code, *more)
