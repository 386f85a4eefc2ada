"""BM3D (Dabov, Foi, Katkovnik, Egiazarian 2007): the classical denoiser every learned one is measured against.

Block-matching and 3-D filtering groups similar patches of the image into 3-D stacks, shrinks the stack's
3-D transform coefficients (hard thresholding, then a Wiener filter guided by the first estimate), and puts
the filtered patches back, averaged where they overlap. On BSD68 at sigma = 25 it reaches 28.57 dB (Zhang et
al. 2017, Table 2), the figure DnCNN (29.23 dB) was published against.

GenLab does not re-implement it: it calls the authors' own package ``bm3d`` (Tampere University; free for
non-commercial use, the way GenLab is used in teaching) with the known noise std. Colour photos go through
``bm3d_rgb`` (block matching on luminance in the opponent colour space, CBM3D). When the package is missing
(it ships compiled code that may not exist for a platform), :func:`available` is False and the app carries on
without it.
"""

from __future__ import annotations

import numpy as np

INSTALL_HINT = ("BM3D needs the `bm3d` package (pip install bm3d==4.0.3; compiled code, free for non-commercial "
                "use). It is not installed here, so the page compares the other denoisers only.")


def available() -> bool:
    """True when the ``bm3d`` package imports on this machine."""
    try:
        import bm3d  # noqa: F401
    except Exception:  # noqa: BLE001 - ImportError, or a compiled library that fails to load
        return False
    return True


def bm3d_denoise(y: np.ndarray, noise_sigma: float) -> np.ndarray:
    """BM3D with the known noise std.

    Args:
        y: noisy image in [0, 1], (H, W), (H, W, 1) or (H, W, 3).
        noise_sigma: noise std on the [0, 1] scale (25/255 for the usual sigma = 25).
    Returns:
        float32 array of y's shape.
    Raises:
        RuntimeError: the package is missing (the message says how to install it).
    """
    if not available():
        raise RuntimeError(INSTALL_HINT)
    import bm3d

    arr = np.asarray(y, dtype=np.float64)
    sigma = max(float(noise_sigma), 1e-4)
    if arr.ndim == 3 and arr.shape[2] == 3:
        out = bm3d.bm3d_rgb(arr, sigma)
    else:
        out = bm3d.bm3d(arr.reshape(arr.shape[:2]), sigma)
    return np.asarray(out, dtype=np.float32).reshape(np.shape(y))
