"""The PCA vs autoencoder page's live runs as trainers of the run layer (:mod:`models.runs`).

Four families, each a job in (data: configs, dataset name, seed) and one step at a time:

* ``linear_ae``: the 3 -> 2 -> 3 linear autoencoder on HOML's 3D data; a step is one epoch.
* ``manifold_ae``: the nonlinear autoencoder on a curved sheet; a step is one full-batch Adam step.
* ``image_ae_sweep``: the code-size sweep's autoencoders that have no weights yet, one after another; a step
  is one epoch of the model in training, and each finished model goes into the user cache, where
  :func:`models.checkpoints.load_or_train` finds it.
* ``tsne``: t-SNE of the stacked autoencoder's codings of held-out images; step 1 encodes the images and
  picks the points, step 2 runs t-SNE (one scikit-learn call: it cannot be paused half-way).

The maths lives in :mod:`.linear_ae`, :mod:`.nonlinear_ae`, :mod:`.image_ae` and :mod:`.tsne`; a trainer
holds the loop's state (networks, optimisers, generators, histories), copies values out for snapshots,
and saves and loads everything a bit-identical resume needs.
"""

from __future__ import annotations

import time
from dataclasses import dataclass, field

import numpy as np
import torch

from ..checkpoints import save_checkpoint, weight_paths
from ..runs.family import Family, register
from ..runs.job import Job
from ..runs.randomness import RunRandom
from ..seed import seeded_init
from . import image_ae, linear_ae, nonlinear_ae, tsne
from .pca import fit_pca, mse


# -- the linear autoencoder ---------------------------------------------------------------------------------
@dataclass(frozen=True)
class LinearRun:
    """A live run of the linear autoencoder: its config, and a pause after each epoch (slow motion, for a
    lecture audience; it changes nothing that is computed)."""

    ae: linear_ae.LinearAEConfig
    delay_s: float = 0.0


def linear_job(config: linear_ae.LinearAEConfig, delay_s: float = 0.0) -> Job:
    """The job of a linear-autoencoder run: seeded with ``config.seed``, on HOML's 3D data."""
    return Job("linear_ae", LinearRun(config, float(delay_s)), "homl_3d", config.seed)


