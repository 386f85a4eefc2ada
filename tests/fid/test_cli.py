"""The command: folders, zips and .npz statistics; the FID on the last line; pytorch-fid agrees."""

from __future__ import annotations

import numpy as np
import pytest

from models.fid.__main__ import main
from models.fid.comparison import compare
from models.fid.extractors import extract
from models.fid.stats import load_stats
from tests.fid.helpers import digits_zip, png
from tests.fid.test_extractors import random_inception  # noqa: F401 - fixture


def _folder(path, x):
    path.mkdir(parents=True)
    for i in range(x.shape[0]):
        sub = path / ("deep" if i % 2 else "")
        sub.mkdir(exist_ok=True)
        (sub / f"{i:03d}.png").write_bytes(png(x[i, 0].numpy()))
    return path


def _last_fid(capsys) -> float:
    line = capsys.readouterr().out.strip().splitlines()[-1]
    assert line.startswith("FID: ")
    return float(line.split()[-1])


def test_folder_zip_and_npz_give_the_same_fid(tmp_path, capsys, mnist_test):
    a, b = mnist_test.x[:60], mnist_test.x[60:120]
    fa = _folder(tmp_path / "a", a)
    zb = tmp_path / "b.zip"
    zb.write_bytes(digits_zip(b))
    assert main([str(fa), str(zb), "--features", "mnist", "--batch-size", "7", "--device", "cpu"]) == 0
    fid = _last_fid(capsys)
    q = lambda t: (t * 255).round() / 255  # noqa: E731 - PNG rounding
    assert fid == pytest.approx(compare(extract("mnist", q(a), device="cpu"),
                                        extract("mnist", q(b), device="cpu"), kid_subsets=1).fid, rel=1e-6)
    out = tmp_path / "a.npz"
    assert main([str(fa), str(zb), "--features", "mnist", "--batch-size", "7", "--save-stats", str(out)]) == 0
    assert _last_fid(capsys) == pytest.approx(fid, rel=1e-6)
    assert main([str(out), str(zb), "--features", "mnist"]) == 0
    assert _last_fid(capsys) == pytest.approx(fid, rel=1e-6)
    with np.load(out) as f:  # pytorch-fid's reader: keys mu and sigma
        assert f["mu"].shape == (128,) and f["sigma"].shape == (128, 128)
    assert load_stats(out).n == 60


def test_errors_are_messages_not_tracebacks(tmp_path, capsys):
    (tmp_path / "empty").mkdir()
    assert main([str(tmp_path / "empty"), str(tmp_path / "empty"), "--features", "pixels"]) == 2
    assert "no image files" in capsys.readouterr().err
    (tmp_path / "x.txt").write_text("hi")
    assert main([str(tmp_path / "x.txt"), str(tmp_path / "empty")]) == 2
    assert "expected a folder" in capsys.readouterr().err
    bad = tmp_path / "bad.npz"
    np.savez(bad, means=np.zeros(3))
    assert main([str(bad), str(bad)]) == 2
    assert "'mu' and 'sigma'" in capsys.readouterr().err


@pytest.mark.slow
def test_inception_command_agrees_with_pytorch_fid(random_inception, tmp_path, capsys, mnist_test):  # noqa: F811
    a = tmp_path / "a"
    b = tmp_path / "b"
    for folder, x in ((a, mnist_test.x[:6]), (b, mnist_test.x[6:12] * 0.6)):
        folder.mkdir()
        for i in range(x.shape[0]):
            (folder / f"{i}.png").write_bytes(png(x[i, 0].numpy()))
    from pytorch_fid.fid_score import calculate_activation_statistics
    from pytorch_fid.inception import InceptionV3

    from models.fid.frechet import frechet_distance

    net = InceptionV3([3]).eval()
    stats = [calculate_activation_statistics(sorted(f.glob("*.png")), net, batch_size=6, dims=2048, device="cpu",
                                             num_workers=0) for f in (a, b)]
    assert main([str(a), str(b), "--features", "inception", "--device", "cpu"]) == 0
    # pytorch-fid's features and statistics, GenLab's exact Fréchet distance (N = 6 < d: sqrtm is unreliable).
    assert _last_fid(capsys) == pytest.approx(frechet_distance(*stats[0], *stats[1]), rel=1e-5)


def test_inception_weights_are_downloaded_on_first_use(tmp_path, monkeypatch, capsys, mnist_test):
    """No weights on disk: the command fetches them (here from a stand-in for the release URL, serving random
    weights of the right architecture) into the hub cache, with progress, then computes the FID."""
    import io
    import urllib.request

    from models.fid import inception
    from tests.fid.test_extractors import _random_fid_weights

    blob = _random_fid_weights(tmp_path / "served.pth").read_bytes()
    hub = tmp_path / "hub" / inception.FILE_NAME
    monkeypatch.delenv(inception.ENV_VAR, raising=False)
    monkeypatch.setattr(inception, "hub_path", lambda: hub)
    monkeypatch.setattr("models.fid.__main__.hub_path", lambda: hub)
    asked = []

    class Response(io.BytesIO):
        headers = {"Content-Length": str(len(blob))}

        def __enter__(self):
            return self

        def __exit__(self, *exc):
            return False

    def fake_urlopen(url, timeout=None):
        asked.append(url)
        return Response(blob)

    monkeypatch.setattr(urllib.request, "urlopen", fake_urlopen)
    a, b = mnist_test.x[:3], mnist_test.x[3:6]
    fa, fb = _folder(tmp_path / "a", a), _folder(tmp_path / "b", b)
    assert main([str(fa), str(fb), "--features", "inception", "--device", "cpu"]) == 0
    assert asked == [inception.URL] and hub.read_bytes() == blob
    err = capsys.readouterr().err
    assert "Downloading the FID Inception weights" in err and "(100%)" in err


def test_offline_inception_says_how_to_provide_the_weights(tmp_path, monkeypatch, capsys):
    import urllib.request
    from urllib.error import URLError

    from models.fid import inception

    hub = tmp_path / "hub" / inception.FILE_NAME
    monkeypatch.delenv(inception.ENV_VAR, raising=False)
    monkeypatch.setattr(inception, "hub_path", lambda: hub)
    monkeypatch.setattr("models.fid.__main__.hub_path", lambda: hub)

    def offline(*args, **kwargs):
        raise URLError("no network")

    monkeypatch.setattr(urllib.request, "urlopen", offline)
    (tmp_path / "a").mkdir()
    assert main([str(tmp_path / "a"), str(tmp_path / "a"), "--features", "inception"]) == 2
    err = capsys.readouterr().err
    assert "Downloading the Inception weights failed" in err and inception.ENV_VAR in err and not hub.exists()
