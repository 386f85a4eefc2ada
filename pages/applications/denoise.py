"""Denoise your images: upload photos (or pick a sample), add noise, compare learned and classical denoisers."""

from __future__ import annotations

import hashlib

import numpy as np
import streamlit as st

from models.denoise import classical, colour, dncnn, evaluate, export, figures, metrics, nets, noise, pipeline, samples
from models.denoise.card import PUBLISHED_BSD68_SIGMA25
from models.imageio import MAX_FILE_BYTES, MAX_PIXELS, decode_uploads
from ui import code, data, params, sidebar
from ui.text import literal

SOURCES = ("upload", "photo", "digit")
SOURCE_LABELS = {"upload": "Upload images", "photo": "Sample photo", "digit": "Sample digit (28x28)"}
DOMAINS = ("photo", "digit")
DOMAIN_LABELS = {"photo": "Photos (any size)", "digit": "Handwritten digits (MNIST-like 28x28)"}
SIGMA_MODES = ("estimate", "set")
PREVIEW = 640

st.title("Denoise your images")
st.markdown(
    "Add noise to a picture, or bring one that is already noisy, and compare what **learned denoisers** "
    "recover with what **classical filters** do. Every number below is measured on your image, now.")

def on_source() -> None:
    """Digits go to the digit models, photos and uploads to the photo models (the user can still switch)."""
    st.session_state["domain"] = "digit" if st.session_state["source"] == "digit" else "photo"


device = data.device()
left, right = st.columns([1, 1])
source = left.radio("Images", SOURCES, format_func=SOURCE_LABELS.get, horizontal=True, key="source",
                    bind="query-params", on_change=on_source, **params.choice_param("source", SOURCES, "photo", SOURCE_LABELS.get))

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

domain_default = "digit" if source == "digit" else "photo"
domain = right.radio("Treat the images as", DOMAINS, format_func=DOMAIN_LABELS.get, horizontal=True,
                     key="domain", bind="query-params", **params.choice_param("domain", DOMAINS, domain_default, DOMAIN_LABELS.get),
                     help="Digits are reduced to what the MNIST models see (28x28 grayscale, light on dark).")
kind = right.selectbox("Noise", noise.NOISE_KINDS, format_func=noise.LABELS.get, key="noise", bind="query-params",
                       **params.choice_param("noise", noise.NOISE_KINDS, "gaussian", noise.LABELS.get))
c1, c2 = right.columns(2)
sigma255 = c1.slider("σ of Gaussian noise (0-255 scale)", 0, 150, key="sigma", bind="query-params",
                     disabled=kind not in ("gaussian", "none"), **params.int_param("sigma", 0, 150, 25),
                     help="25 is the usual benchmark level; 128 is σ = 0.5 on the [0, 1] scale.")
p = c2.slider("p (salt-and-pepper or masking)", 0.0, 0.9, step=0.05, key="p", bind="query-params",
              disabled=kind not in ("salt_pepper", "dropout"), **params.float_param("p", 0.0, 0.9, 0.2))
sigma_mode = "set"
if kind == "none":
    sigma_labels = {"estimate": "estimate it", "set": "use the slider"}.get
    sigma_mode = c1.radio("Its σ", SIGMA_MODES, horizontal=True, key="sigma_mode", bind="query-params",
                          format_func=sigma_labels, **params.choice_param("sigma_mode", SIGMA_MODES, "estimate",
                                                                          sigma_labels))
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


def prepare(image: np.ndarray) -> tuple[np.ndarray, list[str]]:
    """What the models see: the digit view, or the photo as it is ((H, W) gray or (H, W, 3))."""
    if domain == "digit":
        return pipeline.to_digit(image)
    return (image[..., 0] if image.shape[2] == 1 else image), []


def process(name: str, image: np.ndarray, bar, done: int, total: int) -> dict:
    """Noise (unless already noisy), denoise with every chosen denoiser, score: one image."""
    x, notes = prepare(image)
    rng = np.random.default_rng(seed + int(hashlib.sha1(name.encode()).hexdigest()[:6], 16))
    y = noise.corrupt(x, kind, level, rng)
    clean = None if kind == "none" else x
    if kind == "gaussian" or (kind == "none" and sigma_mode == "set"):
        sigma, how = sigma255 / 255.0, "given"
    else:
        sigma, how = classical.estimate_noise_sigma(y), "estimated"

    def tick(key: str, k: int, n: int) -> None:
        frac = (done + (chosen.index(key) + k / n) / max(len(chosen), 1)) / total
        bar.progress(min(frac, 1.0), text=f"{name}: {pipeline.DENOISERS[key]} ({k}/{n})")

    results = pipeline.denoise_all(y, chosen, sigma, loaded, clean=clean, on_progress=tick, dae_noise=dae_noise)
    return {"name": name, "clean": x, "noisy": y, "notes": notes, "sigma": sigma, "how": how, "results": results,
            "noisy_psnr": None if clean is None else metrics.psnr(y, clean)}


