"""What autoencoders are for: anomaly detection by reconstruction error, and pretraining with few labels."""

from __future__ import annotations

import streamlit as st

from models.checkpoints import config_key, load_or_train
from models.zoo import anomaly, pretraining, training, variants
from models.zoo import figures, uses_figures
from models.zoo.config import anomaly_config, pretrain_config
from models.zoo.train import MNIST_ANOMALY_DIGITS
from ui import charts, code, data, params, sidebar

# Radio options are their own URL values (?setup=held-out+digit), so no format_func.
SETUPS = ("held-out digit", "MNIST vs Fashion-MNIST")
SETUP_CAPTIONS = ("train without one chosen digit: that digit is the anomaly",
                  "train on all of MNIST: Fashion-MNIST images are the anomalies")
N_WORST = 16

st.title("What autoencoders are for")
st.caption("An autoencoder needs no labels. What it learns is useful anyway: its reconstruction error flags "
           "images unlike its training data, and its encoder is a head start for a classifier when labels are few.")

dataset, seed = sidebar.dataset(), sidebar.seed()
if dataset == "fashion":
    if data.images("fashion", "train") is not None:  # when missing, images() has said what to do
        st.caption("Fashion-MNIST is available: it plays the outliers in the second setup below.")
    st.info("This page trains on MNIST; Fashion-MNIST appears as the anomalies of 'MNIST vs Fashion-MNIST'.",
            icon=":material/info:")
base = "digits" if dataset == "digits" else "mnist"
train = data.images_or_stop(base, "train")
test = data.images_or_stop(base, "test")
name = "MNIST" if base == "mnist" else "8x8 digits"


def _progress_fit(label: str):
    bar = st.progress(0.0, text=label)

    def on_step(step: int, total: int, logs: dict) -> None:
        loss = f", loss {logs['loss']:.3f}" if "loss" in logs else ""
        bar.progress(step / total, text=f"{label} step {step:,}/{total:,}{loss}")

    def on_wait(why: str) -> None:
        bar.progress(0.0, text=f"{label} {why}")
    return bar, on_step, on_wait


def _model(config):
    """Shipped or cached weights (load_or_train keeps them in memory); else trained once through the run pool
    (queued behind other training on the machine), with a progress bar."""
    bar, on_step, on_wait = _progress_fit(f"Training the autoencoder {config_key(config)} once; it is then cached.")
    loaded = load_or_train(config, variants.build, training.fit, on_step=on_step, on_wait=on_wait,
                           device=data.device())
    bar.empty()
    for w in loaded.warnings:
        st.warning(w, icon=":material/warning:")
    return loaded


@st.cache_resource(show_spinner=False, max_entries=24)
def _heldout_result(key: str, _model, digit: int) -> anomaly.AnomalyResult:
    return anomaly.heldout_digit(_model, test.x, test.y, digit)


# ---------------------------------------------------------------------------------------------------------
st.header("Anomaly detection by reconstruction error")
st.markdown("Train on **normal** images only. Anything unlike them is rebuilt badly, so the reconstruction "
            "error is an anomaly score; a threshold turns it into a detector.")
st.latex(r"s(x) = \frac{1}{D}\lVert x - g(f(x)) \rVert^2 \qquad \text{flag } x \text{ when } s(x) \ge \tau"
         r"\qquad \mathrm{AUC} = P\big(s(x_{\text{anomaly}}) > s(x_{\text{normal}})\big)")
c1, c2 = st.columns(2)
setup = c1.radio("Normal against anomalous", SETUPS, captions=SETUP_CAPTIONS, key="setup",
                 bind="query-params", **params.choice_param("setup", SETUPS, SETUPS[0]))
digit = c2.selectbox("Held-out digit (the anomaly)", list(range(10)), key="digit", bind="query-params",
                     disabled=setup != SETUPS[0],
                     help=f"Shipped MNIST weights exist for digits {', '.join(map(str, MNIST_ANOMALY_DIGITS))}; "
                          "other digits train once (a minute or two on a CPU), then are cached.",
                     **params.choice_param("digit", list(range(10)), 0))

result, names = None, ("normal", "anomaly")
if setup == SETUPS[0]:
    cfg = anomaly_config(base, int(digit))
    loaded = _model(cfg)
    result = _heldout_result(config_key(cfg), loaded.model, int(digit))
    names = ("other digits", f"digit {digit}")
    st.caption(f"Autoencoder trained on the {name} training split without any {digit} "
               f"({loaded.source} weights); scored on the {len(test):,} held-out images, of which "
               f"{int(result.labels.sum())} are {digit}s.")
else:
    outliers = data.images("fashion", "test")
    if outliers is None:
        st.info("MNIST vs Fashion-MNIST needs Fashion-MNIST's files. Meanwhile, the held-out digit setup above "
                "shows the same method with MNIST alone.", icon=":material/info:")
    else:
        mnist_test = data.images_or_stop("mnist", "test")
        cfg = anomaly_config("mnist", -1)
        loaded = _model(cfg)
        result = anomaly.against_outliers(loaded.model, mnist_test.x, outliers.x[:len(mnist_test)])
        names = ("MNIST", "Fashion-MNIST")

