"""Hostile input, measured: the corpus of bad files plus random and mutated images through every upload path.

Each input goes through the decoder (``models.imageio.decode_uploads``) and then through what each page
does with a decoded image: the denoise page's digit view, the DDPM page's model input, the FID page's
image set. Counted: inputs tried, refused with a message, decoded, unhandled exceptions (goal 0); peak
traced memory (numpy and Python objects) and time per input.
"""

from __future__ import annotations

import io
import time
import tracemalloc
import warnings

import numpy as np

from .stats import row


def _seeds() -> list[bytes]:
    from PIL import Image

    x = np.linspace(0, 255, 40, dtype=np.uint8)
    img = Image.fromarray(np.stack([np.tile(x, (30, 1)), np.tile(x[::-1], (30, 1)), np.full((30, 40), 77, np.uint8)], -1))
    out = []
    for fmt in ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP"):
        buf = io.BytesIO()
        img.save(buf, format=fmt)
        out.append(buf.getvalue())
    return out


def _inputs(n_random: int, n_mutated: int, small: bool) -> list[tuple[str, str, bytes]]:
    """(kind, name, bytes): the corpus, random byte strings, and real images with bytes flipped and cut."""
    from tests.hostile import corpus

    rng = np.random.default_rng(0)
    out = [("corpus", c.name, c.data) for c in corpus(small)]
    for i in range(n_random):
        out.append(("random", f"random-{i}.png", rng.integers(0, 256, int(rng.integers(0, 4096)), np.uint8).tobytes()))
    seeds = _seeds()
    for i in range(n_mutated):
        data = bytearray(seeds[i % len(seeds)])
        for _ in range(int(rng.integers(1, 12))):
            data[int(rng.integers(0, len(data)))] = int(rng.integers(0, 256))
        data = data[: max(1, len(data) - int(rng.integers(0, len(data) // 2 + 1)))]
        out.append(("mutated", f"mutant-{i}.img", bytes(data)))
    return out


def _through_every_path(name: str, data: bytes) -> tuple[int, int]:
    """(images decoded, problems reported); raises whatever escapes any step."""
    from models.denoise.pipeline import to_digit
    from models.diffusion.images import to_model_input
    from models.fid.imagesets import from_uploads
    from models.imageio import decode_uploads

    images, problems = decode_uploads([(name, data)])
    for im in images[:5]:
        to_digit(im.array)
        to_model_input(im.array, 28)
    from_uploads([(name, data)])
    return len(images), len(problems)


def rows(quick: bool) -> list[dict]:
    inputs = _inputs(50 if quick else 500, 100 if quick else 1500, small=True)
    refused = decoded = 0
    crashes: list[str] = []
    tracemalloc.start()
    t0 = time.perf_counter()
    warnings.simplefilter("ignore")  # PIL warns about every broken TIFF tag and EXIF block
    for kind, name, data in inputs:
        try:
            n_img, n_prob = _through_every_path(name, data)
            decoded += n_img > 0
            refused += n_img == 0 and n_prob > 0
        except Exception as exc:  # noqa: BLE001 - this is what we count
            crashes.append(f"{kind} {name}: {type(exc).__name__}: {str(exc)[:80]}")
    seconds = time.perf_counter() - t0
    _, peak = tracemalloc.get_traced_memory()
    tracemalloc.stop()
    n = len(inputs)
    note = (f"{n} inputs: the {sum(k == 'corpus' for k, _, _ in inputs)}-file hostile corpus (tests/hostile.py), "
            f"{sum(k == 'random' for k, _, _ in inputs)} random byte strings, "
            f"{sum(k == 'mutated' for k, _, _ in inputs)} mutated PNG/JPEG/GIF/BMP/TIFF/WebP; "
            f"{refused} refused with a message, {decoded} decoded")
    return [
        row("hostile", "inputs tried on every upload path", float(n), "inputs", note=note),
        row("hostile", "unhandled exceptions", float(len(crashes)), "count", goal="0",
            note="; ".join(crashes[:3]) or "none: every input was decoded or refused with a message"),
        row("hostile", "peak traced memory over the whole run", peak / 2**20, "MiB", goal="bounded",
            note="a 100-megapixel PNG and a 60 MiB zip bomb are among the inputs; neither is expanded"),
        row("hostile", "time per input (decode + every page's preprocessing)", 1000 * seconds / n, "ms"),
    ]
