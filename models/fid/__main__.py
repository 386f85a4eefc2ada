"""Command: ``python -m models.fid PATH_A PATH_B [--features inception|mnist|pixels] [--batch-size N]
[--device D] [--save-stats OUT.npz] [--metrics fid,kid,prdc] [--k 5] [--json]``.

A PATH is a folder of images (read recursively), a .zip of images, or an .npz of saved statistics
(pytorch-fid's layout: arrays mu and sigma). Prints problems and notes to stderr and the FID on the last
line of stdout (with ``--json``, the last line is one JSON object instead, with the keys asked for among
``fid``, ``kid``, ``kid_std``, ``precision``, ``recall``, ``density``, ``coverage``, and ``k``, ``n_a``, ``n_b``).
PATH_A is the real set and PATH_B the generated one (precision and recall swap otherwise). KID and the
precision/recall family need the images' features, which saved .npz statistics do not hold.
With --save-stats, the statistics of PATH_A are written to OUT.npz (PATH_B may be
omitted then). Like pytorch-fid, the Inception weights are downloaded on first use (91 MB, into the torch
hub cache); offline, copy the file there or point GENLAB_INCEPTION_WEIGHTS at it.
"""

from __future__ import annotations

import argparse
import os
import sys

import numpy as np

from .extractors import EXTRACTORS, INFO, extract
from .frechet import frechet_terms
from .imagesets import iter_path, path_kind
from .inception import ENV_VAR, InceptionUnavailable, download_weights, hub_path, weights_path
from .stats import FeatureStats, feature_stats, load_stats, save_stats


METRICS = ("fid", "kid", "prdc")


def parse_metrics(text: str) -> list[str]:
    """``fid,kid,prdc`` -> the list, or ValueError naming what is not a metric."""
    asked = [m.strip().lower() for m in text.split(",") if m.strip()]
    bad = [m for m in asked if m not in METRICS]
    if bad or not asked:
        raise ValueError(f"--metrics takes a comma-separated list of {', '.join(METRICS)}; got {text!r}.")
    return asked


def stats_of(path: str, features: str, batch_size: int, device) -> FeatureStats:
    """Statistics of a folder / zip (features extracted chunk by chunk) or read from an .npz."""
    if path_kind(path) == "npz":
        return load_stats(path)
    return feature_stats(features_of(path, features, batch_size, device))


def features_of(path: str, features: str, batch_size: int, device) -> np.ndarray:
    """The (N, d) features of a folder or zip of images (problems and notes go to stderr)."""
    feats, shapes = [], set()
    for images, problems, notes in iter_path(path):
        for msg in problems + notes:
            print(f"{path}: {msg}", file=sys.stderr)
        if not images:
            continue
        if features == "pixels":
            shapes |= {a.shape[:2] for a in images}
            if len(shapes) > 1:
                raise ValueError(f"{path}: raw-pixel features need one image size; found "
                                 f"{', '.join(f'{w}x{h}' for h, w in sorted(shapes))}.")
        feats.append(extract(features, images, device=device, batch_size=batch_size).features)
    if not feats:
        raise ValueError(f"{path}: no image could be read.")
    x = np.concatenate(feats)
    print(f"{path}: {x.shape[0]} images, {x.shape[1]} features", file=sys.stderr)
    return x


def ensure_inception_weights() -> None:
    """As pytorch-fid does: on first use, download the FID Inception weights (91 MB) into the torch hub cache,
    with progress on stderr. Offline, the InceptionUnavailable message says how to provide the file."""
    try:
        weights_path()
        return
    except InceptionUnavailable as exc:
        if "pytorch-fid package" in str(exc) or os.environ.get(ENV_VAR):
            raise  # not a missing download: say what is wrong
    print(f"Downloading the FID Inception weights (91 MB, once) to {hub_path()}...", file=sys.stderr)
    shown = [-1]

    def progress(done: int, total: int) -> None:
        pct = int(100 * done / total) if total else -1
        if pct // 10 != shown[0] // 10:
            shown[0] = pct
            print(f"  {done / 2**20:.0f} MB" + (f" of {total / 2**20:.0f} MB ({pct}%)" if total else ""), file=sys.stderr)

    download_weights(progress)


