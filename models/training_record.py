"""How a model was trained, as typed fields: one name per quantity, whatever the checkpoint called it.

Checkpoints written over GenLab's history store their metrics as dicts, and the families named the
training time four ways (``train_seconds``, ``train_time_s``, ``wall_s``, ``seconds``). Pages read the
time, steps and final loss through :func:`training_record` (``Loaded.training``), never by those keys.
"""

from __future__ import annotations

from dataclasses import dataclass

SECONDS_KEYS = ("train_seconds", "train_time_s", "wall_s", "seconds")  # what checkpoints call the training time
CURVE_KEYS = (("loss_steps", "loss_history"), ("hist_step", "hist_mse"))  # ... and the loss curve (steps, values)


@dataclass(frozen=True)
class TrainingRecord:
    """``steps`` optimiser steps, ``seconds`` of wall time, ``final_loss``, and ``curve``: the training loss
    as (steps, values); None where a checkpoint has none."""

    steps: int | None
    seconds: float | None
    final_loss: float | None
    curve: tuple[tuple[int, ...], tuple[float, ...]] | None = None


def training_record(metrics: dict) -> TrainingRecord:
    """The training record in a checkpoint's metrics dict."""
    seconds = next((float(metrics[k]) for k in SECONDS_KEYS if metrics.get(k) is not None), None)
    steps = metrics.get("steps")
    loss = metrics.get("final_loss")
    curve = next(((tuple(int(v) for v in metrics[x]), tuple(float(v) for v in metrics[y]))
                  for x, y in CURVE_KEYS if x in metrics and y in metrics), None)
    return TrainingRecord(int(steps) if steps is not None else None, seconds,
                          float(loss) if loss is not None else None, curve)
