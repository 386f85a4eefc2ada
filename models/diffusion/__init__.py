"""Denoising diffusion (DDPM/DDIM): schedules, the forward process, a small U-Net, samplers, training.

The process holds no parameters: every sampler takes the network as an argument.
"""

from .api import denoise_from, load_model, sample
from .config import DiffusionConfig, default_config

__all__ = ["DiffusionConfig", "default_config", "denoise_from", "load_model", "sample"]
