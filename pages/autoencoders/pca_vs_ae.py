"""PCA vs autoencoder planes: a linear autoencoder finds PCA's plane; a nonlinear one goes beyond it."""

from __future__ import annotations

import streamlit as st

from models.checkpoints import load_or_train
from models.data import LABELS, load_images
from models.pca_ae import figures, image_figures, pca as pca_mod
from models.pca_ae import image_ae, linear_ae, nonlinear_ae, subspace, trainers, tsne, unrolling, verdicts
from ui import charts, data, live, params, run_panel, scene3d, sections, sidebar

RUN_LINEAR, RUN_MANIFOLD, RUN_SWEEP, RUN_TSNE = "pca-linear", "pca-manifold", "pca-sweep", "pca-tsne"
TICK = 0.5  # seconds between live refreshes
SLOW_S = 0.02  # slow motion: the pause after each epoch
BATCHES = ("32", "full")
COLOURS = ("position t", "height")  # what colours the curved tab's codes


# ---------------------------------------------------------------------------------------------------------
st.title("PCA vs autoencoder planes")
st.markdown(
    "HOML ch. 17 states that an undercomplete autoencoder with **linear activations and the MSE loss ends up "
    "performing PCA**. Here you watch it happen on the book's 3D dataset, then see where a **nonlinear** "
    "autoencoder goes beyond PCA: on a curved manifold and on images.")
seed = sidebar.seed()
device = data.device()
# Validate every deep-link parameter up front, so its notice shows above the tabs, whichever tab it belongs to.
URL_KWARGS = {
    "manifold": params.choice_param("manifold", tuple(nonlinear_ae.MANIFOLDS), "s_curve"),
    "steps": params.int_param("steps", 100, 5000, 1500),
    "k": params.int_param("k", min(image_ae.SHIPPED_KS), max(image_ae.SHIPPED_KS), image_ae.DEFAULT_K),
}
name = sidebar.dataset()  # in the sidebar whichever tab is open; only the images tab uses it


