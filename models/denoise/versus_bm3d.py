"""The photo network against BM3D on the held-out photos, per photo and noise level (issue "against BM3D").

Same held-out photos and the same fixed noise as :func:`models.denoise.evaluate.evaluate_photos`; the result is
what the model card's BM3D table and the page's verdict print. Run it with
``python -m models.denoise.versus_bm3d [--sigmas 15 25 50] [--json out.json]``.
"""

from __future__ import annotations

import argparse
import json
import sys
import time

import numpy as np

from .config import DNCNN_CONFIG
from .evaluate import heldout_photos
from .metrics import psnr
from .noise import add_gaussian

SIGMAS_255 = (15.0, 25.0, 50.0)


def compare(model, sigma_255: float, seed: int = 1234) -> dict:
    """{"sigma_255", "per_photo": [{"name", "colour", "dncnn", "bm3d"}], "mean_dncnn", "mean_bm3d", "wins",
    "n"}: PSNR in dB of the network and of BM3D on each held-out photo at noise std sigma_255 / 255."""
    from .bm3d_baseline import bm3d_denoise
    from .dncnn import denoise_array

    sigma = sigma_255 / 255.0
    rows = []
    for k, (name, x0) in enumerate(heldout_photos(DNCNN_CONFIG)):
        y = add_gaussian(x0, sigma, np.random.default_rng(seed + k))
        rows.append({"name": name, "colour": bool(x0.ndim == 3),
                     "dncnn": round(psnr(denoise_array(model, y, sigma), x0), 4),
                     "bm3d": round(psnr(bm3d_denoise(y, sigma), x0), 4)})
    wins = sum(r["dncnn"] > r["bm3d"] for r in rows)
    return {"sigma_255": sigma_255, "per_photo": rows, "n": len(rows), "wins": wins,
            "mean_dncnn": round(float(np.mean([r["dncnn"] for r in rows])), 4),
            "mean_bm3d": round(float(np.mean([r["bm3d"] for r in rows])), 4)}


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(description=__doc__.split("\n\n")[0])
    ap.add_argument("--sigmas", type=float, nargs="+", default=list(SIGMAS_255))
    ap.add_argument("--json", help="write the results here (default: pretrained/denoise_vs_bm3d.json, which the "
                                   "model card reads)")
    args = ap.parse_args(argv)
    from .nets import load_dncnn

    model = load_dncnn().model
    out = []
    for s in args.sigmas:
        t0 = time.perf_counter()
        res = compare(model, s)
        res["seconds"] = round(time.perf_counter() - t0, 1)
        out.append(res)
        print(f"sigma {s:g}: network {res['mean_dncnn']:.2f} dB, BM3D {res['mean_bm3d']:.2f} dB, network wins "
              f"{res['wins']} of {res['n']} photos ({res['seconds']} s)", flush=True)
    from ..data import pretrained_dir
    from .bm3d_card import RESULTS

    with open(args.json or pretrained_dir() / RESULTS, "w") as f:
        json.dump(out, f, indent=1)
    return 0


if __name__ == "__main__":
    sys.exit(main())
