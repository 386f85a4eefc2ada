"""The PCA vs autoencoder page's live runs as trainers of the run layer (:mod:`models.runs`).

Four families, each a job in (data: configs, dataset name, seed) and one step at a time:

* ``linear_ae``: the 3 -> 2 -> 3 linear autoencoder on HOML's 3D data; a step is one epoch.
* ``manifold_ae``: the nonlinear autoencoder on a curved sheet; a step is one full-batch Adam step.
* ``image_ae_sweep``: the code-size sweep's autoencoders that have no weights yet, one after another; a step
  is one epoch of the model in training, and each finished model goes into the user cache, where
  :func:`models.checkpoints.load_or_train` finds it.
* ``tsne``: t-SNE of the stacked autoencoder's codings of held-out images; step 1 encodes the images and
  picks the points, step 2 runs t-SNE (one scikit-learn call: it cannot be paused half-way).

The maths lives in :mod:`.linear_ae`, :mod:`.nonlinear_ae`, :mod:`.image_ae` and :mod:`.tsne`; a trainer
holds the loop's state (networks, optimisers, generators, histories), copies values out for snapshots,
and saves and loads everything a bit-identical resume needs.
"""


from .linear import LinearAETrainer, LinearRun, linear_job
from .manifold import ManifoldTrainer, manifold_job
from .sweep import SweepTrainer, sweep_job
from .tsne import TSNE_STEPS, TSNEConfig, TSNETrainer, tsne_job

__all__ = ["LinearAETrainer", "LinearRun", "linear_job", "ManifoldTrainer", "manifold_job", "SweepTrainer",
           "sweep_job", "TSNE_STEPS", "TSNEConfig", "TSNETrainer", "tsne_job"]