# ---- 1. The linear autoencoder finds the PCA plane ---------------------------------------------------------
def linear_section() -> None:
    """Train a 3 -> 2 -> 3 linear autoencoder live and watch its plane meet PCA's."""
    run_panel.skip_link("pca_linear")
    st.markdown("PCA keeps the $k$ directions of largest variance; the linear autoencoder (3 → 2 → 3, no "
                "activations) minimises the reconstruction error by gradient descent:")
    st.latex(r"\text{PCA: } X - \mu = U S V^\top,\quad z = (x-\mu)V_k,\quad \hat x = \mu + zV_k^\top")
    st.latex(r"\text{AE: } z = W_e x + b_e,\quad \hat x = W_d z + b_d,\quad "
             r"\min_{W,b}\ \tfrac{1}{nD}\sum_i \lVert x_i - \hat x_i \rVert^2")
    st.markdown("Every minimum of the autoencoder's loss has $\\operatorname{span}(W_d)$ equal to PCA's subspace "
                "(Baldi & Hornik, 1989). We measure the gap with the **principal angles** "
                "$\\cos\\theta_i = \\sigma_i(Q_{AE}^\\top Q_{PCA})$ between the two planes, and the MSE against "
                "PCA's, which no linear code of size 2 can beat (Eckart-Young).")

    def _book_recipe():
        st.session_state.update(opt="sgd", lr=0.5, epochs=500, batch="32")

    def _fast_recipe():
        st.session_state.update(opt="adam", lr=0.05, epochs=500, batch="full")

    c1, c2, c3, c4, c5 = st.columns([1, 1, 1, 1.2, 1])
    # Bound selectboxes show their raw option values: Streamlit writes the *displayed* text into the URL.
    opt = c1.selectbox("Optimizer", linear_ae.OPTIMIZERS, key="opt", bind="query-params",
                       help="sgd: plain stochastic gradient descent (the book: learning rate 0.5). adam: Adam.",
                       **params.choice_param("opt", linear_ae.OPTIMIZERS, "sgd"))
    lr = c2.number_input("Learning rate", 1e-4, 2.0, step=0.01, format="%.4f", key="lr", bind="query-params",
                         help="SGD: 0.5 as in the book. Adam: 0.01 to 0.05.",
                         **params.float_param("lr", 1e-4, 2.0, 0.5))
    epochs = c3.number_input("Epochs", 1, 3000, step=50, key="epochs", bind="query-params",
                             **params.int_param("epochs", 1, 3000, 500))
    batch = c4.selectbox("Batch size", BATCHES, key="batch", bind="query-params",
                         help="32 is Keras' default (the book's); full: every epoch is one gradient step.",
                         **params.choice_param("batch", BATCHES, "32"))
    slow = c5.toggle("Slow motion", key="slow", help="Wait 20 ms after each epoch, for a lecture audience.")
    b1, b2, _ = st.columns([1, 1, 3])
    b1.button("Book's recipe", on_click=_book_recipe, icon=":material/menu_book:",
              help="SGD, learning rate 0.5, batches of 32, 500 epochs.")
    b2.button("Fast recipe", on_click=_fast_recipe, icon=":material/bolt:",
              help="Adam, learning rate 0.05, full batch, 500 epochs.")
    config = linear_ae.LinearAEConfig(optimizer=opt, lr=float(lr), epochs=int(epochs),
                                      batch_size=0 if batch == "full" else int(batch), seed=seed)
    x3 = linear_ae.dataset(config)
    pca3 = pca_mod.fit_pca(x3, 2)

    job = trainers.linear_job(config, SLOW_S if slow else 0.0)
    key = live.run_key(RUN_LINEAR, shared=False)
    every = live.poll_every(key, False, TICK)

    @st.fragment(run_every=every)
    def linear_panel():
        run = run_panel.controls(key, job, prefix="pca_linear", max_steps=config.epochs)
        live.sync_polling(run, every, TICK)
        snap = live.show_status(run)
        state = snap.latest if snap is not None else None
        if state is None:
            state = trainers.LinearAETrainer(job).snapshot()
            st.caption("Untrained autoencoder (its initial weights). Press **Play** to train it, or **Step** to "
                       "go one epoch at a time.")
        elif run.job.config.ae != config:
            st.caption(":material/info: The settings changed since this run started: press **New run** (or "
                       "**Play** once it has ended) to train with them.")
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("Epoch", f"{state.epoch} / {state.epochs}")
        m2.metric("Largest principal angle", f"{state.max_angle:.3f}°",
                  help="Between the autoencoder's plane span(W_d) and PCA's; below 1° means the same plane.")
        m3.metric("Autoencoder MSE", f"{state.mse:.5f}")
        m4.metric("MSE / PCA's MSE", f"{state.mse_ratio:.4f}", help=f"PCA's MSE is {state.pca_mse:.5f}.")
        if state.epoch == state.epochs:
            ok = verdicts.same_plane(state.max_angle) and state.mse_ratio < 1.01
            (st.success if ok else st.warning)(
                f"After {state.epoch} epochs the planes are {state.max_angle:.3f}° apart and the MSE is "
                f"{100 * (state.mse_ratio - 1):.2f}% above PCA's: "
                + ("the autoencoder has found PCA's subspace." if ok else
                   "not there yet; try more epochs or another learning rate."), icon=":material/check_circle:")
        scene3d.show(st, figures.planes_figure(x3, pca3, state, st.session_state.get("recon", False)),
                     key="planes", title="The 3-D dataset with PCA's plane and the autoencoder's plane")
        charts.show(st, figures.training_figure(state), key="curves", width="stretch")
        z_pca, z_ae, fit = linear_ae.codings_vs_pca(state, x3, pca3)
        st.markdown(verdicts.codings_sentence(state.max_angle, fit.residual, fit.condition))
        charts.show(st, figures.codings_figure(z_pca, z_ae, fit, z_pca[:, 0]), key="codings", width="stretch")

    st.toggle("Show the reconstructions", key="recon", help="x_hat lies on the autoencoder's plane.")
    linear_panel()
    run_panel.show_code(job, pca_mod.fit_pca, linear_ae.LinearAE, subspace.principal_angles,
                        subspace.best_linear_map)

# ---- 2. Curved data: a nonlinear autoencoder beats PCA ----------------------------------------------------
@st.cache_data(show_spinner=False, max_entries=16)
def _unrolling(token: str, _codes, _coords) -> unrolling.Unrolling:
    """What a 2D code keeps of the sheet's coordinates, measured once per ``token`` (the code's owner)."""
    return unrolling.measure(_codes, _coords)


