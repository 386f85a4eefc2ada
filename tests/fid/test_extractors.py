"""Extractors: pixels by hand, the MNIST classifier's features, and Inception equal to pytorch-fid's."""

from __future__ import annotations

import numpy as np
import pytest
import torch
from PIL import Image

from models.classifier import load_classifier
from models.fid import inception
from models.fid.extractors import extract
from tests.fid.helpers import png


def test_pixels_are_flattened_grayscale(mnist_test):
    x = mnist_test.x[:5]
    f = extract("pixels", x, device="cpu")
    assert np.array_equal(f.features, x.reshape(5, -1).double().numpy()) and f.probs is None
    rgb = [np.random.default_rng(0).random((6, 6, 3), dtype=np.float32)]
    expected = rgb[0] @ np.array([0.299, 0.587, 0.114], np.float32)
    assert np.allclose(extract("pixels", rgb, device="cpu").features[0], expected.ravel(), atol=1e-6)
    with pytest.raises(ValueError, match="one size"):
        extract("pixels", [np.zeros((4, 4, 1), np.float32), np.zeros((5, 5, 1), np.float32)])
    with pytest.raises(ValueError, match="Unknown feature extractor"):
        extract("vgg", x)


def test_mnist_features_are_the_classifier_penultimate_layer(mnist_test):
    x = mnist_test.x[:40]
    f = extract("mnist", x, device="cpu", batch_size=16)
    net = load_classifier("mnist", "cpu")
    with torch.no_grad():
        h = net.features(x).double().numpy()
        p = torch.softmax(net(x), 1).double().numpy()
    assert np.allclose(f.features, h, atol=1e-5) and np.allclose(f.probs, p, atol=1e-5)


def _random_fid_weights(path):
    """Random weights with the layout of pt_inception-2015-12-05 (torchvision's skeleton, 1008 classes)."""
    import torchvision

    torch.manual_seed(0)
    net = torchvision.models.inception_v3(num_classes=1008, aux_logits=False, weights=None, init_weights=True)
    # Batch-norm statistics measured on data (as in a trained network), so activations stay O(1): with
    # arbitrary statistics they reach 1e10 and float32 round-off, not the code, decides the comparison.
    for m in net.modules():
        if isinstance(m, torch.nn.BatchNorm2d):
            m.momentum = None  # cumulative average over the calibration batches
    net.train()
    with torch.no_grad():
        for _ in range(2):
            net(torch.rand(6, 3, 299, 299) * 2 - 1)
    torch.save(net.state_dict(), path)
    return path


@pytest.fixture
def random_inception(tmp_path, monkeypatch):
    """The same random weights where pytorch-fid looks (torch hub cache) and where GenLab is told to."""
    hub = tmp_path / "torch" / "hub" / "checkpoints"
    hub.mkdir(parents=True)
    path = _random_fid_weights(hub / inception.FILE_NAME)
    monkeypatch.setenv("TORCH_HOME", str(tmp_path / "torch"))
    monkeypatch.setenv(inception.ENV_VAR, str(path))
    return path


@pytest.mark.slow
def test_inception_features_equal_pytorch_fid(random_inception, tmp_path, mnist_test):
    from pytorch_fid.fid_score import get_activations
    from pytorch_fid.inception import InceptionV3

    folder = tmp_path / "imgs"
    folder.mkdir()
    rng = np.random.default_rng(0)
    for i in range(2):
        (folder / f"g{i}.png").write_bytes(png(mnist_test.x[i, 0].numpy()))
        Image.fromarray(rng.integers(0, 256, (28, 28, 3), dtype=np.uint8)).save(folder / f"r{i}.png")
    files = sorted(folder.glob("*.png"))
    ref = get_activations(files, InceptionV3([3]).eval(), batch_size=4, dims=2048, device="cpu")
    from models.imageio import decode_uploads

    decoded, problems = decode_uploads([(f.name, f.read_bytes()) for f in files])
    assert not problems
    ours = extract("inception", [d.array for d in decoded], device="cpu", batch_size=4)  # as pytorch-fid above
    assert ours.features.shape == (4, 2048) and ours.probs.shape == (4, 1008)
    assert np.allclose(ours.features, ref, rtol=1e-4, atol=1e-5)
    assert any("not the FID-standard" in n for n in ours.notes)


def test_missing_weights_explain_how_to_provide_them(tmp_path, monkeypatch):
    monkeypatch.setenv("TORCH_HOME", str(tmp_path))
    monkeypatch.delenv(inception.ENV_VAR, raising=False)
    with pytest.raises(inception.InceptionUnavailable, match=inception.ENV_VAR):
        extract("inception", torch.zeros(2, 1, 28, 28))
    monkeypatch.setenv(inception.ENV_VAR, str(tmp_path / "nope.pth"))
    with pytest.raises(inception.InceptionUnavailable, match="no file there"):
        inception.weights_path()
