"""The flow family trains exactly what fit() trains, and its reflow exactly what reflow() trains."""

import torch

from models.flow.config import FlowConfig
from models.flow.reflow import reflow
from models.flow.trainer import Reflow, flow_job
from models.flow.training import fit
from models.runs.family import make_trainer

SMALL = FlowConfig(target="moons", pairing="independent", steps=50, batch=64, width=32, depth=2)


def _run(job):
    trainer = make_trainer(job)
    while trainer.step < trainer.config.steps:
        trainer.advance()
    return trainer


def test_a_flow_job_trains_the_field_fit_trains():
    mine, ref = _run(flow_job(SMALL)).trained(), fit(SMALL)
    assert all(torch.equal(a, b) for a, b in zip(mine.model.state_dict().values(), ref.model.state_dict().values()))
    assert (mine.losses == ref.losses).all()


def test_a_reflow_job_trains_the_field_reflow_trains():
    mine, ref = _run(flow_job(Reflow(SMALL))).trained(), reflow(fit(SMALL))
    assert all(torch.equal(a, b) for a, b in zip(mine.model.state_dict().values(), ref.model.state_dict().values()))
