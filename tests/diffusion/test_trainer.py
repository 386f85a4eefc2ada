"""The DDPM trainer of the run layer: it trains, snapshots are values, a checkpoint resumes bit-identically,
and the trained EMA comes back from the checkpoint."""

from __future__ import annotations

import dataclasses

import numpy as np
import pytest
import torch

from models.diffusion import training
from models.diffusion.config import DiffusionConfig
from models.diffusion.trainer import DDPMSnapshot, DDPMTrainer, ddpm_job, trained_ema
from models.runs.pool import RunPool
from models.runs.run import DONE
from models.runs import checkpoint
from models.runs.family import family, make_trainer
from models.runs.job import Job

TINY = DiffusionConfig(dataset="digits", base=8, mults=(1, 2), patch=1, T=50, steps=12, batch_size=16, warmup=5)


@pytest.fixture(autouse=True)
def one_thread():
    n = torch.get_num_threads()
    torch.set_num_threads(1)
    yield
    torch.set_num_threads(n)


def test_the_trainer_takes_the_steps_of_train_steps():
    """Same init, same generator stream: the run layer's steps are training.train_steps' steps."""
    from models.data import load_images

    trainer = make_trainer(ddpm_job(TINY))
    for _ in range(5):
        trainer.advance()
    model = training.build(TINY)
    gen_states = list(training.train_steps(model, TINY, load_images("digits", "train").x, torch.device("cpu")))
    # train_steps draws from Generator(config.seed), the trainer from RunRandom(job.seed): the same stream
    assert np.allclose(trainer.snapshot().losses, gen_states[-1].losses[:5], rtol=0, atol=0)


def test_snapshot_is_values_and_previews_at_the_end_of_the_planned_run():
    trainer = make_trainer(ddpm_job(TINY))
    snap = trainer.snapshot()
    assert snap.step == 0 and np.isnan(snap.loss) and snap.preview is None and snap.losses.shape == (0,)
    for _ in range(TINY.steps):
        trainer.advance()
    snap = trainer.snapshot()
    assert isinstance(snap, DDPMSnapshot) and dataclasses.is_dataclass(snap)
    assert snap.step == snap.preview_step == TINY.steps and snap.total == TINY.steps
    assert snap.preview.shape == (16, 8, 8) and 0 <= snap.preview.min() and snap.preview.max() <= 1
    for f in dataclasses.fields(snap):  # no network, tensor or live list handed out
        assert not isinstance(getattr(snap, f.name), (torch.nn.Module, torch.Tensor, list))
    trainer.losses[0] = 123.0
    assert snap.losses[0] != 123.0


def test_state_dict_round_trip_continues_bit_identically():
    a = make_trainer(ddpm_job(TINY))
    for _ in range(TINY.steps):  # past the preview, so it travels in the state too
        a.advance()
    b = make_trainer(ddpm_job(TINY))
    b.load_state_dict(a.state_dict())
    for _ in range(3):
        a.advance()
        b.advance()
    sa, sb = a.snapshot(), b.snapshot()
    assert np.array_equal(sa.losses, sb.losses) and np.array_equal(sa.preview, sb.preview)
    for name, m in a.modules().items():
        for k, v in m.state_dict().items():
            assert torch.equal(v, b.modules()[name].state_dict()[k]), (name, k)


def test_resumed_run_has_every_network_of_an_unbroken_one(tmp_path):
    """tests/runs checks G and D of the GAN toy; here the same promise for the U-Net and its EMA."""
    job = ddpm_job(TINY)
    n = TINY.steps // 2
    unbroken = RunPool(max_running=1).submit("u", job, max_steps=2 * n, checkpoint_root=tmp_path / "u")
    assert unbroken.join(120) and unbroken.snapshot().status == DONE
    pool = RunPool(max_running=1)
    assert pool.submit("b", job, max_steps=n, checkpoint_root=tmp_path / "b").join(120)
    second = pool.submit("b", job, max_steps=2 * n, checkpoint_root=tmp_path / "b", resume=True)
    assert second.join(120) and second.snapshot().status == DONE and second.resumed_from == n
    a = torch.load(checkpoint.path_for(job, tmp_path / "u"), weights_only=False)["state"]
    b = torch.load(checkpoint.path_for(job, tmp_path / "b"), weights_only=False)["state"]
    for name in ("model", "ema"):
        for k, v in a[name].items():
            assert torch.equal(v, b[name][k]), (name, k)
    assert a["losses"] == b["losses"]

    ema, step = trained_ema(job, tmp_path / "u")
    assert step == 2 * n and not ema.training and not any(p.requires_grad for p in ema.parameters())
    for k, v in ema.state_dict().items():
        assert torch.equal(v, a["ema"][k])
    assert trained_ema(ddpm_job(dataclasses.replace(TINY, seed=5)), tmp_path / "u") is None


def test_jobs_are_plain_and_checked():
    job = ddpm_job(TINY)
    assert job == ddpm_job(TINY) and job.family == "ddpm" and job.dataset == "digits"
    assert family("ddpm").total_steps(job) == TINY.steps
    with pytest.raises(ValueError, match="ddpm_job"):
        DDPMTrainer(Job("ddpm", TINY, "mnist", 0))
    with pytest.raises(TypeError, match="DiffusionConfig"):
        DDPMTrainer(Job("ddpm", None, "digits", 0))