def main(argv: list[str] | None = None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.fid", description=__doc__.split("\n\n")[1])
    ap.add_argument("paths", nargs="+", metavar="PATH", help="folder of images, .zip of images, or .npz stats")
    ap.add_argument("--features", choices=EXTRACTORS, default="inception",
                    help="inception (FID standard, needs its weights), mnist (GenLab's classifier), pixels")
    ap.add_argument("--batch-size", type=int, default=50)
    ap.add_argument("--device", default=None, help="cpu, cuda, cuda:1, mps (default: the best available)")
    ap.add_argument("--save-stats", metavar="OUT.npz", help="write PATH_A's statistics (mu, sigma) here")
    ap.add_argument("--metrics", default="fid", help="comma-separated: fid, kid, prdc (precision, recall, density, "
                                                     "coverage); default fid")
    ap.add_argument("--k", type=int, default=5, help="the k-th nearest neighbour of PRDC's balls (default 5)")
    ap.add_argument("--json", action="store_true", help="print one JSON object as the last line of stdout")
    args = ap.parse_args(argv)
    try:
        metrics = parse_metrics(args.metrics)
    except ValueError as exc:
        ap.error(str(exc))
    if args.k < 1:
        ap.error("--k must be at least 1.")
    if len(args.paths) > 2 or (len(args.paths) == 1 and not args.save_stats):
        ap.error("give two paths (or one path with --save-stats).")
    if args.batch_size < 1:
        ap.error("--batch-size must be at least 1.")
    try:
        from ..device import pick_device

        device = pick_device(args.device)
        if args.features != "inception":
            print(f"note: {INFO[args.features].note}", file=sys.stderr)
        elif any(path_kind(p) != "npz" for p in args.paths):
            ensure_inception_weights()
        need_samples = [m for m in metrics if m != "fid"]
        npz = [p for p in args.paths if path_kind(p) == "npz"]
        if need_samples and npz:
            raise ValueError(f"{npz[0]} holds saved statistics (a mean and a covariance), not feature vectors: "
                             f"{' and '.join(need_samples).upper()} need the images themselves. Give a folder or "
                             f"a zip of images, or ask only for --metrics fid.")
        feats = [None if path_kind(p) == "npz" else features_of(p, args.features, args.batch_size, device)
                 for p in args.paths]
        s1 = load_stats(args.paths[0]) if feats[0] is None else feature_stats(feats[0])
        if args.save_stats:
            save_stats(args.save_stats, s1)
            print(f"statistics of {args.paths[0]} written to {args.save_stats}", file=sys.stderr)
            if len(args.paths) == 1:
                return 0
        out: dict = {}
        if "fid" in metrics:
            s2 = load_stats(args.paths[1]) if feats[1] is None else feature_stats(feats[1])
            t = frechet_terms(s1.mu, s1.sigma, s2.mu, s2.sigma)
            print(f"mean term ||mu1 - mu2||^2 = {t.mean_term:.6f}; trace term = {t.trace_term:.6f}; d = {t.d}",
                  file=sys.stderr)
            out["fid"] = t.fid
        if "kid" in metrics:
            from .extractors import MNIST_FEATURE_RMS
            from .kid import kernel_inception_distance, kid_warnings

            scale = MNIST_FEATURE_RMS if args.features == "mnist" else 1.0  # as the page: see extractors.py
            kd = kernel_inception_distance(feats[0] / scale, feats[1] / scale)
            for w in kid_warnings(kd):
                print(f"note: {w}", file=sys.stderr)
            out["kid"], out["kid_std"] = kd.mean, kd.std
        if "prdc" in metrics:
            from .prdc import prdc

            r = prdc(feats[0], feats[1], k=args.k)
            out.update(precision=r.precision, recall=r.recall, density=r.density, coverage=r.coverage)
    except (ValueError, InceptionUnavailable, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    n_a = int(feats[0].shape[0]) if feats[0] is not None else None
    n_b = int(feats[1].shape[0]) if feats[1] is not None else None
    if args.json:
        import json

        print(json.dumps({**out, "k": args.k, "n_a": n_a, "n_b": n_b}))
        return 0
    for key, value in out.items():
        label = {"fid": "FID", "kid": "KID", "kid_std": "KID std"}.get(key, key)
        print(f"{label}: {value}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
