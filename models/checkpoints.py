"""Checkpoints: a model is named by its config, written atomically, loaded safely.

A config is a frozen dataclass holding everything that defines a model *and* its training (sizes,
dataset, epochs, seed). Its key, ``<ClassName>-<hash of its fields>``, names the weights file, so
changing any field means different weights. :func:`load_or_train` looks, in order, in memory, in
``pretrained/`` (shipped with the repo), in the user cache, and only then trains.

Writes go to a temporary file in the same folder, are flushed to disk, then renamed over the target
(``os.replace`` is atomic on POSIX and Windows): a process killed mid-write leaves the old file or
none, never half of one. Loads use ``torch.load(weights_only=True)``: a checkpoint cannot run code.
"""

from __future__ import annotations

import dataclasses
import hashlib
import json
import os
import tempfile
import threading
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any, Callable

import torch
from torch import nn

from .data.paths import cache_dir, pretrained_dir

FORMAT = 1
# on_step(step, total, logs): called by training code so a caller can show progress.
OnStep = Callable[[int, int, dict], None]
Build = Callable[[Any], nn.Module]
Fit = Callable[[nn.Module, Any, torch.device, OnStep | None], dict]


class CorruptCheckpoint(RuntimeError):
    """A weights file exists but cannot be read, or does not match its config."""


def config_key(config: Any) -> str:
    """``<ClassName>-<12 hex digits>``: a stable name for the weights a config defines."""
    if not dataclasses.is_dataclass(config):
        raise TypeError(f"config must be a dataclass instance, got {type(config).__name__}.")
    blob = json.dumps(dataclasses.asdict(config), sort_keys=True, default=str)
    return f"{type(config).__name__}-{hashlib.sha1(blob.encode()).hexdigest()[:12]}"


def _plain(obj):
    """JSON's view of a config (tuples become lists), so a stored config compares equal to a fresh one."""
    return json.loads(json.dumps(obj, default=str))


def atomic_write_bytes(path: Path, data: bytes) -> None:
    """Write ``data`` to ``path`` so that readers see the old file or the new one, never a mix."""
    path = Path(path)
    path.parent.mkdir(parents=True, exist_ok=True)
    fd, tmp = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".part")
    try:
        with os.fdopen(fd, "wb") as f:
            f.write(data)
            f.flush()
            os.fsync(f.fileno())
        os.chmod(tmp, 0o644)  # mkstemp makes 0600; weights are not secrets
        os.replace(tmp, path)
    except BaseException:
        Path(tmp).unlink(missing_ok=True)
        raise


class ArchitectureChanged(CorruptCheckpoint):
    """Shipped weights no longer fit the network their config builds: the code changed, not the file."""


def architecture(modules: dict[str, nn.Module]) -> str:
    """A digest of every parameter's and buffer's name, shape and dtype (not their values): two networks
    with the same digest take each other's state dicts."""
    parts = [f"{name}.{k}:{tuple(v.shape)}:{v.dtype}" for name, m in sorted(modules.items())
             for k, v in m.state_dict().items()]
    return hashlib.sha1("\n".join(parts).encode()).hexdigest()[:16]


def save_checkpoint(path: str | Path, model: nn.Module, config: Any, metrics: dict | None = None) -> Path:
    """Atomically write ``{config, architecture, state_dict, metrics}`` to ``path`` (tensors moved to the CPU
    first)."""
    import io

    payload = {
        "format": FORMAT,
        "config_class": type(config).__name__,
        "config": _plain(dataclasses.asdict(config)),
        "architecture": architecture({"model": model}),
        "state_dict": {k: v.detach().cpu() for k, v in model.state_dict().items()},
        "metrics": dict(metrics or {}),
    }
    buf = io.BytesIO()
    torch.save(payload, buf)
    atomic_write_bytes(Path(path), buf.getvalue())
    return Path(path)


