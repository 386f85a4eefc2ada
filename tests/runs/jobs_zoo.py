"""Tiny zoo races (digits, 20 steps) for the run layer's tests: a penalty, noise and a greedy schedule."""

from models.zoo.config import digits_config
from models.zoo.trainer import zoo_job

JOBS = {
    "zoo": (zoo_job([digits_config(v, steps=20, hidden=16, code=4) for v in ("sparse_kl", "denoise_dropout", "greedy")]),
            zoo_job([digits_config(v, steps=20, hidden=16, code=4, seed=1) for v in ("sparse_kl", "denoise_dropout",
                                                                                     "greedy")]), 20),
}
