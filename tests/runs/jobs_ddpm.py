"""A tiny DDPM job (8x8 digits, an 8-channel U-Net, T = 50): a few seconds for every run-layer test."""

from models.diffusion.config import DiffusionConfig
from models.diffusion.trainer import ddpm_job

TINY = DiffusionConfig(dataset="digits", base=8, mults=(1, 2), patch=1, T=50, steps=20, batch_size=16, warmup=10)

# 20 steps, the planned run: its last step draws the preview grid, so the snapshots compare one too
JOBS = {"ddpm": (ddpm_job(TINY), ddpm_job(DiffusionConfig(**{**vars(TINY), "seed": 1})), 20)}
