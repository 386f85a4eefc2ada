"""The GAN lab's run controls: play / pause / step D / step G / step both / stop / reset.

Used inside an ``st.fragment(run_every=...)``; the run itself is a :class:`models.runner.Run` from the
shared pool, so any viewer of a shared run can pause or stop it for everyone; only the browser that
started it can restart, reset or single-step it (the others would replace it with their own settings).
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from models.runner import PAUSED, Run

from . import live


def controls(key: str, factory: Callable, *, prefix: str, single_steps: bool, max_steps: int) -> Run | None:
    """Draw the buttons, act on a click, and return the run under ``key`` (or None).

    Args:
        key: the run's pool key (``gan/shared`` or ``gan/<session>``).
        factory: makes the training generator for a new run (called in the run's thread).
        prefix: widget-key prefix, unique per mode.
        single_steps: show "Step D" and "Step G" (2D toys) besides "Step".
        max_steps: a run stops by itself after this many steps.
    """
    run = live.pool().get(key)
    snap = run.snapshot() if run is not None else None
    active = snap is not None and snap.active
    cols = st.columns(7 if single_steps else 5)
    paused = snap is not None and snap.status == PAUSED
    play_label = "Resume" if paused else ("Restart" if active else "Play")
    # A shared run someone else started (the lecturer's): watchers may pause, resume or stop it, but not
    # replace it with their own settings.
    theirs = live.started_elsewhere(run)
    if theirs:
        st.caption(":material/groups: You are watching a shared run started in another browser: you can pause "
                   "or stop it; to train with your own settings, turn *shared run* off.")
    restart_only = theirs and not paused
    clicked = {
        "play": cols[0].button(play_label, icon=":material/play_arrow:", key=f"{prefix}_play", type="primary",
                               disabled=restart_only,
                               help="Train continuously (a new run with the current settings unless paused)."),
        "pause": cols[1].button("Pause", icon=":material/pause:", key=f"{prefix}_pause", disabled=not active),
    }
    i = 2
    if single_steps:
        clicked["d"] = cols[2].button("Step D", icon=":material/skip_next:", key=f"{prefix}_step_d", disabled=theirs,
                                      help="One discriminator update only.")
        clicked["g"] = cols[3].button("Step G", icon=":material/skip_next:", key=f"{prefix}_step_g", disabled=theirs,
                                      help="One generator update only.")
        i = 4
    clicked["both"] = cols[i].button("Step", icon=":material/redo:", key=f"{prefix}_step", disabled=theirs,
                                     help="One full step: k discriminator updates, then one generator update.")
    clicked["stop"] = cols[i + 1].button("Stop", icon=":material/stop:", key=f"{prefix}_stop", disabled=not active,
                                         help="Stop this run (for every viewer of a shared run).")
    clicked["reset"] = cols[i + 2].button("Reset", icon=":material/restart_alt:", key=f"{prefix}_reset",
                                          disabled=theirs, help="Start again from fresh weights, paused at step 0.")
    if clicked["play"]:
        if paused:
            run.resume()
        else:
            run = live.start(key, factory, max_steps=max_steps)
    elif clicked["pause"] and run is not None:
        run.pause()
    elif clicked["stop"] and run is not None:
        run.stop()
    elif clicked["reset"]:
        run = live.start(key, factory, start_paused=True, max_steps=max_steps)
    else:
        for command in ("d", "g", "both"):
            if clicked.get(command):
                if run is None or not run.snapshot().active:
                    run = live.start(key, factory, start_paused=True, max_steps=max_steps)
                if run is not None:
                    run.step(1, command=command)
    return run