def load_checkpoint(path: str | Path, config: Any | None = None) -> dict:
    """Read a checkpoint with ``weights_only=True``; check it was written for ``config`` when given.

    Raises:
        CorruptCheckpoint: unreadable, truncated, not a GenLab checkpoint, or for another config.
    """
    path = Path(path)
    try:
        payload = torch.load(path, map_location="cpu", weights_only=True)
    except Exception as exc:  # noqa: BLE001 - truncated zip, bad pickle opcode, unsafe global...
        raise CorruptCheckpoint(f"{path.name} could not be read ({type(exc).__name__}: {exc}).") from exc
    if not isinstance(payload, dict) or payload.get("format") != FORMAT or "state_dict" not in payload:
        raise CorruptCheckpoint(f"{path.name} is not a GenLab checkpoint (format {FORMAT}).")
    if config is not None:
        expected = _plain(dataclasses.asdict(config))
        if payload.get("config_class") != type(config).__name__ or _plain(payload.get("config")) != expected:
            raise CorruptCheckpoint(f"{path.name} was written for another configuration.")
    return payload


@dataclass
class Loaded:
    """What :func:`load_or_train` returns.

    Attributes:
        source: ``"memory"``, ``"pretrained"``, ``"cache"`` or ``"trained"``.
        warnings: problems met on the way (e.g. a corrupt cached file that was retrained).
    """

    model: nn.Module
    config: Any
    source: str
    metrics: dict
    path: Path | None
    warnings: list[str] = field(default_factory=list)

    @property
    def training(self):
        """Steps, seconds and final loss as typed fields (:mod:`models.training_record`)."""
        from .training_record import training_record

        return training_record(self.metrics)


_MEMORY: dict[tuple[str, str], Loaded] = {}
_LOCKS: dict[tuple[str, str], threading.Lock] = {}
_LOCKS_GUARD = threading.Lock()


def _lock_for(key: tuple[str, str]) -> threading.Lock:
    with _LOCKS_GUARD:
        return _LOCKS.setdefault(key, threading.Lock())


def weight_paths(config: Any) -> tuple[Path, Path]:
    """(shipped path in ``pretrained/``, user-cache path) for a config."""
    name = config_key(config) + ".pt"
    return pretrained_dir() / name, cache_dir() / "weights" / name


def load_or_train(config: Any, build: Build, fit: Fit, *, on_step: OnStep | None = None,
                  on_wait: Callable[[str], None] | None = None,
                  device: torch.device | None = None, retrain: bool = False) -> Loaded:
    """Return the model a config defines, training it only when no weights exist anywhere.

    Training goes through the app's run pool (:mod:`models.runs.fit`): it is capped and queued with every
    other training on the machine, and this call waits for it. Only code already running inside a run (a
    fit that loads its parent model) trains in its own thread, since it holds a slot of the pool already.

    Args:
        config: a frozen dataclass; its key names the weights file.
        build: ``build(config) -> nn.Module`` with freshly initialised weights.
        fit: ``fit(model, config, device, on_step) -> metrics``; trains in place.
        on_step: progress callback passed to ``fit`` (only called when training happens).
        on_wait: told, in a sentence, why training has not started (waiting for a slot of the pool).
        device: where the returned model lives; default :func:`models.device.pick_device`.
        retrain: ignore memory, shipped and cached weights; train and overwrite the cache.

    Concurrent callers asking for the same config wait for one another: it is trained once.
    """
    from .device import pick_device

    device = device or pick_device()
    mkey = (config_key(config), str(device))
    with _lock_for(mkey):
        if not retrain and mkey in _MEMORY:
            hit = _MEMORY[mkey]
            return dataclasses.replace(hit, source="memory", warnings=[])
        shipped, cached = weight_paths(config)
        warnings: list[str] = []
        candidates = [] if retrain else [("pretrained", shipped), ("cache", cached)]
        for source, path in candidates:
            if not path.is_file():
                continue
            try:
                payload = load_checkpoint(path, config)
                model = build(config)
                _check_architecture(path, source, payload, model)
                model.load_state_dict(payload["state_dict"])
            except ArchitectureChanged:
                raise  # shipped weights that no longer fit: never retrain over them in a page
            except (CorruptCheckpoint, RuntimeError, KeyError) as exc:
                warnings.append(f"Ignored {source} weights {path}: {exc} They will be retrained.")
                continue
            loaded = Loaded(model.to(device).eval(), config, source, payload["metrics"], path, warnings)
            _MEMORY[mkey] = loaded
            return loaded
        model, device, metrics = _train(config, build, fit, device, on_step, on_wait, warnings)
        loaded = Loaded(model.eval(), config, "trained", metrics, cached, warnings)
        _MEMORY[mkey] = loaded  # also after a CPU fallback, so the next visit does not retrain
        return loaded


