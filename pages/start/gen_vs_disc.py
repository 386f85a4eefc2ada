"""Generative vs discriminative models, and the probability distributions they learn."""

from __future__ import annotations

import threading

import pandas as pd
import streamlit as st

from models.gendisc import boundaries, classifiers, compare, data2d, distributions, figures, learning_curve, outliers
from ui import charts, params, sidebar
from ui.code import show_code

TABS = ("Distributions", "Boundaries", "Outliers", "Few data")
SYNTHETIC = ("blobs", "moons", "ring8")
MODEL_NAMES = tuple(classifiers.MODELS)


@st.cache_data(show_spinner=False, max_entries=16)
def _convergence(name: str, items: tuple, n: int, seed: int):
    return distributions.convergence(name, dict(items), n, seed)


@st.cache_data(show_spinner=False, max_entries=16)
def _compare(dataset: str, n: int, spread: float, k: int, seed: int, text: str):
    if dataset == "points":
        return compare.compare(data2d.parse_points(text), None, seed, k)
    train, test = data2d.train_test(dataset, n, seed, spread)
    return compare.compare(train, test, seed, k)


@st.cache_resource(show_spinner=False)
def _finished() -> tuple[dict, threading.Lock]:
    """Finished experiment curves by config, shared by every user (small: a few arrays each)."""
    return {}, threading.Lock()


def _experiment(cfg, run, text: str):
    """``run(cfg, on_step)`` once per config with a progress bar; later calls return the stored result."""
    store, lock = _finished()
    with lock:
        done = store.get(cfg)
    if done is None:
        bar = st.progress(0.0, text=text)
        done = run(cfg, lambda i, total: bar.progress(i / total, text=f"{text} {i} of {total} done."))
        bar.empty()
        with lock:
            store[cfg] = done
            while len(store) > 32:
                store.pop(next(iter(store)))
    return done


@st.cache_data(show_spinner=False, max_entries=16)
def _outlier_view(cfg: outliers.OutlierConfig, k: int):
    return compare.outlier_view(cfg, k)


def _table(rows: dict[str, dict], fmt: str = "{:.1%}"):
    """Models as rows, with their kind; numbers formatted as percentages."""
    df = pd.DataFrame.from_records([rows[m] for m in rows], index=[classifiers.MODELS[m].label for m in rows])
    df.insert(0, "kind", ["generative" if classifiers.MODELS[m].generative else "discriminative" for m in rows])
    return df.style.format({c: fmt.format for c in df.columns if pd.api.types.is_float_dtype(df[c])})


def distributions_tab(seed: int) -> None:
    st.markdown("Every generative model ends in a distribution it can sample from. Pick one, set its "
                "parameters and watch the histogram of n draws approach the PMF/PDF as n grows (law of large numbers).")
    by_label = {d.label: d.name for d in distributions.DISTRIBUTIONS.values()}
    c1, c2 = st.columns([1, 2])
    with c1:
        # Options are the readable labels themselves, so the URL reads ?dist=Poisson (no format_func).
        label = st.selectbox("Distribution", tuple(by_label), key="dist", bind="query-params",
                             **params.choice_param("dist", tuple(by_label), "Gaussian"))
        name = by_label[label]
        spec = distributions.spec(name)
        values = {}
        for p in spec.params:
            key = f"{name}_{p.name}"
            guard = params.int_param if p.integer else params.float_param
            cast = int if p.integer else float
            values[p.name] = st.slider(p.label, cast(p.lo), cast(p.hi), step=cast(p.step), key=key,
                                       bind="query-params", **guard(key, cast(p.lo), cast(p.hi), cast(p.default)))
        draws = (100, 1_000, 10_000, 100_000)
        n = st.selectbox("Number of draws n", draws, key="draws", bind="query-params",
                         **params.choice_param("draws", draws, 10_000))
    with c2:
        st.caption(f"{spec.label} is a **{'discrete' if spec.discrete else 'continuous'}** distribution: "
                   f"{'a probability mass function P(X = k)' if spec.discrete else 'a probability density p(x)'}.")
        st.latex(spec.latex)
        try:
            conv = _convergence(name, tuple(sorted(values.items())), n, seed)
        except ValueError as exc:
            st.error(f"{exc}", icon=":material/error:")
            return
        th = conv.theory
        m1, m2, m3, m4 = st.columns(4)
        m1.metric("sample mean", f"{conv.means[-1]:.4g}", f"{conv.means[-1] - th.mean:+.3g} vs theory",
                  delta_color="off")
        m2.metric("theory E[X]", f"{th.mean:.4g}")
        m3.metric("sample variance", f"{conv.variances[-1]:.4g}", f"{conv.variances[-1] - th.var:+.3g} vs theory",
                  delta_color="off")
        m4.metric("theory Var[X]", f"{th.var:.4g}")
    charts.show(st, figures.distribution_figure(conv.grid, conv.f, conv.frames, spec.discrete, spec.label),
                key="dist_fig")
    charts.show(st, figures.moments_figure(conv.ns, conv.means, conv.variances, th.mean, th.var), key="mom_fig")
    st.caption(f"Seed {seed} (sidebar). The grey band is E[X] +- 2 sqrt(Var[X] / n): the sample mean stays inside "
               "it about 95% of the time, and it narrows like 1 / sqrt(n).")
    show_code(distributions.frozen, distributions.sample, distributions.running_moments, distributions.histogram)


