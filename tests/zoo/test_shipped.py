"""The shipped weights: present for every MNIST variant, loadable for their config, small, with a card."""

import pytest

from models.checkpoints import load_checkpoint, weight_paths
from models.zoo.config import VARIANTS, anomaly_config, digits_config, mnist_config
from models.zoo.train import MNIST_ANOMALY_DIGITS
from models.zoo.variants import build

SHIPPED = ([mnist_config(v) for v in VARIANTS] + [anomaly_config("mnist", d) for d in MNIST_ANOMALY_DIGITS]
           + [anomaly_config("digits", d) for d in range(10)] + [digits_config("stacked")])


@pytest.mark.parametrize("config", SHIPPED, ids=lambda c: f"{c.dataset}-{c.variant}-{c.exclude_digit}")
def test_shipped_weights_load_into_their_network(config):
    path = weight_paths(config)[0]
    assert path.is_file(), f"{path.name} is missing: run `python -m models.zoo.train`"
    payload = load_checkpoint(path, config)
    build(config).load_state_dict(payload["state_dict"])


def test_shipped_weights_are_small_and_documented():
    total = sum(weight_paths(c)[0].stat().st_size for c in SHIPPED)
    assert total < 6_000_000, total
    card = (weight_paths(SHIPPED[0])[0].parent / "zoo.md").read_text()
    assert "held out" in card and "AUC" in card and "| 1% (80) |" in card


def test_sparse_mnist_weights_reach_their_target_activation():
    """Acceptance on MNIST: the KL-sparse autoencoder's mean coding activation (held-out) within 25% of rho."""
    config = mnist_config("sparse_kl")
    metrics = load_checkpoint(weight_paths(config)[0], config)["metrics"]
    assert abs(metrics["mean_activation"] - config.rho) <= 0.25 * config.rho
