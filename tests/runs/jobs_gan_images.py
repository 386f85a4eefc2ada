"""A tiny image-GAN job for the run layer's tests: the book's dense GAN on the bundled 8x8 digits.

The different job is a conditional GAN with the least-squares loss and another seed (WGAN-GP's five
critic updates a step would take seconds here; tests/gan/test_image.py resumes one for a few steps).
220 steps keep scrubbing snapshots at steps 100 and 200, and a run resumed at 110 takes the one at 200.
"""

from models.gan.config import ImageGANConfig
from models.gan.image_trainer import image_job

JOBS = {
    "gan_images": (image_job(ImageGANConfig(kind="dense", dataset="digits", codings=8, batch=16, seed=0)),
                   image_job(ImageGANConfig(kind="cgan", dataset="digits", codings=8, batch=16, loss="lsgan",
                                            seed=1)), 220),
}
