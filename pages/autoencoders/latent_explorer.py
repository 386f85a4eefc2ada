"""Latent space explorer: move through the codes of an AE, a VAE and an AAE and watch the decoder answer."""

from __future__ import annotations

import streamlit as st

from models.checkpoints import config_key
from models.classifier import describe
from models.data import pretrained_dir
from models.latent import aae, discriminator, explore, figures, interpolate, quality, training, vae
from models.latent.config import HOLDOUT, KIND_LABELS
from models.latent.export import model_spec
from models.latent.measured import measured
from ui import beta_vae_view, charts, code, data, latent_pad, params, sections, sidebar

MODELS = {"AE": "ae", "VAE": "vae", "AAE": "aae"}
DIMS = ("2", "16")

st.title("Latent space explorer")
st.markdown(
    "An autoencoder squeezes each image into a short code **z** and a decoder turns codes back into "
    "images. Move the sliders and the decoder draws whatever lives at that point of the code space. A plain "
    "**autoencoder** leaves its codes wherever they fall and has no prior to sample from; a **VAE** and "
    "an **adversarial autoencoder** are trained to push their codes toward a prior p(z) = N(0, I), so that a "
    "draw from the prior should decode to something that looks like the data. Whether it does is measured below "
    "(*AE vs VAE vs AAE*: what a digit classifier reads in each model's samples, and their FID).")


ds, seed = sidebar.dataset(), sidebar.seed()
test = data.images_or_stop(ds, "test", holdout=HOLDOUT)  # the images the shipped models never saw
device = data.device()

c1, c2, c3 = st.columns(3)
model_name = c1.selectbox("Model", list(MODELS), key="model", bind="query-params",
                          help="AE: plain autoencoder. VAE: variational autoencoder (Kingma & Welling 2014). "
                               "AAE: adversarial autoencoder (Makhzani et al. 2016).",
                          **params.choice_param("model", list(MODELS), "VAE"))
dim = int(c2.selectbox("Latent size d", DIMS, key="dim", bind="query-params",
                       help="2: the codes are the map. 16: sharper images; the map shows a 2-D projection.",
                       **params.choice_param("dim", DIMS, "2")))
kind = MODELS[model_name]


def _load_all() -> dict:
    """The three models for this dataset and d: shipped weights, or trained here with a progress bar."""
    out, bar = {}, None
    for k in MODELS.values():
        def on_step(step, total, logs, k=k):
            nonlocal bar
            bar = bar or st.progress(0.0)
            recon = f" (reconstruction {logs['recon']:.1f} nats)" if "recon" in logs else ""
            bar.progress(step / total, text=f"No shipped weights for {KIND_LABELS[k]} on {ds}: training, "
                         f"step {step:,} of {total:,}{recon}.")

        def on_wait(why, k=k):
            nonlocal bar
            bar = bar or st.progress(0.0)
            bar.progress(0.0, text=f"No shipped weights for {KIND_LABELS[k]} on {ds}. {why}")
        out[k] = explore.load(k, ds, dim, device=device, on_step=on_step, on_wait=on_wait)
    if bar is not None:
        bar.empty()
    return out


loaded = _load_all()
model, metrics = loaded[kind].model, loaded[kind].metrics
for m in loaded.values():
    for w in m.warnings:
        st.warning(w, icon=":material/warning:")


@st.cache_data(show_spinner=False, max_entries=48)
def test_view(_model, _x, name: str, path: str, ds: str, method: str):
    """Test-set codes (N, d) and their 2-D view, cached per weights file."""
    codes = explore.encode(_model, _x).numpy()
    return codes, explore.view_2d(codes, method)


@st.cache_data(show_spinner=False, max_entries=8)
def judged(_model, _x, path: str, ds: str, dim: int, seed: int, _calibration=None) -> discriminator.Judgement:
    """The AAE discriminator's answers on prior samples and held-out codes, cached per weights file."""
    return discriminator.judge(_model, _x, seed, calibration=_calibration)


view_method = "pca"
if dim > 2:
    view_method = c3.radio("Map of the 16-D codes", ("pca", "tsne"), horizontal=True, key="view",
                           bind="query-params", format_func={"pca": "PCA", "tsne": "t-SNE"}.get,
                           help="PCA is linear, so a click on the map maps back to a code; t-SNE keeps "
                                "neighbours together but has no inverse (first 1,000 test images).",
                           **params.choice_param("view", ("pca", "tsne"), "pca"))
