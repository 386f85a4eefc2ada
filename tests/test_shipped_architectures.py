"""Every shipped weights file fits the network its config builds in this code, and is named by its config.

A network's code can change while its config stays the same; the config key then still names the shipped
file, but the weights no longer fit. ``load_or_train`` refuses such a file (``ArchitectureChanged``); this
test finds it before a user does, for every file in ``pretrained/``.
"""

from __future__ import annotations

import dataclasses
import importlib

import pytest

from models.checkpoints import config_key, load_checkpoint
from models.data.paths import pretrained_dir

# config class -> (module of the config class, module and name of its build function)
BUILDS = {
    "ClassifierConfig": ("models.classifier.config", "models.classifier.net", "build"),
    "DAEConfig": ("models.denoise.config", "models.denoise.dae", "build"),
    "DnCNNConfig": ("models.denoise.config", "models.denoise.dncnn", "build"),
    "DiffusionConfig": ("models.diffusion.config", "models.diffusion.training", "build"),
    "ImageAEConfig": ("models.pca_ae.image_ae", "models.pca_ae.image_ae", "build"),
    "ManifoldAEConfig": ("models.pca_ae.nonlinear_ae", "models.pca_ae.nonlinear_ae", "build"),
    "ImageGANConfig": ("models.gan.config", "models.gan.image_train", "build"),
    "LatentConfig": ("models.latent.config", "models.latent.training", "build"),
    "ZooConfig": ("models.zoo.config", "models.zoo.variants", "build"),
    "ImageFlowConfig": ("models.flow.images.config", "models.flow.images.training", "build"),
}
SHIPPED = sorted(pretrained_dir().glob("*.pt"))


def revive(cls, values: dict):
    """The config a checkpoint stores (JSON's view: lists for tuples, a dict for a nested config)."""
    kwargs = {}
    for f in dataclasses.fields(cls):
        if f.name not in values:
            continue
        v = values[f.name]
        if isinstance(v, dict):
            v = revive(cls, v)  # a nested config of the same class (DnCNNConfig.parent)
        elif isinstance(v, list):
            v = tuple(tuple(x) if isinstance(x, list) else x for x in v)
        kwargs[f.name] = v
    return cls(**kwargs)


def test_every_shipped_config_class_is_known():
    assert SHIPPED
    assert {p.name.split("-")[0] for p in SHIPPED} <= set(BUILDS)


@pytest.mark.parametrize("path", SHIPPED, ids=lambda p: p.stem)
def test_shipped_weights_fit_the_network_their_config_builds(path):
    payload = load_checkpoint(path)
    config_module, build_module, build_name = BUILDS[payload["config_class"]]
    cls = getattr(importlib.import_module(config_module), payload["config_class"])
    config = revive(cls, payload["config"])
    assert f"{config_key(config)}.pt" == path.name, "the file is not named by the config it stores"
    model = getattr(importlib.import_module(build_module), build_name)(config)
    want = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    have = {k: tuple(v.shape) for k, v in payload["state_dict"].items()}
    assert have == want
