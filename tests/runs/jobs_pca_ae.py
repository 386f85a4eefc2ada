"""Small jobs of the PCA vs autoencoder page's families (tests/runs/jobs.py)."""

from models.pca_ae.image_ae import ImageAEConfig
from models.pca_ae.linear_ae import LinearAEConfig
from models.pca_ae.nonlinear_ae import ManifoldAEConfig
from models.pca_ae.trainers import linear_job, manifold_job, sweep_job, tsne_job

_SWEEP = [ImageAEConfig(dataset="digits", kind=kind, k=k, hidden=16, epochs=3, batch_size=256)
          for kind, k in (("linear", 2), ("stacked", 3))]

JOBS = {
    "linear_ae": (linear_job(LinearAEConfig(epochs=40)),
                  linear_job(LinearAEConfig(epochs=40, optimizer="adam", lr=0.05, seed=1)), 40),
    "manifold_ae": (manifold_job(ManifoldAEConfig(n_points=200, hidden=16, steps=60)),
                    manifold_job(ManifoldAEConfig(n_points=200, hidden=16, steps=60, seed=1)), 60),
    # 6 epochs in all: the resume test stops after the first model and continues with the second
    "image_ae_sweep": (sweep_job(_SWEEP), sweep_job([ImageAEConfig(dataset="digits", kind="linear", k=2, epochs=6,
                                                                     batch_size=256, seed=1)]), 6),
    "tsne": (tsne_job("digits", 100, 0, max_iter=250), tsne_job("digits", 100, 1, max_iter=250), 2),
}
