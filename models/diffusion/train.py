"""Train the shipped diffusion U-Nets and write their model card.

    GENLAB_DATA_DIR=/work/shared/data python -m models.diffusion.train [--datasets mnist digits]
        [--max-minutes 75] [--eval-only] [--n-eval 1000]

Each dataset's default config (:func:`models.diffusion.config.default_config`) is trained on the train
split, with an atomic checkpoint every few minutes (a crash loses little; a rerun resumes from the
resume file in the user cache) and a wall-clock cap. The EMA weights go to ``pretrained/`` and the card
``pretrained/diffusion.md`` records data, steps, time and sample-quality metrics on the held-out split.
"""

from __future__ import annotations

import argparse
import io
import time
from pathlib import Path

import torch

from ..checkpoints import atomic_write_bytes, config_key, weight_paths
from .store import save_weights as save_checkpoint
from ..data import load_images
from ..data.paths import cache_dir
from .config import DiffusionConfig, default_config
from .training import build, heldout_loss, train_steps

SAVE_EVERY_S = 180


def _resume_path(config: DiffusionConfig) -> Path:
    return cache_dir() / "diffusion-resume" / f"{config_key(config)}.pt"


def _save_resume(config, state, wall_s: float) -> None:
    buf = io.BytesIO()
    torch.save({"model": state.model.state_dict(), "ema": state.ema.state_dict(),
                "opt": state.optimizer.state_dict(), "step": state.step, "losses": state.losses,
                "wall_s": wall_s}, buf)
    atomic_write_bytes(_resume_path(config), buf.getvalue())


def train_one(config: DiffusionConfig, max_minutes: float, log=print) -> dict:
    """Train ``config`` (resuming when a resume file exists) and write its weights; returns the metrics."""
    torch.set_num_threads(1)
    device = torch.device("cpu")
    data = load_images(config.dataset, "train")
    model = build(config)
    ema = build(config)
    opt = torch.optim.Adam(model.parameters(), lr=config.lr)
    start, losses, wall0 = 0, [], 0.0
    rp = _resume_path(config)
    if rp.is_file():
        saved = torch.load(rp, map_location="cpu", weights_only=True)
        model.load_state_dict(saved["model"]), ema.load_state_dict(saved["ema"]), opt.load_state_dict(saved["opt"])
        start, losses, wall0 = saved["step"], list(saved["losses"]), saved["wall_s"]
        log(f"resuming {config_key(config)} at step {start} ({wall0 / 60:.1f} min done)")
    log(f"training {config_key(config)} on {len(data)} {config.dataset} train images: {config}")
    t0, last_save, state = time.perf_counter(), time.perf_counter(), None
    capped = False
    for state in train_steps(model, config, data.x, device, start, ema, opt):
        state.losses[:0] = losses if state.step == start + 1 else []
        wall = wall0 + time.perf_counter() - t0
        if state.step % 50 == 0:
            recent = state.losses[-50:]
            log(f"step {state.step}/{config.steps} loss {sum(recent) / len(recent):.4f} {wall / 60:.1f} min")
        if time.perf_counter() - last_save > SAVE_EVERY_S:
            _save_resume(config, state, wall)
            _write_weights(config, state, wall, partial=True)
            last_save = time.perf_counter()
        if wall > max_minutes * 60:
            capped = True
            log(f"wall-clock cap of {max_minutes} min reached at step {state.step}")
            break
    wall = wall0 + time.perf_counter() - t0
    _save_resume(config, state, wall)
    metrics = _write_weights(config, state, wall, partial=capped)
    x_test = load_images(config.dataset, "test").x
    # 1,000 held-out images x 5 values of t keep this cheap on a busy CPU; the card says so
    metrics["heldout_loss"] = heldout_loss(state.ema, config, x_test[:1000], device, n_t=5)
    save_checkpoint(weight_paths(config)[0], state.ema, config, metrics)
    log(f"saved {weight_paths(config)[0].name}: {metrics}")
    return metrics


def _write_weights(config, state, wall: float, partial: bool) -> dict:
    recent = state.losses[-200:]
    metrics = {"steps": state.step, "planned_steps": config.steps, "wall_s": round(wall, 1),
               "final_loss": sum(recent) / len(recent), "partial": partial,
               "n_train": len(load_images(config.dataset, "train"))}
    save_checkpoint(weight_paths(config)[0], state.ema, config, metrics)
    return metrics


def main(argv: list[str] | None = None) -> None:
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--datasets", nargs="+", default=["mnist", "digits"], choices=["mnist", "digits"])
    ap.add_argument("--max-minutes", type=float, default=75.0, help="wall-clock cap per dataset")
    ap.add_argument("--eval-only", action="store_true", help="skip training; evaluate the shipped weights")
    ap.add_argument("--n-eval", type=int, default=1000, help="DDIM-50 samples scored by the classifier")
    args = ap.parse_args(argv)
    for ds in args.datasets:
        config = default_config(ds)
        if not args.eval_only:
            train_one(config, args.max_minutes)
        from .evaluate import evaluate_and_store

        evaluate_and_store(config, args.n_eval, log=print)
    from .card import write_card

    print(f"wrote {write_card()}")


if __name__ == "__main__":
    main()
