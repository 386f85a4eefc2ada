"""models.imageio: every hostile upload gets a clear message, good files still decode, memory stays bounded."""

import io
import zipfile

import numpy as np
import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from PIL import Image

from models.imageio import (MAX_PIXELS, ImageRejected, decode_image, decode_uploads, read_zip, to_gray)


def encode(img: Image.Image, fmt: str, **kw) -> bytes:
    buf = io.BytesIO()
    img.save(buf, format=fmt, **kw)
    return buf.getvalue()


def gradient_rgb(w=32, h=24):
    x = np.linspace(0, 255, w, dtype=np.uint8)
    arr = np.stack([np.tile(x, (h, 1)), np.tile(x[::-1], (h, 1)), np.full((h, w), 77, np.uint8)], -1)
    return Image.fromarray(arr, "RGB")


def test_png_roundtrip_values():
    img = gradient_rgb()
    out = decode_image(encode(img, "PNG"), "g.png")
    assert out.array.shape == (24, 32, 3) and out.array.dtype == np.float32
    assert np.allclose(out.array * 255, np.asarray(img), atol=1e-3)


def test_grey_stays_one_channel_and_luma_matches_pil():
    img = gradient_rgb()
    out = decode_image(encode(img.convert("L"), "PNG"), "l.png")
    assert out.array.shape == (24, 32, 1)
    rgb = decode_image(encode(img, "PNG"), "c.png").array
    assert np.abs(to_gray(rgb) * 255 - np.asarray(img.convert("L"), float)).max() <= 1.0


def test_16bit_png_is_scaled_not_clipped():
    arr = np.array([[0, 1000, 65535]], dtype=np.uint16)
    out = decode_image(encode(Image.fromarray(arr), "PNG"), "deep.png")
    assert out.array[0, :, 0] == pytest.approx([0, 1000 / 65535, 1.0], abs=1e-6)
    assert any("16-bit" in n for n in out.notes)


def test_cmyk_jpeg_becomes_rgb():
    out = decode_image(encode(gradient_rgb().convert("CMYK"), "JPEG"), "print.jpg")
    assert out.array.shape[-1] == 3 and any("CMYK" in n for n in out.notes)


def test_palette_with_transparency_over_white():
    img = Image.new("P", (4, 4), 0)
    img.putpalette([255, 0, 0] + [0, 0, 255] * 255)
    img.info["transparency"] = 0  # index 0 (red) fully transparent
    out = decode_image(encode(img, "PNG", transparency=0), "pal.png")
    assert np.allclose(out.array, 1.0)  # all pixels were transparent: white


def test_exif_orientation_is_applied():
    img = gradient_rgb(40, 10)
    exif = Image.Exif()
    exif[0x0112] = 6  # rotate 90 degrees clockwise to display
    out = decode_image(encode(img, "JPEG", exif=exif), "phone.jpg")
    assert out.array.shape[:2] == (40, 10) and any("EXIF" in n for n in out.notes)


def test_animated_gif_first_frame():
    frames = [Image.new("L", (8, 8), v) for v in (10, 200, 90)]
    buf = io.BytesIO()
    frames[0].save(buf, "GIF", save_all=True, append_images=frames[1:])
    out = decode_image(buf.getvalue(), "anim.gif")
    assert any("3 frames" in n for n in out.notes)
    assert abs(float(out.array.mean()) * 255 - 10) < 2


@pytest.mark.parametrize("data,expect", [
    (b"", "empty"),
    (b"%PDF-1.4 definitely not an image", "not an image"),
    (b"\x89PNG\r\n\x1a\n" + b"\x00" * 40, "truncated|not an image"),
])
def test_garbage_is_rejected_with_reason(data, expect):
    with pytest.raises(ImageRejected, match=expect):
        decode_image(data, "x.png")


