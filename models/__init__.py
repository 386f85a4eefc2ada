"""GenLab's PyTorch backend: the models, the maths and the training loops behind every page.

Nothing here imports streamlit, so every module runs under plain ``python`` and pytest.
Importing this package is cheap: submodules are imported where they are used.

Map of the package (one concept per file):

- ``device``, ``seed``: where tensors live and how runs are made reproducible.
- ``data``: image datasets (scikit-learn digits, MNIST, Fashion-MNIST) and synthetic point clouds.
- ``checkpoints``: configs -> weights, atomic writes, ``load_or_train``.
- ``runs``: the run layer: training jobs as data, trainers, checkpoints, and the runs a page can poll,
  pause, step, stop and resume (its ``__init__`` is the map).
- ``imageio``: decoding untrusted uploads (images and zips) safely.
- one sub-package per model family (autoencoders, GANs, diffusion, FID, denoising, ...).
"""

import os

# PyTorch's OpenMP threads spin while they wait for work by default. When cores are shared (a training
# thread, another process, a browser on the same laptop) a spinning team makes small operations several
# times slower (DDIM-50 on 16 digits: 1.1 s on one thread, 7.6 s on two spinning threads, 2.0 s on two
# passive ones, with two busy processes on a 2-core machine). Passive waiting costs little when the cores
# are free. It must be set before PyTorch loads its OpenMP runtime, so here, first; a value the user set
# wins.
os.environ.setdefault("OMP_WAIT_POLICY", "PASSIVE")

__all__: list[str] = []
