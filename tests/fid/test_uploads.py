"""Bad uploads give one clear message each and the good images are still used."""

from __future__ import annotations

import io

import numpy as np
from PIL import Image

from models.fid.extractors import extract
from models.fid.imagesets import from_uploads
from tests.fid.helpers import png, zip_of


def _img_bytes(img: Image.Image, fmt: str) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt)
    return buf.getvalue()


def test_bad_uploads_are_explained_and_good_images_used(mnist_test):
    digit = mnist_test.x[0, 0].numpy()
    good = png(digit)
    rgb32 = _img_bytes(Image.new("RGB", (32, 32), (200, 30, 30)), "PNG")
    rgba = _img_bytes(Image.new("RGBA", (28, 28), (0, 0, 0, 0)), "PNG")
    sixteen = _img_bytes(Image.fromarray((digit * 65535).astype(np.uint16)), "PNG")
    cmyk = _img_bytes(Image.new("CMYK", (28, 28), (0, 0, 0, 255)), "JPEG")
    bomb = zip_of({"bomb/zeros.png": b"\0" * (25 * 2**20)})
    archive = zip_of({"top.png": good, "nested/deeper/inner.png": good, "../escape.png": good,
                      "notes.txt.png": b"hello, I am text"})
    uploads = [("a.png", good), ("b.png", rgb32), ("c.png", rgba), ("sixteen.png", sixteen), ("cmyk.jpg", cmyk),
               ("fake.png", b"not an image at all"), ("cut.png", good[: len(good) // 2]), ("bomb.zip", bomb),
               ("set.zip", archive)]
    s = from_uploads(uploads)
    text = "\n".join(s.problems)
    assert "fake.png" in text and "not an image" in text
    assert "cut.png" in text and "truncated" in text
    assert "bomb.zip/bomb/zeros.png" in text and "zip bomb" in text
    assert "set.zip/../escape.png" in text and "leaves the archive" in text
    assert "set.zip/notes.txt.png" in text
    assert len(s.problems) == 5
    # a, b, c, sixteen, cmyk, top, nested/deeper/inner: 7 good images, of mixed sizes and modes.
    assert len(s) == 7
    assert any("mixed sizes" in n for n in s.notes)
    assert any("16-bit" in n for n in s.notes) and any("CMYK" in n for n in s.notes)
    f = extract("mnist", s.images, device="cpu")
    assert f.features.shape == (7, 128) and np.isfinite(f.features).all()
    # The 16-bit copy of the digit gives the same features as the 8-bit one (scaled, not clipped).
    assert np.allclose(f.features[3], f.features[0], atol=0.05 * np.abs(f.features[0]).max())
