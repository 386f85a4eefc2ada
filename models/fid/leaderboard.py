"""The course's "autoencoders vs GANs vs diffusion" table, measured: FID, KID and sampling time."""

from __future__ import annotations

from typing import Iterator

from .comparison import compare
from .extractors import extract
from .generators import available, generate
from .imagesets import from_dataset


def leaderboard(dataset: str, n: int, extractor: str = "mnist", seed: int = 0,
                device=None) -> Iterator[dict]:
    """Yield one row per contender, compared with n held-out real images (the "test" split).

    The first row is real training images against the held-out ones: the floor that FID reaches with
    this N (not 0, because of the finite-sample bias). Then each available generator.

    Yields:
        dicts with keys model, family, FID, KID, KID std, precision, recall, density, coverage (k = 5, real
        held-out images as set A), seconds (sampling n images), images/s.
    """
    real = extract(extractor, from_dataset(dataset, "test", n, seed).images, device=device)
    train = from_dataset(dataset, "train", n, seed + 1)
    fake = extract(extractor, train.images, device=device)
    c = compare(real, fake, seed=seed)
    yield {"model": "Real training images", "family": "real", "FID": c.fid, "KID": c.kid.mean,
           "KID std": c.kid.std, **_prdc(real, fake), "seconds": 0.0, "images/s": float("nan")}
    for spec in available(dataset):
        out = generate(spec.key, dataset, n, seed)
        fake = extract(extractor, out.x0, device=device)
        c = compare(real, fake, seed=seed)
        yield {"model": spec.label, "family": spec.group, "FID": c.fid, "KID": c.kid.mean, "KID std": c.kid.std,
               **_prdc(real, fake), "seconds": out.seconds, "images/s": n / max(out.seconds, 1e-9)}


def _prdc(real, fake) -> dict:
    """Precision, recall, density, coverage of a contender (fake) against the held-out images (real)."""
    from .prdc import prdc

    r = prdc(real.features, fake.features)
    return {"precision": r.precision, "recall": r.recall, "density": r.density, "coverage": r.coverage}
