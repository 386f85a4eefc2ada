"""FID calculator: what the Fréchet Inception Distance measures, computed correctly, pitfalls shown."""

from __future__ import annotations

import hashlib

import pandas as pd
import streamlit as st

from models.fid import comparison as cmp
from models.fid import corruptions, extractors, figures, frechet, generators, imagesets, inception, kid, small_n
from models.fid.numbers import column_formats, sig
from models.fid.inception_score import inception_score as inception_score_fn
from models.fid import leaderboard as lb
from models.fid import stats as fstats
from ui import charts, code, data, params, prdc_view, sections, sidebar
from ui.text import literal

SOURCES = ("dataset", "upload", "generator", "corrupted")
SOURCE_LABELS = {"dataset": "Dataset split", "upload": "Upload (images or a .zip)",
                 "generator": "One of the app's generators", "corrupted": "Corrupted real images"}
FEATS = extractors.EXTRACTORS
UPLOAD_TYPES = ["png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif", "zip"]

st.title("FID calculator")
st.markdown(
    "The **Fréchet Inception Distance** (Heusel et al. 2017) compares two sets of images through a "
    "network's features: fit a Gaussian to each cloud of feature vectors and measure how far apart the "
    "two Gaussians are. Lower is closer; 0 only for identical statistics. Pick two sets, an extractor, "
    "and see both terms, how the number of images biases it, and how corruptions raise it.")
st.latex(r"\mathrm{FID} = \underbrace{\lVert \mu_1-\mu_2\rVert^2}_{\text{means}} + "
         r"\underbrace{\operatorname{Tr}\!\big(\Sigma_1+\Sigma_2-2(\Sigma_1\Sigma_2)^{1/2}\big)}_{\text{spreads}}")

ds, seed = sidebar.dataset(), sidebar.seed()
device = data.device()
test = data.images_or_stop(ds, "test")

c1, c2 = st.columns([2, 1])
feat = c1.selectbox("Feature extractor", FEATS, key="feat", bind="query-params",
                    help="inception: Inception-v3 pool3, 2048-d (the FID of papers). mnist: GenLab's digit "
                         "classifier, 128-d. pixels: raw grayscale pixels.",
                    **params.choice_param("feat", FEATS, "mnist"))
n = c2.slider("Images per set N", 50, 2000, step=50, key="n", bind="query-params",
              help="Sets drawn from datasets, generators and corruptions have N images; uploads keep all theirs.",
              **params.int_param("n", 50, 2000, 500))
st.caption(f":material/info: **{extractors.INFO[feat].label}.** {extractors.INFO[feat].note}")
if feat == "inception":
    try:
        inception.weights_path()
    except inception.InceptionUnavailable as exc:
        st.warning(str(exc), icon=":material/cloud_off:")
        if st.button("Download the Inception weights (91 MB)", icon=":material/download:", key="dl"):
            bar = st.progress(0.0, text="Downloading...")
            try:
                inception.download_weights(lambda done, total: bar.progress(min(done / max(total, 1), 1.0),
                                                                            text=f"{done / 2**20:.0f} MiB"))
                st.rerun()
            except inception.InceptionUnavailable as err:
                st.error(str(err), icon=":material/error:")
        st.info("Pick the MNIST classifier or raw pixels to use the rest of the page now.")
        st.stop()


@st.cache_resource(show_spinner=False, max_entries=16)
def _dataset_set(name, split, n, seed):
    return imagesets.from_dataset(name, split, n, seed)


@st.cache_resource(show_spinner=False, max_entries=8)
def _generated_set(key, name, n, seed, _on_progress=None):
    # once per server for each (generator, dataset, N, seed): every later session gets the same images at once
    return imagesets.from_generator(key, name, n, seed, _on_progress)


def _number_columns(rows: list[dict]) -> dict:
    """st.dataframe column_config: a few significant digits per numeric column (see models.fid.numbers)."""
    return {k: st.column_config.NumberColumn(format=f) for k, f in column_formats(rows).items()}


@st.cache_resource(show_spinner=False, max_entries=8)
def _upload_set(digest, _files):
    return imagesets.from_uploads(_files)


@st.cache_resource(show_spinner=False, max_entries=16)
def _features(tag, _images, feat, device_name):
    return extractors.extract(feat, _images, device=device_name)


