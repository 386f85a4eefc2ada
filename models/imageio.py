"""Decoding untrusted uploads: images and zips, in memory, with every limit stated in the message.

Streamlit never looks inside an uploaded file. Everything a page receives goes through
:func:`decode_uploads`, which returns the images it could read and one plain-language problem per file
it could not: never an exception, never a file written to disk.

Images come back as float32 arrays in [0, 1], shape (H, W, 1) for grayscale or (H, W, 3) for colour,
with EXIF orientation applied, transparency composited over white, 16-bit scaled (not clipped), CMYK and
palettes converted, and only the first frame of an animation.
"""

from __future__ import annotations

import io
import posixpath
import struct
import warnings
import zipfile
from dataclasses import dataclass, field

import numpy as np
from PIL import Image, ImageOps, UnidentifiedImageError

FORMATS = {"PNG", "JPEG", "WEBP", "BMP", "TIFF", "GIF", "MPO"}
MAX_FILE_BYTES = 20 * 2**20       # one image file
MAX_PIXELS = 40_000_000           # width * height after decoding (a 12 MP phone photo is 12M)
MAX_ZIP_MEMBERS = 2000
MAX_ZIP_TOTAL = 200 * 2**20       # uncompressed bytes read out of one zip
MAX_FILES = 2000                  # images in one upload batch, zips included


class ImageRejected(ValueError):
    """One file could not be used; the message says why and what to do."""


@dataclass
class Decoded:
    """One decoded image.

    Attributes:
        name: the file name (for zips, ``archive.zip/member.png``); show it escaped.
        array: (H, W, C) float32 in [0, 1], C = 1 or 3.
        notes: what was changed on the way (first frame of 12, 16-bit scaled, EXIF rotated...).
    """

    name: str
    array: np.ndarray
    format: str
    mode: str
    notes: list[str] = field(default_factory=list)

    @property
    def size(self) -> tuple[int, int]:
        """(width, height)."""
        return self.array.shape[1], self.array.shape[0]


def decode_image(data: bytes, name: str = "image", *, max_bytes: int = MAX_FILE_BYTES,
                 max_pixels: int = MAX_PIXELS) -> Decoded:
    """Decode one image file held in memory.

    Raises:
        ImageRejected: empty, too large, not an image, truncated, a decompression bomb, or too many pixels.
    """
    if not data:
        raise ImageRejected(f"{name}: the file is empty (0 bytes). Upload the image file itself.")
    if len(data) > max_bytes:
        raise ImageRejected(f"{name}: the file is {len(data) / 2**20:.1f} MiB; the limit is "
                            f"{max_bytes / 2**20:.0f} MiB per image. Resize or compress it first.")
    notes: list[str] = []
    try:
        with warnings.catch_warnings():
            warnings.simplefilter("error", Image.DecompressionBombWarning)
            img = Image.open(io.BytesIO(data))
            fmt = (img.format or "").upper()
            if fmt not in FORMATS:
                raise ImageRejected(f"{name}: {fmt or 'this'} format is not supported. "
                                    f"Use PNG, JPEG, WebP, BMP, TIFF or GIF.")
            w, h = img.size
            if w * h > max_pixels or w <= 0 or h <= 0:
                raise ImageRejected(f"{name}: {w}x{h} pixels is over the limit of {max_pixels / 1e6:.0f} "
                                    f"megapixels. Downscale it first.")
            n_frames = getattr(img, "n_frames", 1)
            if n_frames > 1:
                img.seek(0)
                notes.append(f"animated ({n_frames} frames): only the first frame is used")
            img.load()
            mode = img.mode
            img = _orient(img, notes)
            array = _to_float(img, notes)
    except ImageRejected:
        raise
    except (Image.DecompressionBombError, Image.DecompressionBombWarning) as exc:
        raise ImageRejected(f"{name}: refused as a possible decompression bomb ({exc}). "
                            f"The limit is {max_pixels / 1e6:.0f} megapixels.") from exc
    except UnidentifiedImageError as exc:
        raise ImageRejected(f"{name}: this is not an image file that can be read (its content is not "
                            f"PNG, JPEG, WebP, BMP, TIFF or GIF, whatever its extension says).") from exc
    except (OSError, SyntaxError, ValueError, EOFError, IndexError, struct.error) as exc:
        raise ImageRejected(f"{name}: the image is truncated or corrupt ({exc}). "
                            f"Export it again and re-upload.") from exc
    except Exception as exc:  # noqa: BLE001 - PIL's parsers raise TypeError, KeyError, ZeroDivisionError...
        # on malformed headers (a TIFF without its size tag raises TypeError); hostile bytes must never
        # reach the page as a traceback, so any other decoder failure is reported as corruption too.
        raise ImageRejected(f"{name}: the image is corrupt and its decoder gave up "
                            f"({type(exc).__name__}: {exc}). Export it again and re-upload.") from exc
    ext = posixpath.splitext(name)[1].lower().lstrip(".")
    if ext and _EXT_FORMAT.get(ext, fmt) != fmt:
        notes.append(f"the extension says .{ext} but the content is {fmt}")
    return Decoded(name, array, fmt, mode, notes)