def curved_section() -> None:
    """A nonlinear autoencoder against PCA on a curved sheet; what each 2D code keeps of the sheet is measured."""
    run_panel.skip_link("pca_manifold")
    st.markdown("On a curved 2D sheet in 3D, PCA can only project onto a plane. A small nonlinear autoencoder "
                "(3 → 64 → 64 → **2** → 64 → 64 → 3, SiLU) can learn the sheet's own coordinates (measured "
                "below):")
    st.latex(r"z = f_\theta(x),\ \hat x = g_\phi(z),\quad \min_{\theta,\phi}\ \tfrac{1}{nD}\sum_i "
             r"\lVert x_i - g_\phi(f_\theta(x_i))\rVert^2 \ \le\ \text{PCA's MSE (when training succeeds)}")
    c1, c2, c3 = st.columns([1, 1, 2])
    manifold = c1.selectbox("Dataset", tuple(nonlinear_ae.MANIFOLDS), key="manifold", bind="query-params",
                            help="s_curve: an S-shaped sheet. swiss_roll: a rolled-up sheet (harder).",
                            **URL_KWARGS["manifold"])
    steps = c2.number_input("Training steps", 100, 5000, step=100, key="steps", bind="query-params",
                            **URL_KWARGS["steps"])
    shipped_cfg = nonlinear_ae.ManifoldAEConfig(manifold=manifold)
    live_cfg = nonlinear_ae.ManifoldAEConfig(manifold=manifold, steps=int(steps), seed=seed)
    xm, tm = nonlinear_ae.manifold_data(shipped_cfg)
    pca_m = pca_mod.fit_pca(xm, 2)
    c3.caption("Shown first: the shipped network (seed 0, 1,500 steps). **Play** trains one live with your "
               "seed and number of steps.")
    job = trainers.manifold_job(live_cfg)
    key = live.run_key(RUN_MANIFOLD, shared=False)
    every = live.poll_every(key, False, TICK)

    @st.fragment(run_every=every)
    def manifold_panel():
        run = run_panel.controls(key, job, prefix="pca_manifold", max_steps=live_cfg.steps)
        live.sync_polling(run, every, TICK)
        snap = live.show_status(run)
        started = run.job.config if run is not None else None
        state = snap.latest if snap is not None else None
        if state is None or started is None or started.manifold != manifold:
            with st.spinner("Loading the shipped autoencoder..."):
                loaded = load_or_train(shipped_cfg, nonlinear_ae.build, nonlinear_ae.fit, device=device)
            data.load_warnings(loaded)
            curve = loaded.training.curve
            state = nonlinear_ae.evaluate(loaded.model, shipped_cfg, hist=curve)
            st.caption(f"The shipped network ({loaded.source} weights, seed 0).")
            live_shown = False
        else:
            live_shown = True
            st.caption(f"Your live run: seed {started.seed}, {started.steps:,} steps.")
        m1, m2, m3 = st.columns(3)
        m1.metric("Nonlinear AE MSE (2D code)", f"{state.mse:.4f}")
        m2.metric("PCA MSE (2D code)", f"{state.pca_mse:.4f}")
        m3.metric("AE / PCA", f"{state.mse / state.pca_mse:.3f}",
                  delta="beats PCA" if state.mse < state.pca_mse else "worse than PCA",
                  delta_color="normal" if state.mse < state.pca_mse else "inverse")
        st.caption(f"Step {state.step:,} of {state.steps:,}.")
        scene3d.show(st, figures.manifold_figure(xm, tm, state, pca_m.reconstruct(xm)), key="manifold3d",
                     title="The curved data with the autoencoder's and PCA's reconstructions")
        by = st.radio("Colour the codes by", COLOURS, horizontal=True, key="colour_by",
                      help="A code that keeps a coordinate shows it as a smooth gradient.")
        charts.show(st, figures.manifold_codes_figure(pca_m.encode(xm), state, tm,
                                                      colour=None if by == COLOURS[0] else coords[:, 1]),
                    key="manifold2d", width="stretch")
        st.caption(f"Colour is the {by} on the sheet. PCA can keep only 2 of the 3 directions; the "
                   "autoencoder's 2D code may keep both of the sheet's own coordinates (t and the height).")
        if live_shown and snap.active:
            st.caption("What each code keeps of the sheet is measured when the run ends.")
        else:
            owner = f"live/{run.job.digest()}" if live_shown else "shipped"
            ae_u = _unrolling(f"{manifold}/{owner}/{state.step}",
                              state.codes, coords)
            st.markdown(verdicts.unrolling_sentence(nonlinear_ae.MANIFOLDS[manifold], ae_u, pca_u))

    coords = unrolling.sheet_coordinates(xm, tm)
    pca_u = _unrolling(f"{manifold}/pca", pca_m.encode(xm), coords)
    manifold_panel()
    run_panel.show_code(job, nonlinear_ae.manifold_data, nonlinear_ae.ManifoldAE)

