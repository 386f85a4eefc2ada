"""Command line: ``python -m models.denoise IN... -o OUT [--sigma S] [--model M]``.

Denoises image files (or zips of them) and writes ``<name>_denoised.png`` files into the folder OUT
(or to the file OUT when it ends in .png and there is one input image). ``--sigma`` is the noise level
of the inputs on the 0-255 scale; without it, it is estimated from each image. Exit status: 0 when
every input was written, 1 when some could not be read (the others are still written), 2 on bad usage.
"""

from __future__ import annotations

import argparse
import sys
import time
from pathlib import Path

MODELS = ("dncnn", "dncnn_x8", "bm3d", "nlm", "blur", "median", "dae_conv", "dae_dense")


def parse_args(argv: list[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(prog="python -m models.denoise", description="Denoise image files.")
    parser.add_argument("inputs", nargs="+", metavar="IN", help="image files (PNG, JPEG, WebP, BMP, TIFF, GIF) or zips")
    parser.add_argument("-o", "--output", required=True, metavar="OUT", help="output folder (or .png file for one image)")
    parser.add_argument("--sigma", type=float, default=None,
                        help="noise std of the inputs on the 0-255 scale (default: estimated per image)")
    parser.add_argument("--model", choices=MODELS, default="dncnn",
                        help="denoiser (dncnn: the photo network; dncnn_x8: its mean over 8 flips and rotations, "
                             "8x slower; bm3d: the classical baseline, slow; dae_*: 28x28 digits only)")
    parser.add_argument("--device", default=None, help="cpu, cuda, mps (default: the best available)")
    args = parser.parse_args(argv)
    if args.sigma is not None and not 0 <= args.sigma <= 255:
        parser.error(f"--sigma {args.sigma:g} is outside [0, 255]; it is the noise std on the 0-255 scale (e.g. 25).")
    return args


def load_nets(model: str, device):
    """Load only the network the chosen denoiser needs (shipped weights; trains only if they are missing)."""
    from ..checkpoints import load_or_train
    from . import dae, dncnn
    from .config import DNCNN_CONFIG, dae_config
    from .pipeline import Nets

    if model.startswith("dncnn"):
        return Nets(dncnn=load_or_train(DNCNN_CONFIG, dncnn.build, dncnn.fit, device=device).model)
    if model.startswith("dae_"):
        kind = model.split("_")[1]
        return Nets(dae={kind: load_or_train(dae_config(kind, "gaussian"), dae.build, dae.fit, device=device).model})
    return Nets()


def main(argv: list[str] | None = None) -> int:
    args = parse_args(argv)
    from ..device import pick_device
    from ..imageio import decode_uploads
    from .classical import estimate_noise_sigma
    from .export import output_name, png_bytes, unique_names
    from .pipeline import run_denoiser, to_digit

    uploads, problems = [], []
    for path in map(Path, args.inputs):
        try:
            uploads.append((path.name, path.read_bytes()))
        except OSError as exc:
            problems.append(f"{path}: cannot be read ({exc.strerror or exc}).")
    images, decode_problems = decode_uploads(uploads)
    problems += decode_problems
    out = Path(args.output)
    single_file = out.suffix.lower() == ".png"
    if single_file and len(images) > 1:
        print(f"error: {len(images)} images but OUT ({out}) is a single .png file; give a folder.", file=sys.stderr)
        return 2
    nets = load_nets(args.model, pick_device(args.device)) if images else None
    names = unique_names([output_name(im.name) for im in images])
    for im, name in zip(images, names):
        y = im.array if im.array.shape[2] == 3 else im.array[..., 0]  # (H, W, 3) or (H, W)
        if args.model.startswith("dae_"):
            y, _ = to_digit(y)
        sigma = args.sigma / 255.0 if args.sigma is not None else estimate_noise_sigma(y)
        start = time.perf_counter()
        result, note = run_denoiser(args.model, y, sigma, nets, page_limits=False)
        if result is None:
            problems.append(f"{im.name}: {note}")
            continue
        target = out if single_file else out / name
        target.parent.mkdir(parents=True, exist_ok=True)
        target.write_bytes(png_bytes(result))
        how = "given" if args.sigma is not None else "estimated"
        print(f"{im.name} -> {target} ({im.size[0]}x{im.size[1]}, sigma {sigma * 255:.1f} {how}, "
              f"{args.model}, {time.perf_counter() - start:.2f} s)")
    for problem in problems:
        print(f"skipped: {problem}", file=sys.stderr)
    return 1 if problems else 0


if __name__ == "__main__":
    sys.exit(main())
