"""Autoencoder zoo: train many kinds of autoencoder side by side on the same data and compare them."""

from __future__ import annotations

import streamlit as st

from models.checkpoints import config_key, load_or_train
from models.runs.run import DONE
from models.runs import checkpoint
from models.zoo import contractive, denoising, greedy, sparse, trainer, training, variants, views
from models.zoo.config import (DEFAULT_VARIANTS, LABELS, LIVE_STEPS, VARIANTS, digits_config, image28_config,
                               mnist_config)
from models.zoo.evaluate import ZooRow, evaluate
from models.zoo.trainer import zoo_job
from models.zoo import figures
from ui import charts, code, data, live, params, run_panel, sidebar
from ui.text import literal

N_SHOW = 8  # test images in the reconstruction grids
REFRESH_S = 0.5  # seconds between redraws of a live run

st.title("Autoencoder zoo")
st.caption("Every autoencoder squeezes an image x0 through a code z = f(x0) and rebuilds x_hat = g(z). "
           "The variants differ in the network and in what they add to the loss. Train them side by side on "
           "the same batches, with the same code size, and compare.")

with st.expander("The losses", icon=":material/functions:"):
    st.latex(r"\mathcal{L}(x_0) = \frac{1}{B}\sum_b \lVert x_{0,b} - g(f(\tilde x_b)) \rVert^2 + \Omega")
    st.markdown("with $\\tilde x = x_0$ and $\\Omega = 0$ unless a variant says otherwise:")
    st.markdown("**Denoising** (Vincent et al. 2008): corrupt the input, rebuild the clean image.")
    st.latex(r"\tilde x = \mathrm{clip}(x_0 + \sigma\epsilon,\,0,1),\ \epsilon\sim\mathcal N(0,I)"
             r"\qquad\text{or}\qquad \tilde x = x_0 \odot m,\ m_i \sim \mathrm{Bernoulli}(1-p)")
    st.markdown("**Sparse**: an L1 penalty on relu codes (a relu unit can be exactly 0), or a KL penalty on sigmoid "
                "codes pulling each unit's mean activation $\\hat\\rho_j$ to a target $\\rho$ (Ng's notes, 2011).")
    st.latex(r"\Omega_{L1} = \lambda \frac{1}{B}\sum_b\sum_j |z_{bj}| \qquad "
             r"\Omega_{KL} = \beta\sum_j \rho\log\frac{\rho}{\hat\rho_j} + (1-\rho)\log\frac{1-\rho}{1-\hat\rho_j}")
    st.markdown("**Contractive** (Rifai et al. 2011): penalise the encoder's Jacobian, so the code barely "
                "moves when the input moves away from the data.")
    st.latex(r"\Omega = \lambda \lVert J_f(x_0) \rVert_F^2 = \lambda \sum_{j,i} "
             r"\Big(\frac{\partial z_j}{\partial x_i}\Big)^2")
    st.markdown("**Tied weights**: the decoder uses the encoder's matrices transposed, "
                "$g(z) = \\sigma(W_1^\\top \\mathrm{relu}(W_2^\\top z + b_3) + b_4)$: about half the parameters. "
                "**Convolutional**: strided convolutions instead of dense layers. **Recurrent**: a GRU reads the "
                "image one row per time step. **Greedy layer-wise**: train the outer shallow autoencoder, then an "
                "inner one on its codes, then fine-tune the stack (Bengio et al. 2007).")

dataset, seed = sidebar.dataset(), sidebar.seed()
train = data.images_or_stop(dataset, "train")
test = data.images_or_stop(dataset, "test")

bad = [v for v in st.query_params.get_all("variants") if v not in VARIANTS]
if bad:
    st.warning(f"URL parameter variants={literal(', '.join(bad))} is not one of: {', '.join(VARIANTS)}; "
               f"ignored.", icon=":material/link_off:")
