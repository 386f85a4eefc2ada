"""Train the shipped MNIST flow-matching U-Net: ``python -m models.flow.images.train [--device cpu]``.

The training is a run of the run layer (family ``flow_images``) with resumable checkpoints in
``<runs dir>/flow_images-<job digest>.pt`` (every 30 s, on stop and at the end): run the command again after
a crash or Ctrl-C and it continues from the last checkpoint. At the end the EMA weights go to
``pretrained/`` (named by the config, as every shipped model) and ``--card`` measures and writes
``pretrained/flow_mnist.md``.
"""

from __future__ import annotations

import argparse
import time

from ...checkpoints import save_checkpoint, weight_paths
from ...runs.checkpoint import restore
from ...runs.pool import RunPool
from .config import ImageFlowConfig
from .trainer import flow_images_job


def main(argv=None) -> int:
    ap = argparse.ArgumentParser(prog="python -m models.flow.images.train", description=__doc__)
    ap.add_argument("--device", default="cpu")
    ap.add_argument("--card", action="store_true", help="only measure the shipped weights and write the card")
    args = ap.parse_args(argv)
    config = ImageFlowConfig()
    if not args.card:
        job = flow_images_job(config)
        run = RunPool(max_running=1).submit("train", job, max_steps=config.steps, resume=True, device=args.device)
        last = 0.0
        while not run.snapshot().finished:
            time.sleep(1)
            snap = run.snapshot()
            if time.monotonic() - last > 30:
                last = time.monotonic()
                loss = snap.latest.loss if snap.latest is not None else float("nan")
                print(f"step {snap.steps:,} of {config.steps:,}, loss {loss:.4f}, {snap.steps_per_s:.1f} steps/s "
                      f"(resumed from {run.resumed_from})", flush=True)
        snap = run.snapshot()
        if snap.status != "done":
            print(f"training ended: {snap.status} {snap.error or ''}")
            return 1
        trainer = restore(job, device="cpu")
        metrics = {"steps": trainer.step, "train_seconds": snap.elapsed_s,
                   "final_loss": float(sum(trainer.losses[-200:]) / 200),
                   "loss_history": trainer.losses[:: max(1, len(trainer.losses) // 500)],
                   "resumed_from": run.resumed_from or 0}
        path = save_checkpoint(weight_paths(config)[0], trainer.ema, config, metrics)
        print(f"wrote {path}")
    from .card import write_card

    print(f"wrote {write_card(config)}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