views = {k: test_view(m.model, test.x, k, str(m.path), ds, view_method) for k, m in loaded.items()}
codes, view = views[kind]
labels = test.y.numpy()[: len(view.coords)]
lo, hi = explore.slider_range(kind, metrics, dim)
zkeys = [f"z{j + 1}" for j in range(dim)]


def set_z(z) -> None:
    """Callback helper: move every slider to the code z (clamped to the slider ranges)."""
    for j, key in enumerate(zkeys):
        st.session_state[key] = round(min(max(float(z[j]), lo[j]), hi[j]), 2)


def on_prior() -> None:
    st.session_state["draws"] = st.session_state.get("draws", 0) + 1
    set_z(explore.prior_codes(kind, metrics, dim, 1, seed * 1000 + st.session_state["draws"])[0].tolist())


def on_image() -> None:
    i = int(st.session_state.get("img", 0))
    set_z(explore.encode(model, test.x[i:i + 1])[0].tolist())


def on_map_click() -> None:
    points = st.session_state["latent_map"].selection.points
    if points and view.basis is not None:
        set_z(view.to_latent([[points[0]["x"], points[0]["y"]]])[0].tolist())


st.header("Move through the code space", divider="gray")
n_test = len(test)
img = st.number_input("Test image #", 0, n_test - 1, step=1, key="img", bind="query-params",
                      help="Used by 'Start from its code' and by 'Inside the VAE' below.",
                      **params.int_param("img", 0, n_test - 1, 0))


def on_pad(z) -> None:
    """The pad's final code (a drag released, a slider let go): into the server sliders and the URL."""
    set_z(z)


@st.fragment
def explorer_panel() -> None:
    """The in-browser pad (decoder, map, drawing board) and the same on the server: a change reruns only this
    part of the page."""
    b1, b2, _ = st.columns([1, 1, 2])
    b1.button("Sample prior", icon=":material/casino:", on_click=on_prior, width="stretch",
              help="VAE and AAE: z ~ N(0, I). AE: a Gaussian fitted to its training codes (it has no prior).")
    b2.button(f"Encode image #{img}", icon=":material/input:", on_click=on_image, width="stretch")
    pad_slot = st.container()
    axis = ("z1", "z2") if dim == 2 else (("PC 1", "PC 2") if view.method == "pca" else ("t-SNE 1", "t-SNE 2"))
    title = "Test codes" if dim == 2 else (
        f"PCA of the 16-D codes ({view.explained:.0%} of the variance)" if view.method == "pca"
        else "t-SNE of the 16-D codes (first 1,000 test images)")
    with st.expander("Sliders on the server (the same explorer, one server round trip per move; the URL "
                     "keeps the code)", expanded=any(key in st.query_params for key in zkeys)):
        left, mid, right = st.columns([1.3, 0.8, 1.3])
        with left:
            sliders = st.columns(2 if dim == 2 else 4)
            for j, key in enumerate(zkeys):
                default = 0.0 if kind != "ae" else round(measured(metrics).code_mean[j], 2)
                kwargs = params.float_param(key, lo[j], hi[j], default)  # a deep link out of range: clamped
                if key in st.session_state:  # a value left by another model may be outside this one's range
                    st.session_state[key] = min(max(float(st.session_state[key]), lo[j]), hi[j])
                sliders[j % len(sliders)].slider(key, float(lo[j]), float(hi[j]), step=0.05, key=key,
                                                 bind="query-params", **kwargs)
        z = [float(st.session_state[key]) for key in zkeys]
        with mid:
            decoded = explore.decode(model, z)
            st.image(explore.to_display(decoded[0]), caption=f"{model_name} decoder at z", width="stretch",
                     alt=f"{model_name} decoder output at z = ({', '.join(f'{v:.2f}' for v in z)}): "
                         f"{describe.looks_like(decoded, ds)[0]}")
            st.image(explore.to_display(test.x[img]), caption=f"test image #{img} (class {test.classes[test.y[img]]})",
                     width=120, alt=f"held-out test image #{img}, a {test.classes[test.y[img]]}")
        with right:
            fig = figures.code_map(view.coords, labels, test.classes, title,
                                   point=explore.project(view, z) if view.basis is not None else None,
                                   axis_names=axis, clickable=view.basis is not None)
            charts.show(st, fig, key="latent_map", on_select=on_map_click, selection_mode="points")
            st.caption(":material/touch_app: Click anywhere on the map to move z there." if view.basis is not None
                       else "t-SNE has no inverse map: switch to PCA to click on the map.")
    with pad_slot:
        latent_pad.show(model, kind, config_key(loaded[kind].config), z, lo, hi,
                        latent_pad.view_data(view, labels, test.classes, title, lo, hi), key="latent_pad", on_change=on_pad)
        st.caption(":material/speed: The decoder and the encoder run in your browser: drag the point on the map, "
                   "move a slider or draw a digit and the image follows your hand; the server only hears where "
                   "you let go. Each dot on the map is a held-out test image's code, coloured by its class.")


