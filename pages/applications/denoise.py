"""Denoise your images: upload photos (or pick a sample), add noise, compare learned and classical denoisers."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from models.denoise import (classical, colour, dae, dncnn, evaluate, export, figures, memo, metrics, nets, noise,
                            pipeline, samples, zoom)
from models.denoise import bm3d_card, measured
from models.denoise.card import PUBLISHED_BSD68_SIGMA25
from models.imageio import MAX_FILE_BYTES, MAX_PIXELS, decode_uploads
from ui import charts, code, data, params, sidebar
from ui.text import literal

SOURCES = ("upload", "photo", "digit")  # short values: they are what the URL carries (?source=digit)
SOURCE_CAPTIONS = ("your images or a zip", "a sample photo", "an MNIST test digit (28x28)")
DOMAINS = ("photo", "digit")
DOMAIN_CAPTIONS = ("photo models, any size", "digit models, 28x28 gray")
NOISE_CAPTIONS = {"gaussian": "y = x + σε", "salt_pepper": "pixels to 0 or 1", "dropout": "pixels to 0",
                  "none": "mine is already noisy"}
SIGMA_MODES = ("estimate", "set")
PREVIEW = 640  # longest side of an image shown in the comparison (pixels)
TILE = 320  # longest side of a result tile

st.title("Denoise your images")
st.markdown(
    "Add noise to a picture, or bring one that is already noisy, and compare what **learned denoisers** "
    "recover with what **classical filters** do. Every score in the results is measured on your image, now; "
    "the averages under *How it works* come from the model cards.")


def on_source() -> None:
    """Digits go to the digit models at their training noise level; photos and uploads to the photo models.

    The user can still change any of it afterwards.
    """
    group = "digit" if st.session_state["source"] == "digit" else "photo"
    st.session_state["domain"] = group
    st.session_state["sigma"] = pipeline.DEFAULT_SIGMA255[group]
    st.session_state["p"] = pipeline.DEFAULT_P[group]


device = data.device()
left, right = st.columns([1, 1])
source = left.radio("Images", SOURCES, captions=SOURCE_CAPTIONS, horizontal=True, key="source",
                    bind="query-params", on_change=on_source, **params.choice_param("source", SOURCES, "photo"))
group = "digit" if source == "digit" else "photo"  # which defaults the noise settings start from

items: list[tuple[str, np.ndarray]] = []  # (name, image (H, W, C) float32 in [0, 1])
if source == "upload":
    files = left.file_uploader(
        "PNG, JPEG, WebP, BMP, TIFF, GIF (first frame) or a zip of them", accept_multiple_files=True,
        type=["png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif", "zip"], key="uploads",
        help=f"Up to {MAX_FILE_BYTES // 2**20} MiB and {MAX_PIXELS // 10**6} megapixels per image; "
             "EXIF orientation is respected.")
    decoded, problems = decode_uploads([(f.name, f.getvalue()) for f in files or []])
    for problem in problems:
        st.warning(literal(problem), icon=":material/broken_image:")
    if len(decoded) > pipeline.MAX_IMAGES_PER_RUN:
        st.warning(f"{len(decoded)} images were uploaded; the page denoises the first "
                   f"{pipeline.MAX_IMAGES_PER_RUN} (the limit per run on a shared server). Denoise the rest in "
                   f"smaller batches, or all at once with `python -m models.denoise`.", icon=":material/filter_list:")
        decoded = decoded[:pipeline.MAX_IMAGES_PER_RUN]
    for im in decoded:
        if im.notes:
            st.caption(":material/info: " + literal(f"{im.name}: " + "; ".join(im.notes)))
        items.append((im.name, im.array))
    if not files:
        st.info("Upload one or more images, or pick a sample above.", icon=":material/upload:")
    elif not decoded:
        st.error("None of the uploads could be used; the messages above say why.", icon=":material/error:")
elif source == "photo":
    names = samples.photo_names()
    name = left.selectbox("Sample photo", names, key="sample", bind="query-params",
                          help="Train400 photos the network never saw, and classic test photos bundled with "
                               "scikit-image and scikit-learn (never seen either).",
                          **params.choice_param("sample", names, names[0]))
    items.append((name, samples.photo(name)))
else:
    ds = sidebar.dataset()
    test = data.images(ds, "test")
    if test is not None:
        idx = left.number_input("Test digit #", 0, len(test) - 1, step=1, key="digit", bind="query-params",
                                **params.int_param("digit", 0, len(test) - 1, 0))
        items.append((f"{ds}-test-{idx}.png", test.x[int(idx), 0].numpy()[..., None]))
        if ds != "mnist":
            left.caption(f":material/info: The digit autoencoders were trained on MNIST; these are **{ds}** test "
                         "images" + (", enlarged from 8x8, unlike anything they saw" if ds == "digits" else "")
                         + ". Pick *mnist* in the sidebar to see them on their own kind of digit.")

domain = right.radio("Treat the images as", DOMAINS, captions=DOMAIN_CAPTIONS, horizontal=True,
                     key="domain", bind="query-params", **params.choice_param("domain", DOMAINS, group),
                     help="Digits are reduced to what the MNIST models see (28x28 grayscale, light on dark).")
kind = right.radio("Noise", noise.NOISE_KINDS, captions=[NOISE_CAPTIONS[k] for k in noise.NOISE_KINDS],
                   horizontal=True, key="noise", bind="query-params",
                   **params.choice_param("noise", noise.NOISE_KINDS, "gaussian"))
c1, c2 = right.columns(2)
sigma255 = c1.slider("σ of Gaussian noise (0-255 scale)", 0, 150, key="sigma", bind="query-params",
                     disabled=kind not in ("gaussian", "none"),
                     **params.int_param("sigma", 0, 150, pipeline.DEFAULT_SIGMA255[group]),
                     help="25 is the usual benchmark level for photos; 128 is σ = 0.5 on the [0, 1] scale, the "
                          "level the digit autoencoders were trained at (digits open there).")
p = c2.slider("p (salt-and-pepper or masking)", 0.0, 0.9, step=0.05, key="p", bind="query-params",
              disabled=kind not in ("salt_pepper", "dropout"),
              **params.float_param("p", 0.0, 0.9, pipeline.DEFAULT_P[group]))
sigma_mode = "set"
if kind == "none":
    sigma_mode = c1.radio("Its σ", SIGMA_MODES, captions=("estimate it", "use the slider"), horizontal=True,
                          key="sigma_mode", bind="query-params",
                          **params.choice_param("sigma_mode", SIGMA_MODES, "estimate"))
choices = [k for k in pipeline.DOMAIN_DENOISERS[domain] if k != "ddpm" or nets.ddpm_available()]
chosen = st.multiselect("Denoisers", choices, default=[k for k in choices if k not in pipeline.SLOW_DENOISERS],
                        format_func=pipeline.DENOISERS.get, key=f"denoisers_{domain}",
                        help="The x8 self-ensemble averages the photo denoiser over the 8 flips and rotations of "
                             "the image: slightly better, 8 times slower.")


@st.cache_resource(show_spinner="Loading the shipped denoisers...")
def load_nets(device_name: str, dae_noise: str, with_ddpm: bool) -> pipeline.Nets:
    return nets.load_nets(device, dae_noise, with_ddpm)


dae_noise = "dropout" if kind == "dropout" else "gaussian"
loaded = load_nets(str(device), dae_noise, "ddpm" in chosen)
data.load_warnings(loaded)
level = sigma255 / 255.0 if kind in ("gaussian", "none") else p
seed = sidebar.seed()
if "denoise_memo" not in st.session_state:  # this session's results: only new images or settings are computed
    st.session_state["denoise_memo"] = memo.ResultMemo()
results_memo: memo.ResultMemo = st.session_state["denoise_memo"]


def prepare(image: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """What the models see: the digit view, or the photo as it is ((H, W) gray or (H, W, 3))."""
    if domain == "digit":
        return pipeline.to_digit(image)
    return (image[..., 0] if image.shape[2] == 1 else image), []


def process(name: str, image: np.ndarray, bar, done: int, total: int) -> dict:
    """Noise (unless already noisy), denoise with every chosen denoiser not yet in the memo, score: one image."""

    def noisy_input() -> tuple:
        x, notes = prepare(image)
        rng = np.random.default_rng(seed + int(hashlib.sha1(name.encode()).hexdigest()[:6], 16))
        y = noise.corrupt(x, kind, level, rng)
        if kind == "gaussian" or (kind == "none" and sigma_mode == "set"):
            return x, y, notes, sigma255 / 255.0, "given"
        return x, y, notes, classical.estimate_noise_sigma(y), "estimated"

    image_key = (memo.content_hash(image), name, domain, kind, level, sigma_mode, sigma255, seed)
    x, y, notes, sigma, how = results_memo.remember(("input", image_key), noisy_input)
    clean = None if kind == "none" else x

    def tick(key: str, k: int, n: int) -> None:
        frac = (done + (chosen.index(key) + k / n) / max(len(chosen), 1)) / total
        bar.progress(min(frac, 1.0), text=f"{name}: {pipeline.DENOISERS[key]} ({k}/{n})")

    results = memo.denoise_memoized(results_memo, image_key, y, chosen, sigma, loaded, clean=clean,
                                    on_progress=tick, dae_noise=dae_noise)
    return {"name": name, "clean": x, "noisy": y, "notes": notes, "sigma": sigma, "how": how, "results": results,
            "noisy_psnr": None if clean is None else metrics.psnr(y, clean)}


outputs: list[dict] = []
if items and chosen:
    bar = st.empty()
    outputs = [process(n, a, bar, i, len(items)) for i, (n, a) in enumerate(items)]
    bar.empty()
elif items:
    st.info("Choose at least one denoiser.", icon=":material/checklist:")


def tiles_of(out: dict) -> dict[str, tuple[str, np.ndarray, str]]:
    """{id: (label, image, score caption)}: the clean image (when known), the noisy one, each result."""
    tiles = {}
    if kind != "none":
        tiles["clean"] = ("clean", out["clean"], "")
    tiles["noisy"] = ("noisy input" if kind != "none" else "your image (noisy)", out["noisy"],
                      "" if out["noisy_psnr"] is None else f"PSNR {out['noisy_psnr']:.2f} dB")
    for r in out["results"]:
        if r.output is not None:
            score = "" if r.psnr is None else f"PSNR {r.psnr:.2f} dB"
            score += "" if r.ssim is None else f" · SSIM {r.ssim:.3f}"
            tiles[r.key] = (r.label, r.output, f"{score} · {r.seconds:.2f} s · {r.note}".strip(" ·"))
    return tiles


if outputs:
    st.header("Compare up close", divider="gray")
    pick = 0
    if len(outputs) > 1:
        pick = st.columns([1, 1])[0].selectbox("Image to inspect", range(len(outputs)), key="inspect",
                                               format_func=[literal(o["name"]) for o in outputs].__getitem__)
    out = outputs[min(pick, len(outputs) - 1)]
    compare = tiles_of(out)
    compare_labels = {tid: tile[0] for tid, tile in compare.items()}
    ids = list(compare)
    first_result = next((i for i in ids if i not in ("clean", "noisy")), ids[-1])
    k1, k2, k3, k4, k5 = st.columns([3, 3, 2, 2, 2])
    a_id = k1.selectbox("Left", ids, index=ids.index("noisy"), key="compare_left", format_func=compare_labels.get)
    b_id = k2.selectbox("Right", ids, index=ids.index(first_result), key="compare_right",
                        format_func=compare_labels.get)
    zoom_level = k3.select_slider("Zoom", zoom.ZOOMS, value=1, key="zoom",
                                  help="Enlarges a window of both images by nearest-neighbour sampling: every "
                                       "pixel becomes a square, nothing is smoothed.")
    zoom_x = k4.slider("Window centre, x", 0.0, 1.0, 0.5, 0.05, key="zoom_x", disabled=zoom_level == 1)
    zoom_y = k5.slider("Window centre, y", 0.0, 1.0, 0.5, 0.05, key="zoom_y", disabled=zoom_level == 1)
    h, w = out["noisy"].shape[:2]
    top, left_px, ch, cw = zoom.crop_box(h, w, zoom_level, zoom_x, zoom_y)
    st.caption(f":material/zoom_in: Window: {cw}x{ch} pixels at ({left_px}, {top}) of the {w}x{h} image, "
               f"shown {zoom_level}x.")
    ca, cb = st.columns(2)
    for col, tid in ((ca, a_id), (cb, b_id)):
        label, img, caption = compare[tid]
        col.image(zoom.crop_zoom(img, zoom_level, zoom_x, zoom_y, PREVIEW), width="stretch",
                  caption=f"{label}: {caption}" if caption else label,
                  alt=f"{label}, a {cw}x{ch}-pixel window enlarged {zoom_level} times" + (f" ({caption})" if caption else ""))

    st.header("All results", divider="gray")
for n, out in enumerate(outputs):
    st.subheader(literal(out["name"]), divider="gray")
    x, y = out["clean"], out["noisy"]
    h, w = x.shape[:2]
    what = f"{w}x{h} {'colour' if x.ndim == 3 else 'grayscale'}"
    st.caption(f":material/visibility: The models see: {what}" + ("; " + literal("; ".join(out["notes"])) if out["notes"] else "")
               + f". σ used by σ-aware denoisers: {out['sigma'] * 255:.1f}/255 ({out['how']}).")
    for r in out["results"]:
        if r.output is None:
            st.warning(f"{r.label}: {r.note}", icon=":material/block:")
    tiles = list(tiles_of(out).values())
    per_row = min(len(tiles), 3)
    for i, (label, img, caption) in enumerate(tiles):
        if i % per_row == 0:  # a new row of columns, so that the rows line up whatever the captions' lengths
            cols = st.columns(per_row)
        with cols[i % per_row]:
            st.image(zoom.crop_zoom(img, 1, side=TILE) if domain == "digit" else export.preview(img, PREVIEW),
                     caption=f"{label}: {caption}" if caption else label, width="stretch",
                     alt=f"{label} version of {out['name']}" + (f": {caption}" if caption else ""))
    ran = [r for r in out["results"] if r.output is not None]
    if ran:
        charts.show(st, figures.scores_figure([r.label for r in ran], [r.psnr for r in ran], [r.ssim for r in ran],
                                              [r.seconds for r in ran], out["noisy_psnr"]),
                    key=f"scores-{n}")
        with st.expander("What each denoiser removed (y - x̂)", icon=":material/difference:"):
            charts.show(st, figures.residual_figure(y, [(r.label, r.output) for r in ran]), key=f"res-{n}")

if outputs:
    st.header("Download", divider="gray")
    ran_keys = [r.key for r in outputs[0]["results"] if r.output is not None]
    if ran_keys:
        pick = st.selectbox("Denoiser whose output to download", ran_keys, format_func=pipeline.DENOISERS.get,
                            key="download_from")
        files = [(export.output_name(o["name"], pick), r.output)
                 for o in outputs for r in o["results"] if r.key == pick and r.output is not None]
        if len(files) == 1:
            st.download_button("Download PNG", export.png_bytes(files[0][1]), file_name=files[0][0],
                               mime="image/png", icon=":material/download:", key="download")
        else:
            st.download_button(f"Download {len(files)} PNGs (zip)", export.zip_pngs(files),
                               file_name=f"denoised_{pick}.zip", mime="application/zip",
                               icon=":material/download:", key="download")

st.header("How it works", divider="gray")
st.markdown("Noise model and score. PSNR compares an estimate with the clean image; SSIM (Wang et al. 2004) "
            "compares local means, contrasts and structure.")
st.latex(r"y = x_0 + \sigma\,\varepsilon,\quad \varepsilon \sim \mathcal N(0, I), \qquad "
         r"\mathrm{PSNR}(\hat x, x_0) = 10 \log_{10} \frac{1}{\tfrac1N \lVert \hat x - x_0 \rVert^2}\ \mathrm{dB}")
st.markdown("**Denoising autoencoder** (Vincent et al. 2008): encode a corrupted digit, decode the *clean* one; "
            "masking noise zeroes each pixel with probability p. The loss compares the output with the clean digit, "
            "so the code must describe the digit, not the noise.")
st.latex(r"\ell(\theta) = \tfrac1N \sum_i \lVert g_\theta(f_\theta(y_i)) - x_{0,i} \rVert^2, \qquad "
         r"y_i = x_{0,i} + \sigma\,\varepsilon_i \ \ \text{or}\ \ y_i = x_{0,i} \odot m_i")
scores = {kind_: measured.dae_scores(nets.load_dae(kind_, "gaussian", device).metrics) for kind_ in ("dense", "conv")}
hi, lo = pipeline.DEFAULT_SIGMA255["digit"], pipeline.DEFAULT_SIGMA255["photo"]
if all(sc.at(hi) and sc.at(lo) for sc in scores.values()):
    d_hi, c_hi, d_lo, c_lo = (scores[k].at(s_) for s_, k in ((hi, "dense"), (hi, "conv"), (lo, "dense"), (lo, "conv")))
    st.markdown(
        f"Measured on the {scores['dense'].heldout_digits:,} held-out MNIST "
        f"digits (`pretrained/denoise.md`): at σ = {hi} (0.5 on the [0, 1] scale, the level both were trained at, "
        f"where digit mode opens) the dense DAE scores **{d_hi.dae:.2f} dB** and the convolutional one "
        f"**{c_hi.dae:.2f} dB**, against non-local means {d_hi.nlm:.2f} dB, a Gaussian blur "
        f"{d_hi.blur:.2f} dB, a median filter {d_hi.median:.2f} dB and the noisy input {d_hi.noisy:.2f} dB. "
        f"At σ = {lo} the order flips: non-local means {d_lo.nlm:.2f} dB, the noisy input {d_lo.noisy:.2f} dB, "
        f"the DAEs only {d_lo.dae:.2f} and {c_lo.dae:.2f} dB. An undercomplete autoencoder outputs only what "
        f"its code can describe: fed the clean digits themselves they reach {scores['dense'].psnr_clean_input:.2f} and "
        f"{scores['conv'].psnr_clean_input:.2f} dB, their ceiling. Light noise is better left to a filter that keeps what it "
        "cannot tell from noise; move the σ slider to see where the lines cross.")
st.markdown("**DnCNN** (Zhang et al. 2017) predicts the noise "
            "and subtracts it (residual learning); ours runs at half resolution on 2x2 pixel blocks with a "
            "noise-level map (FFDNet) so one small network handles every σ, tile by tile at any size; colour "
            "photos go through an orthogonal luminance-opponent transform that keeps the noise white.")
st.latex(r"\hat x_0 = y - R_\theta(y, \sigma), \qquad "
         r"\ell(\theta) = \tfrac{1}{2N}\sum_i \lVert R_\theta(y_i, \sigma_i) - (y_i - x_{0,i}) \rVert^2")
st.markdown("The **x8 self-ensemble** (Timofte et al. 2016) runs the network on the 8 flips and rotations $g$ "
            "of the image and averages the answers, each turned back: the network's errors differ a little from "
            "one orientation to the next, so part of them cancels.")
st.latex(r"\hat x_0 = \tfrac18 \sum_{g \in D_4} g^{-1}\big(D(g(y))\big)")
st.markdown("**Non-local means** (Buades et al. 2005) averages pixels whose neighbourhoods look alike; a Gaussian "
            "blur averages neighbours whatever they look like; a median filter removes outliers.")
card = measured.photo_card(nets.load_dncnn(device).metrics, evaluate.TRAIN400_PREFIX)
if card is not None:
    st.markdown(
        f"On {card.n_gray_heldout} Train400 photos it never saw, at σ = 25, the shipped photo denoiser scores "
        f"**{card.gray_dncnn:.2f} dB** against non-local means {card.gray_nlm:.2f} dB; on "
        f"{card.n_colour} colour photos {card.colour_dncnn:.2f} dB against {card.colour_nlm:.2f} dB "
        f"(every photo in `pretrained/denoise.md`). Published on BSD68 (a different set): "
        + ", ".join(f"{k} {v} dB" for k, v in PUBLISHED_BSD68_SIGMA25.items()) + ".")
st.markdown("**BM3D** (Dabov et al. 2007) groups similar patches into 3-D stacks and shrinks their transform "
            "coefficients: the classical method every learned denoiser is measured against.")
versus = measured.versus_bm3d(bm3d_card.load_results())
if versus:
    st.dataframe([{"σ": f"{r.sigma_255:g}", "photos": r.n, "network (dB)": f"{r.network:.2f}",
                   "BM3D (dB)": f"{r.bm3d:.2f}", "network wins": f"{r.wins} of {r.n}"} for r in versus],
                 hide_index=True)
    st.caption("The shipped network against BM3D on the held-out photos, measured by "
               "`python -m models.denoise.versus_bm3d` (every photo in `pretrained/denoise.md`). "
               + ("The network beats BM3D on average at every σ." if all(r.network > r.bm3d for r in versus)
                  else "Where BM3D's mean is higher, the network does not yet beat the strongest classical method: "
                       "that takes a larger network trained far longer than this project's 2-core build machine allows."))
code.show_code(pipeline.denoise_all, memo.denoise_memoized, dae.DenseDAE, dae.ConvDAE, dae.train_steps,
               dncnn.DnCNN.forward, dncnn.denoise_array, dncnn.denoise_channels,
               dncnn.denoise_ensemble, colour.to_opponent, classical.non_local_means, classical.estimate_noise_sigma,
               metrics.psnr, metrics.ssim, noise.corrupt, nets.ddpm_denoiser, zoom.crop_zoom)