if result is not None:
    pct = st.slider("Threshold tau: flag the top ... of all test images (percentile of the scores)", 50.0, 99.9,
                    step=0.1, key="pct", bind="query-params", **params.float_param("pct", 50.0, 99.9, 90.0))
    tau = anomaly.threshold_at(result.scores, pct)
    precision, recall = anomaly.precision_recall(result.scores, result.labels, tau)
    m = st.columns(4)
    m[0].metric("AUC", f"{result.auc:.3f}", help="Area under the ROC curve: 0.5 is chance, 1 is perfect.")
    m[1].metric("Threshold tau", f"{tau:.4f}")
    m[2].metric("Precision", f"{precision:.2f}", help="Of the flagged images, the fraction that are anomalies.")
    m[3].metric("Recall", f"{recall:.2f}", help="Of the anomalies, the fraction that are flagged.")
    left, right = st.columns(2)
    charts.show(left, uses_figures.error_histogram(result.scores, result.labels, tau, names), width="stretch")
    charts.show(right, uses_figures.roc_figure(result.fpr, result.tpr, result.auc,
                                               anomaly.rates_at(result.scores, result.labels, tau)), width="stretch")
    worst = result.most_anomalous(N_WORST)
    pool = test.x if setup == SETUPS[0] else None
    if pool is not None:
        charts.show(st, figures.image_grid(
            [pool[worst][:, 0].numpy()], ["highest s(x)"], f"The {N_WORST} most anomalous test images",
            [f"{names[int(result.labels[i])].split()[-1]} {result.scores[i]:.3f}" for i in worst]), width="stretch")
        st.caption("Under each image: its class (the held-out digit or 'digits') and its score. Normal images "
                   "among the top are the odd ones: thick, slanted or cut-off strokes.")
    code.show_code(anomaly.reconstruction_errors, anomaly.roc_curve, anomaly.auc, anomaly.precision_recall)

# ---------------------------------------------------------------------------------------------------------
st.header("Unsupervised pretraining with few labels")
st.markdown("Train the autoencoder on **all** training images (no labels). Then train a classifier "
            "softmax(V f(x) + c) on its codes with 1%, 10% and 100% of the labels, once on top of the pretrained "
            "encoder f (frozen, unless you fine-tune it) and once with the same network started from random "
            "weights and trained end to end (scratch). Same network, same steps, same labelled images. "
            f"The encoder is the {'convolutional' if base == 'mnist' else 'stacked'} autoencoder's.")
st.latex(r"\min_{V,c,\,f} \; -\frac{1}{n}\sum_{i=1}^{n} \log \mathrm{softmax}\big(V f(x_i) + c\big)_{y_i}"
         r"\qquad n = 1\%,\ 10\%,\ 100\% \text{ of the training labels}")
finetune = st.toggle("Fine-tune the pretrained encoder too (otherwise only the softmax layer learns)",
                     key="finetune", bind="query-params")
pcfg = pretrain_config(base)
token = (base, seed, bool(finetune))
results = st.session_state.setdefault("pretrain_results", {})
if st.button("Run the comparison", icon=":material/play_arrow:", type="primary", key="run_pretrain"):
    ae = _model(pcfg).model
    bar = st.progress(0.0, text="Training classifiers...")
    for state in pretraining.compare(ae, train.x, train.y, test.x, test.y, freeze=not finetune, seed=seed):
        bar.progress(state.done_runs / state.total_runs, text=f"{state.done_runs}/{state.total_runs} classifiers")
    bar.empty()
    results[token] = state.curves
curves = results.get(token)
if curves is None:
    st.info(f"Press the button to train 6 small classifiers on {name} (a few seconds).", icon=":material/school:")
else:
    charts.show(st, uses_figures.pretrain_curves(curves), width="stretch")
    by = {(c.fraction, c.init): c for c in curves}
    st.dataframe([{"labels": f"{f:.0%} ({by[(f, 'pretrained')].n_labels})",
                   "pretrained accuracy": round(by[(f, "pretrained")].final, 3),
                   "scratch accuracy": round(by[(f, "scratch")].final, 3),
                   "gain": round(by[(f, "pretrained")].final - by[(f, "scratch")].final, 3)}
                  for f in pretraining.FRACTIONS], hide_index=True)
    gains = {f: by[(f, "pretrained")].final - by[(f, "scratch")].final for f in pretraining.FRACTIONS}
    few, most = min(gains), max(gains)
    st.caption(f"Accuracy on the {len(test):,} held-out images after the last step. With {few:.0%} of the labels "
               + (f"the pretrained codes win by {gains[few]:.1%}" if gains[few] > 0 else
                  f"the pretrained codes lose by {-gains[few]:.1%} this time (try another seed)")
               + f"; with {most:.0%} " + ("the scratch network, which learns its own features from the labels, "
                                          "has caught up and passed them." if gains[most] < 0 else
                                          "they still lead."))
code.show_code(pretraining.CodeClassifier, pretraining.label_subset, pretraining.train_classifier,
               pretraining.compare, label="Show the code (pretraining)")
