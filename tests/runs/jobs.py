"""A small job of every family the run layer trains, for the tests that hold for all of them.

Each family adds ``tests/runs/jobs_<family>.py`` with ``JOBS = {family: (job, a different job of the same
family, steps that exercise it)}``; this module merges them.
"""

import importlib
from pathlib import Path

from models.gan.config import ToyConfig
from models.runs.job import Job

JOBS = {
    "gan_toy": (Job("gan_toy", ToyConfig(batch=64, width=16), "ring8", 0),
                Job("gan_toy", ToyConfig(batch=64, width=16, loss="wgan-gp"), "ring8", 1), 150),
}
for _path in sorted(Path(__file__).parent.glob("jobs_*.py")):
    JOBS.update(importlib.import_module(f"{__package__}.{_path.stem}").JOBS)
