"""Sections of the evaluation page beyond FID: precision, recall, density, coverage (on any two feature sets
and on a 2-D toy) and perceptual path length of the app's generators."""

from __future__ import annotations

import streamlit as st

from . import charts, params

MEANINGS = {
    "precision": "share of generated samples inside the real set's k-NN balls: do the fakes look real? (fidelity)",
    "recall": "share of real samples inside the generated set's k-NN balls: can the generator make all of the "
              "data? (diversity)",
    "density": "how many real balls a fake falls in, over k: about 1 when the two match, above 1 when fakes "
               "crowd the dense regions; an outlier among the real points cannot inflate it",
    "coverage": "share of real samples whose own ball holds a fake: diversity that outliers cannot inflate",
}
SCENARIOS = ("good", "collapsed", "noisy", "shifted")


def numbers(feats_a, feats_b, k: int = 5) -> None:
    """The four numbers for real set A and generated set B (feature arrays), with what each means."""
    from models.fid.prdc import PRDCInputError, prdc

    try:
        r = prdc(feats_a, feats_b, k=k)
    except PRDCInputError as exc:
        st.warning(f"Precision, recall, density and coverage: {exc}", icon=":material/warning:")
        return
    cols = st.columns(4)
    for col, name in zip(cols, ("precision", "recall", "density", "coverage")):
        col.metric(f"{name.capitalize()} (k = {k})", f"{getattr(r, name):.3f}", help=MEANINGS[name])
    st.caption(f"A = real ({r.n_a:,} images), B = generated ({r.n_b:,}); swapping them swaps precision and recall. "
               "Kynkäänniemi et al. 2019 (precision, recall), Naeem et al. 2020 (density, coverage); the same "
               "values as the authors' `prdc` package (tested).")


def toy_section() -> None:
    """A 2-D ring of 8 against four generators, with the k-NN balls drawn: where each number comes from."""
    from models.fid.prdc import prdc
    from models.fid.prdc_figures import balls_figure
    from models.fid.prdc_toys import SCENARIOS as LABELS, generated_points, real_points

    c = st.columns([2, 1, 1])
    scenario = c[0].selectbox("Generated set", SCENARIOS, key="scenario", bind="query-params",
                              help="  \n".join(f"**{k}**: {v}" for k, v in LABELS.items()),
                              **params.choice_param("scenario", SCENARIOS, "collapsed"))
    k = c[1].slider("k", 1, 20, key="prdc_k", bind="query-params", **params.int_param("prdc_k", 1, 20, 5))
    show = c[2].radio("Balls of", ("real", "fake"), key="balls", horizontal=True,
                      help="real: precision, density and coverage count points in these; fake: recall does.")
    real, fake = real_points(), generated_points(scenario)
    r = prdc(real, fake, k=k)
    left, right = st.columns([3, 2])
    charts.show(left, balls_figure(real, fake, k, show), key="prdc_balls")
    with right:
        st.markdown(f"**{LABELS[scenario]}**, 400 real and 400 generated points, measured now:")
        st.dataframe([{"metric": n, "value": f"{getattr(r, n):.3f}", "what it asks": MEANINGS[n]}
                      for n in ("precision", "recall", "density", "coverage")], hide_index=True)
        st.caption("Try *collapsed*: every fake sits on a real mode (high precision) but most real points have "
                   "no fake nearby (low recall and coverage); *noisy* is the reverse. FID gives each a single "
                   "number and cannot tell them apart.")


def ppl_section(dataset: str) -> None:
    """Perceptual path length of the shipped latent-code generators, with one interpolation drawn."""
    import numpy as np

    from models.fid.generators import BY_KEY
    from models.fid.ppl_generators import PPL_KEYS

    if dataset != "mnist":
        st.info("Path lengths are measured for the shipped MNIST generators: pick mnist in the sidebar.",
                icon=":material/info:")
        return
    c = st.columns(4)
    space = c[0].radio("Interpolation", ("slerp", "lerp"), key="ppl_space", horizontal=True)
    sampling = c[1].radio("Positions t", ("full", "end"), key="ppl_sampling", horizontal=True,
                          help="full: t uniform on [0, 1]; end: t = 0, paths that start at sampled codes.")
    distance = c[2].radio("Distance in", ("pixels", "mnist"), key="ppl_distance", horizontal=True,
                          help="pixels: squared distance between images; mnist: between the classifier's features.")
    n = c[3].select_slider("Paths", (100, 250, 500, 1000), value=250, key="ppl_n")
    if not st.toggle("Measure the path lengths of the shipped generators", key="ppl_on",
                     help="Loads five generators and decodes 2 x paths images each (a few seconds, then cached)."):
        return
    rows, strips = [], {}
    bar = st.progress(0.0, text="Measuring path lengths...")
    for i, key in enumerate(PPL_KEYS):
        rep = _report(key, space, sampling, distance, int(n))
        strips[key] = rep
        rows.append({"generator": BY_KEY[key].label, "PPL": f"{rep.ppl:,.1f}", "paths kept": f"{rep.kept} of {rep.n}"})
        bar.progress((i + 1) / len(PPL_KEYS), text=f"Measured {BY_KEY[key].label}")
    bar.empty()
    st.dataframe(rows, hide_index=True)
    st.caption("Karras et al. 2019: the mean of d(G(z(t)), G(z(t + 1e-4))) / 1e-4² over random paths, the 1% "
               "and 99% tails dropped. Here d is the squared distance in pixels or in GenLab's MNIST classifier's "
               "features, not LPIPS (a download this app cannot rely on offline): compare GenLab's generators with "
               "each other, not with published PPLs.")
    pick = st.selectbox("Draw one path of", PPL_KEYS, format_func=lambda k: BY_KEY[k].label, key="ppl_pick")
    rep = strips[pick]
    from models.fid.figures_ppl import strip_figure

    charts.show(st, strip_figure(rep.strip, np.asarray(rep.strip_lengths)), key="ppl_strip")


@st.cache_data(show_spinner=False, max_entries=64)
def _report(key: str, space: str, sampling: str, distance: str, n: int):
    from models.fid.ppl_generators import ppl_report

    return ppl_report(key, "mnist", space=space, sampling=sampling, distance=distance, n=n)