def _data_controls(prefix: str, synthetic_only: bool) -> tuple[str, int, float]:
    options = SYNTHETIC if synthetic_only else data2d.DATASETS
    c1, c2, c3 = st.columns(3)
    dataset = c1.selectbox("Data", options, key=f"{prefix}data", bind="query-params",
                           help=" · ".join(f"{k}: {data2d.LABELS[k]}" for k in options),
                           **params.choice_param(f"{prefix}data", options, "blobs"))
    c1.caption(data2d.LABELS[dataset])
    n = c2.slider("Training points", 20, 1000, step=10, key=f"{prefix}n", bind="query-params",
                  disabled=dataset == "points", **params.int_param(f"{prefix}n", 20, 1000, 300))
    spread = c3.slider("Noise (spread)", 0.5, 2.0, step=0.1, key=f"{prefix}spread", bind="query-params",
                       disabled=dataset == "points", **params.float_param(f"{prefix}spread", 0.5, 2.0, 1.0))
    return dataset, n, spread


def _add_placed() -> None:
    """Append the grid points just clicked or lassoed, with the chosen class, to the points' text."""
    event = st.session_state.get("place")
    picked = [(p["x"], p["y"]) for p in (event.selection.points if event else []) if p.get("curve_number", 0) == 0]
    if picked:
        old = st.session_state.get("points", "").rstrip()
        new = data2d.format_points(picked, st.session_state.get("place_class", 0))
        st.session_state["points"] = (old + "\n" + new) if old else new


def _placed_points() -> str:
    """Place points by clicking or lassoing a grid (for the chosen class) or by typing them; returns the text."""
    if "points" not in st.session_state:
        st.session_state["points"] = data2d.EXAMPLE_POINTS
    left, right = st.columns([3, 2])
    with right:
        st.radio("Class of the points you place", (0, 1), horizontal=True, key="place_class")
        if st.button("Clear points", icon=":material/delete:", key="clear_points"):
            st.session_state["points"] = "# x, y, class (0 or 1); one point per line\n"
        text = st.text_area("Your points: one 'x, y, class' per line (class 0 or 1)", height=220, key="points")
    with left:
        try:
            placed = data2d.parse_points(text)
        except data2d.PointsError:
            placed = None  # the boundaries below say what is wrong with the text
        charts.show(st, figures.placement_figure(data2d.candidate_grid(), placed), key="place", on_select=_add_placed,
                    selection_mode=("points", "box", "lasso"))
        st.caption("Click a grid point, or pick the lasso or box tool in the chart's toolbar and circle several, "
                   "to add points of the chosen class.")
    return text