chosen = st.multiselect("Variants to compare", VARIANTS, default=list(DEFAULT_VARIANTS), key="variants",
                        bind="query-params",
                        help="; ".join(f"{k}: {v}" for k, v in LABELS.items()))
if not chosen:
    st.info("Pick at least one variant above to train or load.", icon=":material/pets:")
    st.stop()


def collapse_notices(rows: dict[str, ZooRow]) -> None:
    """A warning for every autoencoder whose reconstructions are (close to) the mean image."""
    for name, row in rows.items():
        c = row.collapse
        if c.collapsed:
            st.warning(f"**{LABELS[name]} collapsed to the mean image**: its held-out MSE {row.mse:.4f} is "
                       f"{c.mse_ratio:.0%} of the {c.baseline_mse:.4f} reached by drawing the training mean "
                       f"image for every input, and its reconstructions vary {c.spread:.0%} as much as the "
                       f"images do. Its code carries little about the input: train longer or lower the "
                       f"penalty.", icon=":material/blur_on:")


def show_results(models: dict, configs: dict, rows: dict[str, ZooRow], curves: tuple[dict, dict],
                 draw_curves: bool = True) -> None:
    """Table, reconstructions and the variant-specific views for trained models.

    ``curves`` (steps, losses) feed the greedy variant's chart, and the loss chart unless ``draw_curves`` is
    False (the live panel above already draws it).
    """
    st.subheader("Results on held-out images")
    st.dataframe([r.as_dict() for r in rows.values()], hide_index=True, width="stretch")
    baseline = next(iter(rows.values())).collapse.baseline_mse
    st.caption("Test MSE per pixel on the held-out split; *MSE / mean image's* divides it by "
               f"{baseline:.4f}, the MSE of drawing the training mean image for every input (1 = learnt "
               "nothing); linear probe = logistic regression on the codes of the training images, scored on "
               "the held-out codes (no labels were used to train the autoencoders); ||J||_F averaged over "
               "128 held-out images.")
    collapse_notices(rows)
    grid_rows, names = views.reconstruction_rows(models, test.x[:N_SHOW])
    charts.show(st, figures.image_grid(grid_rows, [LABELS.get(n, n) for n in names],
                                       "Held-out images (top) and their reconstructions"), width="stretch")
    if draw_curves:
        charts.show(st, figures.loss_curves(*curves), width="stretch")
    tabs = st.tabs(["Sparse", "Tied weights", "Contractive", "Recurrent", "Greedy layer-wise"])
    with tabs[0]:
        shown = False
        for name in ("sparse_kl", "sparse_l1"):
            if name in rows:
                shown = True
                fig = figures.activation_histogram(rows[name].unit_means,
                                                   configs[name].rho if name == "sparse_kl" else None, name)
                charts.show(st, fig, width="stretch")
        if "sparse_kl" in rows:
            row, rho = rows["sparse_kl"], configs["sparse_kl"].rho
            got = row.mean_activation
            st.metric("KL variant: mean coding activation", f"{got:.3f}", f"{(got - rho) / rho:+.0%} vs target {rho:g}",
                      delta_color="off")
            if row.collapse.collapsed:
                st.warning(f"The target activation is met, but by a code that ignores the input: the "
                           f"reconstructions are close to the mean image (MSE {row.collapse.mse_ratio:.0%} of "
                           f"the mean image's). A sparsity target reached says nothing on its own.",
                           icon=":material/blur_on:")
            else:
                st.caption(f"Reached while still reconstructing: held-out MSE {row.collapse.mse_ratio:.0%} of the "
                           f"mean image's, reconstructions {row.collapse.spread:.0%} as varied as the images.")
        if not shown:
            st.caption("Add sparse_kl or sparse_l1 to the variants to see how active each coding unit is.")
    with tabs[1]:
        cfg = configs.get("tied") or next(iter(configs.values()))
        tied_n, untied_n = views.untied_twin_params(cfg)
        charts.show(st, figures.bars({"tied": tied_n, "stacked": untied_n}, "Parameters: tied against its untied twin",
                                     "parameters", highlight=["tied"]), width="stretch")
        st.markdown(f"Same layer sizes (hidden {cfg.hidden}, code {cfg.code}): the tied autoencoder has "
                    f"**{tied_n:,}** parameters, its untied twin **{untied_n:,}**: a ratio of "
                    f"**{tied_n / untied_n:.2f}** (only the decoder's biases are its own).")
    with tabs[2]:
        charts.show(st, figures.bars({n: r.jacobian for n, r in rows.items()}, "Encoder Jacobian norm ||J_f(x)||_F",
                                     "mean over held-out images", highlight=["contractive"]), width="stretch")
        st.caption("Smaller means the code changes less when the input is nudged. The contractive variant "
                   "minimises its square directly; noise in the denoising variants may act in a similar way. "
                   + views.jacobian_comparison({n: r.jacobian for n, r in rows.items()}))
    with tabs[3]:
        if "recurrent" in models:
            image, states = views.recurrent_reading(models["recurrent"], test.x[:1])
            charts.show(st, figures.rows_as_sequence(image, states), width="stretch")
        else:
            st.caption("Add recurrent to the variants to see the image read as a sequence of rows.")
    with tabs[4]:
        if "greedy" in models:
            total = configs["greedy"].steps
            charts.show(st, figures.greedy_stages(curves[0]["greedy"], curves[1]["greedy"],
                                                  greedy.stage_bounds(total), total, greedy.STAGES), width="stretch")
        else:
            st.caption("Add greedy to the variants to see its three training stages.")
    code.show_code(trainer.ZooTrainer.advance, training.VariantTrainer.step, variants.loss_terms, denoising.corrupt,
                   sparse.kl_penalty, contractive.jacobian_frobenius_sq, greedy.stage_loss, evaluate)


