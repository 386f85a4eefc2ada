"""models.checkpoints: keys, atomic writes (a killed writer leaves no half file), safe loads, lookup order."""

import dataclasses
import os
import signal
import subprocess
import sys
import textwrap
import time
from pathlib import Path

import pytest
import torch
from torch import nn

from models import checkpoints as ck


@dataclasses.dataclass(frozen=True)
class TinyConfig:
    width: int = 4
    seed: int = 0


def build(cfg):
    torch.manual_seed(cfg.seed)
    return nn.Linear(cfg.width, 1)


CALLS: list = []  # the configs fit was called with (it runs in the pool's thread of this process)


def fit(model, cfg, device, on_step):
    """Module-level, as every fit: load_or_train sends it to the run pool as a job that names it."""
    CALLS.append(cfg)
    with torch.no_grad():
        model.weight.fill_(1.5)
    for step in range(3):
        if on_step:
            on_step(step + 1, 3, {"loss": 1.0 / (step + 1)})
    return {"loss": 0.25}


DEVICES: list = []


def oom_fit(model, cfg, device, on_step):
    DEVICES.append(device.type)
    if device.type != "cpu":
        raise torch.OutOfMemoryError("CUDA out of memory. Tried to allocate 20.00 GiB")
    return {"loss": 0.1}


def failing_fit(model, cfg, device, on_step):
    raise ValueError("bad learning rate")


