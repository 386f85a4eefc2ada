"""``image_ae_sweep``: the code-size sweep's autoencoders without weights, one epoch per step; each finished
model goes into the user cache, where :func:`models.checkpoints.load_or_train` finds it."""

from __future__ import annotations

import time

import torch

from ...checkpoints import save_checkpoint, weight_paths
from ...runs.family import Family, register
from ...runs.job import Job
from .. import image_ae


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


register(Family(name="image_ae_sweep", make=SweepTrainer,
                code=(SweepTrainer.advance, image_ae.epoch_step),
                total_steps=lambda job: sum(c.epochs for c in job.config)))
