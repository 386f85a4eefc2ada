"""The reduced load tests in CI: six browser sessions at once on one server, two of them training GANs
(every third session), the others moving latent sliders at the same time. Every session must open, every
slider move must bring a new image, and no page may show an exception. Latency is measured by
``python -m bench`` (``bench/load.py``, the same function), not asserted here."""

import pytest

from bench.load import run_load

pytestmark = [pytest.mark.slow, pytest.mark.browser]


def test_six_sessions_at_once_with_two_training(server):
    res = run_load(server, 6, moves_per_session=2, trainers_every=3)
    assert res["errors"] == []
    assert res["held"] == 6 and res["trainers"] == 2 and res["slider_sessions"] == 4
    assert res["moves"] == 8


def test_twelve_protocol_sessions_at_once_with_three_training(server):
    """The benchmark's class of 30 uses protocol sessions (bench/wsclient.py: Streamlit's websocket protocol
    without a browser). Twelve of them here: three train GANs, three open other pages (home, generative vs
    discriminative, PCA vs autoencoder), six move latent sliders; every move brings a new decoded image,
    every training run starts, and no session receives an exception."""
    from bench.load import run_ws_load

    res = run_ws_load(server, 12, moves_per_session=2, trainers_every=4, readers_every=4)
    assert res["errors"] == []
    assert res["held"] == 12 and res["trainers"] == 3 and res["readers"] == 3 and res["slider_sessions"] == 6
    assert res["moves"] == 12
