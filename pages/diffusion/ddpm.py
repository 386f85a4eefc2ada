"""DDPM timeline: the forward noising process next to the reverse denoising one, with a trained U-Net."""

from __future__ import annotations

import hashlib

import streamlit as st

from models.diffusion import api, figures, gif, images, samplers, schedules, timeline, training
from models.diffusion.config import LIVE_STEPS, live_config
from models.diffusion.trainer import ddpm_job, trained_ema
from models.diffusion import guided
from models.diffusion.denoise import sdedit_demo
from models.diffusion.forward import q_posterior, q_sample, q_step
from models.imageio import decode_uploads
from models.runs.run import DONE, PAUSED, STOPPED
from ui import charts, code, data, live, params, run_panel, sidebar
from ui.text import literal

T_CHOICES = (50, 100, 250, 500, 1000, 2000, 4000)

st.title(":material/blur_on: DDPM timeline: noising and denoising")
st.caption("Denoising diffusion probabilistic models (Ho, Jain & Abbeel 2020): a fixed forward process adds "
           "Gaussian noise step by step; a network learns to undo one step at a time.")

api.one_cpu_thread(data.device())
dataset = sidebar.dataset()
seed = sidebar.seed()
test = data.images_or_stop(dataset, "test")
SIZE = test.shape[-1]
c1, c2 = st.columns(2)
kind = c1.radio("Noise schedule", schedules.KINDS, key="schedule", bind="query-params", horizontal=True,
                help="linear: Ho et al. 2020; cosine: Nichol & Dhariwal 2021.",
                **params.choice_param("schedule", schedules.KINDS, "linear"))
T = c2.selectbox("Number of steps T", T_CHOICES, key="T", bind="query-params",
                     **params.choice_param("T", T_CHOICES, 1000))
sched = schedules.make_schedule(kind, int(T))


@st.cache_resource(show_spinner="Loading the trained U-Net...")
def _model(name: str, device: str):
    return api.load_model(name, data.device())


@st.cache_data(max_entries=8, show_spinner=False)
def _chain(_x0, image_id: str, kind: str, T: int, seed: int):
    return timeline.forward_chain(_x0, schedules.make_schedule(kind, T), seed)


def pick_image(prefix: str):
    """The image the forward / denoise demos use: a held-out dataset image or an upload, (1, 1, H, W) in [0, 1]."""
    source = st.radio("Image", ("dataset", "upload"), key=f"{prefix}src", horizontal=True,
                      format_func={"dataset": "Held-out dataset image", "upload": "Upload a picture"}.get)
    if source == "upload":
        up = st.file_uploader("A picture of a digit (PNG, JPEG, WebP, BMP, TIFF, GIF or a zip)",
                              type=["png", "jpg", "jpeg", "webp", "bmp", "tif", "tiff", "gif", "zip"],
                              key=f"{prefix}up", max_upload_size=5)
        if up is not None:
            decoded, problems = decode_uploads([(up.name, up.getvalue())])
            for p in problems:
                st.warning(literal(p), icon=":material/warning:")
            if decoded:
                x, inverted = images.to_model_input(decoded[0].array, SIZE)
                st.caption(f"Converted to {SIZE}x{SIZE} grayscale" + (", inverted to a light digit on black "
                           "like the training data." if inverted else "."))
                return x, "up:" + hashlib.sha1(up.getvalue()).hexdigest()[:12]
        st.info("No usable upload yet: using a dataset image.", icon=":material/image:")
    idx = st.number_input(f"Held-out image index (0 to {len(test) - 1})", 0, len(test) - 1, key=f"{prefix}img",
                          bind="query-params", **params.int_param(f"{prefix}img", 0, len(test) - 1, 0))
    return test.x[int(idx):int(idx) + 1], f"{dataset}:{int(idx)}"


tab_fwd, tab_sched, tab_rev, tab_den, tab_fill, tab_train = st.tabs(
    ["Forward process", "Schedules", "Reverse process", "Denoise an image", "Inpaint and super-resolve", "Train"])