def boundaries_tab(seed: int) -> None:
    dataset, n, spread = _data_controls("", synthetic_only=False)
    k = st.slider("Gaussians per class in the mixture", 1, 8, key="k", bind="query-params",
                  **params.int_param("k", 1, 8, 4))
    text = ""
    if dataset == "points":
        text = _placed_points()
    try:
        res = _compare(dataset, n, spread, k, seed, text)
    except ValueError as exc:
        st.error(f"{exc}", icon=":material/error:")
        st.info("Fix the line named above, or pick a generated data set.", icon=":material/info:")
        return
    st.subheader("What each model learned: P(y | x)")
    titles = {m: f"{classifiers.MODELS[m].short} ({'gen.' if classifiers.MODELS[m].generative else 'disc.'})"
              for m in MODEL_NAMES}
    charts.show(st, figures.boundaries_figure(res.grid, res.posteriors, res.train.X, res.train.y, titles), key="bd_fig")
    left, right = st.columns(2)
    for m in MODEL_NAMES:
        info = classifiers.MODELS[m]
        (right if info.generative else left).latex(rf"\text{{{info.label}: }} {info.learns}")
    rows = {m: {"learns": "", "train accuracy": res.train_accuracy[m]} for m in MODEL_NAMES}
    for m in MODEL_NAMES:
        rows[m]["learns"] = "P(x | y) and P(y)" if classifiers.MODELS[m].generative else "P(y | x) only"
        if res.test_accuracy is not None:
            rows[m]["test accuracy (2,000 fresh points)"] = res.test_accuracy[m]
    st.dataframe(_table(rows))
    if res.test_accuracy is None:
        st.caption("Typed points have no held-out set: the accuracy shown is on the training points themselves.")
    st.subheader("Generative models: the density p(x) they learned")
    charts.show(st, figures.densities_figure(res.grid, res.log_densities, res.train.X, res.train.y), key="dens_fig")
    st.subheader("New data drawn from the generative models")
    charts.show(st, figures.samples_figure(res.train.X, res.train.y, res.samples), key="samp_fig")
    st.markdown(
        "Each sample is drawn by *ancestral sampling*: first a class $y \\sim P(y)$, then a point "
        "$x \\sim p(x \\mid y)$ from the fitted means, variances and mixture weights. Naive Bayes' samples "
        "ignore the correlation between the two coordinates (its axis-aligned Gaussians), LDA's share one "
        "ellipse per class, the mixture follows curved shapes. **Logistic regression and the MLP cannot do this**: "
        "they only learned $P(y \\mid x)$, a label for an $x$ you already hold. They never modelled where the "
        "$x$'s lie, so there is no $p(x)$ to draw from.")
    show_code(classifiers.GenerativeMixin, classifiers.NaiveBayes, classifiers.LDA, classifiers.ClassGMM,
              classifiers.make_model, compare.compare)


def outliers_tab(seed: int) -> None:
    st.markdown("The course material claims generative models are more sensitive to outliers. Here a class "
                "receives points far away from it and every model is refitted; accuracy is measured on clean "
                "test data. *Away*: beyond the class, on the side away from the other class (correctly "
                "labelled, on the right side of the boundary). *Across*: beyond the other class, on the wrong "
                "side (gross label noise). The claim holds for the first case; see what happens in the second.")
    dataset, n, spread = _data_controls("o", synthetic_only=True)
    side = st.radio("Where the outliers go", outliers.SIDES, horizontal=True, key="oside", bind="query-params",
                    **params.choice_param("oside", outliers.SIDES, "away"))
    c1, c2, c3 = st.columns(3)
    k = c1.slider("Outliers added", 0, max(outliers.DEFAULT_COUNTS), key="outliers", bind="query-params",
                  **params.int_param("outliers", 0, max(outliers.DEFAULT_COUNTS), 20))
    distance = c2.slider("Distance (in data std)", 2.0, 12.0, step=0.5, key="odist", bind="query-params",
                         **params.float_param("odist", 2.0, 12.0, 6.0))
    cls = c3.radio("Class that gets them", (0, 1), horizontal=True, key="oclass", bind="query-params",
                   **params.choice_param("oclass", (0, 1), 0))
    cfg = outliers.OutlierConfig(dataset, n, seed, spread, int(cls), distance, side=side)
    res, extra = _outlier_view(cfg, k)
    charts.show(st, figures.boundaries_figure(res.grid, res.posteriors, res.train.X[: len(res.train) - k],
                                              res.train.y[: len(res.train) - k], extra=extra), key="obd_fig")
    curve = _experiment(cfg, outliers.outlier_curve, "Refitting every model with more and more outliers:")
    charts.show(st, figures.outlier_figure(curve.counts, curve.accuracy, curve.shift), key="out_fig")
    st.caption("Boundary shift: the fraction of the box around the clean training data where a model's predicted "
               "class differs from the same model fitted without outliers (0% = the boundary did not move).")
    for what, values in (("Accuracy on clean test data", curve.accuracy), ("Boundary shift", curve.shift)):
        st.caption(what)
        table = pd.DataFrame({classifiers.MODELS[m].label: values[m] for m in MODEL_NAMES},
                             index=pd.Index(curve.counts, name="outliers"))
        st.dataframe(table.style.format("{:.1%}"))
    worst = max(MODEL_NAMES, key=lambda m: curve.shift[m][-1])
    best = min(MODEL_NAMES, key=lambda m: curve.shift[m][-1])
    st.markdown(f"With {curve.counts[-1]} outliers the boundary of **{classifiers.MODELS[worst].label}** moved "
                f"most ({curve.shift[worst][-1]:.1%} of the area changed class), that of "
                f"**{classifiers.MODELS[best].label}** least ({curve.shift[best][-1]:.1%}). "
                + ("A single Gaussian per class must stretch its mean and covariance to explain far points; "
                   "logistic regression ignores points that are far on the correct side; a mixture can give the "
                   "outliers a component of their own." if side == "away" else
                   "On the wrong side, every outlier costs logistic regression a loss that grows with its "
                   "distance, so the discriminative boundary is dragged as well: sensitivity to outliers depends "
                   "on where they are, not only on the kind of model."))
    show_code(outliers.outlier_points, outliers.outlier_steps, boundaries.boundary_shift)


