"""A small job of every family the run layer trains, for the tests that hold for all of them."""

from models.gan.config import ToyConfig
from models.runs.job import Job

# family -> (a job, a different job of the same family, steps that exercise it)
JOBS = {
    "gan_toy": (Job("gan_toy", ToyConfig(batch=64, width=16), "ring8", 0),
                Job("gan_toy", ToyConfig(batch=64, width=16, loss="wgan-gp"), "ring8", 1), 150),
}
