"""Denoising: noise models, classical filters, denoising autoencoders, a DnCNN-family photo denoiser.

Modules: ``noise`` (corruptions), ``classical`` (blur, median, non-local means), ``metrics`` (PSNR,
SSIM), ``dae`` (the book's denoising autoencoders, MNIST-like), ``dncnn`` (a residual CNN for photos),
``patches`` (Train400 training patches), ``pipeline`` (run several denoisers on one image),
``train`` (shipped weights) and ``__main__`` (the ``python -m models.denoise`` command).
"""
