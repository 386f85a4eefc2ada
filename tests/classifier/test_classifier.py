"""The shipped digit classifier: held-out accuracy on real data, features, input handling, training."""

from __future__ import annotations

import dataclasses

import pytest
import torch

from models.checkpoints import weight_paths
from models.classifier import default_config, features, load_classifier, load_loaded
from models.classifier.fit import accuracy, fit
from models.classifier.net import build
from models.data import load_images


@pytest.mark.parametrize("dataset", ["mnist", "digits"])
def test_shipped_weights_exist_and_load_without_training(dataset):
    assert weight_paths(default_config(dataset))[0].is_file()
    loaded = load_loaded(dataset, "cpu")
    assert loaded.source in ("pretrained", "memory")
    assert not loaded.model.training


def test_mnist_held_out_accuracy_at_least_98_percent(mnist_test):
    held_out = load_images("mnist", "test")  # the last 2,000 images of the real MNIST test split
    assert len(held_out) == 2000
    assert torch.equal(held_out.x[-5:], mnist_test.x[-5:])  # really the tail of the real file
    acc = accuracy(load_classifier("mnist", "cpu"), held_out.x, held_out.y)
    assert acc >= 0.98


def test_digits_held_out_accuracy():
    held_out = load_images("digits", "test")
    assert accuracy(load_classifier("digits", "cpu"), held_out.x, held_out.y) >= 0.95


def test_features_are_the_penultimate_layer():
    net = load_classifier("mnist", "cpu")
    x = load_images("mnist", "test").x[:64]
    h = features(x, "mnist", "cpu")
    assert h.shape == (64, 128) and (h >= 0).all()
    with torch.no_grad():
        assert torch.allclose(net.head(h), net(x), atol=1e-5)


def test_rgb_and_resized_inputs_are_handled():
    net = load_classifier("mnist", "cpu")
    data = load_images("mnist", "test")
    x, y = data.x[:300], data.y[:300]
    with torch.no_grad():
        gray = net(x)
        rgb = net(x.repeat(1, 3, 1, 1))
        assert torch.allclose(gray, rgb, atol=1e-4)
        big = torch.nn.functional.interpolate(x, size=(56, 56), mode="bilinear", align_corners=False)
        assert (net(big).argmax(1) == y).float().mean() >= 0.95
    with pytest.raises(ValueError, match="shape"):
        net(torch.zeros(2, 2, 28, 28))


def test_fit_learns_digits_from_scratch():
    config = dataclasses.replace(default_config("digits"), epochs=4, seed=3)
    model = build(config)
    steps = []
    metrics = fit(model, config, torch.device("cpu"), lambda s, t, logs: steps.append((s, t, logs["loss"])))
    assert metrics["test_acc"] > 0.8  # chance is 0.1
    assert steps[-1][0] == steps[-1][1] == metrics["steps"]