_EXT_FORMAT = {"png": "PNG", "jpg": "JPEG", "jpeg": "JPEG", "webp": "WEBP", "bmp": "BMP", "tif": "TIFF",
               "tiff": "TIFF", "gif": "GIF"}


def _orient(img: Image.Image, notes: list[str]) -> Image.Image:
    try:
        orientation = img.getexif().get(0x0112, 1)
    except Exception:  # noqa: BLE001 - a broken EXIF block is not a reason to refuse the pixels
        return img
    if orientation not in (None, 1):
        notes.append(f"rotated upright from EXIF orientation {orientation}")
        return ImageOps.exif_transpose(img)
    return img


def _to_float(img: Image.Image, notes: list[str]) -> np.ndarray:
    """PIL image -> (H, W, C) float32 in [0, 1]."""
    mode = img.mode
    if mode in ("I;16", "I;16B", "I;16L", "I;16N", "I"):
        arr = np.asarray(img, dtype=np.float64)
        top = 65535.0 if mode.startswith("I;16") or arr.max(initial=0) > 255 else 255.0
        notes.append(f"{mode} ({'16' if top > 255 else '8'}-bit) scaled to [0, 1]")
        return np.clip(arr / top, 0, 1).astype(np.float32)[..., None]
    if mode == "F":
        arr = np.nan_to_num(np.asarray(img, dtype=np.float64))
        lo, hi = float(arr.min(initial=0)), float(arr.max(initial=1))
        notes.append("floating-point image rescaled to [0, 1]")
        return ((arr - lo) / (hi - lo if hi > lo else 1.0)).astype(np.float32)[..., None]
    if mode == "P":
        img = img.convert("RGBA")
    if mode == "CMYK":
        notes.append("CMYK converted to RGB")
    if img.mode in ("RGBA", "LA", "PA") or (img.mode in ("RGB", "L") and "transparency" in img.info):
        rgba = img.convert("RGBA")
        white = Image.new("RGBA", rgba.size, (255, 255, 255, 255))
        img = Image.alpha_composite(white, rgba).convert("RGB")
        notes.append("transparency composited over white")
    if img.mode in ("1", "L"):
        return (np.asarray(img.convert("L"), dtype=np.float32) / 255.0)[..., None]
    rgb = np.asarray(img.convert("RGB"), dtype=np.float32) / 255.0
    if np.array_equal(rgb[..., 0], rgb[..., 1]) and np.array_equal(rgb[..., 1], rgb[..., 2]):
        return rgb[..., :1].copy()  # grey stored as RGB: keep one channel
    return rgb