@st.cache_resource(max_entries=40, show_spinner=False)
def row_for(token: str, _model, _config, time_s: float) -> ZooRow:
    """Evaluate one trained model once (``token`` names the model: its run and variant, or its weights)."""
    return evaluate(_model, _config, train.x, train.y, test.x, test.y, time_s)


def rows_for(prefix: str, models: dict, configs: dict, times: dict) -> dict[str, ZooRow]:
    return {n: row_for(f"{prefix}/{n}", m, configs[n], times[n]) for n, m in models.items()}


@st.cache_resource(max_entries=4, show_spinner=False)
def trained(key: str, digest: str, step: int, _job):
    """A finished race's networks and training times, loaded once from its checkpoint (None without one)."""
    restored = checkpoint.restore(_job, live.checkpoint_root(key), str(data.device()))
    return None if restored is None else (restored.modules(), restored.time_s())


def live_section(make_config, steps_default: int, hint: str) -> None:
    """Train the chosen variants side by side on this dataset (a job of the run layer), then score them."""
    run_panel.skip_link("zoo")
    c1, c2, c3 = st.columns(3)
    k_max = 32 if dataset == "digits" else 64
    k = c1.slider("Code size k", 2, k_max, key="code", bind="query-params",
                  **params.int_param("code", 2, k_max, 8 if dataset == "digits" else 16))
    steps = c2.slider("Steps", 50, 2000, step=50, key="steps", bind="query-params",
                      **params.int_param("steps", 50, 2000, steps_default))
    shared = c3.toggle("Shared run (lecture mode)", key="shared", bind="query-params",
                       help="Everyone who opens this page with shared on watches the same run.")
    job = zoo_job([make_config(v, code=k, steps=steps, seed=seed) for v in chosen])
    key = live.run_key(f"zoo-{dataset}", shared=shared)
    every = live.poll_every(key, shared, REFRESH_S)

    # Polls while a run trains (slowly for an idle shared run, to pick up one someone else starts); an
    # idle page of one's own does not poll at all.
    @st.fragment(run_every=every)
    def panel() -> None:
        run = run_panel.controls(key, job, prefix="zoo", max_steps=steps)
        live.sync_polling(run, every, REFRESH_S)  # just ended: one full rerun draws the results below
        snap = live.show_status(run)
        if snap is None or snap.latest is None:
            st.info(f"Press Play to train {len(chosen)} autoencoders on the same batches ({steps} steps each; "
                    f"{hint}), or Step for one batch at a time.", icon=":material/play_circle:")
            return
        state = snap.latest
        if snap.active:
            st.caption(f"{snap.steps_per_s:.0f} steps/s, every variant on the same batch.")
        charts.show(st, figures.loss_curves(state.loss_steps, state.losses), width="stretch", key="live_loss")

    panel()
    run = live.pool().get(key)
    snap = run.snapshot() if run is not None else None
    if snap is not None and snap.status == DONE and snap.latest is not None and snap.latest.done:
        state = snap.latest
        loaded = trained(key, run.job.digest(), state.step, run.job)
        if loaded is None:
            st.warning("This run's trained weights are not on disk any more (its checkpoint was removed); press "
                       "New run, then Play, to train again.", icon=":material/warning:")
            return
        models, times = loaded
        configs = {c.variant: c for c in state.configs}
        with st.spinner("Scoring each autoencoder on the held-out images..."):
            rows = rows_for(f"{key}-{run.job.digest()}", models, configs, times)
        show_results(models, configs, rows, (state.loss_steps, state.losses), draw_curves=False)
    run_panel.show_code(job)