# ---- 3. Images: error against code size, reconstructions, t-SNE -------------------------------------------
@st.cache_resource(show_spinner=False, max_entries=4)
def _pca_fit(name: str) -> pca_mod.PCAFit:
    x_train = image_ae.flatten(load_images(name, "train").x)
    return pca_mod.fit_pca(x_train, min(64, x_train.shape[1]))


@st.cache_data(show_spinner=False, max_entries=4)
def _pca_curve(name: str) -> dict[int, float]:
    x_train, x_test = (image_ae.flatten(load_images(name, s).x) for s in ("train", "test"))
    fit = _pca_fit(name)
    return pca_mod.pca_mse_by_k(x_train, x_test, list(range(1, min(fit.k, 40) + 1)), fit=fit)


@st.cache_data(show_spinner=False, max_entries=4)
def _ae_errors(name: str, _models: dict) -> dict[str, dict[int, float]]:
    return image_ae.test_errors(_models, image_ae.flatten(load_images(name, "test").x))


def _sweep_training(configs: list) -> None:
    """Offer to train the sweep's autoencoders that have no weights (only datasets without shipped ones)."""
    missing = image_ae.missing_weights(configs)
    job = trainers.sweep_job(missing)
    key = live.run_key(RUN_SWEEP, shared=False)
    every = live.poll_every(key, False, TICK)

    @st.fragment(run_every=every)
    def sweep_panel():
        st.info(f"{len(missing)} of the {len(configs)} autoencoders of the sweep have no weights for this dataset "
                f"yet (weights ship for digits and MNIST). Train them here once (a few minutes on a CPU); they are "
                f"cached for every later visit.", icon=":material/model_training:")
        run = run_panel.controls(key, job, prefix="pca_sweep", max_steps=sum(c.epochs for c in missing))
        live.sync_polling(run, every, TICK)  # when the run ends, the page reruns and finds the weights
        snap = live.show_status(run)
        if snap is not None and snap.latest is not None:
            p = snap.latest
            st.caption(f"Trained {p.done} of {p.total}; " + (
                f"now {p.label}, epoch {p.epoch} of {p.epochs} (training MSE {p.train_mse:.4f})."
                if p.done < p.total else "all done."))

    sweep_panel()


def _tsne_panel(name: str, n_test: int, classes):
    hi = min(tsne.MAX_POINTS, n_test)
    n = st.slider("Points for t-SNE", min(100, hi), hi, step=50 if hi > 500 else 10, key="tsne_n",
                  bind="query-params", **params.int_param("tsne_n", min(100, hi), hi, min(500, hi)))
    job = trainers.tsne_job(name, int(n), seed)
    key = live.run_key(RUN_TSNE, shared=False)
    every = live.poll_every(key, False, TICK)

    @st.fragment(run_every=every)
    def panel():
        run = run_panel.controls(key, job, prefix="pca_tsne", max_steps=trainers.TSNE_STEPS)
        live.sync_polling(run, every, TICK)
        snap = live.show_status(run)
        p = snap.latest if snap is not None else None
        if p is None:
            st.caption("Press **Play** to embed the codings (about 10 to 20 s for 500 to 1,000 points on a "
                       "2-core CPU; longer when the machine is busy). **Step** goes one stage at a time.")
            return
        st.caption(f"Stage {p.stage} of {p.stages}: {p.message} ({snap.elapsed_s:.1f} s)")
        if p.embedding is not None:
            if run.job != job:
                st.caption(":material/info: Computed for other settings; press **Play** to redo it.")
            charts.show(st, image_figures.tsne_figure(p.embedding, p.labels, classes,
                                                      f"t-SNE of 30-D stacked-autoencoder codings ({len(p.labels):,} "
                                                      f"test images)"), key="tsne", width="stretch")

    panel()
    return job


