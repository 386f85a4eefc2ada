"""Issue 11's hostile-input suite: every bad file, on every upload path (the decoder, then the denoise, FID and
DDPM pages), gets a clear message that names it; the good files still go through; nothing is written to
disk and memory stays bounded."""

from __future__ import annotations

import os
import re
import tempfile
import tracemalloc
from pathlib import Path

import pytest

from models.imageio import decode_uploads
from tests.hostile import Case, corpus
from ui.text import literal

REPO = Path(__file__).resolve().parents[1]
CASES = corpus()
# A batch keeps only its first 2,000 files, so the many-files zip goes last: the files before it are all seen.
CASES.sort(key=lambda c: c.name == "many.zip")


def _files_under(root: Path) -> set[str]:
    skip = {".git", "__pycache__", ".pytest_cache", ".hypothesis", "artifacts", "build"}
    out = set()
    for dirpath, dirnames, filenames in os.walk(root):
        dirnames[:] = [d for d in dirnames if d not in skip]
        out.update(os.path.join(dirpath, f) for f in filenames)
    return out


def _check_case(case: Case, images, problems) -> None:
    text = "\n".join(problems)
    if case.outcome == "refused":
        assert images == [], case.label
        assert problems and re.search(case.expect, text), (case.label, text)
        assert case.name in text, (case.label, text)  # the message names the file
    elif case.outcome == "partial":
        assert images, case.label
        assert re.search(case.expect, text), (case.label, text)
    else:
        assert len(images) == 1 and problems == [], (case.label, problems)
        assert re.search(case.expect, " ".join(images[0].notes)), (case.label, images[0].notes)
        assert 0 <= images[0].array.min() and images[0].array.max() <= 1


@pytest.mark.parametrize("case", CASES, ids=[c.label for c in CASES])
def test_each_hostile_file_is_explained(case):
    images, problems = decode_uploads([(case.name, case.data)])
    _check_case(case, images, problems)


def test_whole_corpus_at_once_writes_nothing_and_stays_bounded():
    from models.data import load_images

    # Another test's page in this worker may still be decompressing MNIST into the cache in the background
    # (CI once saw t10k-*-ubyte appear mid-test): finish that first, so only the decoder's writes would count.
    load_images("mnist", "test")
    watched = [REPO, Path(os.environ["GENLAB_CACHE_DIR"])]
    before = [_files_under(p) for p in watched]
    tmp_before = set(os.listdir(tempfile.gettempdir()))
    tracemalloc.start()
    try:
        images, problems = decode_uploads([(c.name, c.data) for c in CASES])
        _, peak = tracemalloc.get_traced_memory()
    finally:
        tracemalloc.stop()
    assert [_files_under(p) for p in watched] == before
    assert not {n for n in set(os.listdir(tempfile.gettempdir())) - tmp_before if "genlab" in n.lower()}
    # The corpus holds a 100-megapixel PNG and a zip that unpacks to 60 MiB: neither is ever expanded.
    # What is read stays below one member's limit (20 MiB) plus the small images.
    assert peak < 64 * 2**20, f"peak traced memory {peak / 2**20:.0f} MiB"
    n_good = sum(c.outcome == "decoded" for c in CASES)
    assert len(images) >= n_good + 1900  # the many-files zip fills the batch up to its limit of 2,000 files
    assert any("only the first 2000 are used" in p for p in problems)
    assert len(problems) >= sum(c.outcome == "refused" for c in CASES)


def _warnings(at) -> str:
    return "\n".join(w.value for w in at.warning)


def _upload(case: Case) -> tuple[str, bytes, str]:
    return case.name, case.data, "application/octet-stream"


def _named(text: str, case: Case) -> bool:
    """The page shows the file's name (escaped for Markdown)."""
    return literal(case.name) in text or literal(case.name.rsplit("/", 1)[-1]) in text


def test_denoise_page_explains_every_bad_upload_and_denoises_the_rest(app_test):
    at = app_test("denoise", timeout=180)
    at.radio(key="source").set_value("upload").run()
    at.multiselect(key="denoisers_photo").set_value(["median"]).run()
    at.file_uploader(key="uploads").set_value([_upload(c) for c in CASES]).run()
    assert not at.exception, at.exception
    text = _warnings(at)
    for case in CASES:
        if case.outcome != "decoded":
            assert _named(text, case), (case.label, text[:2000])
    assert "the page denoises the first 24" in text
    assert len(at.subheader) == 24  # one result block per denoised image, up to the cap
    assert "[prize]" not in text.replace("\\[prize\\]", "")  # markup in names is shown, never rendered


def test_fid_page_explains_bad_uploads_and_uses_the_good_ones(app_test):
    at = app_test("fid", timeout=240, a_src="upload", b_src="dataset", feat="mnist", n=50)
    assert not at.exception, at.exception
    at.file_uploader(key="a_up").set_value([_upload(c) for c in CASES]).run()
    assert not at.exception, at.exception
    text = _warnings(at)
    for case in CASES:
        if case.outcome != "decoded":
            assert _named(text, case), (case.label, text[:2000])


DDPM_CASES = [c for c in CASES if c.label in (
    "not an image", "empty file", "truncated PNG", "decompression bomb (100 MP PNG)", "zip bomb (60 MiB of zeros)",
    "zip members with .. and absolute paths", "markup in the file name", "16-bit grayscale PNG", "CMYK JPEG",
    "animated GIF")]


def test_ddpm_page_explains_bad_uploads(app_test):
    at = app_test("ddpm", timeout=240)
    at.radio(key="fsrc").set_value("upload").run()
    for case in DDPM_CASES:
        at.file_uploader(key="fup").set_value(_upload(case)).run()
        assert not at.exception, (case.label, at.exception)
        if case.outcome == "refused":
            assert _named(_warnings(at), case), (case.label, _warnings(at))
            assert any("using a dataset image" in i.value for i in at.info), case.label
        else:
            assert any(c.value.startswith("Converted to") for c in at.caption), case.label