class LinearAETrainer:
    """The linear autoencoder's weights, optimiser and generator; ``step`` counts epochs."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: linear_ae.LinearAEConfig = job.config.ae
        self.job, self.config, self.delay_s = job, config, job.config.delay_s
        self.device = torch.device(device)
        self.random = RunRandom(job.seed)  # initial weights, then every epoch's shuffle
        self.x_np = linear_ae.dataset(config)  # (n, D)
        pca = fit_pca(self.x_np, config.k)
        self.pca_mse = mse(self.x_np, pca.reconstruct(self.x_np))
        self.pca_basis = pca.components.T  # (D, k)
        with seeded_init(job.seed):  # nn.Linear draws before the Glorot init replaces its weights
            model = linear_ae.LinearAE(self.x_np.shape[1], config.k, generator=self.random.torch)
        self.model = model.to(self.device)
        self.opt = linear_ae.make_optimizer(config, self.model.parameters())
        self.x = torch.tensor(self.x_np, dtype=torch.float32, device=self.device)  # (n, D)
        self.batch = config.batch_size or len(self.x)
        self.step = 0
        self.hist_mse = np.full(config.epochs + 1, np.nan)
        self.hist_angles = np.full((config.epochs + 1, config.k), np.nan)
        self._measure()

    def _measure(self) -> None:
        self._now = linear_ae.measure(self.model, self.x_np, self.pca_basis, self.config, self.step)
        self.hist_mse[self.step], self.hist_angles[self.step] = self._now[4], self._now[5]

    def advance(self, command: str | None = None) -> None:
        """One epoch (:func:`models.pca_ae.linear_ae.epoch_step`), then the plane and the MSE are measured."""
        if self.step >= self.config.epochs:
            raise StopIteration  # the runner ends the run as done
        linear_ae.epoch_step(self.model, self.opt, self.x, self.batch, self.random.torch)
        self.step += 1
        if self.delay_s > 0:
            time.sleep(self.delay_s)
        self._measure()

    def snapshot(self) -> linear_ae.LinearState:
        w_enc, b_enc, w_dec, b_dec, err, angles = (v.copy() if isinstance(v, np.ndarray) else v for v in self._now)
        return linear_ae.LinearState(self.step, self.config.epochs, w_enc, b_enc, w_dec, b_dec, err, self.pca_mse,
                                     angles, np.arange(self.config.epochs + 1), self.hist_mse.copy(),
                                     self.hist_angles.copy())

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"ae": self.model}

    def state_dict(self) -> dict:
        return {"ae": self.model.state_dict(), "opt": self.opt.state_dict(), "random": self.random.state_dict(),
                "step": self.step, "hist_mse": self.hist_mse.copy(), "hist_angles": self.hist_angles.copy()}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["ae"])
        self.opt.load_state_dict(state["opt"])
        self.random.load_state_dict(state["random"])
        self.step = int(state["step"])
        self.hist_mse, self.hist_angles = state["hist_mse"].copy(), state["hist_angles"].copy()
        self._measure()


# -- the nonlinear autoencoder on a curved sheet --------------------------------------------------------------
RECORD_EVERY = 25  # steps between points of the loss curve (as train_manifold_steps)


def manifold_job(config: nonlinear_ae.ManifoldAEConfig) -> Job:
    """The job of a curved-sheet run: seeded with ``config.seed`` (the initial weights; training is full-batch,
    so nothing else is random)."""
    return Job("manifold_ae", config, config.manifold, config.seed)


class ManifoldTrainer:
    """The nonlinear autoencoder and its Adam optimiser; ``step`` counts full-batch steps."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: nonlinear_ae.ManifoldAEConfig = job.config
        if job.seed != config.seed:
            raise ValueError(f"A manifold_ae job's seed ({job.seed}) must be its config's ({config.seed}): "
                             "make the job with manifold_job(config).")
        self.job, self.config, self.device = job, config, torch.device(device)
        self.model = nonlinear_ae.build(config).to(self.device)  # seeded_init(config.seed)
        self.opt = torch.optim.Adam(self.model.parameters(), lr=config.lr)
        x, _ = nonlinear_ae.manifold_data(config)
        self.xt = torch.tensor(x, dtype=torch.float32, device=self.device)  # (n, 3)
        self.step = 0
        self.hist_step: list[int] = []
        self.hist_mse: list[float] = []

    def advance(self, command: str | None = None) -> None:
        """One full-batch step (:func:`models.pca_ae.nonlinear_ae.manifold_step`)."""
        if self.step >= self.config.steps:
            raise StopIteration
        loss = nonlinear_ae.manifold_step(self.model, self.opt, self.xt)
        self.step += 1
        if self.step % RECORD_EVERY == 0 or self.step == self.config.steps:
            self.hist_mse.append(nonlinear_ae.checked_loss(loss, self.step))
            self.hist_step.append(self.step)

    def snapshot(self) -> nonlinear_ae.ManifoldState:
        # evaluate() copies everything out: new arrays from the network's outputs and the history lists
        return nonlinear_ae.evaluate(self.model, self.config, self.step, (self.hist_step, self.hist_mse))

    def modules(self) -> dict[str, torch.nn.Module]:
        return {"ae": self.model}

    def state_dict(self) -> dict:
        return {"ae": self.model.state_dict(), "opt": self.opt.state_dict(), "step": self.step,
                "hist_step": list(self.hist_step), "hist_mse": list(self.hist_mse)}

    def load_state_dict(self, state: dict) -> None:
        self.model.load_state_dict(state["ae"])
        self.opt.load_state_dict(state["opt"])
        self.step = int(state["step"])
        self.hist_step, self.hist_mse = list(state["hist_step"]), list(state["hist_mse"])


# -- the code-size sweep's missing autoencoders ---------------------------------------------------------------
def sweep_job(configs: list[image_ae.ImageAEConfig]) -> Job:
    """The job that trains ``configs`` (one dataset's) in order; each model is seeded by its own config, as
    :func:`models.pca_ae.image_ae.fit` seeds it, so the weights are those ``load_or_train`` would train."""
    if not configs or len({c.dataset for c in configs}) != 1:
        raise ValueError("A sweep job trains one or more autoencoders of a single dataset.")
    return Job("image_ae_sweep", tuple(configs), configs[0].dataset, 0)


