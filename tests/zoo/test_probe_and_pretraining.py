"""The linear probe and pretraining with few labels (acceptance: pretraining beats scratch at 1%)."""

from dataclasses import replace

import numpy as np
import pytest
import torch

from models.checkpoints import load_or_train
from models.data import load_images
from models.zoo import pretraining
from models.zoo.config import pretrain_config
from models.zoo.probe import linear_probe
from models.zoo.training import fit
from models.zoo.variants import build


def test_linear_probe_on_raw_digit_pixels_matches_the_known_accuracy():
    """Logistic regression on the 64 raw pixels of the digits scores about 0.96 (scikit-learn's examples)."""
    train, test = load_images("digits", "train"), load_images("digits", "test")
    acc = linear_probe(train.x.flatten(1).numpy(), train.y.numpy(), test.x.flatten(1).numpy(), test.y.numpy())
    assert 0.93 <= acc <= 1.0
    rng = np.random.default_rng(0)
    noise = linear_probe(rng.normal(size=(len(train), 8)), train.y.numpy(), rng.normal(size=(len(test), 8)),
                         test.y.numpy())
    assert noise < 0.25  # codes that carry nothing score about chance (0.1)


def test_label_subset_is_stratified_with_at_least_one_per_class():
    y = np.repeat(np.arange(10), [5, 50, 100, 100, 100, 100, 100, 100, 100, 245])
    idx = pretraining.label_subset(y, 0.01, seed=0)
    counts = np.bincount(y[idx], minlength=10)
    assert counts.min() == 1 and counts[9] == 2 and len(set(idx)) == len(idx)
    assert len(pretraining.label_subset(y, 1.0, 0)) == len(y)
    with pytest.raises(ValueError):
        pretraining.label_subset(y, 0.0, 0)


def test_scratch_classifier_reinitialises_and_pretrained_copies_the_encoder():
    ae = build(replace(pretrain_config("digits"), seed=7))  # another init than the classifier's seed 0
    x_unlabelled = torch.rand(50, 1, 8, 8)
    pre = pretraining.CodeClassifier(ae, x_unlabelled, pretrained=True, freeze=True)
    scratch = pretraining.CodeClassifier(ae, x_unlabelled, pretrained=False)
    assert torch.equal(pre.autoencoder.enc1.weight, ae.enc1.weight)
    assert not torch.equal(scratch.autoencoder.enc1.weight, ae.enc1.weight)
    assert not pre.encoder_parameters() and pre.head.weight.requires_grad and scratch.encoder_parameters()
    x0 = torch.rand(3, 1, 8, 8)
    with torch.no_grad():
        z, z_all = ae.encode(x0), ae.encode(x_unlabelled)
        expected = pre.head((z - z_all.mean(0)) / z_all.std(0))  # codes standardised on unlabelled data
        torch.testing.assert_close(pre(x0), expected)


@pytest.mark.slow
def test_pretraining_beats_scratch_with_one_percent_of_mnist_labels(mnist_test):
    """Acceptance, on MNIST: 80 labels (1%), frozen encoder of the shipped conv autoencoder, 3 seeds."""
    loaded = load_or_train(pretrain_config("mnist"), build, fit, device=torch.device("cpu"))
    assert loaded.source in ("pretrained", "memory")
    train, test = load_images("mnist", "train"), load_images("mnist", "test")
    gains = []
    for seed in (0, 1, 2):
        *_, last = pretraining.compare(loaded.model, train.x, train.y, test.x, test.y, fractions=(0.01,),
                                       steps=300, eval_every=300, seed=seed)
        by = {c.init: c.final for c in last.curves}
        gains.append(by["pretrained"] - by["scratch"])
    assert min(gains) > 0 and np.mean(gains) > 0.02, gains  # measured: +0.031, +0.052, +0.025


@pytest.mark.slow
def test_pretraining_beats_scratch_with_one_percent_of_digit_labels():
    """The same on the 8x8 digits (1% = one label per class, 10 in all), frozen encoder of the shipped stacked autoencoder."""
    loaded = load_or_train(pretrain_config("digits"), build, fit, device=torch.device("cpu"))
    train, test = load_images("digits", "train"), load_images("digits", "test")
    gains = []
    for seed in (0, 1, 2):
        *_, last = pretraining.compare(loaded.model, train.x, train.y, test.x, test.y, fractions=(0.01,),
                                       steps=300, eval_every=300, seed=seed)
        by = {c.init: c.final for c in last.curves}
        gains.append(by["pretrained"] - by["scratch"])
    assert min(gains) > 0, gains  # measured: +0.089, +0.114, +0.020
