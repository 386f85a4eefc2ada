"""The latent explorer's beta-VAE tab: retrain a VAE with another beta live, then compare it with the shipped one.

The run is a job of the ``beta_vae`` family (:mod:`models.latent.trainer`) driven by the one run panel
(:mod:`ui.run_panel`); its final snapshot carries the held-out numbers, and the trained networks come from
the run's checkpoint (:func:`models.runs.checkpoint.restore`), never from a live snapshot.
"""

from __future__ import annotations

from typing import Callable

import streamlit as st

from models.classifier import describe
from models.latent import explore, figures, training
from models.latent.config import default_config
from models.latent.measured import measured
from models.latent.trainer import BetaVAEState, beta_job, total_steps
from models.runs.run import DONE
from models.runs import checkpoint
from models.runs.job import Job

from . import charts, data, live, params, run_panel

BETAS = ("0.1", "0.25", "0.5", "1", "2", "4", "8")
REFRESH_S = 1.0


def settings(ds: str, dim: int):
    """The beta and epochs widgets (bound to the URL); returns the retrain's config."""
    r1, r2 = st.columns(2)
    beta_kwargs = params.slider_choice_param("beta", BETAS, "4")
    beta = float(r1.select_slider("beta", BETAS, key="beta", bind="query-params", **beta_kwargs))
    epochs = r2.slider("Epochs", 5, 100, key="epochs", bind="query-params",
                       help="The shipped beta = 1 VAEs trained for 100 epochs (digits) and 30 (MNIST), the defaults "
                            "here, so the comparison below changes beta alone. Fewer epochs retrain faster for a live "
                            "demo (digits: 11 steps per epoch; MNIST: 62) but then mix in the effect of training less.",
                       **params.int_param("epochs", 5, 100, 100 if ds == "digits" else 30))
    return default_config("vae", ds, dim, beta=beta, epochs=epochs)


@st.cache_resource(max_entries=4, show_spinner=False)
def _trained(key: str, digest: str, step: int, _job: Job):
    """The finished run's calibrated VAE, loaded once from its checkpoint (None without one)."""
    trainer = checkpoint.restore(_job, live.checkpoint_root(key), str(data.device()))
    return None if trainer is None else trainer.model.eval()


def section(ds: str, dim: int, seed: int, test, shipped, codes_view: Callable) -> None:
    """The whole tab.

    Args:
        ds, dim, seed: the page's dataset, latent size and sidebar seed (the prior samples' codes).
        test: the held-out ImageData; shipped: the shipped beta = 1 VAE (a ``Loaded``).
        codes_view: the page's cached ``(model, x, name, path, ds, method) -> (codes, View2D)``.
    """
    run_panel.skip_link("beta")
    st.subheader("beta-VAE: retrain and compare")
    st.markdown("Weighting the KL term by beta trades reconstruction for a tidier code space (Higgins et al. 2017). "
                "What to expect: a large beta pulls every q(z | x) toward N(0, I), so classes overlap and images "
                "blur; a small beta lets the codes spread out like a plain AE's, and the prior samples get worse. "
                "Retrain and check: both models' held-out reconstruction and KL are measured below.")
    config = settings(ds, dim)
    job = beta_job(config)
    key = live.run_key("latent-beta", shared=False)
    every = live.poll_every(key, False, REFRESH_S)

    @st.fragment(run_every=every)
    def panel() -> None:
        """The run panel and live progress; polls once a second while the run is live, not at all when idle."""
        run = run_panel.controls(key, job, prefix="beta", max_steps=total_steps(config))
        live.sync_polling(run, every, REFRESH_S)  # just started: start polling; just ended: results, no polling
        snap = live.show_status(run)
        state: BetaVAEState | None = snap.latest if snap is not None else None
        if state is None:
            st.caption(f"Press Play to train a VAE with beta = {config.beta:g} on {ds} (d = {dim}, "
                       f"{config.epochs} epochs), or Step for one minibatch at a time."
                       + (" Loading the data..." if snap is not None and snap.active else ""))
            return
        if state.done:
            return  # the comparison below draws the finished run
        rate = f", {snap.steps_per_s:.0f} steps/s" if snap.active else ""
        st.caption(f"beta = {state.config.beta:g}: step {state.step:,} of {state.total:,}{rate}, last batch recon "
                   f"{state.recon:.1f}, KL {state.kl:.2f} nats.")
        charts.show(st, figures.loss_curves(state.history, "Loss terms so far"), key="beta_live")

    panel()
    results(key, ds, dim, seed, test, shipped, codes_view)
    run_panel.show_code(job, training.train_steps)


def results(key: str, ds: str, dim: int, seed: int, test, shipped, codes_view: Callable) -> None:
    """The finished retrain next to the shipped beta = 1 VAE: maps, prior samples, both loss terms."""
    run = live.pool().get(key)
    snap = run.snapshot() if run is not None else None
    if snap is None or snap.status != DONE or not isinstance(snap.latest, BetaVAEState) or not snap.latest.done:
        return
    state = snap.latest
    ran = state.config
    if ran.dataset != ds or ran.latent_dim != dim:
        st.caption("The last retrained VAE was for another dataset or latent size: press New run, then Play.")
        return
    model = _trained(key, run.job.digest(), state.step, run.job)
    if model is None:
        st.warning("The retrained weights are not on disk any more (the run's checkpoint was removed); press "
                   "New run, then Play, to train again.", icon=":material/warning:")
        return
    st.success(f"Retrained with beta = {ran.beta:g} in {snap.elapsed_s:.1f} s ({state.step:,} steps).",
               icon=":material/check_circle:")
    shipped_epochs = shipped.config.epochs
    if ran.epochs != shipped_epochs:
        st.caption(f":material/warning: Retrained for {ran.epochs} epochs, the shipped VAE for {shipped_epochs}: part "
                   f"of the difference below comes from training {'less' if ran.epochs < shipped_epochs else 'more'}, "
                   "not from beta.")
    h = state.held_out
    sm = measured(shipped.metrics)
    pairs = (("beta = 1 (shipped)", shipped.model, sm.history, (sm.test_recon, sm.test_kl, sm.test_elbo), "shipped"),
             (f"beta = {ran.beta:g} (retrained)", model, state.history, (h.recon, h.kl, h.elbo),
              f"{key}-{run.job.digest()}"))
    for col, (title, m, history, (recon, kl, elbo), tag) in zip(st.columns(2), pairs):
        with col:
            st.subheader(title)
            kview = codes_view(m, test.x, "vae", tag + str(dim), ds, "pca")[1]
            labels = test.y.numpy()[: len(kview.coords)]
            charts.show(st, figures.code_map(kview.coords, labels, test.classes, "test codes"
                                             + ("" if dim == 2 else " (PCA)"), height=300), key=f"bmap_{tag}")
            samples = explore.decode(m, explore.prior_codes("vae", {}, dim, 36, seed))
            st.image(explore.sheet(samples, 6, 6), caption="36 samples from N(0, I)", width="stretch",
                     alt=f"36 samples of this beta-VAE from N(0, I); {describe.summary(samples, ds)}")
            charts.show(st, figures.loss_curves(history, "loss terms over training"), key=f"bhist_{tag}")
            st.markdown(f"Held out: reconstruction **{recon:.2f}**, KL **{kl:.2f}**, ELBO **{elbo:.2f}** nats / image.")