explorer_panel()
code.show_code(explore.decode, explore.prior_codes, explore.View2D.to_latent)

def compare_section() -> None:
    """AE vs VAE vs AAE side by side: test codes, decoded grid, samples from the prior."""
    st.subheader("AE vs VAE vs AAE: codes, decoded grid, samples from the prior")
    st.markdown(
        "Top: where each model puts the held-out test images. Middle: the decoder evaluated on a regular grid "
        "over the same rectangle" + (" (the first two principal axes; the other directions sit at the codes' mean)"
                                     if dim > 2 and view_method == "pca" else "")
        + " (colours: the classes, as in the map above). Bottom: decodes of 36 codes drawn from the prior (the "
          "AE has none: a Gaussian fitted to its training codes stands in). Under each column, measured when the "
          "shipped weights were trained: the spread of the held-out codes (a VAE or AAE aims at mean 0, variance "
          "1), the share of the rarest digit when GenLab's digit classifier reads 2,000 prior samples (about 10% "
          "in the data), and the samples' FID against held-out images on the FID leaderboard's features (lower is "
          "better).")
    cols = st.columns(3)
    for col, (name, k) in zip(cols, MODELS.items()):
        m = loaded[k]
        kcodes, kview = views[k]
        with col:
            st.markdown(f"#### {KIND_LABELS[k]}")  # one line in a third of the page (a subheader wrapped)
            charts.show(st, figures.code_map(kview.coords, labels, test.classes, f"{name}: test codes", height=320,
                                               legend=False),
                        key=f"map_{k}")
            if kview.basis is not None:
                glo, ghi = explore.grid_extent(k, kview)
                grid = explore.decode(m.model, explore.grid_codes(kview, glo, ghi, 15))
                st.image(explore.sheet(grid, 15, 15), width="stretch",
                         caption=f"{name}: decoder on a 15 x 15 grid, u1 in [{glo[0]:.1f}, {ghi[0]:.1f}], "
                                 f"u2 in [{glo[1]:.1f}, {ghi[1]:.1f}]",
                         alt=f"{name}: 225 decoder outputs on a 15 x 15 grid of codes; {describe.summary(grid, ds)}")
            samples = explore.decode(m.model, explore.prior_codes(k, m.metrics, dim, 36, seed))
            st.image(explore.sheet(samples, 6, 6), width="stretch", caption=f"{name}: 36 samples from the prior",
                     alt=f"{name}: 36 decoded samples from the prior; {describe.summary(samples, ds)}")
            mm = measured(m.metrics)
            note = f"held-out reconstruction {mm.test_recon:.1f} nats / image"
            if mm.test_elbo is not None:
                note += f", **test ELBO {mm.test_elbo:.1f} nats**"
            origin = "shipped" if m.path is not None and m.path.parent == pretrained_dir() else "trained here"
            st.caption(f"{note} ({origin} weights, {mm.n_test:,} held-out images).")
            st.caption(quality.describe(m.metrics))


def interpolation_section() -> None:
    """Linear and spherical interpolation between two test images' codes."""
    st.subheader("Interpolation between two images")
    st.markdown(f"Encode two test images with the **{KIND_LABELS[kind]}**, walk between their codes and decode "
                "every step. Linear interpolation cuts straight through the space; spherical interpolation follows "
                "the great circle, which keeps the norm typical of N(0, I) codes in high dimension.")
    st.latex(r"\mathrm{lerp}(z_0, z_1; t) = (1-t)\,z_0 + t\,z_1 \qquad "
             r"\mathrm{slerp}(z_0, z_1; t) = \frac{\sin((1-t)\Omega)}{\sin\Omega} z_0 + "
             r"\frac{\sin(t\Omega)}{\sin\Omega} z_1,\quad \cos\Omega = \frac{z_0 \cdot z_1}{\|z_0\|\,\|z_1\|}")
    i1, i2, i3 = st.columns(3)
    ia = i1.number_input("From test image #", 0, n_test - 1, step=1, key="a", bind="query-params",
                         **params.int_param("a", 0, n_test - 1, 0))
    ib = i2.number_input("To test image #", 0, n_test - 1, step=1, key="b", bind="query-params",
                         **params.int_param("b", 0, n_test - 1, 1))
    steps = i3.slider("Steps", 3, 16, key="steps", bind="query-params", **params.int_param("steps", 3, 16, 10))
    ends = explore.encode(model, test.x[[ia, ib]])  # (2, d)
    latent_pad.morph(lambda: model_spec(model, kind), config_key(loaded[kind].config), ends[0].tolist(),
                     ends[1].tolist(), (f"test image #{ia}", f"#{ib}"), key="latent_morph")
    st.caption(":material/speed: Slide t: both paths are decoded in your browser as you move. Below, the "
               "server's strips of evenly spaced steps.")
    for method in interpolate.METHODS:
        strip = explore.decode(model, interpolate.path(ends[0], ends[1], steps, method))
        st.image(explore.sheet(strip, 1, steps, width=1200), caption=f"{method}: test image #{ia} to #{ib}",
                 width="stretch", alt=f"{method} interpolation in {steps} steps from test image #{ia} to #{ib}: "
                                      f"{describe.sequence(strip, ds)}")
    code.show_code(interpolate.lerp, interpolate.slerp)


