"""FID benchmarks: the trace of the matrix square root vs scipy.linalg.sqrtm (accuracy and time), and
images per second of feature extraction per extractor next to pytorch-fid's pipeline on the same files."""

from __future__ import annotations

import os
import tempfile
import time
from pathlib import Path

import numpy as np

from .stats import per_round, repeat, row, summary


def _commuting_pair(d: int, seed: int = 0):
    """S1 = Q diag(a) Q^T, S2 = Q diag(b) Q^T with condition numbers 1e4: Tr sqrt(S1 S2) = sum sqrt(a b)."""
    from scipy.stats import ortho_group

    rng = np.random.default_rng(seed)
    q = ortho_group.rvs(d, random_state=seed)
    a = np.geomspace(1.0, 1e-4, d) * rng.uniform(0.5, 2, d)
    b = np.geomspace(1.0, 1e-4, d)[rng.permutation(d)] * rng.uniform(0.5, 2, d)
    return (q * a) @ q.T, (q * b) @ q.T, float(np.sqrt(a * b).sum())


def _sqrtm_trace(s1, s2) -> float:
    from scipy.linalg import sqrtm

    return float(np.real(np.trace(sqrtm(s1 @ s2))))


def _general_pair(d: int, seed: int = 1):
    """Two non-commuting covariances of 4,096 Gaussian feature vectors each (S1 S2 is not symmetric), and
    Tr sqrt(S1 S2) = sum sqrt(eig(S1^1/2 S2 S1^1/2)) by a float64 symmetric eigen-decomposition."""
    from scipy.linalg import eigh

    rng = np.random.default_rng(seed)
    a = rng.standard_normal((4096, d)) @ rng.standard_normal((d, d)) / np.sqrt(d)
    b = rng.standard_normal((4096, d)) * np.geomspace(2.0, 0.05, d)
    s1, s2 = np.cov(a, rowvar=False), np.cov(b, rowvar=False)
    w, v = eigh(s1)
    root = (v * np.sqrt(np.clip(w, 0, None))) @ v.T
    lam = eigh(root @ s2 @ root, eigvals_only=True)
    return s1, s2, float(np.sqrt(np.clip(lam, 0, None)).sum())


def _timed(fn, n: int) -> tuple[list[float], float]:
    """(seconds of each of n calls, the first call's value)."""
    times, value = [], None
    for _ in range(n):
        t0 = time.perf_counter()
        v = fn()
        times.append(time.perf_counter() - t0)
        value = v if value is None else value
    return times, value


def trace_rows(quick: bool) -> list[dict]:
    """Tr sqrt(S1 S2): the closed-form check on a commuting pair (d = 512) and the timed comparison on a
    general pair at d = 2048, the size of Inception features (quick: both at d = 128)."""
    from models.fid.frechet import trace_sqrt_product

    cases = ([(128, "commuting pair, closed form", _commuting_pair), (128, "general pair", _general_pair)] if quick
             else [(512, "commuting pair, closed form", _commuting_pair),
                   (2048, "general pair (real-like covariances)", _general_pair)])
    n = per_round(3, quick)
    out = []
    for d, label, make in cases:
        s1, s2, exact = make(d)
        times_ours, ours = _timed(lambda: trace_sqrt_product(s1, s2)[0], n)
        # sqrtm at d = 2048 takes 10-18 s a call: two calls in each of two rounds, one in each of three,
        # keep the area in its time budget
        times_ref, ref = _timed(lambda: _sqrtm_trace(s1, s2), per_round(2, quick, least=1) if d >= 2048 else n)
        ours_err, ref_err = abs(ours - exact) / exact, abs(ref - exact) / exact
        t_ours, note_ours = summary(times_ours)
        t_ref, note_ref = summary(times_ref)
        out.append(row("fid", f"Tr sqrt(S1 S2), d={d}, {label} (Cholesky + eigvalsh)", t_ours, "s",
                       anchor="scipy.linalg.sqrtm (pytorch-fid)", anchor_value=t_ref, ratio=t_ref / t_ours,
                       goal="speed-up >= 4x at equal accuracy" if d == 2048 else "",
                       note=f"relative error against the reference value: GenLab {ours_err:.1e}, sqrtm "
                            f"{ref_err:.1e}; GenLab {note_ours}; sqrtm {note_ref}"))
    return out


