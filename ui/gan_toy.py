"""The GAN lab's 2D mode: settings, user-drawn data and the live panel (heat map, manifold, charts)."""

from __future__ import annotations

from dataclasses import fields

import streamlit as st

from models.data import TOYS_2D
from models.gan import custom_points, export, figures, losses, metrics, toy_train, views2d
from models.gan.config import ACTIVATIONS, LOSS_LABELS, LOSSES, OPTIMIZERS, TOY_NAMES, Z_DISTS, ToyConfig
from models.gan.presets import CLAIM_SEEDS, DEFAULT_STEPS, PARAM_FIELDS, PRESETS
from models.gan.toy_trainer import toy_job
from models.runs.run import DONE, STOPPED

from . import charts, live, params, run_panel, sidebar
from .text import literal

REFRESH_S = 1.0  # 1 Hz: a full redraw (heat map, ~3k points, 3 charts) must fit in the interval
SCENE_HEIGHT = 450  # with the controls beside it, fits a 1280 x 720 projector without scrolling
TOY_LABELS = {**{k: v.label for k, v in TOYS_2D.items()}, "custom": "Your own points (draw or paste)"}
LAYER_LABELS = {"heat": "D heat map", "real": "real", "fake": "generated", "manifold": "G manifold",
                "arrows": "G's push"}


def _names(labels: dict) -> str:
    # bound selectboxes show the short names (the URL carries them); the help spells them out
    return "  \n".join(f"**{k}**: {v}" for k, v in labels.items())


def settings() -> tuple[ToyConfig, int]:
    """The settings form (every widget deep-linkable); returns the config a new run would use and its length."""
    c = st.columns(4)
    toy = c[0].selectbox("Data", TOY_NAMES, key="toy", bind="query-params", help=_names(TOY_LABELS),
                         **params.choice_param("toy", TOY_NAMES, "ring8"))
    loss = c[1].selectbox("Loss", LOSSES, key="loss", bind="query-params", help=_names(LOSS_LABELS),
                          **params.choice_param("loss", LOSSES, "nonsat"))
    k_d = c[2].slider("D steps per G step (k)", 1, 10, key="k", bind="query-params",
                      help="WGAN-GP trains its critic 5 times per generator step.", **params.int_param("k", 1, 10, 1))
    lam = c[3].number_input("Gradient penalty lambda", 0.0, 100.0, step=0.1, key="lam", bind="query-params",
                            disabled=loss != "wgan-gp", help="Only used by WGAN-GP (0.1 suits 2D toys).",
                            **params.float_param("lam", 0.0, 100.0, 0.1))
    with st.expander("Networks and optimizers", icon=":material/settings:"):
        c = st.columns(4)
        d_opt = c[0].selectbox("D optimizer", OPTIMIZERS, key="dopt", bind="query-params",
                               **params.choice_param("dopt", OPTIMIZERS, "adam"))
        d_lr = c[1].number_input("D learning rate", 1e-6, 1e4, step=1e-4, format="%.5g", key="dlr",
                                 bind="query-params", **params.float_param("dlr", 1e-6, 1e4, 1e-3))
        g_opt = c[2].selectbox("G optimizer", OPTIMIZERS, key="gopt", bind="query-params",
                               **params.choice_param("gopt", OPTIMIZERS, "adam"))
        g_lr = c[3].number_input("G learning rate", 1e-6, 1e4, step=1e-4, format="%.5g", key="glr",
                                 bind="query-params", **params.float_param("glr", 1e-6, 1e4, 1e-3))
        c = st.columns(5)
        layers = c[0].slider("Hidden layers", 0, 4, key="layers", bind="query-params",
                             **params.int_param("layers", 0, 4, 2))
        width = c[1].slider("Width", 4, 256, key="width", bind="query-params", **params.int_param("width", 4, 256, 32))
        act = c[2].selectbox("Activation", ACTIVATIONS, key="act", bind="query-params",
                             **params.choice_param("act", ACTIVATIONS, "relu"))
        zdim = c[3].slider("Noise dimension", 1, 8, key="zdim", bind="query-params", **params.int_param("zdim", 1, 8, 2))
        zdist = c[4].selectbox("Noise distribution", Z_DISTS, key="zdist", bind="query-params",
                               **params.choice_param("zdist", Z_DISTS, "gaussian"))
        c = st.columns([3, 2])
        batch = c[0].select_slider("Batch size", [32, 64, 128, 256, 512, 1024], value=256, key="batch")
        steps = c[1].number_input("Run length (steps)", 1, DEFAULT_STEPS, step=500, key="steps", bind="query-params",
                                  help="A run stops by itself after this many generator steps.",
                                  **params.int_param("steps", 1, DEFAULT_STEPS, DEFAULT_STEPS))
    return ToyConfig(toy=toy, loss=loss, k_d=k_d, gp_lambda=float(lam), d_opt=d_opt, g_opt=g_opt, d_lr=float(d_lr),
                     g_lr=float(g_lr), hidden_layers=layers, width=width, activation=act, z_dim=zdim, z_dist=zdist,
                     batch=int(batch), seed=sidebar.seed()), int(steps)