def shipped_section() -> None:
    """The shipped MNIST weights of every chosen variant, scored on the held-out images."""
    st.info("The autoencoders below were trained by `python -m models.zoo.train` and ship with GenLab "
            "(hidden 64, code 16, 2,000 steps); the table is measured on the 2,000 held-out images. Choose "
            "*Train live* to train your own side by side.", icon=":material/inventory_2:")

    @st.cache_resource(show_spinner=False)
    def shipped(key: str, variant: str):
        cfg = mnist_config(variant)
        return load_or_train(cfg, variants.build, training.fit, device=data.device())

    models, configs, times, rows, curves = {}, {}, {}, {}, ({}, {})
    progress = st.progress(0.0, text="Loading the shipped weights...")
    for i, v in enumerate(chosen):
        loaded = shipped(config_key(mnist_config(v)), v)
        for w in loaded.warnings:
            st.warning(w, icon=":material/warning:")
        models[v], configs[v], times[v] = loaded.model, loaded.config, loaded.training.seconds or 0.0
        curves[0][v], curves[1][v] = loaded.training.curve
        progress.progress((i + 1) / len(chosen), text=f"Loaded {LABELS[v]} ({loaded.source})")
    progress.empty()
    with st.spinner("Scoring each autoencoder on the held-out MNIST images..."):
        rows = {v: row_for(config_key(configs[v]), models[v], configs[v], times[v]) for v in chosen}
    show_results(models, configs, rows, curves)


ZOO_MODES = ("shipped", "live")
mode = "live"
if dataset == "mnist":
    mode = st.radio("Models", ZOO_MODES, horizontal=True, key="zoo_mode", bind="query-params",
                    help="shipped: the weights that come with GenLab (2,000 steps each). live: train your own "
                         "side by side now.", **params.choice_param("zoo_mode", ZOO_MODES, "shipped"))
if mode == "shipped":
    shipped_section()
elif dataset == "digits":
    live_section(digits_config, LIVE_STEPS, "a few seconds on the 8x8 digits")
else:  # MNIST on request, Fashion-MNIST always (no weights ship for it): the 28x28 setting, trained live
    live_section(lambda v, **kw: image28_config(dataset, v, **kw), LIVE_STEPS,
                 "about a minute for four variants on 28x28 images on a laptop CPU")
