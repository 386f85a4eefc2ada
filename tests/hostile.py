"""The hostile-upload corpus: every kind of bad file issue 11 lists, built in memory, with what must happen.

Shared by the tests (every upload path gets all of it) and by ``bench/hostile.py`` (which counts inputs
tried, unhandled exceptions and peak memory). Each :class:`Case` says whether the file must be refused
with a message matching ``expect`` (and naming the file), or decoded with a note matching ``expect``.
"""

from __future__ import annotations

import io
import struct
import zipfile
import zlib
from dataclasses import dataclass

import numpy as np
from PIL import Image


@dataclass(frozen=True)
class Case:
    """One upload: ``name`` and ``data`` as the browser sends them.

    Attributes:
        outcome: ``"refused"`` (no image from it, a message), ``"decoded"`` (an image, with a note),
            ``"partial"`` (a zip: some members used, the others explained).
        expect: regular expression the message (refused, partial) or a note (decoded) must match.
        label: what the case is, for reports.
    """

    label: str
    name: str
    data: bytes
    outcome: str
    expect: str


def _encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def _photo(w: int = 48, h: int = 40) -> Image.Image:
    x = np.linspace(0, 255, w, dtype=np.uint8)
    arr = np.stack([np.tile(x, (h, 1)), np.tile(x[::-1], (h, 1)), np.full((h, w), 90, np.uint8)], -1)
    return Image.fromarray(arr, "RGB")


def _zip(members: dict[str, bytes], compression: int = zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as archive:
        for name, data in members.items():
            archive.writestr(name, data)
    return buf.getvalue()


def _png_header_only(width: int, height: int) -> bytes:
    """A valid PNG signature and IHDR chunk claiming width x height 8-bit gray, then one tiny IDAT:
    the header alone announces a huge image (what a decompression bomb relies on)."""
    def chunk(kind: bytes, body: bytes) -> bytes:
        return struct.pack(">I", len(body)) + kind + body + struct.pack(">I", zlib.crc32(kind + body))

    ihdr = struct.pack(">IIBBBBB", width, height, 8, 0, 0, 0, 0)
    return b"\x89PNG\r\n\x1a\n" + chunk(b"IHDR", ihdr) + chunk(b"IDAT", zlib.compress(b"\0" * 64)) + chunk(b"IEND", b"")


def corpus(small: bool = False) -> list[Case]:
    """Every hostile case. ``small`` shrinks the many-files zip (2,100 -> 2,010 members) for quick runs."""
    good_png = _encode(_photo(), "PNG")
    good_jpg = _encode(_photo(), "JPEG")
    palette = Image.new("P", (16, 16), 0)
    palette.putpalette([255, 0, 0] + [0, 0, 255] * 255)
    frames = [Image.new("L", (12, 12), v) for v in (20, 200, 120)]
    gif = io.BytesIO()
    frames[0].save(gif, "GIF", save_all=True, append_images=frames[1:])
    deep = np.linspace(0, 65535, 24 * 20).reshape(20, 24).astype(np.uint16)
    tiny = _encode(Image.new("L", (1, 1), 128), "PNG")
    n_tiny = 2010 if small else 2100
    return [
        Case("not an image", "notes.png", b"Dear diary, this is plain text and not a picture.", "refused",
             "not an image"),
        Case("empty file", "empty.jpg", b"", "refused", "empty"),
        Case("truncated PNG", "cut.png", good_png[: len(good_png) // 2], "refused", "truncated|corrupt"),
        Case("truncated JPEG", "cut.jpg", _encode(_photo(200, 160), "JPEG")[:900], "refused", "truncated|corrupt"),
        Case("decompression bomb (100 MP PNG)", "bomb.png", _encode(Image.new("L", (10_000, 10_000)), "PNG"),
             "refused", "megapixels"),
        Case("huge dimensions in the header", "huge.png", _png_header_only(60_000, 60_000), "refused",
             "megapixels|decompression bomb"),
        Case("zip bomb (60 MiB of zeros)", "bomb.zip", _zip({"zeros.png": b"\0" * (60 * 2**20)}), "refused",
             "zip bomb"),
        Case("zip members with .. and absolute paths", "escape.zip",
             _zip({"ok.png": good_png, "../evil.png": good_png, "/etc/abs.png": good_png,
                   "a/../../evil2.png": good_png}), "partial", "leaves the archive"),
        Case("thousands of tiny files", "many.zip",
             _zip({f"t/{i:05d}.png": tiny for i in range(n_tiny)}, zipfile.ZIP_STORED), "partial",
             "only the first 2000"),
        Case("zip inside a zip", "nested.zip", _zip({"inner.zip": _zip({"a.png": good_png}), "b.png": good_png}),
             "partial", "zip inside a zip"),
        Case("not a zip at all", "broken.zip", b"PK\x03\x04 this archive was cut off", "refused",
             "not a readable zip"),
        Case("PDF with an image extension", "scan.png", b"%PDF-1.7\n1 0 obj << /Type /Catalog >> endobj\n",
             "refused", "not an image"),
        Case("random bytes", "noise.webp", bytes(np.random.default_rng(0).integers(0, 256, 3000, np.uint8)),
             "refused", "not an image|corrupt|truncated"),
        Case("16-bit grayscale PNG", "deep.png", _encode(Image.fromarray(deep), "PNG"), "decoded", "16-bit"),
        Case("CMYK JPEG", "print.jpg", _encode(_photo().convert("CMYK"), "JPEG"), "decoded", "CMYK"),
        Case("palette with transparency", "pal.png", _encode(palette, "PNG", transparency=0), "decoded",
             "transparency"),
        Case("animated GIF", "anim.gif", gif.getvalue(), "decoded", "frames"),
        Case("misleading extension (PNG called .jpg)", "really-a-png.jpg", good_png, "decoded", "extension"),
        Case("markup in the file name", "[prize](http://example.com) ![t](http://127.0.0.1:9/t.png) <b>x</b>.png",
             b"not an image either", "refused", "not an image"),
        Case("good JPEG (control)", "fine.jpg", good_jpg, "decoded", ""),
    ]
