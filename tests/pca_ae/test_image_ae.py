"""Image autoencoders of the code-size sweep: shapes, the PCA floor for linear models, shipped metrics."""

import dataclasses

import numpy as np
import pytest
import torch

from models.checkpoints import load_or_train
from models.data import load_images
from models.pca_ae import image_ae
from models.pca_ae.pca import pca_mse_by_k


@pytest.fixture(scope="module")
def digits():
    return (image_ae.flatten(load_images("digits", "train").x), image_ae.flatten(load_images("digits", "test").x))


def test_book_architecture_shapes():
    m = image_ae.ImageAE(784, 30, "stacked")
    sizes = [(l.in_features, l.out_features) for l in m.modules() if isinstance(l, torch.nn.Linear)]
    assert sizes == [(784, 100), (100, 30), (30, 100), (100, 784)]
    assert m(torch.zeros(5, 784)).shape == (5, 784)
    assert image_ae.encode(m, np.zeros((3, 784), np.float32)).shape == (3, 30)


@pytest.mark.slow
def test_linear_autoencoder_never_beats_pca_on_its_training_data(digits):
    x_train, _ = digits
    config = dataclasses.replace(image_ae.default_config("digits", "linear", 5), epochs=8)
    model = image_ae.build(config)
    image_ae.fit(model, config, torch.device("cpu"))
    train_mse = float(np.mean((image_ae.reconstruct(model, x_train) - x_train) ** 2))
    floor = pca_mse_by_k(x_train, ks=[5])[5]  # Eckart-Young: the best rank-5 reconstruction
    assert train_mse >= floor * (1 - 1e-5)
    assert train_mse < 1.5 * floor  # and 8 epochs already get it close


def test_shipped_digits_sweep_metrics_are_reproduced(digits):
    x_train, x_test = digits
    configs = image_ae.sweep_configs("digits")
    models = {c: load_or_train(c, image_ae.build, image_ae.fit, device=torch.device("cpu")) for c in configs}
    errors = image_ae.test_errors({c: m.model for c, m in models.items()}, x_test)
    pca = pca_mse_by_k(x_train, x_test, list(image_ae.SHIPPED_KS))
    for c, loaded in models.items():
        assert errors[c.kind][c.k] == pytest.approx(loaded.metrics["test_mse"], rel=1e-4)
        if c.kind == "linear":  # near PCA on held-out data (it cannot do much better, being linear)
            assert errors["linear"][c.k] > 0.9 * pca[c.k]
    assert errors["stacked"][2] < pca[2]  # nonlinearity pays off at small k


def test_one_per_class_starts_with_every_class():
    y = np.array([3, 3, 1, 0, 2, 1, 0])
    idx = image_ae.one_per_class(y, 5)
    assert sorted(y[idx[:4]]) == [0, 1, 2, 3] and len(idx) == 5


def test_missing_weights_and_bad_config():
    cfg = image_ae.ImageAEConfig(dataset="digits", k=3, seed=12345)
    assert image_ae.missing_weights([cfg]) == [cfg]
    with pytest.raises(ValueError, match="between 1 and 64"):
        image_ae.ImageAEConfig(dataset="digits", k=65)
