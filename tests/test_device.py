"""models.device: one place decides the device; GENLAB_DEVICE overrides; bad names teach."""

import pytest
import torch

from models.device import DeviceUnavailable, describe_device, is_out_of_memory, pick_device


def test_auto_prefers_cuda_then_mps_then_cpu(monkeypatch):
    monkeypatch.delenv("GENLAB_DEVICE", raising=False)
    expected = "cuda" if torch.cuda.is_available() else (
        "mps" if getattr(torch.backends, "mps", None) and torch.backends.mps.is_available() else "cpu")
    assert pick_device().type == expected


def test_env_override_cpu(monkeypatch):
    monkeypatch.setenv("GENLAB_DEVICE", "cpu")
    assert pick_device() == torch.device("cpu")


@pytest.mark.skipif(torch.cuda.is_available(), reason="CUDA present: asking for it is valid")
def test_missing_cuda_is_a_clear_error(monkeypatch):
    monkeypatch.setenv("GENLAB_DEVICE", "cuda")
    with pytest.raises(DeviceUnavailable, match="not available on this machine.*cpu"):
        pick_device()


def test_nonsense_name_is_a_clear_error():
    with pytest.raises(DeviceUnavailable, match="not a device name"):
        pick_device("banana")


def test_describe_and_oom_detection():
    assert describe_device(torch.device("cpu")).startswith("CPU")
    assert is_out_of_memory(RuntimeError("CUDA out of memory. Tried to allocate 2 GiB"))
    assert not is_out_of_memory(ValueError("out of range"))