def few_data_tab(seed: int) -> None:
    st.markdown("Generative models make strong assumptions about P(x | y), so they need few points to fit "
                "them; discriminative models assume less and often win once data is plentiful "
                "(Ng & Jordan, 2002). Each point is the mean over repeats of fresh, balanced training sets.")
    c1, c2, c3 = st.columns(3)
    dataset = c1.selectbox("Data", SYNTHETIC, key="cdata", bind="query-params",
                           help=" · ".join(f"{k}: {data2d.LABELS[k]}" for k in SYNTHETIC),
                           **params.choice_param("cdata", SYNTHETIC, "blobs"))
    spread = c2.slider("Noise (spread)", 0.5, 2.0, step=0.1, key="cspread", bind="query-params",
                       **params.float_param("cspread", 0.5, 2.0, 1.0))
    repeats = c3.slider("Repeats per size", 1, 10, key="repeats", bind="query-params",
                        **params.int_param("repeats", 1, 10, 3))
    cfg = learning_curve.CurveConfig(dataset, repeats=repeats, seed=seed, spread=spread)
    curve = _experiment(cfg, learning_curve.learning_curve, "Fitting every model on growing training sets:")
    bayes = data2d.bayes_accuracy(dataset, spread)
    charts.show(st, figures.learning_curve_figure(curve.sizes, curve.mean, curve.std, bayes), key="lc_fig")
    table = pd.DataFrame({classifiers.MODELS[m].label: curve.mean[m] for m in MODEL_NAMES},
                         index=pd.Index(curve.sizes, name="training points"))
    st.dataframe(table.style.format("{:.1%}"))
    first, last = (max(MODEL_NAMES, key=lambda m: curve.mean[m][i]) for i in (0, -1))
    st.markdown(f"Best with {curve.sizes[0]} points: **{classifiers.MODELS[first].label}** "
                f"({curve.mean[first][0]:.1%}); best with {curve.sizes[-1]}: **{classifiers.MODELS[last].label}** "
                f"({curve.mean[last][-1]:.1%}). Error bars: std over {repeats} repeats."
                + (f" No classifier can beat {bayes:.1%} on these blobs (the Bayes optimum, in closed form)."
                   if bayes is not None else ""))
    show_code(learning_curve.balanced_subset, learning_curve.curve_steps)


st.title("Generative vs discriminative models")
st.markdown("A **discriminative** model learns $P(y \\mid x)$: the boundary between classes. A **generative** "
            "model learns how the data itself is distributed, $p(x \\mid y)$ and $P(y)$, and gets the boundary "
            "from Bayes' rule; because it knows $p(x)$ it can also **sample new data**.")
st.latex(r"P(y \mid x) = \frac{p(x \mid y)\, P(y)}{p(x)}, \qquad p(x) = \sum_{y'} p(x \mid y')\, P(y')")
st.latex(r"\text{two classes: } P(y=1 \mid x) = \sigma\!\left(\log \frac{p(x \mid y=1)\, P(y=1)}"
         r"{p(x \mid y=0)\, P(y=0)}\right), \qquad \sigma(a) = \frac{1}{1 + e^{-a}}")
st.latex(r"\text{Gaussians with one shared } \Sigma: \quad \log \frac{p(x \mid y=1) P(y=1)}{p(x \mid y=0) P(y=0)}"
         r" = w^\top x + b, \quad w = \Sigma^{-1}(\mu_1 - \mu_0)")
st.caption("With equal covariances the generative route (LDA) gives the same linear form that logistic "
           "regression fits directly, so on such data their boundaries coincide. The tabs below test every "
           "other claim: boundaries, samples, outliers and data size.")
tab_kw = params.choice_param("tab", TABS, TABS[0])
tabs = st.tabs(TABS, key="tab", on_change="rerun", bind="query-params",
               **({"default": TABS[tab_kw["index"]]} if "index" in tab_kw else {}))
seed = sidebar.seed()
for tab, draw in zip(tabs, (distributions_tab, boundaries_tab, outliers_tab, few_data_tab)):
    with tab:
        if tab.open:
            draw(seed)