@pytest.fixture(autouse=True)
def isolated(tmp_path, monkeypatch):
    monkeypatch.setenv("GENLAB_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(ck, "pretrained_dir", lambda: tmp_path / "pretrained")
    ck.forget()
    CALLS.clear()
    DEVICES.clear()
    yield
    ck.forget()


def test_key_depends_on_every_field():
    assert ck.config_key(TinyConfig()) == ck.config_key(TinyConfig())
    assert ck.config_key(TinyConfig()) != ck.config_key(TinyConfig(width=5))
    assert ck.config_key(TinyConfig()).startswith("TinyConfig-")


def test_train_then_memory_then_cache(tmp_path):
    steps = []
    first = ck.load_or_train(TinyConfig(), build, fit, on_step=lambda *a: steps.append(a),
                             device=torch.device("cpu"))
    assert first.source == "trained" and len(CALLS) == 1 and steps[-1] == (3, 3, {"loss": 1 / 3})
    assert first.path.is_file() and float(first.model.weight[0, 0]) == 1.5
    assert ck.load_or_train(TinyConfig(), build, fit, device=torch.device("cpu")).source == "memory"
    ck.forget()
    again = ck.load_or_train(TinyConfig(), build, fit, device=torch.device("cpu"))
    assert again.source == "cache" and len(CALLS) == 1 and again.metrics == {"loss": 0.25}
    assert float(again.model.weight[0, 0]) == 1.5


def test_pretrained_wins_over_cache(tmp_path):
    model = build(TinyConfig())
    with torch.no_grad():
        model.weight.fill_(7.0)
    shipped, _ = ck.weight_paths(TinyConfig())
    ck.save_checkpoint(shipped, model, TinyConfig(), {"note": "shipped"})
    got = ck.load_or_train(TinyConfig(), build, fit, device=torch.device("cpu"))
    assert got.source == "pretrained" and float(got.model.weight[0, 0]) == 7.0


def test_corrupt_cache_is_reported_and_retrained():
    _, cached = ck.weight_paths(TinyConfig())
    cached.parent.mkdir(parents=True)
    cached.write_bytes(b"PK\x03\x04 this is not a checkpoint")
    got = ck.load_or_train(TinyConfig(), build, fit, device=torch.device("cpu"))
    assert got.source == "trained" and len(CALLS) == 1
    assert any("Ignored cache weights" in w for w in got.warnings)
    assert ck.load_checkpoint(cached, TinyConfig())["metrics"] == {"loss": 0.25}


def test_checkpoint_for_another_config_is_refused(tmp_path):
    path = tmp_path / "x.pt"
    ck.save_checkpoint(path, build(TinyConfig()), TinyConfig())
    with pytest.raises(ck.CorruptCheckpoint, match="another configuration"):
        ck.load_checkpoint(path, TinyConfig(width=9))


def test_pickled_code_is_never_executed(tmp_path):
    """weights_only=True: a checkpoint that smuggles a callable is refused, the callable never runs."""
    marker = tmp_path / "pwned"

    class Evil:
        def __reduce__(self):
            return (os.system, (f"touch {marker}",))

    path = tmp_path / "evil.pt"
    torch.save({"format": 1, "state_dict": {}, "x": Evil()}, path)
    with pytest.raises(ck.CorruptCheckpoint):
        ck.load_checkpoint(path)
    assert not marker.exists()


WRITER = textwrap.dedent("""
    import sys, torch
    from torch import nn
    from models.checkpoints import save_checkpoint
    import dataclasses
    @dataclasses.dataclass(frozen=True)
    class Big:
        n: int = 0
    path = sys.argv[1]
    i = 0
    while True:   # rewrite a ~40 MB checkpoint forever, until killed
        save_checkpoint(path, nn.Linear(3200, 3200), Big(i), {"i": i})
        i += 1
        print(i, flush=True)
""")


def test_killed_writer_never_leaves_a_corrupt_checkpoint(tmp_path):
    path = tmp_path / "ckpt.pt"
    repo = Path(__file__).resolve().parents[1]
    for delay in (0.6, 1.3, 2.1):
        proc = subprocess.Popen([sys.executable, "-c", WRITER, str(path)], cwd=repo,
                                stdout=subprocess.PIPE, text=True)
        proc.stdout.readline()  # at least one complete write happened
        time.sleep(delay)       # now it is most likely in the middle of another write
        proc.send_signal(signal.SIGKILL)
        proc.wait()
        payload = ck.load_checkpoint(path)  # must be a complete checkpoint
        assert payload["state_dict"]["weight"].shape == (3200, 3200)
    leftovers = [p.name for p in tmp_path.iterdir() if p.name != "ckpt.pt"]
    assert all(name.endswith(".part") for name in leftovers)  # temp files only, never the target


def test_accelerator_out_of_memory_falls_back_to_cpu():
    """An OOM on an accelerator retrains on the CPU with a message (simulated: no GPU on CI machines)."""
    got = ck.load_or_train(TinyConfig(seed=3), build, oom_fit, device=torch.device("meta"))
    assert DEVICES == ["meta", "cpu"] and got.source == "trained"
    assert next(got.model.parameters()).device.type == "cpu"
    assert any("ran out of memory" in w and "CPU" in w for w in got.warnings)


def test_other_training_errors_propagate():
    with pytest.raises(ValueError, match="bad learning rate"):
        ck.load_or_train(TinyConfig(seed=4), build, failing_fit, device=torch.device("cpu"))


@dataclasses.dataclass(frozen=True)
class TupleConfig:
    widths: tuple = (4, 8)


def test_config_with_tuple_fields_round_trips(tmp_path):
    path = tmp_path / "t.pt"
    ck.save_checkpoint(path, nn.Linear(2, 2), TupleConfig())
    assert ck.load_checkpoint(path, TupleConfig())["config"] == {"widths": [4, 8]}
    with pytest.raises(ck.CorruptCheckpoint):
        ck.load_checkpoint(path, TupleConfig(widths=(4, 9)))


def test_shipped_weights_for_another_network_are_refused_not_retrained():
    """The network's code changed for the same config (here: a bias added): the shipped file's key still
    names it, but its weights do not fit. No silent retraining in a page: a clear error."""
    shipped, _ = ck.weight_paths(TinyConfig())
    ck.save_checkpoint(shipped, nn.Linear(4, 1, bias=False), TinyConfig())
    with pytest.raises(ck.ArchitectureChanged, match="another network than this code builds"):
        ck.load_or_train(TinyConfig(), build, fit, device=torch.device("cpu"))
    assert CALLS == []


def test_a_cached_file_for_another_network_is_retrained_with_a_warning():
    _, cached = ck.weight_paths(TinyConfig())
    ck.save_checkpoint(cached, nn.Linear(4, 1, bias=False), TinyConfig())
    got = ck.load_or_train(TinyConfig(), build, fit, device=torch.device("cpu"))
    assert got.source == "trained" and len(CALLS) == 1
    assert any("another network" in w for w in got.warnings)


def test_checkpoints_record_their_architecture(tmp_path):
    path = ck.save_checkpoint(tmp_path / "a.pt", build(TinyConfig()), TinyConfig())
    stored = ck.load_checkpoint(path, TinyConfig())["architecture"]
    assert stored == ck.architecture({"model": build(TinyConfig(seed=3))})  # values do not matter
    assert stored != ck.architecture({"model": build(TinyConfig(width=5))})