settings = (source, domain, kind, sigma255, p, sigma_mode, tuple(chosen), seed, dae_noise,
            tuple((n, hashlib.sha1(np.ascontiguousarray(a).tobytes()).hexdigest()) for n, a in items))
if items and chosen:
    memo = st.session_state.get("denoise_memo")
    if memo is None or memo[0] != settings:
        bar = st.progress(0.0, text=f"Denoising {len(items)} image(s)...")
        outputs = [process(n, a, bar, i, len(items)) for i, (n, a) in enumerate(items)]
        bar.empty()
        st.session_state["denoise_memo"] = memo = (settings, outputs)
    outputs = memo[1]
elif items:
    st.info("Choose at least one denoiser.", icon=":material/checklist:")
    outputs = []
else:
    outputs = []


def show(image: np.ndarray) -> np.ndarray:
    return export.preview(image, PREVIEW)


for out in outputs:
    st.subheader(literal(out["name"]), divider="gray")
    x, y = out["clean"], out["noisy"]
    h, w = x.shape[:2]
    what = f"{w}x{h} {'colour' if x.ndim == 3 else 'grayscale'}"
    st.caption(f":material/visibility: The models see: {what}" + ("; " + literal("; ".join(out["notes"])) if out["notes"] else "")
               + f". σ used by σ-aware denoisers: {out['sigma'] * 255:.1f}/255 ({out['how']}).")
    tiles = [("clean" if kind != "none" else "your image", x, "")] if kind != "none" else []
    tiles.append(("noisy input" if kind != "none" else "your image (noisy)", y,
                  "" if out["noisy_psnr"] is None else f"PSNR {out['noisy_psnr']:.2f} dB"))
    for r in out["results"]:
        if r.output is None:
            st.warning(f"{r.label}: {r.note}", icon=":material/block:")
            continue
        score = "" if r.psnr is None else f"PSNR {r.psnr:.2f} dB" + ("" if r.ssim is None else f" · SSIM {r.ssim:.3f}")
        tiles.append((r.label, r.output, f"{score} · {r.seconds:.2f} s · {r.note}".strip(" ·")))
    cols = st.columns(min(len(tiles), 4))
    for i, (label, img, caption) in enumerate(tiles):
        with cols[i % len(cols)]:
            st.image(show(img), caption=f"{label}: {caption}" if caption else label, clamp=True,
                     width="stretch" if domain == "photo" else 168)
    ran = [r for r in out["results"] if r.output is not None]
    if ran:
        st.plotly_chart(figures.scores_figure([r.label for r in ran], [r.psnr for r in ran], [r.ssim for r in ran],
                                              [r.seconds for r in ran], out["noisy_psnr"]),
                        key=f"scores-{out['name']}")
        with st.expander("What each denoiser removed (y - x̂)", icon=":material/difference:"):
            st.plotly_chart(figures.residual_figure(y, [(r.label, r.output) for r in ran]), key=f"res-{out['name']}")

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
            "masking noise zeroes each pixel with probability p. **DnCNN** (Zhang et al. 2017) predicts the noise "
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
card = nets.load_dncnn(device).metrics
if "gray_mean_dncnn" in card:
    n_train400 = sum(r["name"].startswith(evaluate.TRAIN400_PREFIX) for r in card["per_photo"])
    n_colour = sum(r["colour"] for r in card["per_photo"])
    st.markdown(
        f"On {n_train400} Train400 photos it never saw, at σ = 25, the shipped photo denoiser scores "
        f"**{card['gray_mean_dncnn']:.2f} dB** against non-local means {card['gray_mean_nlm']:.2f} dB; on "
        f"{n_colour} colour photos {card['colour_mean_dncnn']:.2f} dB against {card['colour_mean_nlm']:.2f} dB "
        f"(every photo in `pretrained/denoise.md`). Published on BSD68 (a different set): "
        + ", ".join(f"{k} {v} dB" for k, v in PUBLISHED_BSD68_SIGMA25.items()) + ".")
code.show_code(pipeline.denoise_all, dncnn.DnCNN.forward, dncnn.denoise_array, dncnn.denoise_channels,
               dncnn.denoise_ensemble, colour.to_opponent, classical.non_local_means, classical.estimate_noise_sigma,
               metrics.psnr, metrics.ssim, noise.corrupt, nets.ddpm_denoiser)
