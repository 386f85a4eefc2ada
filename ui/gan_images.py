"""The GAN lab's image mode: shipped generators at once, then live training with a scrubbable grid."""

from __future__ import annotations

import streamlit as st

from models.checkpoints import config_key, weight_paths
from models.gan import browser, export, figures, image_nets, image_train, sampling
from models.gan.config import IMAGE_KIND_LABELS, IMAGE_KINDS, LOSS_LABELS, LOSSES, ImageGANConfig
from models.gan.image_trainer import image_job
from models.gan.measured import class_coverage

from . import charts, data, latent_pad, live, params, run_panel, sidebar
from .gan_toy import _names

REFRESH_S = 1.0
MAX_STEPS = 20_000


def settings(dataset: str) -> tuple[ImageGANConfig, int]:
    c = st.columns(4)
    kind = c[0].selectbox("Model", IMAGE_KINDS, key="kind", bind="query-params", help=_names(IMAGE_KIND_LABELS),
                          **params.choice_param("kind", IMAGE_KINDS, "dense"))
    loss = c[1].selectbox("Loss", LOSSES, key="iloss", bind="query-params", help=_names(LOSS_LABELS),
                          **params.choice_param("iloss", LOSSES, "nonsat"))
    lr = c[2].number_input("Learning rate", 1e-6, 1e4, step=1e-4, format="%.5g", key="ilr", bind="query-params",
                           **params.float_param("ilr", 1e-6, 1e4, 2e-4 if kind == "dcgan" else 1e-3))
    digit = c[3].slider("Class to generate", 0, 9, key="digit", bind="query-params", disabled=kind != "cgan",
                        help="The conditional GAN generates the class you ask for.", **params.int_param("digit", 0, 9, 3))
    config = ImageGANConfig(kind=kind, dataset=dataset, loss=loss, lr=float(lr), seed=sidebar.seed())
    return config, digit


@st.cache_resource(show_spinner=False, max_entries=12)
def _shipped(kind: str, dataset: str, device_name: str):
    import torch

    return sampling.load_generator(kind, dataset, device=torch.device(device_name))


def shipped_gallery(config: ImageGANConfig, digit: int) -> None:
    """Samples from the shipped weights (no training on a visit: without weights, say so)."""
    shipped = sampling.shipped_config(config.kind, config.dataset)
    if not any(p.is_file() for p in weight_paths(shipped)):
        st.info(f"No pretrained {config.kind} weights for {config.dataset} are shipped; train one live below.",
                icon=":material/info:")
        return
    loaded = _shipped(config.kind, config.dataset, str(data.device()))
    data.load_warnings(loaded)
    labels = [digit] * 40 if config.kind == "cgan" else None
    grid = sampling.generate(loaded.model, shipped.codings, 40, sidebar.seed(), labels)
    steps = loaded.training.steps
    title = f"Shipped {config.kind} generator: {'?' if steps is None else f'{steps:,}'} steps, seed {sidebar.seed()}"
    if config.kind == "cgan":
        title += f", class {digit}"
    charts.show(st, figures.image_grid_figure(grid, 10, title=title, height=300), key="img_shipped")
    if browser.runs_in_browser(loaded.model):
        z = sampling.codes(shipped.codings, 2, sidebar.seed())  # the grid's first two codes
        latent_pad.morph(lambda: browser.generator_spec(loaded.model, shipped.codings),
                         f"gan/{config_key(shipped)}", z[0].tolist(), z[1].tolist(),
                         ("the grid's first sample", "its second"), key="gan_morph",
                         suffix=browser.one_hot(digit) if config.kind == "cgan" else None)
        st.caption(":material/speed: Slide t to walk from the grid's first sample to its second: the generator "
                   "runs in your browser, on the straight (lerp) and the spherical (slerp) path between their "
                   "codes z" + (f", the class fixed at {digit}." if config.kind == "cgan" else "."))
    cover = class_coverage(loaded.metrics)
    if cover is not None:
        extra = (f", the requested class comes out {100 * cover.cond_acc:.0f}% of the time"
                 if cover.cond_acc is not None else "")
        dropped = ("" if cover.classes_present == 10 else
                   f" The other {10 - cover.classes_present} digits are missing or rarer than 2% of the samples: "
                   "an unconditional GAN dropping modes (the conditional GAN is told which digit to draw).")
        st.caption(f"GenLab's digit classifier ({100 * cover.classifier_acc:.0f}% on held-out images) finds "
                   f"{cover.classes_present} of 10 classes among 1,000 of this generator's samples{extra}."
                   + dropped)
    st.download_button("Sample grid (PNG)", export.grid_png(grid), "gan_samples.png", "image/png",
                       icon=":material/image:", on_click="ignore", key="img_shipped_png")


