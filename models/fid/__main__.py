"""Command: ``python -m models.fid PATH_A PATH_B [--features inception|mnist|pixels] [--batch-size N]
[--device D] [--save-stats OUT.npz]``.

A PATH is a folder of images (read recursively), a .zip of images, or an .npz of saved statistics
(pytorch-fid's layout: arrays mu and sigma). Prints problems and notes to stderr and the FID on the last
line of stdout. With --save-stats, the statistics of PATH_A are written to OUT.npz (PATH_B may be
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


def stats_of(path: str, features: str, batch_size: int, device) -> FeatureStats:
    """Statistics of a folder / zip (features extracted chunk by chunk) or read from an .npz."""
    if path_kind(path) == "npz":
        return load_stats(path)
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
    return feature_stats(x)


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
    args = ap.parse_args(argv)
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
        s1 = stats_of(args.paths[0], args.features, args.batch_size, device)
        if args.save_stats:
            save_stats(args.save_stats, s1)
            print(f"statistics of {args.paths[0]} written to {args.save_stats}", file=sys.stderr)
            if len(args.paths) == 1:
                return 0
        s2 = stats_of(args.paths[1], args.features, args.batch_size, device)
        t = frechet_terms(s1.mu, s1.sigma, s2.mu, s2.sigma)
    except (ValueError, InceptionUnavailable, OSError, RuntimeError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return 2
    print(f"mean term ||mu1 - mu2||^2 = {t.mean_term:.6f}; trace term = {t.trace_term:.6f}; d = {t.d}",
          file=sys.stderr)
    print(f"FID: {t.fid}")
    return 0


if __name__ == "__main__":
    sys.exit(main())