def vae_section() -> None:
    """The VAE's reparameterisation for the current image and its loss terms over training."""
    st.subheader("Inside the VAE")
    vm = loaded["vae"]
    st.markdown(f"The VAE's encoder gives a Gaussian q(z | x) for test image #{img}, not a point. Training samples "
                "it with the reparameterisation trick, so gradients flow through mu and sigma, and minimises "
                "reconstruction + beta * KL (beta = 1: the negative ELBO, Kingma & Welling 2014, eq. 10).")
    st.latex(r"z = \mu + \sigma \odot \varepsilon,\ \varepsilon \sim \mathcal N(0, I) \qquad "
             r"\mathrm{ELBO} = \mathbb E_{q(z|x)}[\log p(x|z)] - \mathrm{KL}(q(z|x)\,\|\,p(z))")
    st.latex(r"\mathrm{KL}\big(\mathcal N(\mu, \sigma^2) \,\|\, \mathcal N(0, I)\big) = "
             r"-\tfrac12 \sum_j \big(1 + \log\sigma_j^2 - \mu_j^2 - \sigma_j^2\big)")
    inner = explore.vae_internals(vm.model, test.x[img:img + 1], seed)
    v1, v2, v3 = st.columns([2, 1, 1.4])
    charts.show(v1, figures.internals_bars(inner["mu"], inner["sigma"], inner["eps"], inner["z"]), key="bars")
    with v2:
        st.image(explore.to_display(inner["x_mu"][0], 112), caption="decode(mu)", width=112,
                 alt=f"the VAE decoder at the posterior mean mu: {describe.looks_like(inner['x_mu'], ds)[0]}")
        st.image(explore.to_display(inner["x_z"][0], 112), caption="decode(z), z sampled", width=112,
                 alt=f"the VAE decoder at a sampled z: {describe.looks_like(inner['x_z'], ds)[0]}")
        st.metric("Test-set ELBO (nats / image)", f"{measured(vm.metrics).test_elbo:.2f}",
                  help=f"One-sample estimate on the {measured(vm.metrics).n_test:,} held-out images.")
        st.caption(f"This image: reconstruction {inner['recon']:.1f} + KL {inner['kl']:.1f} nats.")
    charts.show(v3, figures.loss_curves(measured(vm.metrics).history, "Shipped VAE: loss terms over training"),
                key="vae_history")
    code.show_code(vae.reparameterize, vae.kl_divergence, vae.VAE.terms)


