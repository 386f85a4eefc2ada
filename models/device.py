"""Which device tensors live on: one place decides for the whole app.

Order of preference: the ``GENLAB_DEVICE`` environment variable when set (``cpu``, ``cuda``,
``cuda:1``, ``mps``), else CUDA, else Apple's MPS, else the CPU.
"""

from __future__ import annotations

import os

import torch

ENV_VAR = "GENLAB_DEVICE"


class DeviceUnavailable(RuntimeError):
    """The device asked for (through ``GENLAB_DEVICE`` or an argument) is not present."""


def _mps_available() -> bool:
    mps = getattr(torch.backends, "mps", None)
    return bool(mps is not None and mps.is_available())


def available_devices() -> list[str]:
    """Names of the devices this machine can use, best first; ``"cpu"`` is always last."""
    names = [f"cuda:{i}" if i else "cuda" for i in range(torch.cuda.device_count())]
    if _mps_available():
        names.append("mps")
    return names + ["cpu"]


def pick_device(preference: str | None = None) -> torch.device:
    """Return the device to compute on.

    Args:
        preference: a device string; ``None`` reads ``GENLAB_DEVICE``, and when that is unset
            or ``"auto"`` picks CUDA, then MPS, then CPU.

    Raises:
        DeviceUnavailable: the preferred device does not exist here (the message says which do).
    """
    pref = (preference if preference is not None else os.environ.get(ENV_VAR, "")).strip().lower()
    if pref in ("", "auto"):
        if torch.cuda.is_available():
            return torch.device("cuda")
        if _mps_available():
            return torch.device("mps")
        return torch.device("cpu")
    try:
        device = torch.device(pref)
    except RuntimeError as exc:
        raise DeviceUnavailable(
            f"{ENV_VAR}={pref!r} is not a device name. Use one of: auto, {', '.join(available_devices())}."
        ) from exc
    ok = (
        device.type == "cpu"
        or (device.type == "cuda" and torch.cuda.is_available()
            and (device.index or 0) < torch.cuda.device_count())
        or (device.type == "mps" and _mps_available())
    )
    if not ok:
        raise DeviceUnavailable(
            f"Device {pref!r} was asked for (through {ENV_VAR} or a setting) but is not available on "
            f"this machine. Available: {', '.join(available_devices())}. Unset {ENV_VAR} to choose automatically."
        )
    return device


def describe_device(device: torch.device) -> str:
    """A short human description, e.g. ``"CPU (2 threads)"`` or ``"CUDA: NVIDIA H100"``."""
    if device.type == "cuda":
        return f"CUDA: {torch.cuda.get_device_name(device)}"
    if device.type == "mps":
        return "Apple MPS"
    n = torch.get_num_threads()
    return f"CPU ({n} thread{'s' if n != 1 else ''})"


def is_out_of_memory(exc: BaseException) -> bool:
    """True for the accelerator's out-of-memory errors (so a caller can fall back to the CPU)."""
    oom = getattr(torch, "OutOfMemoryError", None)
    if oom is not None and isinstance(exc, oom):
        return True
    return isinstance(exc, RuntimeError) and "out of memory" in str(exc).lower()