def _add_selection() -> None:
    event = st.session_state.get("draw")
    picked = [(p["x"], p["y"]) for p in (event.selection.points if event else [])]
    if picked:
        old = st.session_state.get("pts_text", "").rstrip()
        new = custom_points.format_points(picked)
        st.session_state["pts_text"] = (old + "\n" + new) if old else new


def custom_data():
    """The user's points (lasso on the candidate grid, or pasted); None with a message when there are none."""
    import numpy as np

    left, right = st.columns([3, 2])
    with right:
        if st.button("Example: two rings", icon=":material/lightbulb:"):
            t = np.linspace(0, 2 * np.pi, 60, endpoint=False)
            ring = np.concatenate([np.stack([np.cos(t), np.sin(t)], 1), 0.4 * np.stack([np.cos(t), np.sin(t)], 1)])
            st.session_state["pts_text"] = custom_points.format_points(1.5 * ring)
        if st.button("Clear points", icon=":material/delete:"):
            st.session_state["pts_text"] = ""
        text = st.text_area("Points, one 'x, y' per line", key="pts_text", height=230,
                            help="Paste coordinates, or lasso grid points on the left to add them.")
    points, problems = custom_points.parse_points(text or "")
    with left:
        fig = figures.draw_canvas(custom_points.candidate_grid(), points)
        charts.show(st, fig, key="draw", on_select=_add_selection, selection_mode=("lasso", "box"))
        st.caption("Choose the lasso or box tool in the chart's toolbar and circle grid points to add them.")
    if problems:
        st.warning("Some lines were skipped: " + literal("; ".join(problems[:5])) + ". Write two numbers per line, "
                   "e.g. `0.5, -1.2`.", icon=":material/warning:")
    if len(points) < 2:
        st.info("Draw or paste at least 2 points, then press Play.", icon=":material/draw:")
        return None
    return points


@st.cache_resource(show_spinner=False, max_entries=16)
def _untrained(config: ToyConfig, points) -> toy_train.ToyState:
    """Step 0 for these settings (the data, the untrained G and D), shared by every session."""
    return toy_train.untrained_state(config, points)


def _run_differs(run_config: ToyConfig | None, config: ToyConfig) -> str:
    """"k 5 (yours: 1), loss wgan-gp (yours: nonsat)": the settings of a live run that differ from the widgets."""
    if run_config is None or run_config == config:
        return ""
    names = {f: k for k, f in PARAM_FIELDS.items()}
    return ", ".join(f"{names.get(f.name, f.name)} {getattr(run_config, f.name)} (yours: {getattr(config, f.name)})"
                     for f in fields(ToyConfig) if getattr(run_config, f.name) != getattr(config, f.name))


def _status(run):
    """Busy / queued / error messages, and how a run ended, counted in generator steps like the Step counter
    (the runner's own count also includes single D steps and the step-0 state)."""
    snap = run.snapshot() if run is not None else None
    if snap is None or snap.status not in (STOPPED, DONE):
        return live.show_status(run)
    live.show_status(None)  # only the "machine is busy" notice, if a start was just refused
    state = snap.latest
    n = f"{state.step:,} steps" if state is not None else "setting up"
    st.caption(f"Stopped after {n}." if snap.status == STOPPED else f"Finished: {n}, this run's length.")
    return snap


def _num(x: float) -> str:
    """At most 5 characters (a negative WGAN loss with 3 decimals was cut off at 1280 px); NaN: that
    network has not been updated yet."""
    if x != x:
        return "-"
    return f"{x:.2f}" if abs(x) < 10 else f"{x:.1f}" if abs(x) < 100 else f"{x:.2g}"


def counters(state: toy_train.ToyState, snap) -> None:
    """Step, D updates, the mode metric, speed and losses of one state, two metrics a row."""
    k = state.config.k_d if state.config is not None else 1
    # two per row: a six-digit count ("50,000") is cut off in a third of the right column at 1280 px
    m = st.columns(2)
    m[0].metric("Step", f"{state.step:,}", help="Generator updates (Step D alone does not count).")
    m[1].metric("D updates", f"{state.d_updates:,}",
                help=f"Discriminator updates: k = {k} per step for this run, plus single Step D clicks.")
    view = state.views
    m = st.columns(2)
    if view.modes is not None:
        m[0].metric("Modes", f"{view.modes.modes_covered} / {view.modes.n_modes}",
                    help=f"Modes covered. {100 * view.modes.high_quality:.0f}% of 2,500 samples are within 3 sigma "
                         f"of a mode; a mode counts with at least 20 of them.")
    m[1].metric("Steps/s", f"{snap.steps_per_s:,.0f}" if snap is not None and snap.active else "-")
    m = st.columns(2)
    m[0].metric("D loss", _num(state.d_loss), help="NaN until D's first update." if state.d_updates == 0 else None)
    m[1].metric("G loss", _num(state.g_loss))