def image_section(name: str, train, test) -> None:
    configs = image_ae.sweep_configs(name)
    ks = image_ae.SHIPPED_KS
    with st.spinner("Fitting PCA..."):
        pca_curve = _pca_curve(name)
    if image_ae.missing_weights(configs):
        charts.show(st, image_figures.k_sweep_figure(pca_curve, {}), key="ksweep", width="stretch")
        _sweep_training(configs)
        return
    with st.spinner("Loading the shipped autoencoders..."):
        loaded = {c: load_or_train(c, image_ae.build, image_ae.fit, device=device) for c in configs}
    for one in loaded.values():
        data.load_warnings(one)
    models = {c: one.model for c, one in loaded.items()}
    errors = _ae_errors(name, models)
    raw = st.query_params.get("k")
    k = st.select_slider("Code size k", ks, key="k", bind="query-params",
                         help="The autoencoders are trained for these code sizes; PCA works for any k.",
                         **URL_KWARGS["k"])
    if raw is not None and raw.lstrip("-").isdigit() and min(ks) <= int(raw) <= max(ks) and int(raw) not in ks:
        st.warning(f"URL parameter k={int(raw)} has no trained autoencoders; choose one of "
                   f"{', '.join(map(str, ks))}.", icon=":material/link_off:")
    charts.show(st, image_figures.k_sweep_figure(pca_curve, errors, k), key="ksweep", width="stretch")
    by = {(c.kind, c.k): m for c, m in models.items()}
    x_test = image_ae.flatten(test.x)
    idx = image_ae.one_per_class(test.y.numpy(), 10)
    rows = {"original": x_test[idx], f"PCA k={k}": _pca_fit(name).truncate(k).reconstruct(x_test[idx]),
            "linear AE": image_ae.reconstruct(by[("linear", k)], x_test[idx]),
            "stacked AE": image_ae.reconstruct(by[("stacked", k)], x_test[idx])}
    m1, m2, m3 = st.columns(3)
    m1.metric(f"PCA MSE, k={k}", f"{pca_curve[k]:.4f}")
    m2.metric("Linear AE MSE", f"{errors['linear'][k]:.4f}")
    m3.metric("Stacked AE MSE", f"{errors['stacked'][k]:.4f}")
    st.caption(verdicts.k_caption(k, pca_curve[k], errors["stacked"][k]) + " "
               + verdicts.k_summary(pca_curve, errors["stacked"]))
    charts.show(st, image_figures.reconstructions_figure(rows, train.shape[1:]), key="grid", width="stretch")
    st.caption(f"Test-split images, never seen in training ({len(test):,} held out). Linear AE: "
               f"{train.shape[1] * train.shape[2]}-k-{train.shape[1] * train.shape[2]}; stacked AE (the book's): "
               f"{train.shape[1] * train.shape[2]}-100-k-100-{train.shape[1] * train.shape[2]} with ReLU, Nadam, MSE.")
    st.subheader("t-SNE of the 30-D codings")
    st.markdown("As in the book: encode the held-out images to 30-D with the stacked autoencoder, then let "
                "t-SNE map the codings to 2D, keeping neighbours together:")
    st.latex(r"\min_{Y}\ \mathrm{KL}(P\,\|\,Q),\quad q_{ij} \propto (1 + \lVert y_i - y_j\rVert^2)^{-1}")
    job = _tsne_panel(name, len(test), test.classes)
    run_panel.show_code(job, pca_mod.pca_mse_by_k, image_ae.ImageAE, image_ae.fit)


def images_tab() -> None:
    """Error against code size for PCA and both autoencoders, reconstructions, t-SNE of the codings."""
    st.markdown("On images, how much does each method lose as the code size $k$ shrinks? PCA's error has a "
                "closed form, the variance it discards (eigenvalues $\\lambda_i$ of the covariance, $D$ pixels); "
                "a linear autoencoder can at best match it on the images it was fitted on; the stacked one, "
                "being nonlinear, *can* beat it, while its harder optimisation may also leave it behind (the "
                "numbers below, measured on held-out images, say which for each k).")
    st.latex(r"\mathrm{MSE}_{PCA}(k) = \frac{1}{D}\sum_{i>k}\lambda_i")
    st.caption(f"Dataset: **{LABELS[name]}** (change it in the sidebar).")
    train = data.images(name, "train")
    test = data.images(name, "test") if train is not None else None
    if train is None or test is None:
        st.info("Pick the digits dataset in the sidebar: it is bundled and always works offline. The other two "
                "tabs do not need image data.", icon=":material/info:")
    else:
        image_section(name, train, test)


# One section at a time: only the open tab runs and is drawn (each holds 3D views and 2D plots). Deep links:
# ?section=Curved+data; a link that sets a tab's own parameter (?k=5, ?manifold=swiss_roll) opens that tab.
SECTIONS = {"Linear autoencoder = PCA": linear_section, "Curved data": curved_section,
            "Images and code size": images_tab}
sections.lazy_tabs(
    SECTIONS, own_params={"Curved data": ("manifold", "steps"), "Images and code size": ("k", "tsne_n")},
    keep=("opt", "lr", "epochs", "batch", "slow", "recon", "manifold", "steps", "colour_by", "k", "tsne_n"))