def _check_architecture(path: Path, source: str, payload: dict, model: nn.Module) -> None:
    """Shipped weights must fit the network their config builds (checked by name and shape before loading).

    A cached file that does not fit is retrained by the caller (with a warning); a shipped one raises
    :class:`ArchitectureChanged`: the code's network changed for the same config, so the config key no longer
    names these weights; retrain and ship them (``python -m models.<family>.train``) or restore the code.
    """
    have = {k: tuple(v.shape) for k, v in payload["state_dict"].items()}
    want = {k: tuple(v.shape) for k, v in model.state_dict().items()}
    if have == want:
        return
    diff = sorted(set(have.items()) ^ set(want.items()))[:4]
    message = (f"{path.name} holds weights for another network than this code builds for its config "
               f"(first differences: {diff}).")
    if source == "pretrained":
        raise ArchitectureChanged(message + " Retrain and ship them: python -m models.<family>.train; "
                                            "or restore the network's code.")
    raise CorruptCheckpoint(message)


def _train(config, build, fit, device, on_step, on_wait, warnings):
    """Train through the pool and read the weights it wrote to the cache; inside a run, train here."""
    from .runs.fit import train_in_pool
    from .runs.run import current_run

    cached = weight_paths(config)[1]
    if current_run() is not None:
        model, device, metrics = fit_with_cpu_fallback(config, build, fit, device, on_step, warnings)
        save_checkpoint(cached, model, config, metrics)
        return model, device, metrics
    done = train_in_pool(config, build, fit, device, on_step=on_step, on_wait=on_wait)
    warnings.extend(done.warnings)
    payload = load_checkpoint(cached, config)
    model = build(config)
    model.load_state_dict(payload["state_dict"])
    return model.to(done.trained_on), torch.device(done.trained_on), payload["metrics"]


def fit_with_cpu_fallback(config, build, fit, device, on_step, warnings):
    """Train on ``device``; if the accelerator runs out of memory, start again on the CPU and say so."""
    from .device import is_out_of_memory

    model = build(config).to(device)
    try:
        return model, device, fit(model, config, device, on_step) or {}
    except Exception as exc:  # noqa: BLE001 - only out-of-memory is handled; the rest propagates
        if device.type == "cpu" or not is_out_of_memory(exc):
            raise
    del model
    if torch.cuda.is_available():
        torch.cuda.empty_cache()
    warnings.append(f"The {device.type.upper()} ran out of memory while training {config_key(config)}; "
                    f"it was trained on the CPU instead (slower). Close other GPU programs to use the GPU.")
    cpu = torch.device("cpu")
    model = build(config).to(cpu)
    return model, cpu, fit(model, config, cpu, on_step) or {}


def forget(config: Any | None = None) -> None:
    """Drop models from the in-memory cache (all of them when ``config`` is None)."""
    if config is None:
        _MEMORY.clear()
        return
    key = config_key(config)
    for mkey in [k for k in _MEMORY if k[0] == key]:
        del _MEMORY[mkey]
