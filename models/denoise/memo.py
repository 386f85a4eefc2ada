"""Remember denoiser results per (image content, noise settings, denoiser), so a page recomputes only what is new.

Adding a tenth upload must not re-denoise the first nine, and moving a zoom slider must not re-denoise
anything: every result is stored under a key that names exactly what it depends on, and looked up first.
The memo is bounded by the bytes of the arrays it holds (oldest entries go first).
"""

from __future__ import annotations

import hashlib
from collections import OrderedDict
from typing import Callable, Hashable

import numpy as np

from .pipeline import Nets, Result, denoise_all

MAX_BYTES = 512 * 2**20


def content_hash(image: np.ndarray) -> str:
    """SHA-1 of an array's shape, dtype and bytes: equal for equal pictures, whatever their file name."""
    arr = np.ascontiguousarray(image)
    h = hashlib.sha1(f"{arr.shape}{arr.dtype}".encode())
    h.update(arr.tobytes())
    return h.hexdigest()


def _nbytes(value) -> int:
    """Bytes of the arrays a stored value holds (a Result's output, or the arrays in a tuple)."""
    if isinstance(value, np.ndarray):
        return int(value.nbytes)
    if isinstance(value, Result):
        return _nbytes(value.output)
    if isinstance(value, (tuple, list)):
        return sum(_nbytes(v) for v in value)
    return 0


class ResultMemo:
    """A byte-bounded least-recently-used store of :class:`Result` objects, with hit and miss counts."""

    def __init__(self, max_bytes: int = MAX_BYTES):
        self.max_bytes = max_bytes
        self._items: OrderedDict[Hashable, object] = OrderedDict()
        self.bytes = 0
        self.hits = 0
        self.misses = 0

    def __len__(self) -> int:
        return len(self._items)

    def get(self, key: Hashable) -> Result | None:
        result = self._items.get(key)
        if result is None:
            self.misses += 1
            return None
        self.hits += 1
        self._items.move_to_end(key)
        return result

    def remember(self, key: Hashable, compute: Callable[[], tuple]):
        """The value stored under ``key``, or ``compute()`` stored there (inputs such as the noisy image; not
        counted in ``hits``/``misses``, which count denoiser results)."""
        if key in self._items:
            self._items.move_to_end(key)
            return self._items[key]
        value = compute()
        self.put(key, value)
        return value

    def put(self, key: Hashable, result) -> None:
        if key in self._items:
            self.bytes -= _nbytes(self._items.pop(key))
        self._items[key] = result
        self.bytes += _nbytes(result)
        while self.bytes > self.max_bytes and len(self._items) > 1:
            _, old = self._items.popitem(last=False)
            self.bytes -= _nbytes(old)


def denoise_memoized(memo: ResultMemo, image_key: Hashable, y: np.ndarray, keys: list[str], sigma: float,
                     nets: Nets, clean: np.ndarray | None = None,
                     on_progress: Callable[[str, int, int], None] | None = None, **options) -> list[Result]:
    """:func:`pipeline.denoise_all` for the denoisers ``memo`` does not hold yet; the rest from ``memo``.

    Args:
        image_key: names everything ``y`` and ``clean`` depend on (content hash of the picture, noise
            kind and level, seed...); a result is stored under (image_key, denoiser, sigma, options).
        y, keys, sigma, nets, clean, on_progress, options: as for :func:`pipeline.denoise_all`.

    Returns:
        one :class:`Result` per key, in the order of ``keys``.
    """
    opts = tuple(sorted(options.items()))
    full = {k: (image_key, k, round(float(sigma), 8), opts) for k in keys}
    found = {k: memo.get(full[k]) for k in keys}
    missing = [k for k in keys if found[k] is None]
    computed = denoise_all(y, missing, sigma, nets, clean=clean, on_progress=on_progress, **options) if missing else []
    for result in computed:
        memo.put(full[result.key], result)
        found[result.key] = result
    return [found[k] for k in keys]
