"""The model card's "against BM3D" section, from ``pretrained/denoise_vs_bm3d.json``
(written by ``python -m models.denoise.versus_bm3d``)."""

from __future__ import annotations

import json

from ..data import pretrained_dir

RESULTS = "denoise_vs_bm3d.json"


def load_results() -> list[dict] | None:
    """The stored comparison (one dict per sigma), or None when it has not been run."""
    path = pretrained_dir() / RESULTS
    if not path.is_file():
        return None
    return json.loads(path.read_text())


def bm3d_section() -> list[str]:
    """Markdown lines: mean PSNR of the network and of BM3D at each sigma, wins, and every photo."""
    res = load_results()
    if not res:
        return ["## Against BM3D", "", "Not measured yet: run `python -m models.denoise.versus_bm3d`.", ""]
    lines = ["## Against BM3D", "",
             "The shipped photo network against BM3D (the authors' `bm3d` 4.0.3 package, CBM3D for colour, told "
             "the true sigma) on the same held-out photos with the same noise, by "
             "`python -m models.denoise.versus_bm3d` (PSNR in dB; a photo is won by the higher PSNR).", "",
             "| sigma | photos | network mean | BM3D mean | network wins |", "|---|---|---|---|---|"]
    lines += [f"| {r['sigma_255']:g} | {r['n']} | {r['mean_dncnn']:.2f} | {r['mean_bm3d']:.2f} | "
              f"{r['wins']} of {r['n']} |" for r in res]
    verdict = all(r["mean_dncnn"] > r["mean_bm3d"] for r in res)
    lines += ["", ("The network's mean is above BM3D's at every sigma measured." if verdict else
                   "The network does **not** beat BM3D on average at every sigma: beating it (issue 'The photo "
                   "denoiser against BM3D') needs a larger network trained far longer than 2 CPU cores allow."),
              "", "| photo | " + " | ".join(f"net / BM3D, sigma {r['sigma_255']:g}" for r in res) + " |",
              "|---|" + "---|" * len(res)]
    names = [p["name"] for p in res[0]["per_photo"]]
    for i, name in enumerate(names):
        cells = [f"{r['per_photo'][i]['dncnn']:.2f} / {r['per_photo'][i]['bm3d']:.2f}" for r in res]
        lines.append(f"| {name} | " + " | ".join(cells) + " |")
    return lines + [""]
