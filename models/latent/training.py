"""Training: one generator for the three kinds and a ``fit`` for ``load_or_train``.

``train_steps`` yields a :class:`TrainStep` after every minibatch; ``fit`` drives it to the end and measures
the model on the held-out split (:func:`evaluate`). The live beta-VAE retrain of the explorer page steps the
same functions (:func:`optimizers`, :func:`minibatch_step`, :class:`LossHistory`) one at a time in
:mod:`models.latent.trainer`.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field
from typing import Iterator

import torch

from models.checkpoints import OnStep
from models.data import load_images

from .aae import AdversarialAutoencoder, discriminator_loss, generator_loss
from .ae import Autoencoder, reconstruction_loss
from .calibrate import match_prior_moments
from .config import LatentConfig
from .vae import VAE, elbo, reparameterize
from ..seed import seeded_init

MODELS = {"ae": Autoencoder, "vae": VAE, "aae": AdversarialAutoencoder}
HISTORY_POINTS = 400  # the loss history kept in the checkpoint is decimated to about this many points


def build(config: LatentConfig) -> Autoencoder | VAE:
    """A freshly initialised model for ``config`` (seeded, so the same config gives the same weights)."""
    with seeded_init(config.seed):
        return MODELS[config.kind](config)


@dataclass(frozen=True)
class TrainStep:
    """The state after one minibatch.

    Attributes:
        step, total: minibatches done and planned.
        epoch: the current epoch (0-based).
        logs: this batch's losses in nats per image: recon, and kl (VAE) or d_loss / g_loss (AAE).
        history: decimated running means so far, {"step": [...], "recon": [...], ...}.
    """

    step: int
    total: int
    epoch: int
    logs: dict
    history: dict = field(default_factory=dict)


def aae_step(model: AdversarialAutoencoder, opts: tuple, x0: torch.Tensor,
             generator: torch.Generator) -> dict:
    """Makhzani et al. 2016, section 2: a reconstruction phase, then a regularisation phase."""
    opt_ae, opt_d, opt_g = opts

    def codes() -> torch.Tensor:  # z ~ q(z | x0) by the reparameterisation trick: (B, d)
        mu, logvar = model.posterior(x0)
        return reparameterize(mu, logvar, torch.randn(mu.shape, generator=generator).to(mu.device))

    recon = reconstruction_loss(model.decoder(codes()), x0).mean()
    opt_ae.zero_grad(set_to_none=True)
    recon.backward()
    opt_ae.step()

    z_prior = torch.randn((len(x0), model.latent_dim), generator=generator).to(x0.device)  # (B, d)
    d_loss = discriminator_loss(model.discriminator(z_prior), model.discriminator(codes().detach()))
    opt_d.zero_grad(set_to_none=True)
    d_loss.backward()
    opt_d.step()

    g_loss = generator_loss(model.discriminator(codes()))
    opt_g.zero_grad(set_to_none=True)
    g_loss.backward()
    opt_g.step()
    return {"recon": recon.item(), "d_loss": d_loss.item(), "g_loss": g_loss.item()}


def optimizers(model, config: LatentConfig) -> tuple:
    """Adam for the autoencoding part; the AAE adds its discriminator's and its encoder-as-generator's."""
    if config.kind == "aae":
        ae_params = list(model.encoder.parameters()) + list(model.decoder.parameters())
        return (torch.optim.Adam(ae_params, lr=config.lr),
                torch.optim.Adam(model.discriminator.parameters(), lr=config.d_lr, betas=(0.5, 0.9)),
                torch.optim.Adam(model.encoder.parameters(), lr=config.adv_lr, betas=(0.5, 0.9)))
    return (torch.optim.Adam(model.parameters(), lr=config.lr),)


def minibatch_step(model, config: LatentConfig, opts: tuple, x0: torch.Tensor,
                   generator: torch.Generator) -> dict:
    """One update on a (B, C, H, W) batch; returns its losses (nats per image).

    VAE: minimise recon + beta * KL (Kingma & Welling 2014, eq. 10; Higgins et al. 2017). AE: recon.
    AAE: :func:`aae_step`. ``generator`` draws the noise eps (a CPU generator; the draw is moved).
    """
    if config.kind == "aae":
        return aae_step(model, opts, x0, generator)
    loss, logs = model.loss(x0, generator)
    opts[0].zero_grad(set_to_none=True)
    loss.backward()
    opts[0].step()
    return logs


def steps_per_epoch(n: int, config: LatentConfig) -> int:
    """Minibatches per epoch of ``n`` images (the last partial batch is dropped)."""
    return max(1, n // config.batch_size)


class LossHistory:
    """Running means of the per-batch losses, one point every ``every`` steps (about HISTORY_POINTS)."""

    def __init__(self, total: int):
        self.total, self.every = total, max(1, total // HISTORY_POINTS)
        self.points: dict[str, list] = {"step": []}
        self.acc: dict[str, float] = {}

    def add(self, step: int, logs: dict) -> None:
        for k, v in logs.items():
            self.acc[k] = self.acc.get(k, 0.0) + v
        if step % self.every == 0 or step == self.total:
            count = self.every if step % self.every == 0 else step % self.every
            self.points["step"].append(step)
            for k, v in self.acc.items():
                self.points.setdefault(k, []).append(v / count)
            self.acc = {}

    def state_dict(self) -> dict:
        return {"points": {k: list(v) for k, v in self.points.items()}, "acc": dict(self.acc)}

    def load_state_dict(self, state: dict) -> None:
        self.points = {k: list(v) for k, v in state["points"].items()}
        self.acc = dict(state["acc"])


def train_steps(model, config: LatentConfig, device: torch.device,
                x_train: torch.Tensor | None = None) -> Iterator[TrainStep]:
    """Train ``model`` in place with Adam, yielding a :class:`TrainStep` after each minibatch.

    Args:
        x_train: (N, C, H, W) in [0, 1]; default the config's dataset, ``"train"`` split.
    """
    if x_train is None:
        x_train = load_images(config.dataset, "train", holdout=config.holdout).x
    x_train = x_train.to(device)
    generator = torch.Generator().manual_seed(config.seed)
    model.to(device).train()
    opts = optimizers(model, config)
    n = len(x_train)
    per_epoch = steps_per_epoch(n, config)
    total = per_epoch * config.epochs
    history = LossHistory(total)
    step = 0
    for epoch in range(config.epochs):
        order = torch.randperm(n, generator=generator).to(device)
        for b in range(per_epoch):
            x0 = x_train[order[b * config.batch_size:(b + 1) * config.batch_size]]  # (B, C, H, W)
            logs = minibatch_step(model, config, opts, x0, generator)
            step += 1
            history.add(step, logs)
            yield TrainStep(step, total, epoch, logs, history.points)
    model.eval()


@torch.no_grad()
def evaluate(model, config: LatentConfig, device: torch.device) -> dict:
    """Held-out metrics and code statistics stored with the weights.

    Returns (nats per image; per-dimension lists of floats):
        test_recon; for the VAE test_elbo and test_kl (one-sample estimate, Kingma & Welling eq. 10);
        test_z_mean, test_z_var: moments of the codes on the test split (for the VAE and the AAE the
            sampled z = mu + sigma * eps, i.e. the aggregate posterior that should match p(z) = N(0, I));
        code_mean, code_std, code_lo, code_hi: training-code statistics (slider ranges; the AE's
            Gaussian fit used to sample from it).
    """
    model.to(device).eval()
    gen = torch.Generator().manual_seed(config.seed + 1)
    x_test = load_images(config.dataset, "test", holdout=config.holdout).x.to(device)
    x_train = load_images(config.dataset, "train", holdout=config.holdout).x.to(device)
    metrics: dict = {"n_test": len(x_test), "n_train": len(x_train)}
    if config.kind == "vae":
        e = elbo(model, x_test, gen)
        metrics.update(test_elbo=e["elbo"], test_recon=e["recon"], test_kl=e["kl"])
        z_test = model.terms(x_test, gen)["z"]
    elif config.kind == "aae":
        t = model.terms(x_test, gen)
        z_test = t["z"]
        metrics["test_recon"] = float(t["recon"].mean())
    else:
        z_test = model.encode(x_test)
        metrics["test_recon"] = float(reconstruction_loss(model.decoder(z_test), x_test).mean())
    codes = model.encode(x_train)  # (N, d)
    q = torch.quantile(codes.cpu(), torch.tensor([0.005, 0.995]), dim=0)  # (2, d)
    metrics.update(
        test_z_mean=z_test.mean(0).cpu().tolist(), test_z_var=z_test.var(0).cpu().tolist(),
        code_mean=codes.mean(0).cpu().tolist(), code_std=codes.std(0).cpu().tolist(),
        code_lo=q[0].tolist(), code_hi=q[1].tolist())
    return metrics


def finish(model, config: LatentConfig, device: torch.device) -> dict:
    """After the SGD steps: the closed-form shift-and-scale step of the VAE's and the AAE's codes
    (:func:`models.latent.calibrate.match_prior_moments`); returns {"calibration": {...}} or {}."""
    if config.kind == "ae":
        return {}
    model.eval()
    x_train = load_images(config.dataset, "train", holdout=config.holdout).x.to(device)
    return {"calibration": match_prior_moments(model, x_train)}


def fit(model, config: LatentConfig, device: torch.device, on_step: OnStep | None = None) -> dict:
    """Train to the end (``load_or_train``'s ``fit``); returns :func:`evaluate`'s metrics plus history."""
    t0 = time.perf_counter()
    last = None
    for last in train_steps(model, config, device):
        if on_step is not None:
            on_step(last.step, last.total, last.logs)
    # the VAE's held-out ELBO before the closed-form calibration step, for the model card
    before = evaluate(model, config, device).get("test_elbo") if config.kind == "vae" else None
    calibration = finish(model, config, device)
    metrics = evaluate(model, config, device)
    metrics.update(calibration)
    if before is not None:
        metrics["test_elbo_uncalibrated"] = before
    metrics.update(train_seconds=time.perf_counter() - t0, steps=last.step if last else 0,
                   history=last.history if last else {})
    metrics.update(generation_metrics(model, config, metrics))
    return metrics


def generation_metrics(model, config: LatentConfig, metrics: dict) -> dict:
    """Class shares and FID of the model's prior samples (:func:`models.latent.quality.generation_metrics`),
    measured on the CPU once training is done, so the page can show them without measuring."""
    from .quality import generation_metrics as measure

    device = next(model.parameters()).device
    out = measure(model.cpu(), config.kind, config.dataset, metrics, config.seed)
    model.to(device)
    return out
