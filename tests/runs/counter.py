"""A family for testing the run layer itself: a trainer whose "training" counts steps and logs commands.

It is a real trainer of the protocol in :mod:`models.runs.family` (a job in; advance, snapshot, state_dict,
load_state_dict, modules), with no network, so the tests of runs and pools measure the layer and nothing
else. Registered as ``test_counter`` when this module is imported.
"""

from __future__ import annotations

import time
from dataclasses import dataclass

from models.runs.family import Family, register
from models.runs.job import Job


@dataclass(frozen=True)
class CounterConfig:
    limit: int | None = None  # the run is complete after this many steps (None: until stopped)
    delay_s: float = 0.0  # sleep per step (a slower "training")
    fail_at: int | None = None  # the step whose advance raises FloatingPointError


@dataclass(frozen=True)
class Count:
    step: int
    commands: tuple


class CounterTrainer:
    def __init__(self, job: Job, device=None):
        self.job, self.config = job, job.config
        self.step, self.commands = 0, ()

    def advance(self, command=None) -> None:
        if self.config.limit is not None and self.step >= self.config.limit:
            raise StopIteration
        if self.config.fail_at is not None and self.step + 1 >= self.config.fail_at:
            raise FloatingPointError("loss is NaN")
        self.step += 1
        if command is not None:
            self.commands += (command,)
        if self.config.delay_s:
            time.sleep(self.config.delay_s)

    def snapshot(self) -> Count:
        return Count(self.step, self.commands)

    def modules(self) -> dict:
        return {}

    def state_dict(self) -> dict:
        return {"step": self.step, "commands": list(self.commands)}

    def load_state_dict(self, state: dict) -> None:
        self.step, self.commands = state["step"], tuple(state["commands"])


register(Family("test_counter", CounterTrainer, commands=(("d", "Step D"),), threads=None))


def counter(limit=None, delay=0.0, fail_at=None, seed=0) -> Job:
    return Job("test_counter", CounterConfig(limit, float(delay), fail_at), None, seed)
