"""Writing checkpoints whose stored config compares equal to the config after loading.

``models.checkpoints.save_checkpoint`` stores ``dataclasses.asdict(config)`` as is, so a tuple field
(``mults=(1, 2, 2)``) is stored as a tuple, while ``load_checkpoint`` compares it with the JSON form of the
config (a list) and rejects the file as "written for another configuration". Until that is fixed in the
shared module, this family stores the JSON form itself (same file name, same format otherwise).
"""

from __future__ import annotations

import dataclasses
import io
import json
from pathlib import Path
from typing import Any

import torch
from torch import nn

from ..checkpoints import FORMAT, atomic_write_bytes


def json_config(config: Any) -> dict:
    """asdict(config) as it reads back from JSON (tuples become lists)."""
    return json.loads(json.dumps(dataclasses.asdict(config), default=str))


def save_weights(path: str | Path, model: nn.Module, config: Any, metrics: dict | None = None) -> Path:
    """Atomically write ``{format, config_class, config (JSON form), state_dict, metrics}`` to ``path``."""
    payload = {"format": FORMAT, "config_class": type(config).__name__, "config": json_config(config),
               "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
               "metrics": dict(metrics or {})}
    buf = io.BytesIO()
    torch.save(payload, buf)
    atomic_write_bytes(Path(path), buf.getvalue())
    return Path(path)


def repair(path: str | Path, config: Any) -> bool:
    """Rewrite a file saved with a tuple-valued config in the JSON form; True when it was changed."""
    path = Path(path)
    payload = torch.load(path, map_location="cpu", weights_only=True)
    fixed = json_config(config)
    if payload.get("config") == fixed:
        return False
    if json.loads(json.dumps(payload.get("config"), default=str)) != fixed:
        raise ValueError(f"{path.name} holds another configuration; not repairing it.")
    payload["config"] = fixed
    buf = io.BytesIO()
    torch.save(payload, buf)
    atomic_write_bytes(path, buf.getvalue())
    return True
