"""`python -m models.fid A B --metrics fid,kid,prdc --json`: one JSON object on the last line, equal to the
reference packages on the same features; messages for what cannot be computed."""

from __future__ import annotations

import contextlib
import io
import json

import numpy as np
import pytest

from models.fid.__main__ import main
from models.fid.extractors import extract
from tests.fid.test_cli import _folder


def _json(capsys) -> dict:
    return json.loads(capsys.readouterr().out.strip().splitlines()[-1])


def test_json_has_every_metric_and_prdc_agrees_with_the_prdc_package(tmp_path, capsys, mnist_test):
    from prdc import compute_prdc

    a, b = mnist_test.x[:80], (mnist_test.x[80:150] * 0.7).clamp(0, 1)
    fa, fb = _folder(tmp_path / "a", a), _folder(tmp_path / "b", b)
    assert main([str(fa), str(fb), "--features", "mnist", "--device", "cpu", "--metrics", "fid,kid,prdc",
                 "--k", "3", "--json"]) == 0
    out = _json(capsys)
    assert set(out) == {"fid", "kid", "kid_std", "precision", "recall", "density", "coverage", "k", "n_a", "n_b"}
    assert (out["k"], out["n_a"], out["n_b"]) == (3, 80, 70)
    q = lambda t: (t * 255).round() / 255  # noqa: E731 - PNG rounding
    feats_a = extract("mnist", q(a), device="cpu").features
    feats_b = extract("mnist", q(b), device="cpu").features
    with contextlib.redirect_stdout(io.StringIO()):
        ref = compute_prdc(feats_a, feats_b, 3)
    for name in ("precision", "recall", "density", "coverage"):
        assert out[name] == pytest.approx(float(ref[name]), abs=1e-6), name
    assert out["fid"] > 0 and np.isfinite(out["kid"]) and out["kid_std"] > 0


def test_swapping_the_paths_swaps_precision_and_recall(tmp_path, capsys, mnist_test):
    fa = _folder(tmp_path / "a", mnist_test.x[:60])
    fb = _folder(tmp_path / "b", mnist_test.x[mnist_test.y == 1][:40])  # only ones: a collapsed "generator"
    main([str(fa), str(fb), "--features", "pixels", "--metrics", "prdc", "--json"])
    ab = _json(capsys)
    main([str(fb), str(fa), "--features", "pixels", "--metrics", "prdc", "--json"])
    ba = _json(capsys)
    assert (ab["precision"], ab["recall"]) == (ba["recall"], ba["precision"])
    assert "fid" not in ab and ab["recall"] < ab["precision"]


def test_saved_statistics_cannot_give_prdc(tmp_path, capsys, mnist_test):
    fa = _folder(tmp_path / "a", mnist_test.x[:30])
    stats = tmp_path / "a.npz"
    assert main([str(fa), "--features", "pixels", "--save-stats", str(stats)]) == 0
    capsys.readouterr()
    assert main([str(stats), str(fa), "--features", "pixels", "--metrics", "fid,prdc"]) == 2
    err = capsys.readouterr().err
    assert "holds saved statistics" in err and "PRDC" in err


def test_too_few_images_for_k_and_unknown_metrics(tmp_path, capsys, mnist_test):
    fa, fb = _folder(tmp_path / "a", mnist_test.x[:20]), _folder(tmp_path / "b", mnist_test.x[20:24])
    assert main([str(fa), str(fb), "--features", "pixels", "--metrics", "prdc"]) == 2
    assert "at least 6" in capsys.readouterr().err
    with pytest.raises(SystemExit) as exc:
        main([str(fa), str(fb), "--metrics", "fid,lpips"])
    assert exc.value.code == 2
