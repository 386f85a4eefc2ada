"""Latent explorer: decode latency (latent vector -> image), first-visit model loading, page script time."""

from __future__ import annotations

import time
from pathlib import Path

import torch

from .stats import percentile, repeat, row, summary

REPO = Path(__file__).resolve().parents[1]


def _decode_rows(quick: bool) -> list[dict]:
    from models.latent import explore

    out = []
    n = 30 if quick else 300
    for dataset in ("digits", "mnist"):
        for d in (2, 16):
            model = explore.load("vae", dataset, d, device=torch.device("cpu")).model
            z = [0.5] * d  # what the page passes: a list of slider values
            times = [t * 1000 for t in repeat(lambda: explore.decode(model, z), n, warmup=5)]
            _, note = summary(times)
            for q in (50, 95):
                out.append(row("latent", f"decode one z -> image, {dataset}, d={d}, p{q}", percentile(times, q),
                               "ms", goal="p95 ≤ 20 ms" if q == 95 else "", note=f"CPU, {note}"))
    return out


def _load_rows(quick: bool) -> list[dict]:
    from models.checkpoints import forget
    from models.latent import explore

    out = []
    for dataset in ("digits", "mnist"):
        def load_three():
            forget()
            for kind in ("ae", "vae", "aae"):
                assert explore.load(kind, dataset, 2, device=torch.device("cpu")).source == "pretrained"

        med, note = summary(repeat(load_three, 3 if quick else 7))
        out.append(row("latent", f"first visit: load AE + VAE + AAE shipped weights ({dataset}, d=2)", med, "s",
                       note=note + "; no training"))
    return out


def _page_rows(quick: bool) -> list[dict]:
    """The page script's first run in a fresh session (AppTest, caches cleared, models reloaded from disk)."""
    import streamlit as st
    from streamlit.testing.v1 import AppTest

    from models.checkpoints import forget

    times = []
    for _ in range(1 if quick else 3):
        st.cache_resource.clear()
        st.cache_data.clear()
        forget()
        at = AppTest.from_file(str(REPO / "app.py"), default_timeout=120)
        at.run()
        at.switch_page("pages/autoencoders/latent_explorer.py")
        t0 = time.perf_counter()
        at.run()
        times.append(time.perf_counter() - t0)
        assert not at.exception, at.exception
    med, note = summary(times)
    return [row("latent", "page ready after navigation (script run, shipped weights, digits)", med, "s",
                goal="≤ 2 s", note=note + "; AppTest, fresh caches; bench/app.py times it in Chromium")]


def rows(quick: bool) -> list[dict]:
    torch.set_num_threads(1)
    return _decode_rows(quick) + _load_rows(quick) + _page_rows(quick)
