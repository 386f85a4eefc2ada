"""``tsne``: t-SNE of the stacked autoencoder's codings of held-out images; step 1 encodes the images and
picks the points, step 2 runs t-SNE (one scikit-learn call: it cannot be paused half-way)."""

from __future__ import annotations

from dataclasses import dataclass, field

import torch

from ...runs.family import Family, register
from ...runs.job import Job
from .. import image_ae, tsne


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


register(Family(name="tsne", make=TSNETrainer, code=(TSNETrainer.advance, tsne.embed),
                total_steps=lambda job: TSNE_STEPS))
