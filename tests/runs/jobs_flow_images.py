"""A tiny MNIST flow-matching job (8 base channels, 12 steps of 8 images) for the run layer's tests."""

from models.flow.images.config import ImageFlowConfig
from models.flow.images.trainer import flow_images_job

_TINY = dict(base=8, mults=(1, 2), patch=2, steps=12, batch_size=8, warmup=4)
JOBS = {"flow_images": (flow_images_job(ImageFlowConfig(**_TINY)),
                        flow_images_job(ImageFlowConfig(**_TINY, seed=1)), 12)}