def pick_set(side: str, default_source: str):
    """Widgets for one set; returns (ImageSet or None, a tag naming it for the caches)."""
    src = st.radio("Source", SOURCES, key=f"{side}_src", bind="query-params",
                   captions=[SOURCE_LABELS[k] for k in SOURCES],
                   **params.choice_param(f"{side}_src", SOURCES, default_source))
    if src == "dataset":
        split = st.radio("Split", ("test", "train"), horizontal=True, key=f"{side}_split", bind="query-params",
                         help="test: the held-out images; train: the images the app's models learned from.",
                         **params.choice_param(f"{side}_split", ("test", "train"), "test" if side == "a" else "train"))
        return _dataset_set(ds, split, n, seed + (0 if side == "a" else 1)), f"{ds}-{split}-{n}-{seed}-{side}"
    if src == "upload":
        files = st.file_uploader("Images or a .zip of images", type=UPLOAD_TYPES, accept_multiple_files=True,
                                 key=f"{side}_up", max_upload_size=200)
        if not files:
            st.info("Upload several images or one .zip (nested folders are fine).", icon=":material/upload:")
            return None, None
        blobs = [(f.name, f.getvalue()) for f in files]
        digest = hashlib.sha1(b"".join(hashlib.sha1(b).digest() for _, b in blobs)).hexdigest()
        return _upload_set(digest, blobs), f"up-{digest}"
    if src == "generator":
        specs = generators.available(ds)
        if not specs:
            st.info(f"No generator has weights for {ds} yet.", icon=":material/hourglass_empty:")
            return None, None
        keys = [s.key for s in specs]
        key = st.selectbox("Generator", keys, key=f"{side}_gen", format_func=lambda k: generators.BY_KEY[k].label)
        bar = st.empty()
        out = _generated_set(key, ds, n, seed, lambda done, total: bar.progress(
            done / max(total, 1), text=f"Sampling {n} images: network call {done} of {total}"))
        bar.empty()
        st.caption(f"Sampled {n} images in {sig(out.seconds, 3)} s (once per server; kept for every session).")
        return out, f"gen-{key}-{ds}-{n}-{seed}"
    kinds = corruptions.CORRUPTIONS
    kind = st.selectbox("Corruption", kinds, key=f"{side}_cor", bind="query-params",
                        help=", ".join(f"{k}: {v}" for k, v in corruptions.LABELS.items()),
                        **params.choice_param(f"{side}_cor", kinds, "noise"))
    level = st.slider("Level", 0.0, 1.0, step=0.05, key=f"{side}_lvl", bind="query-params",
                      help=f"Level 1 means {corruptions.SCALE[kind]}.", **params.float_param(f"{side}_lvl", 0.0, 1.0, 0.3))
    base = _dataset_set(ds, "train", n, seed + 2)
    return imagesets.corrupted(base, kind, level, seed), f"cor-{ds}-{kind}-{level}-{n}-{seed}"


sets, tags = [], []
left, right = st.columns(2)
for side, col, title, default in (("a", left, "Set A", "dataset"), ("b", right, "Set B", "corrupted")):
    with col:
        st.header(title, anchor=False)
        s, tag = pick_set(side, default)
        if s is not None:
            for p in s.problems:
                st.warning(literal(p), icon=":material/broken_image:")
            for note in s.notes:
                st.caption(":material/info: " + literal(note))
            if len(s):
                shown = s.preview(8)
                st.image(shown, width=56, clamp=True,
                         alt=[f"{title}, image {i + 1} of {len(s):,}" for i in range(len(shown))])
        sets.append(s)
        tags.append(tag)

if any(s is None for s in sets) or any(len(s) < 2 for s in sets):
    st.info("Both sets need at least 2 images to fit a Gaussian.", icon=":material/pending:")
    st.stop()

try:
    with st.spinner("Computing features..."):
        fa, fb = (_features(t, s.images, feat, str(device)) for t, s in zip(tags, sets))
    result = cmp.compare(fa, fb, seed=seed)
except (ValueError, inception.InceptionUnavailable) as exc:
    st.error(str(exc), icon=":material/error:")
    st.stop()

