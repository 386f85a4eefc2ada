"""The reduced load test in CI: twelve sessions at once on one server, three of them training GANs, three
opening other pages, six moving latent sliders. Every session must open, every slider move must bring a new
image, and no session may receive an exception. Latency, and the same with real browser tabs, are measured
by ``python -m bench`` (``bench/load.py``, the same functions), not asserted here."""

import pytest

pytestmark = [pytest.mark.slow, pytest.mark.browser]


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