def read_zip(data: bytes, name: str, *, max_members: int = MAX_ZIP_MEMBERS,
             max_total: int = MAX_ZIP_TOTAL, max_member: int = MAX_FILE_BYTES
             ) -> tuple[list[tuple[str, bytes]], list[str]]:
    """Read a zip's files into memory, never trusting its headers.

    Returns:
        (files, problems): ``files`` as (``"archive.zip/path"``, bytes); ``problems`` one message per
        member skipped (unsafe path, too large, past the limits) or for the archive itself.
    """
    problems: list[str] = []
    try:
        archive = zipfile.ZipFile(io.BytesIO(data))
        infos = archive.infolist()
    except (zipfile.BadZipFile, zipfile.LargeZipFile, OSError, ValueError, EOFError) as exc:
        return [], [f"{name}: not a readable zip archive ({exc})."]
    files: list[tuple[str, bytes]] = []
    total = 0
    members = [i for i in infos if not i.is_dir() and not _junk(i.filename)]
    if len(members) > max_members:
        problems.append(f"{name}: {len(members)} files inside; only the first {max_members} are read.")
        members = members[:max_members]
    for info in members:
        path = info.filename.replace("\\", "/")
        label = f"{name}/{path}"
        if path.startswith("/") or (len(path) > 1 and path[1] == ":") or ".." in path.split("/"):
            problems.append(f"{label}: skipped, the path leaves the archive (absolute or with '..').")
            continue
        if info.flag_bits & 0x1:
            problems.append(f"{label}: skipped, the file is encrypted.")
            continue
        room = min(max_member, max_total - total)
        if room <= 0:
            problems.append(f"{name}: stopped after {total / 2**20:.0f} MiB uncompressed (the limit per zip).")
            break
        try:
            with archive.open(info) as member:
                blob = member.read(room + 1)  # headers can lie: read at most one byte past the limit
        except (zipfile.BadZipFile, OSError, EOFError, ValueError, NotImplementedError, RuntimeError) as exc:
            problems.append(f"{label}: could not be extracted ({exc}).")
            continue
        if len(blob) > room:
            limit = "per file" if room == max_member else "left for this zip"
            problems.append(f"{label}: skipped, it unpacks to more than {room / 2**20:.0f} MiB ({limit}); "
                            f"possibly a zip bomb.")
            continue
        total += len(blob)
        files.append((label, blob))
    return files, problems


def _junk(path: str) -> bool:
    base = posixpath.basename(path.rstrip("/"))
    return path.startswith("__MACOSX/") or base.startswith("._") or base in (".DS_Store", "Thumbs.db")


def decode_uploads(uploads: list[tuple[str, bytes]], *, max_files: int = MAX_FILES,
                   max_pixels: int = MAX_PIXELS) -> tuple[list[Decoded], list[str]]:
    """Decode a batch of uploads (images and zips of images).

    Returns:
        (images, problems): every image that decoded, and one message per file that did not.
    """
    images: list[Decoded] = []
    problems: list[str] = []
    queue: list[tuple[str, bytes]] = []
    for name, data in uploads:
        if data[:4] == b"PK\x03\x04" or name.lower().endswith(".zip"):
            files, zip_problems = read_zip(data, name)
            queue.extend(files)
            problems.extend(zip_problems)
        else:
            queue.append((name, data))
    if len(queue) > max_files:
        problems.append(f"{len(queue)} files were uploaded; only the first {max_files} are used.")
        queue = queue[:max_files]
    for name, data in queue:
        if name.lower().endswith(".zip") or data[:4] == b"PK\x03\x04":
            problems.append(f"{name}: a zip inside a zip is not opened; upload it on its own.")
            continue
        try:
            images.append(decode_image(data, name, max_pixels=max_pixels))
        except ImageRejected as exc:
            problems.append(str(exc))
    return images, problems


def to_gray(array: np.ndarray) -> np.ndarray:
    """(H, W, C) in [0, 1] -> (H, W) luma (ITU-R BT.601 weights, as PIL's ``convert("L")``)."""
    if array.shape[-1] == 1:
        return array[..., 0]
    return array[..., :3] @ np.array([0.299, 0.587, 0.114], dtype=array.dtype)