def live_panel(config: ImageGANConfig, shared: bool) -> None:
    data.images_or_stop(config.dataset, "train")  # on disk (or downloaded) before a run loads it
    key = live.run_key("gan-images", shared=shared)
    job = image_job(config)  # the run's trainer loads the images itself (models/gan/image_trainer.py)
    every = live.poll_every(key, shared, REFRESH_S)

    @st.fragment(run_every=every)
    def panel():
        run = run_panel.controls(key, job, prefix="img", max_steps=MAX_STEPS)
        live.sync_polling(run, every, REFRESH_S)
        snap = live.show_status(run)
        if snap is None or snap.latest is None:
            if snap is None or not snap.active:
                st.info("Press **Play** to train this GAN from scratch and watch the samples form.",
                        icon=":material/play_arrow:")
            elif snap.status != "queued":
                st.caption(":material/hourglass_top: Setting up the networks...")
            return
        state = snap.latest
        m = st.columns(5)
        m[0].metric("Step", f"{state.step:,}")
        m[1].metric("Steps/s", f"{snap.steps_per_s:,.1f}")
        m[2].metric("D loss", f"{state.d_loss:.3f}")
        m[3].metric("G loss", f"{state.g_loss:.3f}")
        m[4].metric("D(x) / D(G(z))", f"{state.d_real:.2f} / {state.d_fake:.2f}")
        left, right = st.columns([3, 2])
        with left:
            # live.figure: built once per snapshot for all the sessions watching a shared run
            charts.show(st, live.figure(figures.image_grid_figure, state.grid, cols=10,
                                        title=f"Fixed z at step {state.step}"), key="img_grid")
            snaps = state.snapshots
            if len(snaps) > 1:
                i = st.slider("Scrub saved snapshots", 0, len(snaps) - 1, len(snaps) - 1, key="img_snap",
                              format="%d", help=f"Saved every {image_train.SNAPSHOT_EVERY} steps.")
                step, grid = snaps[min(i, len(snaps) - 1)]
                charts.show(st, live.figure(figures.image_grid_figure, grid, cols=10,
                                            title=f"Snapshot at step {step}"), key="img_snap_grid")
        with right:
            charts.show(st, live.figure(figures.loss_chart, state.history, height=240), key="img_loss")
            charts.show(st, live.figure(figures.d_output_chart, state.history, height=240), key="img_dout")
        d = st.columns(3)
        d[0].download_button("Loss history (CSV)", lambda: export.history_csv(state.history), "gan_history.csv",
                             "text/csv", icon=":material/download:", on_click="ignore", key="img_csv")
        d[1].download_button("Sample grid (PNG)", lambda: export.grid_png(state.grid), "gan_grid.png", "image/png",
                             icon=":material/image:", on_click="ignore", key="img_png")
        d[2].download_button("Training as GIF", lambda: export.snapshots_gif(state.snapshots), "gan_training.gif",
                             "image/gif", icon=":material/animation:", on_click="ignore", key="img_gif")

    panel()


def render(shared: bool) -> None:
    run_panel.skip_link("img")
    dataset = sidebar.dataset()
    config, digit = settings(dataset)
    if data.images(dataset, "train") is None:
        st.info("Pick the digits dataset (bundled) or MNIST in the sidebar.", icon=":material/info:")
        return
    shipped_gallery(config, digit)
    st.subheader("Train live", divider="gray")
    live_panel(config, shared)
    run_panel.show_code(image_job(config), image_nets.DenseGenerator, image_nets.DenseDiscriminator,
                        image_nets.DCGenerator, image_nets.DCDiscriminator)