with tab_fwd:
    st.latex(r"q(x_t \mid x_{t-1}) = \mathcal N\!\left(\sqrt{1-\beta_t}\,x_{t-1},\ \beta_t I\right)")
    st.latex(r"\Longrightarrow\ q(x_t \mid x_0) = \mathcal N\!\left(\sqrt{\bar\alpha_t}\,x_0,\ "
             r"(1-\bar\alpha_t) I\right),\quad \bar\alpha_t = \prod_{s \le t} (1-\beta_s)")
    x0, image_id = pick_image("f")
    if st.session_state.get("t", 0) > T:  # T was lowered: keep t inside the new range
        st.session_state["t"] = int(T)
    t = st.slider("Step t", 0, int(T), key="t", bind="query-params", **params.int_param("t", 0, int(T), int(T) // 10))
    demo = timeline.forward_demo(x0, sched, int(t), seed)
    ab = float(sched.alpha_bar[t - 1]) if t else 1.0
    charts.show(st, figures.image_row([demo.x0, demo.closed[0], demo.iterated[0]],
                                      ["x_0", f"closed form x_{t}", f"iterated {t} steps"], -1, 1), key="fwd_row")
    st.caption(f"ᾱ_t = {ab:.4f}: x_t keeps √ᾱ_t = {ab ** 0.5:.3f} of the image and √(1 − ᾱ_t) = "
               f"{(1 - ab) ** 0.5:.3f} of noise. The two columns are different random draws of the same "
               "distribution; the table checks it on 64 draws of every pixel.")
    left, right = st.columns([3, 2])
    charts.show(left, figures.histogram_figure(demo.closed, demo.iterated, int(t)), key="fwd_hist")
    right.dataframe(demo.stats, hide_index=True,
                    column_config={k: st.column_config.NumberColumn(format="%.4f")
                                   for k in ("mean", "theory mean", "variance", "theory variance")})
    right.caption("Theory over all pixels: mean √ᾱ_t·mean(x_0), variance ᾱ_t·var(x_0) + 1 − ᾱ_t, which tends "
                  "to N(0, 1) as t → T.")
    ts_chain, chain = _chain(x0, image_id, kind, int(T), seed)
    default_strip = sorted({0, *(int(T * f) for f in (0.05, 0.1, 0.2, 0.4, 0.6, 0.8, 1.0))})
    strip = st.multiselect("Steps in the strip", list(range(0, int(T) + 1)), default=default_strip, key=f"strip{T}",
                           max_selections=12)
    if strip:
        picks = sorted(strip)
        charts.show(st, figures.image_row([chain[p] for p in picks], [f"t = {p}" for p in picks], -1, 1,
                                          height=200), key="fwd_strip")
    step = max(1, int(T) // 50)
    charts.show(st, figures.animation_figure(ts_chain[::step], chain[::step], -1, 1), key="fwd_anim")
    st.caption("Press Play: the animation runs in your browser from the precomputed chain (every "
               f"{step} steps).")
    code.show_code(q_sample, q_step, timeline.forward_demo)

with tab_sched:
    st.latex(r"\text{linear: } \beta_t = \tfrac{1000}{T}\Big(10^{-4} + (0.02 - 10^{-4})\tfrac{t-1}{T-1}\Big)")
    st.latex(r"\text{cosine: } \bar\alpha_t = \frac{f(t)}{f(0)},\ f(t) = \cos^2\!\Big(\frac{t/T + s}{1+s}"
             r"\cdot\frac{\pi}{2}\Big),\ s = 0.008,\ \beta_t \le 0.999")
    # the strut lifts the numerator's bar off the top edge of the formula box, which clipped it (issue 20: the
    # page showed alpha_t / (1 - alpha_bar_t))
    st.latex(r"\mathrm{SNR}(t) = \frac{\rule{0pt}{1.1em}\bar\alpha_t}{1-\bar\alpha_t}")
    both = [schedules.make_schedule(k, int(T)) for k in schedules.KINDS]
    charts.show(st, figures.schedule_figure(both, st.session_state.get("t")), key="sched_fig")
    st.caption("The linear schedule destroys the image early: its ᾱ_t falls below 0.01 at t ≈ 0.67 T, the "
               "cosine one's at t ≈ 0.94 T. The cosine schedule spends more steps at useful noise levels: its "
               "log SNR lies between −4 and 4 for 84 % of the steps, the linear one's for 56 to 59 % (every T "
               "offered here). The linear end points are scaled by 1000/T, so T = 1000 gives Ho et al.'s 10⁻⁴ "
               "to 0.02.")
    code.show_code(schedules.linear_betas, schedules.cosine_betas, schedules.make_schedule)

if dataset not in ("digits", "mnist"):
    st.info("Trained diffusion models ship for digits and MNIST: pick one of them in the sidebar for the reverse "
            "process.", icon=":material/info:")
    st.stop()

own = st.session_state.get("ddpm_own")


def current_model():
    """(eps_fn, schedule, caption): this page's trained model when chosen, else the shipped one."""
    if own is not None and own["dataset"] == dataset and st.session_state.get("use_own"):
        cfg = own["config"]
        return samplers.as_eps_fn(own["model"]), schedules.make_schedule(cfg.schedule, cfg.T), \
            f"the model trained on this page ({own['steps']:,} steps)"
    loaded = _model(dataset, str(data.device()))
    data.load_warnings(loaded)
    cfg = loaded.config
    return samplers.as_eps_fn(loaded.model), schedules.make_schedule(cfg.schedule, cfg.T), \
        f"the shipped U-Net ({loaded.source}, {loaded.training.steps:,} training steps, {cfg.schedule} T = {cfg.T})"


def sampler_controls(prefix: str):
    a, b, c = st.columns(3)
    method = a.radio("Sampler (DDIM deterministic, DDPM ancestral)", ("ddim", "ddpm"), key=f"{prefix}method",
                     bind="query-params", horizontal=True,
                     **params.choice_param(f"{prefix}method", ("ddim", "ddpm"), "ddim"))
    steps = b.selectbox("DDIM steps", samplers.DDIM_STEPS, key=f"{prefix}steps", bind="query-params",
                            disabled=method != "ddim", **params.choice_param(f"{prefix}steps", samplers.DDIM_STEPS, 50))
    var = c.radio("DDPM variance σ²_t", samplers.VARIANCES, key=f"{prefix}var", horizontal=True,
                  disabled=method != "ddpm", format_func={"beta": "β_t", "beta_tilde": "β̃_t"}.get)
    return method, int(steps), var


def progress_callback(label: str):
    bar = st.progress(0.0, text=label)

    def on_step(s):
        if s.nfe % max(1, s.total // 50) == 0 or s.nfe == s.total:
            bar.progress(s.nfe / s.total, text=f"{label} {s.nfe}/{s.total} network calls, {s.elapsed_s:.1f} s")
    return on_step


with tab_rev:
    st.latex(r"\hat x_0 = \operatorname{clip}_{[-1,1]}\Big(\frac{x_t - \sqrt{1-\bar\alpha_t}\,\epsilon_\theta(x_t,t)}"
             r"{\sqrt{\bar\alpha_t}}\Big)")
    st.latex(r"\text{DDPM: } x_{t-1} = \underbrace{\frac{\sqrt{\bar\alpha_{t-1}}\,\beta_t}{1-\bar\alpha_t}\,\hat x_0 + "
             r"\frac{\sqrt{\alpha_t}\,(1-\bar\alpha_{t-1})}{1-\bar\alpha_t}\,x_t}_{\tilde\mu_t(x_t,\,\hat x_0)}"
             r" + \sigma_t z,\quad z \sim \mathcal N(0, I),\ z = 0 \text{ at } t = 1")
    st.latex(r"\sigma_t^2 \in \{\beta_t,\ \tilde\beta_t = \tfrac{1-\bar\alpha_{t-1}}{1-\bar\alpha_t}\beta_t\}")
    st.latex(r"\text{DDIM } (\eta=0)\text{: } x_{t'} = \sqrt{\bar\alpha_{t'}}\,\hat x_0 + \sqrt{1-\bar\alpha_{t'}}"
             r"\,\hat\epsilon,\quad \hat\epsilon = \frac{x_t - \sqrt{\bar\alpha_t}\,\hat x_0}{\sqrt{1-\bar\alpha_t}}")
    st.caption("Without the clip, the DDPM line is Ho et al.'s eq. 11, "
               "x_{t−1} = (x_t − β_t ε_θ / √(1 − ᾱ_t)) / √α_t + σ_t z, and ε̂ = ε_θ(x_t, t); the clip keeps the prediction x̂_0 inside the pixel range. DDIM "
               "jumps from t to the next t' of its evenly spaced steps (ᾱ_0 = 1 at the end).")
    method, steps, var = sampler_controls("r")
    n = st.slider("Samples", 1, 64, key="n", bind="query-params", **params.int_param("n", 1, 64, 16))
    if own is not None and own["dataset"] == dataset:
        st.toggle("Use the model trained on this page", key="use_own")
    if st.button("Sample", icon=":material/play_arrow:", type="primary", key="sample_btn"):
        eps_fn, msched, about = current_model()
        st.session_state["ddpm_threads"] = api.sampling_threads(data.device())
        run = api.sample_run(eps_fn, msched, int(n), SIZE, seed, method, steps, var, data.device())
        tl = timeline.collect(run, keep=10, on_step=progress_callback("Sampling"))
        st.session_state["ddpm_timeline"] = (tl, method, steps, var, about, dataset)
    result = st.session_state.get("ddpm_timeline")
    if result is None or result[5] != dataset:
        st.info("Press **Sample** to run the reverse process from pure noise x_T ~ N(0, I).", icon=":material/info:")
    else:
        tl, r_method, r_steps, r_var, about = result[:5]
        m1, m2, m3 = st.columns(3)
        m1.metric("Network calls", f"{tl.nfe:,}")
        m2.metric("Time", f"{tl.elapsed_s:.2f} s")
        threads = st.session_state.get("ddpm_threads", 0)
        m3.metric("Per call", f"{1000 * tl.elapsed_s / max(1, tl.nfe):.1f} ms",
                  help=f"On {threads} CPU thread{'s' if threads != 1 else ''} (the cores that were idle when "
                       "sampling started)." if threads else "On the accelerator.")
        st.caption(f"{r_method.upper()}" + (f", {r_steps} steps" if r_method == "ddim" else f", σ² = {r_var}")
                   + f", seed {seed}, {about}.")
        if st.session_state.get("which", 0) >= tl.final.shape[0]:
            st.session_state["which"] = 0
        which = st.slider("Sample shown in the timeline", 0, tl.final.shape[0] - 1, 0, key="which")
        charts.show(st, figures.timeline_figure(tl.ts, tl.x_t, tl.x0_hat, int(which)), key="rev_timeline")
        st.caption("Top: x_t as the sampler goes from noise to image. Bottom: the network's guess x̂_0 at that "
                   "step: clipped noise at the first steps, then a smooth, blurry digit that sharpens towards "
                   "the end.")
        charts.show(st, figures.grid_figure(tl.final, 8, "Samples x_0"), key="rev_grid")
        st.download_button("Download the timeline as a GIF", gif.timeline_gif(tl.x_t), "ddpm_timeline.gif",
                           "image/gif", icon=":material/download:", key="gif_btn")
    code.show_code(samplers.ddpm_sample, samplers.ddim_sample, timeline.collect)

with tab_den:
    st.markdown("**SDEdit** (Meng et al. 2022): push an image to step t* with q(x_t* | x_0), then run the reverse "
                "process from t*. Small t* removes noise; large t* invents a new digit (shipped MNIST model, "
                "DDIM 50, the first 10 held-out digits: at t* = 300 the classifier reads the same digit in all "
                "10, at t* = 1000 a different one in 9).")
    x_d, _ = pick_image("d")
    # t* lives on the chosen model's own time axis: a model trained here may have T != 1000
    t_max = own["config"].T if own is not None and own["dataset"] == dataset and st.session_state.get("use_own") \
        else 1000
    if st.session_state.get("tstar", 0) > t_max:
        st.session_state["tstar"] = t_max
    t_star = st.slider("Noise level t*", 1, t_max, key="tstar", bind="query-params",
                       **params.int_param("tstar", 1, t_max, min(300, t_max)))
    d_method, d_steps, d_var = sampler_controls("d")
    if st.button("Denoise", icon=":material/auto_fix_high:", type="primary", key="denoise_btn"):
        eps_fn, msched, about = current_model()
        res = sdedit_demo(eps_fn, msched, x_d, int(t_star), d_method, d_steps, d_var, seed,
                          on_step=progress_callback("Denoising"), device=data.device())
        st.session_state["ddpm_denoise"] = (res, dataset)
    den = st.session_state.get("ddpm_denoise")
    if den is not None and den[1] == dataset:
        res = den[0]
        charts.show(st, figures.image_row(
            [res.original, res.noisy, res.denoised],
            ["original", f"noisy, t* = {res.t_star} (PSNR {res.psnr_noisy:.1f} dB)",
             f"denoised (PSNR {res.psnr_denoised:.1f} dB)"]), key="den_row")
        st.caption(f"Noise level: σ = {res.sigma_pix:.3f} in [0, 1] pixel units; {res.timeline.nfe} network calls "
                   f"in {res.timeline.elapsed_s:.2f} s.")
        charts.show(st, figures.timeline_figure(res.timeline.ts, res.timeline.x_t, res.timeline.x0_hat),
                    key="den_timeline")
    code.show_code(samplers.sdedit_steps, q_posterior, sdedit_demo)

with tab_fill:
    st.markdown("The unconditional model was never trained to fill holes or enlarge images, yet it can: at every "
                "reverse step, replace what the observation fixes with a noised copy of the observation. "
                "**RePaint** (Lugmayr et al. 2022) keeps the known pixels, noised to the step's level, and lets "
                "the model fill the rest, going back and forth r times per step so the two agree. **ILVR** "
                "(Choi et al. 2021) keeps the low frequencies of a small image and lets the model add the detail.")
    st.latex(r"x_{t'} = m \odot \big(\sqrt{\bar\alpha_{t'}}\,x_0 + \sqrt{1-\bar\alpha_{t'}}\,\epsilon\big)"
             r" + (1-m)\odot x_{t'}^{\text{model}},\qquad "
             r"x_{t'} = x'_{t'} - \phi_N(x'_{t'}) + \phi_N(y_{t'})")
    x_f, _ = pick_image("ip")
    task = st.radio("Task", ("inpaint", "superres"), key="fill_task", bind="query-params", horizontal=True,
                    help="inpaint: fill a masked region (RePaint); superres: enlarge a small image (ILVR).",
                    **params.choice_param("fill_task", ("inpaint", "superres"), "inpaint"))
    c1, c2, c3 = st.columns(3)
    if task == "inpaint":
        mask = c1.selectbox("Mask (the hole)", guided.MASKS, key="fill_mask", index=2)
        passes = c3.slider("Passes per step r", 1, 8, 4, key="fill_r",
                           help="RePaint's resampling: r - 1 times per step the sample is noised back and redone.")
    else:
        factor = c1.radio("Observed size", (4, 2), key="fill_factor", horizontal=True,
                          format_func=lambda f: f"{SIZE // f}x{SIZE // f} -> {SIZE}x{SIZE}")
    f_steps = c2.select_slider("Reverse steps", (10, 25, 50, 100), value=50, key="fill_steps")
    if st.button("Run", icon=":material/auto_fix_high:", type="primary", key="fill_btn"):
        eps_fn, msched, about = current_model()
        if task == "inpaint":
            res = guided.inpaint_demo(eps_fn, msched, x_f, mask, f_steps, passes, seed,
                                      on_step=progress_callback("Inpainting"), device=data.device())
        else:
            res = guided.superres_demo(eps_fn, msched, x_f, factor, f_steps, seed,
                                       on_step=progress_callback("Super-resolving"), device=data.device())
        st.session_state["ddpm_fill"] = (res, task, dataset, about)
    done = st.session_state.get("ddpm_fill")
    if done is not None and done[2] == dataset:
        res, what, _, about = done
        names = (("original", "given to the model (grey: the hole)", "hole left black", "RePaint")
                 if what == "inpaint" else ("original", "the small image it was given", "bilinear", "ILVR"))
        charts.show(st, figures.image_row(
            [res.original, res.observed, res.baseline, res.output],
            [names[0], names[1], f"{names[2]} (PSNR {res.psnr_baseline:.1f} dB)",
             f"{names[3]} (PSNR {res.psnr_output:.1f} dB)"]), key="fill_row")
        st.caption(f"Measured now with {about}: PSNR against the held-out original {res.region}; "
                   f"{res.nfe} network calls in {res.seconds:.1f} s. GenLab's tests check, on 32 held-out MNIST "
                   "digits, "
                   "that RePaint fills the centre hole more than 2 dB above leaving it black and that ILVR beats "
                   "bilinear upsampling by more than 2 dB, with the classifier reading more of the digits right.")
    code.show_code(guided.repaint, guided.ilvr, guided.low_pass)

with tab_train:
    run_panel.skip_link("train")
    st.markdown("Train a U-Net here with the simple loss of Ho et al. (eq. 14). The shipped weights mean nobody "
                "has to; the preview draws EMA samples every tenth of the run (at least every 50 steps), so you "
                "see when digits appear. On MNIST this is a smaller U-Net than the shipped one (16 base channels "
                "and two levels instead of 32 and three: a sixth of the parameters), so that strokes and then "
                "digits appear within a few minutes on a laptop's CPU; the steps per second below are measured "
                "on this server.")
    st.latex(r"L_\text{simple} = \mathbb E_{t, x_0, \epsilon}\big\| \epsilon - \epsilon_\theta(\sqrt{\bar\alpha_t}"
             r"\,x_0 + \sqrt{1-\bar\alpha_t}\,\epsilon,\ t)\big\|^2")
    a, b = st.columns(2)
    n_steps = a.number_input("Training steps", 50, 20000, key="train_steps", bind="query-params",
                             **params.int_param("train_steps", 50, 20000, LIVE_STEPS.get(dataset, 3000)))
    shared = b.toggle("Shared run (everyone on this server watches it)", key="shared")
    cfg = live_config(dataset, kind, int(T), int(n_steps), int(seed))
    job = ddpm_job(cfg)
    key = live.run_key(f"ddpm-{dataset}", shared=shared)
    data.images_or_stop(dataset, "train")  # the run loads them itself; this explains a missing dataset here

    every = live.poll_every(key, shared, 1.0)

    @st.fragment(run_every=every)
    def train_panel():
        run = run_panel.controls(key, job, prefix="train", max_steps=cfg.steps)
        live.sync_polling(run, every, 1.0)
        snap = live.show_status(run)
        s = snap.latest if snap is not None else None
        if s is None:
            if snap is not None and snap.active:
                st.caption(":material/hourglass_top: Setting up the U-Net...")
            st.caption(f"Configuration: {cfg}")
            return
        if s.config != cfg:
            st.caption(":material/info: This run keeps the settings it started with; **New run** applies yours.")
        loss = f"L_simple {s.loss:.4f} at step {s.step:,}" if s.step else "Step 0"
        st.caption(f"{loss} of {s.total:,}; {snap.steps_per_s:.1f} steps/s ({snap.status}).")
        left, right = st.columns([3, 2])
        if s.step:
            charts.show(left, live.figure(figures.loss_figure, s.losses), key="train_loss")
        if s.preview is not None:
            charts.show(right, live.figure(figures.grid_figure, s.preview, cols=4, height=300,
                                           title=f"EMA samples at step {s.preview_step:,} (DDIM-20)"),
                        key="train_prev")
        # the trained network comes from the run's checkpoint, written when it pauses, stops or finishes
        settled = snap.status in (PAUSED, DONE, STOPPED) and snap.steps > 0
        if st.button("Use this model for sampling and denoising", key="train_use", icon=":material/check:",
                     disabled=not settled,
                     help=None if settled else "Pause the run, or let it finish, to use the model it trained."):
            trained = trained_ema(run.job, live.checkpoint_root(key), data.device())
            if trained is None:
                st.info("This run has not written its checkpoint yet: press **Stop** (which writes it), then "
                        "use the model.", icon=":material/hourglass_top:")
                return
            ema, steps = trained
            st.session_state["ddpm_own"] = {"model": ema, "config": run.job.config, "steps": steps,
                                            "dataset": run.job.dataset}
            st.session_state["use_own"] = True
            st.rerun()

    train_panel()
    run_panel.show_code(job, training.preview)
