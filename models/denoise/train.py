"""Train the denoising networks GenLab ships, write them to ``pretrained/`` with a model card.

Run: ``GENLAB_DATA_DIR=/path/to/data python -m models.denoise.train [--only dncnn|dae] [--card-only]``.

- the photo denoiser (:class:`DnCNNConfig`) on random crops of the Train400 photos (every 20th
  photo held out), saved atomically every few minutes so an interrupted run still leaves weights;
- the book's denoising autoencoders (:data:`DAE_CONFIGS`) on the 8,000-image MNIST training part.
Then evaluates everything on held-out data and writes ``pretrained/denoise.md``.
"""

from __future__ import annotations

import argparse
import time

import torch

from ..checkpoints import config_key, load_checkpoint, save_checkpoint, weight_paths
from .config import DAE_CONFIGS, DNCNN_CONFIG, DnCNNConfig
SAVE_EVERY_S = 180.0


def _log(msg: str) -> None:
    print(f"[{time.strftime('%H:%M:%S')}] {msg}", flush=True)


def train_dncnn(config: DnCNNConfig = DNCNN_CONFIG, threads: int = 1, device: str | None = None) -> dict:
    """Train the photo denoiser, checkpointing every few minutes; evaluate; save. Returns its metrics.

    A config with a parent starts from the parent's weights (trained first when missing).
    ``threads``: CPU threads for PyTorch (the result does not depend on it beyond float rounding).
    ``device``: ``cpu``, ``cuda``, ... (None: ``GENLAB_DEVICE`` or the best one present).
    """
    from ..device import pick_device
    from . import dncnn

    torch.set_num_threads(threads)
    device = pick_device(device)
    _log(f"training {config_key(config)} on {device}")
    model = dncnn.build(config).to(device)
    path = weight_paths(config)[0]
    last_save = time.perf_counter()
    losses: list[float] = []

    def on_step(step: int, total: int, logs: dict) -> None:
        nonlocal last_save
        losses.append(logs["loss"])
        if step % 100 == 0:
            recent = sum(losses[-100:]) / len(losses[-100:])
            _log(f"dncnn step {step}/{total} loss {recent:.6f} lr {logs['lr']:.2e}")
        if time.perf_counter() - last_save > SAVE_EVERY_S:
            save_checkpoint(path, model, config, {"partial": True, "steps": step})
            last_save = time.perf_counter()

    metrics = dncnn.fit(model, config, device, on_step)
    metrics["threads"] = threads
    save_checkpoint(path, model, config, {"partial": True, **metrics})
    _log(f"dncnn trained: {metrics}; evaluating on held-out photos")
    from .evaluate import evaluate_photos

    metrics.update(evaluate_photos(model, config))
    save_checkpoint(path, model, config, metrics)
    _log(f"dncnn saved to {path} with {metrics}")
    return metrics


def train_daes(configs=DAE_CONFIGS) -> None:
    """Train each denoising autoencoder on MNIST's training part, evaluate on the held-out part, save."""
    from . import dae
    from .dae_eval import evaluate_dae

    torch.set_num_threads(1)
    device = torch.device("cpu")
    for config in configs:
        model = dae.build(config).to(device)
        start = time.perf_counter()
        metrics = dae.fit(model, config, device, None)
        metrics["train_seconds"] = round(time.perf_counter() - start, 1)
        metrics.update(evaluate_dae(model, config))
        save_checkpoint(weight_paths(config)[0], model, config, metrics)
        _log(f"dae {config.kind}/{config.noise}: {metrics}")


def reevaluate_dncnn(config: DnCNNConfig = DNCNN_CONFIG) -> dict:
    """Recompute the held-out metrics of a photo denoiser's weights (after a crash in evaluation, or when
    the held-out photos changed)."""
    from . import dncnn
    from .evaluate import evaluate_photos

    path = weight_paths(config)[0]
    payload = load_checkpoint(path, config)
    model = dncnn.build(config)
    model.load_state_dict(payload["state_dict"])
    metrics = {k: v for k, v in payload["metrics"].items()
               if k in ("steps", "train_seconds", "final_loss", "partial", "threads")}
    if "train_seconds" in metrics:  # saved when training ended, just before the evaluation: not partial
        metrics.pop("partial", None)
    metrics["planned_steps"] = config.steps
    metrics.update(evaluate_photos(model.eval(), config))
    save_checkpoint(path, model, config, metrics)
    return metrics


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("--only", choices=("dncnn", "dae"), help="train only this family part")
    parser.add_argument("--card-only", action="store_true", help="only rewrite pretrained/denoise.md")
    parser.add_argument("--reevaluate", action="store_true",
                        help="re-run the held-out evaluation only: of the photo denoiser (every training stage), "
                             "or with --only dae of the digit autoencoders")
    parser.add_argument("--threads", type=int, default=1, help="CPU threads for the photo denoiser's training")
    parser.add_argument("--device", help="where the photo denoiser trains: cpu, cuda, ... (default: the best present)")
    args = parser.parse_args(argv)
    if args.reevaluate and args.only == "dae":
        from .dae_eval import reevaluate_daes

        for metrics in reevaluate_daes(DAE_CONFIGS):
            _log(f"re-evaluated dae {metrics['noise']}: {metrics}")
    elif args.reevaluate:
        stage = DNCNN_CONFIG
        while stage is not None:  # every stage, so that the card compares them on the same photos
            _log(f"re-evaluated {config_key(stage)}: {reevaluate_dncnn(stage)}")
            stage = stage.parent
    elif not args.card_only:
        if args.only in (None, "dncnn"):
            train_dncnn(threads=args.threads, device=args.device)
        if args.only in (None, "dae"):
            train_daes()
    from .card import write_card

    _log(f"model card written to {write_card(DNCNN_CONFIG, DAE_CONFIGS)}")


if __name__ == "__main__":
    main()