def leaderboard_rows(quick: bool) -> list[dict]:
    """The FID page's leaderboard, measured: real images and every generator against held-out digits."""
    if quick:
        return []
    from models.fid.leaderboard import leaderboard

    rows = []
    for r in leaderboard("digits", 250, "mnist", seed=0, device="cpu"):
        rows.append(row("fid", f"leaderboard, digits, N=250: {r['model']}", r["FID"], "FID",
                        note=f"{r['family']}; KID {r['KID']:.4f} ± {r['KID std']:.4f}; sampling "
                             f"{r['seconds']:.2f} s; digit-classifier features; one run (seed 0)"))
    return rows


def _png_folder(x, folder: Path) -> list[Path]:
    from PIL import Image

    folder.mkdir(parents=True, exist_ok=True)
    for i in range(x.shape[0]):
        Image.fromarray((x[i, 0].numpy() * 255).round().astype(np.uint8)).save(folder / f"{i:05d}.png")
    return sorted(folder.glob("*.png"))


def _ours(name: str, files: list[Path]):
    from models.fid.extractors import extract
    from models.imageio import decode_uploads

    decoded, _ = decode_uploads([(f.name, f.read_bytes()) for f in files], max_files=len(files))
    return extract(name, [d.array for d in decoded], device="cpu", batch_size=50).features


def extractor_rows(quick: bool) -> list[dict]:
    import torch

    from models.data import load_images
    from models.fid import inception

    torch.set_num_threads(max(1, min(4, os.cpu_count() or 1)))
    x = load_images("mnist", "test").x
    rows = []
    with tempfile.TemporaryDirectory() as tmp:
        n_small, n_big = (4, 100) if quick else (16, 1000)
        files_big = _png_folder(x[:n_big], Path(tmp) / "big")
        files_small = files_big[:n_small]
        for name in ("pixels", "mnist"):
            rate, note = summary([n_big / t for t in repeat(lambda: _ours(name, files_big), 1 if quick else 3)])
            rows.append(row("fid", f"feature extraction, {name}, {n_big} MNIST PNGs (decode included)",
                            rate, "images/s", goal="fast on CPU", note=f"images/s {note}"))
        weights_note = ""
        try:
            inception.weights_path()
        except inception.InceptionUnavailable:
            # Offline: the same architecture with random weights costs the same time per image.
            import torchvision

            path = Path(tmp) / "torch" / "hub" / "checkpoints" / inception.FILE_NAME
            path.parent.mkdir(parents=True)
            torch.save(torchvision.models.inception_v3(num_classes=1008, aux_logits=False, weights=None,
                                                       init_weights=False).state_dict(), path)
            os.environ["TORCH_HOME"] = str(Path(tmp) / "torch")
            os.environ[inception.ENV_VAR] = str(path)
            weights_note = "random weights (the FID weights are not on this machine); "
        from pytorch_fid.fid_score import get_activations
        from pytorch_fid.inception import InceptionV3

        ref_net = InceptionV3([3]).eval()
        reps = 1 if quick else 3
        rate, note = summary([n_small / t for t in repeat(lambda: _ours("inception", files_small), reps)])
        rate_ref, note_ref = summary([n_small / t for t in repeat(lambda: get_activations(
            files_small, ref_net, batch_size=50, dims=2048, device="cpu", num_workers=0), reps)])
        rows.append(row("fid", f"feature extraction, inception, {n_small} MNIST PNGs (decode included)",
                        rate, "images/s", anchor="pytorch-fid get_activations, same files",
                        anchor_value=rate_ref, ratio=rate / rate_ref, goal="same as pytorch-fid (same network)",
                        note=f"images/s GenLab {note}; pytorch-fid {note_ref}; {weights_note}"
                             f"{torch.get_num_threads()} threads"))
    return rows


def rows(quick: bool) -> list[dict]:
    """Speed rows (the leaderboard's FIDs are a separate run: ``python -c "import bench.fid as f;
    print(f.leaderboard_rows(False))"``, and on the FID page)."""
    return trace_rows(quick) + extractor_rows(quick)


if __name__ == "__main__":
    import sys

    from .__main__ import table

    t0 = time.perf_counter()
    print(table(rows("--quick" in sys.argv)))
    print(f"{time.perf_counter() - t0:.0f} s")