class SweepTrainer:
    """Every model of the sweep (built up front, so a checkpoint always holds the same networks), their
    Nadam optimisers and the shuffling generator of the one in training; ``step`` counts epochs in all."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        from models.data import load_images

        self.job, self.configs, self.device = job, tuple(job.config), torch.device(device)
        self.models = [image_ae.build(c).to(self.device) for c in self.configs]
        self.opts = [image_ae.optimizer(m, c) for m, c in zip(self.models, self.configs)]
        self.x_train = torch.as_tensor(image_ae.flatten(load_images(job.dataset, "train").x), device=self.device)
        self.x_test = image_ae.flatten(load_images(job.dataset, "test").x)  # (N, D)
        self.step = self.index = self.epoch = 0
        self.train_mse = float("nan")
        self.g = torch.Generator().manual_seed(self.configs[0].seed)
        self._t0 = time.perf_counter()

    def _label(self, i: int) -> str:
        c = self.configs[min(i, len(self.configs) - 1)]
        return f"{image_ae.KINDS[c.kind]}, k = {c.k}"

    def advance(self, command: str | None = None) -> None:
        """One epoch of the model in training (:func:`models.pca_ae.image_ae.epoch_step`); after its last, its
        held-out MSE is measured and its weights go into the user cache."""
        if self.index >= len(self.configs):
            raise StopIteration
        c, model = self.configs[self.index], self.models[self.index]
        model.train()
        self.train_mse = image_ae.epoch_step(model, self.opts[self.index], self.x_train, c.batch_size, self.g)
        self.epoch += 1
        self.step += 1
        if self.epoch == c.epochs:
            model.eval()
            metrics = {"train_mse": self.train_mse, "test_mse": image_ae.held_out_mse(model, self.x_test),
                       "epochs": c.epochs, "seconds": round(time.perf_counter() - self._t0, 1),
                       "n_train": len(self.x_train), "n_test": len(self.x_test)}
            save_checkpoint(weight_paths(c)[1], model, c, metrics)
            self.index += 1
            self.epoch = 0
            if self.index < len(self.configs):
                self.g = torch.Generator().manual_seed(self.configs[self.index].seed)
            self._t0 = time.perf_counter()

    def snapshot(self) -> image_ae.SweepProgress:
        epochs = self.configs[self.index].epochs if self.index < len(self.configs) else 0
        return image_ae.SweepProgress(self.index, len(self.configs), self._label(self.index), self.epoch, epochs,
                                      float(self.train_mse))

    def modules(self) -> dict[str, torch.nn.Module]:
        return {f"{i}": m for i, m in enumerate(self.models)}

    def state_dict(self) -> dict:
        return {"models": [m.state_dict() for m in self.models], "opts": [o.state_dict() for o in self.opts],
                "g": self.g.get_state(), "step": self.step, "index": self.index, "epoch": self.epoch,
                "train_mse": self.train_mse}

    def load_state_dict(self, state: dict) -> None:
        for m, s in zip(self.models, state["models"]):
            m.load_state_dict(s)
        for o, s in zip(self.opts, state["opts"]):
            o.load_state_dict(s)
        self.g.set_state(state["g"])
        self.step, self.index, self.epoch = int(state["step"]), int(state["index"]), int(state["epoch"])
        self.train_mse = float(state["train_mse"])


# -- t-SNE of the stacked autoencoder's codings ----------------------------------------------------------------
@dataclass(frozen=True)
class TSNEConfig:
    """Which codings to embed and how.

    Attributes:
        codes: the autoencoder whose codings of the dataset's test split are embedded (the book: the stacked
            one with k = 30); its weights come from :func:`models.checkpoints.load_or_train`.
        n: points embedded (at most :data:`models.pca_ae.tsne.MAX_POINTS`).
        perplexity, max_iter: scikit-learn's TSNE settings.
    """

    codes: image_ae.ImageAEConfig = field(default_factory=image_ae.ImageAEConfig)
    n: int = 500
    perplexity: float = 30.0
    max_iter: int = 1000

    def __post_init__(self):
        tsne.check_n(self.n)


def tsne_job(dataset: str, n: int, seed: int, **settings) -> Job:
    """The job that embeds ``n`` held-out images' codings of the dataset's stacked autoencoder (k = 30)."""
    config = TSNEConfig(image_ae.default_config(dataset, "stacked", 30), int(n), **settings)
    return Job("tsne", config, dataset, seed)


TSNE_STEPS = 2


class TSNETrainer:
    """Step 1: encode the test images and pick the points (seeded); step 2: t-SNE. ``step`` counts them."""

    def __init__(self, job: Job, device: torch.device | str = "cpu"):
        config: TSNEConfig = job.config
        if config.codes.dataset != job.dataset:
            raise ValueError(f"A tsne job embeds codings of its own dataset ({job.dataset}); its autoencoder is "
                             f"for {config.codes.dataset}.")
        self.job, self.config, self.device = job, config, torch.device(device)
        self.step = 0
        self.z = self.labels = self.indices = self.embedding = None

    def advance(self, command: str | None = None) -> None:
        if self.step == 0:
            from models.checkpoints import load_or_train
            from models.data import load_images

            test = load_images(self.job.dataset, "test")
            model = load_or_train(self.config.codes, image_ae.build, image_ae.fit, device=self.device).model
            codes = image_ae.encode(model, image_ae.flatten(test.x))  # (N, k)
            self.indices = tsne.pick_points(test.y.numpy(), self.config.n, self.job.seed)
            self.z, self.labels = codes[self.indices], test.y.numpy()[self.indices]
        elif self.step == 1:
            self.embedding = tsne.embed(self.z, self._perplexity(), self.job.seed, self.config.max_iter)
        else:
            raise StopIteration
        self.step += 1

    def _perplexity(self) -> float:
        return tsne.effective_perplexity(self.config.perplexity, self.config.n)

    def snapshot(self) -> tsne.TSNEProgress:
        stages = TSNE_STEPS + 1
        if self.step == 0:
            return tsne.TSNEProgress(1, stages, f"Encoding the test images with the {self.config.codes.k}-D "
                                                "stacked autoencoder...")
        if self.step == 1:
            return tsne.TSNEProgress(2, stages, f"Picked {len(self.indices):,} codings of dimension "
                                                f"{self.z.shape[1]}; running t-SNE (perplexity "
                                                f"{self._perplexity():g}, Barnes-Hut, PCA initialisation)...")
        return tsne.TSNEProgress(3, stages, f"Done: {len(self.indices):,} points embedded.",
                                 self.embedding.copy(), self.labels.copy(), self.indices.copy())

    def modules(self) -> dict[str, torch.nn.Module]:
        return {}  # nothing trains: the autoencoder's weights are shipped (or cached) ones

    def state_dict(self) -> dict:
        return {"step": self.step, "z": self.z, "labels": self.labels, "indices": self.indices,
                "embedding": self.embedding}

    def load_state_dict(self, state: dict) -> None:
        self.step = int(state["step"])
        self.z, self.labels, self.indices, self.embedding = (
            state["z"], state["labels"], state["indices"], state["embedding"])


register(Family(name="linear_ae", make=LinearAETrainer,
                code=(LinearAETrainer.advance, linear_ae.epoch_step, linear_ae.measure),
                total_steps=lambda job: job.config.ae.epochs))
register(Family(name="manifold_ae", make=ManifoldTrainer,
                code=(ManifoldTrainer.advance, nonlinear_ae.manifold_step),
                total_steps=lambda job: job.config.steps))
register(Family(name="image_ae_sweep", make=SweepTrainer,
                code=(SweepTrainer.advance, image_ae.epoch_step),
                total_steps=lambda job: sum(c.epochs for c in job.config)))
register(Family(name="tsne", make=TSNETrainer, code=(TSNETrainer.advance, tsne.embed),
                total_steps=lambda job: TSNE_STEPS))
