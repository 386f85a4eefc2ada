"""The flow page's MNIST section: the shipped flow-matching U-Net sampled at 1 to 50 steps, classifier-free
guidance with the conditional, unconditional and guided predictions side by side, and the measured curves."""

from __future__ import annotations

import time

import streamlit as st

from models.diffusion import figures as dfig
from models.flow.images import evaluate, figures, measured, sampling, training
from models.flow.images.card import load
from models.flow.images.config import ImageFlowConfig
from ui import charts, code, data, params

NFES = (1, 2, 4, 8, 16, 50)
LABELS = ("any digit", *map(str, range(10)))


@st.cache_resource(show_spinner="Loading the flow-matching U-Net...")
def _model(device: str):
    return load(ImageFlowConfig(), device)


@st.cache_data(show_spinner=False, max_entries=64)
def _samples(device: str, steps: int, label: str, w: float, seed: int):
    model = _model(device).model
    t0 = time.perf_counter()
    x = sampling.sample(model, 16, steps, None if label == LABELS[0] else int(label), w, seed)
    return x[:, 0].numpy(), time.perf_counter() - t0


@st.cache_data(show_spinner=False, max_entries=32)
def _predictions(device: str, t: float, label: int, w: float, seed: int):
    """The three one-step guesses at time t, from the guided path's state x_t (8 images)."""
    model = _model(device).model
    x = sampling.path_state(model, 8, t, label, w, seed)
    preds = sampling.predictions(model, x, t, label, w)
    return ({k: v[:, 0].numpy() for k, v in preds.items()},
            {k: evaluate.asked_probability(v, label) for k, v in preds.items()})


def section(seed: int) -> None:
    st.header("4. On MNIST: fewer steps, and classifier-free guidance", anchor=False)
    loaded = _model(str(data.device()))
    for w in loaded.warnings:
        st.warning(w, icon=":material/warning:")
    st.markdown("The same objective trains a U-Net on MNIST digits (shipped weights, `pretrained/flow_mnist.md`). "
                "It also learned every digit's own field: its label is an input, replaced by *none* for 10 % of "
                "the training images, so one network gives both the conditional velocity v(x, t, y) and the "
                "unconditional v(x, t, none). **Guidance** pushes a sample towards its label by extrapolating "
                "from the second to the first (w = 0: the conditional model):")
    st.latex(r"\tilde v(x, t, y) = (1 + w)\, v_\theta(x, t, y) - w\, v_\theta(x, t, \varnothing)")
    c1, c2, c3 = st.columns(3)
    steps = c1.select_slider("Euler steps (network evaluations)", NFES, key="mnist_steps", bind="query-params",
                             **params.slider_choice_param("mnist_steps", NFES, 8))
    label = c2.selectbox("Digit", LABELS, key="digit", bind="query-params",
                         **params.choice_param("digit", LABELS, LABELS[0]))
    w = c3.slider("Guidance scale w", 0.0, 10.0, step=0.5, key="w", bind="query-params",
                  disabled=label == LABELS[0], help="Guidance needs a label: pick a digit.",
                  **params.float_param("w", 0.0, 10.0, 2.0))
    x, seconds = _samples(str(data.device()), int(steps), label, float(w), seed)
    charts.show(st, dfig.grid_figure(x, cols=8, height=260, title=(
        f"16 samples, {steps} Euler step{'s' if steps > 1 else ''}" + ("" if label == LABELS[0] else
                                                                       f", digit {label}, w = {w:g}"))),
                key="mnist_grid")
    nfe = steps * (1 if label == LABELS[0] or w == 0 else 2)
    st.caption(f":material/timer: Sampled here in {seconds:.2f} s: {nfe} network evaluations per image "
               f"({'two per step: the conditional and the unconditional call' if nfe > steps else 'one per step'}).")
    if label != LABELS[0]:
        t = st.slider("Time t of the side-by-side guesses", 0.0, 0.9, step=0.1, key="guess_t", bind="query-params",
                      help="0: pure noise. Later times start from the guided path's state x_t.",
                      **params.float_param("guess_t", 0.0, 0.9, 0.0))
        preds, asked = _predictions(str(data.device()), float(t), int(label), float(w), seed)
        cols = st.columns(3)
        for col, name in zip(cols, ("conditional", "unconditional", "guided")):
            charts.show(col, dfig.grid_figure(preds[name], cols=4, height=200, title=f"{name}: x + (1 - t) v"),
                        key=f"guess_{name}")
            col.caption(f"The classifier says *{label}* with probability {asked[name]:.2f} (mean of these 8).")
        st.caption(f"Each field's one-step guess of the final image from the same x_t (t = {t:g}, on the guided "
                   "path). At t = 0, x_t is pure noise and says nothing about the image, so the best guess is an "
                   "average: the unconditional field guesses the mean of all training digits, the conditional one "
                   f"the mean of the {label}s, and guidance extrapolates past it, (1 + w) mean({label}) - w mean(all) "
                   "(GenLab's tests check all three on these weights). As t grows, x_t already shows a digit and "
                   "the three guesses come together. The probabilities under the images were measured now.")
    metrics = loaded.metrics
    if "quality_vs_nfe" in metrics:
        left, right = st.columns(2)
        charts.show(left, figures.nfe_figure(measured.quality_vs_nfe(metrics),
                                             "Quality against network evaluations (500 samples each)"), key="nfe")
        charts.show(right, figures.guidance_figure(measured.guidance(metrics),
                                                   "Guidance: fidelity against diversity (500 samples, 20 steps)"),
                    key="guidance_curve")
        st.caption("Measured on the shipped weights when they were built (`pretrained/flow_mnist.md`; "
                   "the card has the numbers). At 1 to 4 network evaluations the flow's samples are closer to the "
                   "held-out digits (lower FID) than DDIM's on the shipped DDPM; from 8 on the DDPM (1.8 times "
                   "the parameters, twice the training steps) is better. DDIM's 1- and 2-step samples are all read as one "
                   "digit, an 8, with certainty: confidence alone does not measure quality; FID, which also sees "
                   "how varied the samples are, does. Guidance buys fidelity (the classifier is surer of "
                   "the asked digit) with diversity (recall falls).")
    code.show_code(training.flow_matching_loss, sampling.guided_velocity, sampling.sample)