def aae_section() -> None:
    """The AAE's adversarial game in code space: what D says about codes and prior samples, and its losses."""
    st.subheader("The AAE's discriminator")
    st.markdown("The adversarial autoencoder has no KL term: it shapes its codes with a GAN played in code space "
                "(Makhzani et al. 2016, section 2): D learns to tell samples of p(z) from codes, and the encoder "
                "learns to fool it. GenLab uses the paper's *Gaussian posterior* encoder, "
                "q(z | x) = N(μ(x), σ(x)²), so its codes are sampled like the VAE's; the deterministic variant "
                "differs only in σ = 0. After training, both the VAE and the AAE get one closed-form step that "
                "shifts and scales z so the training codes have mean 0 and variance 1 per dimension (the decoder "
                "absorbs the map exactly; `models/latent/calibrate.py`).")
    st.latex(r"\min_{q}\max_D\ \mathbb E_{z\sim p(z)}[\log D(z)] + \mathbb E_{x}[\log(1 - D(q(x)))] \qquad "
             r"D^*(z) = \frac{p(z)}{p(z) + q(z)}")
    am = loaded["aae"]
    j = judged(am.model, test.x, str(am.path), ds, dim, seed, measured(am.metrics).calibration)
    st.markdown(f"Below: D on {len(j.d_prior):,} samples of N(0, I) and on the sampled codes of the "
                f"{len(j.d_codes):,} held-out images, in minibatches of {am.config.batch_size} as in training. "
                "The best D for a fixed encoder is D*(z) above (Goodfellow et al. 2014): where the codes pile up, "
                "D says *encoder* (below 1/2); where the prior has mass the codes miss, *prior* (above 1/2). "
                "When q(z) = p(z), D* = 1/2 everywhere and D is right half of the time. D stopped learning "
                "before the calibration step, so the codes are shown where D last saw them (the step undone: "
                "z / scale + shift).")
    a1, a2, a3 = st.columns(3)
    a1.metric("D's accuracy (chance: 50%)", f"{j.accuracy:.1%}",
              help="Balanced accuracy at the threshold 1/2: half the share of prior samples with D > 1/2 plus "
                   "half the share of codes with D < 1/2. Far above 50%: D still tells codes from prior "
                   "samples; below 50%: the encoder has just moved past where D expects the codes (the game "
                   "oscillates around D = 1/2 rather than resting there).")
    a2.metric("mean D(z), z ~ N(0, I)", f"{j.d_prior.mean():.3f}")
    a3.metric("mean D(z), held-out codes", f"{j.d_codes.mean():.3f}")
    if j.accuracy >= 0.9:
        st.warning(f"Measured here: this D won the game. It tells codes from prior samples {j.accuracy:.1%} of the "
                   f"time, and its loss ended at {measured(am.metrics).history['d_loss'][-1]:.2g} nats (1.39 at a draw). "
                   "The codes reach mean 0 and variance 1 only through the closed-form calibration step, so this "
                   "model's prior samples say more about that step than about the adversarial game. In 2-D, "
                   "GenLab's trials found no encoder rate that won against D without squashing the codes (see "
                   "pretrained/latent.md).", icon=":material/sports_score:")
    left, right = st.columns(2)
    if dim == 2:
        u, p = discriminator.surface(am.model, *discriminator.plane_extent(j))
        charts.show(left, figures.discriminator_plane(u, p, j.z_prior[:400], j.z_codes[:400],
                                                      "Shipped AAE: D(z) over the code plane"), key="aae_plane")
        flat = (f" Here D answers between {p.min():.2f} and {p.max():.2f} over the whole plane: it judges by "
                "the batch's mean and spread, not by where a single code lies." if p.max() - p.min() < 0.1 else "")
        left.caption("Colour: D(z) at each point of the plane, asked with the prior's batch moments (mean 0, "
                     "standard deviation 1; GenLab's D also sees its minibatch's mean and spread). Dots: 400 "
                     "prior samples; crosses: 400 held-out codes." + flat)
    else:
        charts.show(left, figures.discriminator_histograms(j.d_prior, j.d_codes, "Shipped AAE: D's answers"),
                    key="aae_hist")
        left.caption("A 16-D code plane cannot be drawn: the histograms of D's answers show how well it "
                     "separates the two sets (apart: it can; on top of each other, near 1/2: it cannot).")
    charts.show(right, figures.loss_curves(measured(am.metrics).history, "Shipped AAE: losses over training"),
                key="aae_history")
    right.caption("A discriminator loss of 2 log 2 = 1.39 nats and an encoder loss of log 2 = 0.69 nats are "
                  "the values at D = 1/2, the end point of the game.")
    code.show_code(discriminator.judge, discriminator.surface, aae.discriminator_loss, aae.generator_loss,
                   training.aae_step)


def beta_section() -> None:
    """Retrain a beta-VAE live and compare it with the shipped beta = 1 VAE (ui/beta_vae_view.py)."""
    beta_vae_view.section(ds, dim, seed, test, loaded["vae"], test_view)


# Below the explorer, one section at a time: only the open tab runs and is drawn (a first visit draws the
# explorer and the comparison, not every chart of the page). Deep link: ?section=Interpolation, say.
SECTIONS = {"AE vs VAE vs AAE": compare_section, "Interpolation": interpolation_section,
            "Inside the VAE": vae_section, "AAE discriminator": aae_section, "beta-VAE": beta_section}
sections.lazy_tabs(SECTIONS, keep=("a", "b", "steps", "beta", "epochs"))
