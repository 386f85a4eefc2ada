"""Tiny beta-VAE retrains (digits, 2 epochs of 11 minibatches) for the run layer's tests."""

from models.latent.config import default_config
from models.latent.trainer import beta_job

JOBS = {
    "beta_vae": (beta_job(default_config("vae", "digits", 2, beta=4.0, epochs=2)),
                 beta_job(default_config("vae", "digits", 2, beta=0.5, epochs=2, seed=1)), 22),
}
