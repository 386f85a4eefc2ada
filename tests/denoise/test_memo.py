"""The per-session memo: a result is computed once per (image content, settings, denoiser)."""

import numpy as np

from models.denoise import memo, pipeline


def _digit(seed):
    return np.random.default_rng(seed).random((28, 28)).astype(np.float32)


def test_content_hash_depends_on_the_pixels_only():
    a = _digit(0)
    assert memo.content_hash(a) == memo.content_hash(a.copy())
    b = a.copy()
    b[3, 4] += 1e-3
    assert memo.content_hash(a) != memo.content_hash(b)
    assert memo.content_hash(a) != memo.content_hash(a.reshape(14, 56))


def test_only_new_images_and_new_denoisers_are_computed():
    nets = pipeline.Nets()
    m = memo.ResultMemo()
    a, b = _digit(0), _digit(1)
    first = memo.denoise_memoized(m, ("a", memo.content_hash(a)), a, ["blur", "median"], 0.1, nets, clean=a)
    assert (m.misses, m.hits, len(m)) == (2, 0, 2)
    # a second image arrives: the first image's results come back as they were, only b is computed
    again = memo.denoise_memoized(m, ("a", memo.content_hash(a)), a, ["blur", "median"], 0.1, nets, clean=a)
    memo.denoise_memoized(m, ("b", memo.content_hash(b)), b, ["blur", "median"], 0.1, nets, clean=b)
    assert [r is s for r, s in zip(first, again)] == [True, True]
    assert (m.misses, m.hits, len(m)) == (4, 2, 4)
    # a new denoiser on an old image: just that one, in the order asked for
    out = memo.denoise_memoized(m, ("a", memo.content_hash(a)), a, ["nlm", "blur"], 0.1, nets, clean=a)
    assert [r.key for r in out] == ["nlm", "blur"] and out[1] is first[0] and m.misses == 5
    # another sigma is another result (non-local means depends on it)
    memo.denoise_memoized(m, ("a", memo.content_hash(a)), a, ["nlm"], 0.2, nets, clean=a)
    assert m.misses == 6


def test_memo_is_bounded_by_bytes_oldest_first():
    nets = pipeline.Nets()
    one = 28 * 28 * 4
    m = memo.ResultMemo(max_bytes=3 * one)
    for i in range(5):
        x = _digit(i)
        memo.denoise_memoized(m, (i,), x, ["blur"], 0.1, nets)
    assert len(m) == 3 and m.bytes == 3 * one
    assert m.get(((0,), "blur", 0.1, ())) is None and m.get(((4,), "blur", 0.1, ())) is not None


def test_inputs_are_remembered_without_counting_as_results():
    m = memo.ResultMemo()
    calls = []

    def make():
        calls.append(1)
        return (np.zeros((4, 4), np.float32), "note")

    first = m.remember(("input", 1), make)
    assert m.remember(("input", 1), make) is first and len(calls) == 1
    assert (m.hits, m.misses, m.bytes) == (0, 0, 64)
