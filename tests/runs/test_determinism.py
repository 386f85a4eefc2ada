"""The run layer's promises, for every family (tests/runs/jobs.py):

* two identical jobs trained at the same time as a third, different one give bit-identical snapshots to
  the same job trained alone (randomness per run: nothing draws from a generator another run shares);
* a snapshot is a value: later steps do not change it;
* a run stopped at step N and resumed from its checkpoint reaches the same weights at step 2N as a run
  that never stopped (CPU, one thread per run);
* a training step never touches PyTorch's or NumPy's global generators.
"""

from __future__ import annotations

import copy

import numpy as np
import pytest
import torch

from models.runs.pool import RunPool
from models.runs.run import DONE
from models.runs import checkpoint
from models.runs.family import make_trainer

from .jobs import JOBS

pytestmark = pytest.mark.slow


def same(a, b, path="snapshot") -> None:
    """Assert two snapshots are bit-identical (dataclasses, dicts, tuples, arrays, floats incl. NaN)."""
    if isinstance(a, np.ndarray) or isinstance(b, np.ndarray):
        assert np.array_equal(np.asarray(a), np.asarray(b), equal_nan=True), path
    elif isinstance(a, torch.Tensor):
        assert torch.equal(a, b), path
    elif hasattr(a, "__dataclass_fields__"):
        assert type(a) is type(b), path
        for name in a.__dataclass_fields__:
            same(getattr(a, name), getattr(b, name), f"{path}.{name}")
    elif isinstance(a, dict):
        assert a.keys() == b.keys(), path
        for k in a:
            same(a[k], b[k], f"{path}[{k!r}]")
    elif isinstance(a, (list, tuple)):
        assert len(a) == len(b), path
        for i, (x, y) in enumerate(zip(a, b)):
            same(x, y, f"{path}[{i}]")
    elif isinstance(a, float) and np.isnan(a):
        assert isinstance(b, float) and np.isnan(b), path
    else:
        assert a == b, f"{path}: {a!r} != {b!r}"


def run_alone(job, steps, root):
    pool = RunPool(max_running=1, max_queued=0)
    run = pool.submit("alone", job, max_steps=steps, checkpoint_root=root)
    assert run.join(300) and run.snapshot().status == DONE, run.snapshot().error
    return run.snapshot().latest


@pytest.mark.parametrize("family", sorted(JOBS))
def test_identical_jobs_running_together_match_one_alone(family, tmp_path):
    job, other, steps = JOBS[family]
    alone = run_alone(job, steps, tmp_path / "alone")
    pool = RunPool(max_running=3, max_queued=0)
    runs = [pool.submit(f"r{i}", j, max_steps=steps, checkpoint_root=tmp_path / f"r{i}")
            for i, j in enumerate([job, other, job])]
    for run in runs:
        assert run.join(300) and run.snapshot().status == DONE, run.snapshot().error
    same(runs[0].snapshot().latest, alone)
    same(runs[2].snapshot().latest, alone)
    with pytest.raises(AssertionError):
        same(runs[1].snapshot().latest, alone)  # the different job really differs


@pytest.mark.parametrize("family", sorted(JOBS))
def test_a_snapshot_is_not_changed_by_later_steps(family):
    job, _, steps = JOBS[family]
    trainer = make_trainer(job)
    for _ in range(steps // 3):
        trainer.advance()
    snap = trainer.snapshot()
    kept = copy.deepcopy(snap)
    for _ in range(steps // 3):
        trainer.advance()
    same(snap, kept)


@pytest.mark.parametrize("family", sorted(JOBS))
def test_stopped_at_n_and_resumed_reaches_the_weights_of_an_unbroken_run(family, tmp_path):
    job, _, steps = JOBS[family]
    n = steps // 2
    unbroken = RunPool(max_running=1).submit("u", job, max_steps=2 * n, checkpoint_root=tmp_path / "u")
    assert unbroken.join(300) and unbroken.snapshot().status == DONE
    pool = RunPool(max_running=1)
    first = pool.submit("b", job, max_steps=n, checkpoint_root=tmp_path / "b")
    assert first.join(300) and first.snapshot().steps == n
    second = pool.submit("b", job, max_steps=2 * n, checkpoint_root=tmp_path / "b", resume=True)
    assert second.join(300) and second.snapshot().status == DONE
    assert second.resumed_from == n
    a, b = checkpoint.restore(job, tmp_path / "u"), checkpoint.restore(job, tmp_path / "b")
    assert a.step == b.step == 2 * n
    for name, net in a.modules().items():  # every network the family trains, weights bit for bit
        for (k, v), (k2, v2) in zip(net.state_dict().items(), b.modules()[name].state_dict().items()):
            assert k == k2 and torch.equal(v, v2), (name, k)
    same(second.snapshot().latest, unbroken.snapshot().latest)


@pytest.mark.parametrize("family", sorted(JOBS))
def test_a_training_step_never_draws_from_the_global_generators(family):
    job, _, _ = JOBS[family]
    trainer = make_trainer(job)
    torch_state, np_state = torch.get_rng_state(), np.random.get_state()[1].copy()
    for _ in range(min(5, JOBS[family][2])):
        trainer.advance()
    trainer.snapshot()
    assert torch.equal(torch.get_rng_state(), torch_state)
    assert np.array_equal(np.random.get_state()[1], np_state)