t = result.terms
m = st.columns(6)
k = result.kid
m[0].metric("FID", sig(t.fid))
m[1].metric("mean term", sig(t.mean_term), help="||mu1 - mu2||^2")
m[2].metric("trace term", sig(t.trace_term), help="Tr(S1 + S2 - 2 (S1 S2)^1/2)")
m[3].metric("N (A, B)", f"{result.n1:,}, {result.n2:,}")
m[4].metric("d", t.d, help="features per image")
m[5].metric("KID × 1000", f"{sig(1000 * k.mean, 3)} ± {sig(1000 * k.std, 2)}",
            help=f"Mean ± standard deviation of the unbiased MMD² over {k.subsets} random subsets of "
                 f"{k.subset_size} images from each set (see the KID tab).")
charts.show(st, figures.terms_figure(t), key="terms")
prdc_view.numbers(fa.features, fb.features)
for w in result.warnings + result.kid_warnings:
    st.warning(w, icon=":material/warning:")
for note in fa.notes + fb.notes:
    st.caption(f":material/info: {note}")


def clouds_tab() -> None:
    """The two feature clouds and the Gaussians FID fits."""
    st.markdown("The two feature clouds in their first two principal components, with the Gaussians FID "
                "fits (1 and 2 sigma). FID compares these Gaussians in all d dimensions, not only these two.")
    charts.show(st, figures.pca_figure(fa.features, fb.features, ("Set A", "Set B"), seed=seed), key="pca")


def fid_vs_n_tab() -> None:
    """FID against the number of images, and FID-infinity."""
    st.markdown("FID from N images is biased upwards by about k / N. Computing it at several N and fitting "
                "a line in 1/N gives **FID-infinity** (Chong & Forsyth 2020), the value for infinitely many images.")
    if min(result.n1, result.n2) < 10:
        st.info("FID vs N needs at least 10 images per set.")
    else:
        curve = small_n.fid_curve(fa.features, fb.features, repeats=3 if t.d <= 1024 else 1, seed=seed)
        charts.show(st, figures.fid_vs_n_figure(curve), key="fidn")
        table = [{"N": int(a), "FID": float(b), "std": float(c)} for a, b, c in zip(curve.n, curve.fid, curve.fid_std)]
        st.dataframe(pd.DataFrame(table), hide_index=True, column_config=_number_columns(table))
        st.caption(f"FID at N = {curve.n[-1]:,}: {sig(curve.fid[-1])}; FID-infinity: {sig(curve.fid_inf)}.")


def corruption_tab() -> None:
    """FID against levels of each corruption."""
    st.markdown("Held-out real images against corrupted copies of *other* real images: level 0 shows the FID "
                "between two real samples, and a good metric rises with every kind of damage.")
    # FID's small-N bias can swamp a mild corruption: with 400 MNIST images per set and the digit-classifier
    # features, a small grey square scored *below* level 0 (30.0 -> 24.6); from 1,000 images on the curves
    # rise monotonically. Inception features cost ~100x more per image on a CPU, so they keep N <= 500.
    cn = min(n, 500) if feat == "inception" else min(max(n, 1000), 2000)
    chosen = st.multiselect("Corruptions", corruptions.CORRUPTIONS, default=list(corruptions.CORRUPTIONS),
                            key="curve_kinds", format_func=corruptions.LABELS.get)
    ckey = (ds, feat, cn, seed, tuple(chosen))
    if chosen and st.button("Compute the curves", icon=":material/show_chart:", key="curve_go"):
        ref = _dataset_set(ds, "test", cn, seed).images
        base = _dataset_set(ds, "train", cn, seed + 2).images
        bar = st.progress(0.0, text="Extracting features of the corrupted copies...")
        curves = cmp.corruption_curves(
            ref, base, feat, chosen, [0, 0.25, 0.5, 0.75, 1.0], device=device, seed=seed,
            on_kind=lambda i, n: bar.progress(i / n, text=f"{corruptions.LABELS[chosen[i - 1]]} done"))
        bar.empty()
        st.session_state["curves"] = (ckey, curves)
    saved_curves = st.session_state.get("curves")
    if saved_curves and saved_curves[0] == ckey:
        curves = saved_curves[1]
        charts.show(st, figures.corruption_figure(curves, corruptions.LABELS), key="curves")
        st.caption(f"{cn} images per set (at least 1,000 where the features are cheap: with fewer, FID's "
                   f"small-N bias can hide a mild corruption). " + "; ".join(f"level 1: {corruptions.LABELS[k]} = {corruptions.SCALE[k]}"
                                                         for k in chosen))