def test_truncated_jpeg():
    data = encode(gradient_rgb(200, 200), "JPEG")
    with pytest.raises(ImageRejected, match="truncated or corrupt"):
        decode_image(data[: len(data) // 2], "cut.jpg")


def test_decompression_bomb_refused_before_decoding():
    bomb = encode(Image.new("L", (10_000, 10_000)), "PNG")  # 100 MP, a few hundred KB compressed
    assert len(bomb) < 2**20
    with pytest.raises(ImageRejected, match="megapixels"):
        decode_image(bomb, "bomb.png")
    assert MAX_PIXELS < 100_000_000


def test_misleading_extension_is_noted():
    out = decode_image(encode(gradient_rgb(), "PNG"), "photo.jpg")
    assert any("extension" in n for n in out.notes)


def make_zip(members: dict, compression=zipfile.ZIP_DEFLATED) -> bytes:
    buf = io.BytesIO()
    with zipfile.ZipFile(buf, "w", compression) as z:
        for name, data in members.items():
            z.writestr(name, data)
    return buf.getvalue()


def test_zip_with_traversal_nested_folders_and_junk():
    good = encode(gradient_rgb(), "PNG")
    data = make_zip({"a/b/ok.png": good, "../evil.png": good, "/etc/abs.png": good,
                     "__MACOSX/._ok.png": b"junk", "notes.txt": b"hello"})
    images, problems = decode_uploads([("set.zip", data)])
    assert [i.name for i in images] == ["set.zip/a/b/ok.png"]
    text = "\n".join(problems)
    assert "evil.png" in text and "abs.png" in text and "leaves the archive" in text
    assert "notes.txt" in text and "not an image" in text


def test_zip_bomb_is_capped():
    data = make_zip({"bomb.bin": b"\0" * (60 * 2**20)})
    assert len(data) < 2**20
    files, problems = read_zip(data, "bomb.zip", max_member=5 * 2**20)
    assert files == [] and "zip bomb" in problems[0]


def test_thousands_of_tiny_files_are_capped():
    tiny = encode(Image.new("L", (2, 2)), "PNG")
    data = make_zip({f"t/{i}.png": tiny for i in range(50)}, zipfile.ZIP_STORED)
    files, problems = read_zip(data, "many.zip", max_members=20)
    assert len(files) == 20 and "only the first 20" in problems[0]


def test_good_files_survive_bad_neighbours():
    good = encode(gradient_rgb(), "PNG")
    images, problems = decode_uploads([("a.png", good), ("b.png", b""), ("c.zip", b"PK\x03\x04broken"),
                                       ("d.jpg", encode(gradient_rgb(), "JPEG"))])
    assert [i.name for i in images] == ["a.png", "d.jpg"] and len(problems) == 2


@settings(max_examples=150, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.binary(max_size=4096))
def test_random_bytes_never_raise(data):
    images, problems = decode_uploads([("fuzz.bin", data)])
    assert len(images) + len(problems) >= 1


SEED_IMAGES = [encode(gradient_rgb(), f) for f in ("PNG", "JPEG", "GIF", "BMP", "TIFF", "WEBP")]


@settings(max_examples=200, deadline=None, suppress_health_check=[HealthCheck.too_slow])
@given(st.sampled_from(range(len(SEED_IMAGES))), st.lists(st.tuples(st.integers(0, 10_000),
                                                                   st.integers(0, 255)), max_size=12),
       st.integers(0, 10_000))
def test_mutated_real_images_never_raise(which, flips, cut):
    data = bytearray(SEED_IMAGES[which])
    for pos, val in flips:
        data[pos % len(data)] = val
    data = bytes(data[: max(1, len(data) - cut % len(data))])
    images, problems = decode_uploads([("mutant", data)])
    for img in images:
        assert np.isfinite(img.array).all() and 0 <= img.array.min() and img.array.max() <= 1
    assert len(images) + len(problems) == 1


def test_tiff_without_its_size_tag_is_rejected_not_raised():
    # Byte 8 is the low byte of the first IFD entry's tag (ImageWidth, 256): overwriting it with 7 drops the
    # width, and PIL's TIFF reader then raises TypeError("Missing dimensions"), not OSError (found by the
    # property test below in CI).
    data = bytearray(SEED_IMAGES[4])
    data[8] = 7
    images, problems = decode_uploads([("no-size.tif", bytes(data))])
    assert images == [] and "corrupt" in problems[0] and "no-size.tif" in problems[0]