def live_panel(config: ToyConfig, points, shared: bool, steps: int) -> None:
    key = live.run_key("gan", shared=shared)
    job = toy_job(config, points)
    every = live.poll_every(key, shared, REFRESH_S)

    @st.fragment(run_every=every)
    def panel():
        # at 1280 x 720 (a projector) the scene and the controls sit side by side, the charts below
        left, right = st.columns([13, 8], gap="medium")
        run = run_panel.controls(key, job, prefix="toy", max_steps=steps, container=right)
        live.sync_polling(run, every, REFRESH_S)
        with right:
            snap = _status(run)
        state = snap.latest if snap is not None else None
        with right:
            if state is None:
                state = _untrained(config, points)
                if snap is not None and snap.status == "running":
                    st.caption(":material/hourglass_top: Setting up the networks...")
                st.caption(":material/info: Untrained networks (step 0): the real data, G's first samples and "
                           "D's first guesses. Press **Play** to train, or **Step** to go one update at a time.")
            elif differs := _run_differs(state.config, config):
                st.caption(f":material/info: This run keeps the settings it started with: {differs}. "
                           "**New run** applies yours.")
            counters(state, snap)
        view = state.views
        # the layer choice is drawn below the scene, so read it first (a click reruns with the new value)
        shown = st.session_state.get("toy_layers", list(LAYER_LABELS))
        # live.figure: built once per snapshot for all the sessions watching a shared run
        charts.show(left, live.figure(figures.toy_scene, view, layers=tuple(shown or ()), height=SCENE_HEIGHT),
                    key="toy_scene")
        left.pills("Show", list(LAYER_LABELS), format_func=LAYER_LABELS.get, selection_mode="multi",
                   default=list(LAYER_LABELS), key="toy_layers", label_visibility="collapsed")
        if snap is None or snap.latest is None:
            return
        hist = state.history
        c = st.columns(3 if view.modes is not None else 2)
        charts.show(c[0], live.figure(figures.loss_chart, hist, height=230), key="toy_loss")
        charts.show(c[1], live.figure(figures.d_output_chart, hist, label=view.d_label, height=230), key="toy_dout")
        if view.modes is not None:
            charts.show(c[2], live.figure(figures.modes_chart, hist["modes"], n_modes=view.modes.n_modes, height=230),
                        key="toy_modes")
        d = st.columns(2)
        d[0].download_button("Loss history (CSV)", lambda: export.history_csv(state.history), "gan_toy_history.csv",
                             "text/csv", icon=":material/download:", on_click="ignore", key="toy_csv")
        d[1].download_button("Training as GIF", lambda: export.points_gif(
            [(s, view.real[:400], f) for s, f in state.frames], view.extent), "gan_toy_training.gif", "image/gif",
            icon=":material/animation:", on_click="ignore", key="toy_gif")

    panel()


def preset_links() -> None:
    """The preset links; a claim in their text is checked by tests/gan/test_claims.py on these settings."""
    parts = []
    for p in PRESETS.values():
        lesson = p.lesson
        if p.max_covered is not None:
            lesson += (f": at most {p.max_covered} of 8 modes covered after {p.steps:,} steps, seeds "
                       f"{CLAIM_SEEDS[0]}-{CLAIM_SEEDS[-1]}")
        elif p.min_covered is not None:
            lesson += (f": at least {p.min_covered} of 8 modes after {p.steps:,} steps, seeds "
                       f"{CLAIM_SEEDS[0]}-{CLAIM_SEEDS[-1]}")
        parts.append(f"[{p.label}](?{p.query()})" + (f" ({lesson})" if lesson else ""))
    st.markdown(":material/link: Try: " + " · ".join(parts))


def render(shared: bool) -> None:
    """The whole 2D mode."""
    run_panel.skip_link("toy")
    preset_links()
    config, steps = settings()
    points = None
    if config.toy == "custom":
        points = custom_data()
        if points is None:
            return
    live_panel(config, points, shared, steps)
    run_panel.show_code(toy_job(config, points), losses.d_loss_lsgan, losses.g_loss_lsgan, views2d.compute_views,
                        metrics.mode_stats)