def kid_is_tab() -> None:
    """KID with its spread over subsets, and the Inception Score."""
    st.latex(r"\mathrm{MMD}^2_u = \tfrac{1}{m(m-1)}\sum_{i\ne j}k(x_i,x_j) + \tfrac{1}{m(m-1)}\sum_{i\ne j}k(y_i,y_j)"
             r" - \tfrac{2}{m^2}\sum_{i,j}k(x_i,y_j),\quad k(x,y)=\big(\tfrac{x^\top y}{d}+1\big)^3")
    st.markdown(f"**KID** (Binkowski et al. 2018) = {sig(k.mean)} ± {sig(k.std, 2)}: the mean and the standard "
                f"deviation of the unbiased MMD² over {k.subsets} random subsets of m = {k.subset_size} images "
                "from each set, "
                "as torch-fidelity computes it (GenLab takes m at most half the smaller set, so that the subsets "
                "differ). It is unbiased: its expected value is 0 for two samples of one distribution whatever m, "
                "so it can be compared across N, and one estimate can be negative. The ± is the spread of one "
                "subset's estimate: a KID less than one ± away from 0 does not separate the two sets.")
    if fa.kid_scale != 1.0:
        st.caption(f":material/info: KID divides these features by {fa.kid_scale} (their RMS on real MNIST) "
                   "first. The kernel was made for features about 1 in size; undivided, its cubic term "
                   "dominates: on this page's default sets KID came out about 100 times larger (KID × 1000 "
                   "= 2.6e+04), ruled by the longest feature vectors.")
    st.latex(r"\mathrm{IS} = \exp\big(\mathbb{E}_x\,\mathrm{KL}(p(y\mid x)\,\Vert\,p(y))\big)")
    if result.is1 is None:
        st.info("Raw pixels have no classes, so there is no Inception Score. Pick a network extractor.")
    else:
        st.markdown(f"**Inception Score** (Salimans et al. 2016), between 1 and {result.is1.classes}: "
                    f"set A {result.is1.mean:.3f} ± {result.is1.std:.2f}, set B {result.is2.mean:.3f} ± "
                    f"{result.is2.std:.2f} ({result.is1.splits} splits). High when each image is classified "
                    "confidently and all classes appear; it ignores the real data entirely.")


def leaderboard_tab() -> None:
    """Every generator of the app measured against held-out images."""
    st.markdown(f"Held-out {ds} images against the app's generators, with the same extractor and N: "
                "autoencoders vs GANs vs diffusion, measured. The first row, real training images, is the "
                "floor that this N allows.")
    ln = st.select_slider("Images per contender", [100, 250, 500, 1000], value=250, key="lb_n")
    if st.button("Measure the leaderboard", icon=":material/leaderboard:", key="lb_go"):
        rows, bar = [], st.progress(0.0, text="Sampling and measuring...")
        total = 1 + len(generators.available(ds))
        try:
            for row in lb.leaderboard(ds, ln, feat, seed, device):
                rows.append(row)
                bar.progress(len(rows) / total, text=f"{row['model']}: FID {row['FID']:.4g}")
        except (ValueError, RuntimeError, inception.InceptionUnavailable) as exc:
            st.error(f"The leaderboard stopped: {exc}", icon=":material/error:")
        st.session_state["lb_rows"] = (ds, feat, ln, rows)
    saved = st.session_state.get("lb_rows")
    if saved and saved[:3] == (ds, feat, ln) and saved[3]:
        rows = saved[3]
        charts.show(st, figures.leaderboard_figure(rows), key="lb_fig")
        table = [{"model": r["model"], "family": r["family"], "FID": r["FID"], "KID × 1000": 1000 * r["KID"],
                  "KID std × 1000": 1000 * r["KID std"], "precision": r["precision"], "recall": r["recall"],
                  "density": r["density"], "coverage": r["coverage"], "seconds": r["seconds"],
                  "images/s": r["images/s"]} for r in rows]
        st.dataframe(pd.DataFrame(table), hide_index=True, key="lb_table", column_config=_number_columns(table))
        st.caption(f"Measured just now: {ln} images per contender, seed {seed}, {extractors.INFO[feat].label}; "
                   f"KID over {kid.SUBSETS} subsets of {kid.subset_size_for(ln, ln)}. Generators are sampled "
                   "anew here (the diffusion model with DDIM "
                   f"{generators.DIFFUSION_STEPS} steps). The conditional GAN is told which digit to draw "
                   "(0 to 9 in turn), so every class appears by construction: set it against the unconditional "
                   "models on recall (how much of the real variety it reaches), not on FID alone.")


