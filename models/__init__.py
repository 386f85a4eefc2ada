"""GenLab's PyTorch backend: the models, the maths and the training loops behind every page.

Nothing here imports streamlit, so every module runs under plain ``python`` and pytest.
Importing this package is cheap: submodules are imported where they are used.

Map of the package (one concept per file):

- ``device``, ``seed``: where tensors live and how runs are made reproducible.
- ``data``: image datasets (scikit-learn digits, MNIST, Fashion-MNIST) and synthetic point clouds.
- ``checkpoints``: configs -> weights, atomic writes, ``load_or_train``.
- ``runner``: background training threads that a page can poll, pause, step and stop.
- ``imageio``: decoding untrusted uploads (images and zips) safely.
- one sub-package per model family (autoencoders, GANs, diffusion, FID, denoising, ...).
"""

__all__: list[str] = []