def how_tab() -> None:
    """How the matrix square root's trace is computed."""
    st.markdown(
        "pytorch-fid takes the matrix square root with `scipy.linalg.sqrtm`, which is slow at d = 2048 and "
        "turns complex or unstable when a covariance is singular (N <= d). Only its **trace** is needed: with "
        "S1 = F1 F1^T and S2 = F2 F2^T, the eigenvalues of S1 S2 are the squared singular values of F1^T F2, so")
    st.latex(r"\operatorname{Tr}(\Sigma_1\Sigma_2)^{1/2} = \sum_i \sigma_i(F_1^\top F_2) = "
             r"\sum_i \sqrt{\lambda_i(C C^\top)},\ C = L_1^\top L_2")
    st.markdown("GenLab uses Cholesky factors when both covariances are clearly positive definite and "
                "eigen-factors without the null space otherwise, all in float64. Means and covariances are "
                "computed after shifting the data by one sample, so a large common offset costs no digits.")
    code.show_code(frechet.frechet_terms, frechet.trace_sqrt_product, fstats.feature_stats,
                   kid.mmd2_unbiased, inception_score_fn, small_n.fit_fid_infinity, cmp.compare)


def prdc_tab() -> None:
    """Precision, recall, density and coverage on a 2-D ring of 8."""
    st.markdown("FID and KID give one number for two failures: fakes that do not look real, and real data the "
                "generator cannot make. **Precision and recall** (Kynkäänniemi et al. 2019) and **density and "
                "coverage** (Naeem et al. 2020) keep them apart, with balls around each point whose radius is its "
                "distance to its k-th nearest neighbour in its own set. Here on a 2-D ring of 8:")
    st.latex(r"\text{precision} = \tfrac1M \sum_j \mathbb 1\big[\exists i: \lVert Y_j - X_i\rVert < r_k(X_i)\big],"
             r"\quad \text{recall} = \tfrac1N \sum_i \mathbb 1\big[\exists j: \lVert X_i - Y_j\rVert < r_k(Y_j)\big]")
    prdc_view.toy_section()
    from models.fid import prdc as prdc_mod

    code.show_code(prdc_mod.prdc, prdc_mod.knn_radii)


def ppl_tab() -> None:
    """Perceptual path length of the shipped generators."""
    st.markdown("**Perceptual path length** (Karras et al. 2019): how much the image changes for a tiny step "
                "of the latent code, averaged over random paths. Smooth generators have short paths; a jump "
                "(a region of the code that decodes to non-images, a switch between modes) makes it long.")
    st.latex(r"\mathrm{PPL} = \mathbb E_{z_1, z_2, t}\Big[\tfrac{1}{\epsilon^2}\, d\big(G(\mathrm{slerp}(z_1, z_2; t)),"
             r"\, G(\mathrm{slerp}(z_1, z_2; t + \epsilon))\big)\Big],\quad \epsilon = 10^{-4}")
    prdc_view.ppl_section(ds)
    from models.fid import ppl as ppl_mod

    code.show_code(ppl_mod.ppl, ppl_mod.path_lengths, ppl_mod.slerp)


# Only the open tab runs (a rerun when another is picked): eight tabs of charts, tables and code drawn at
# once made the page's first visit the slowest of the app. Bound to ?section=; a link that sets a tab's own
# parameter (?scenario=noisy) opens that tab.
SECTIONS = {"Feature clouds": clouds_tab, "FID vs N": fid_vs_n_tab, "FID vs corruption": corruption_tab,
            "KID and Inception Score": kid_is_tab, "Leaderboard": leaderboard_tab,
            "How it is computed": how_tab, "Precision and recall": prdc_tab, "Path length": ppl_tab}
sections.lazy_tabs(
    SECTIONS, own_params={"Precision and recall": ("scenario", "prdc_k")},
    keep=("curve_kinds", "lb_n", "scenario", "prdc_k", "balls", "ppl_space", "ppl_sampling", "ppl_distance",
          "ppl_n", "ppl_on", "ppl_pick"))
