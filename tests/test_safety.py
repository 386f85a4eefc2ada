"""Safe defaults that hold for the whole code base: no untrusted pickle, limits configured, XSRF on."""

import re
import tomllib
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
SOURCES = [p for d in ("models", "pages", "ui", "bench", "app.py") for p in
           ([REPO / d] if d.endswith(".py") else sorted((REPO / d).rglob("*.py")))]


def test_every_torch_load_is_weights_only():
    offenders = []
    for path in SOURCES:
        for m in re.finditer(r"torch\.load\((?:[^()]|\([^()]*\))*\)", path.read_text()):
            if "weights_only=True" not in m.group(0):
                offenders.append(f"{path.relative_to(REPO)}: {m.group(0)[:80]}")
    assert not offenders, offenders


# Ray moves every object between processes as pickle (cloudpickle) anyway; the cluster backend's own bytes
# (jobs and run records kept as bytes by its pool actor, so that actor never imports PyTorch) come only from
# GenLab's actors inside a token-authenticated cluster, never from a user.
CLUSTER_INTERNAL = "models/runs/cluster/"


def test_nothing_unpickles_untrusted_data():
    pattern = re.compile(r"pickle\.loads?\(|allow_pickle\s*=\s*True|joblib\.load\(|dill\.load")
    offenders = [str(p.relative_to(REPO)) for p in SOURCES if pattern.search(p.read_text())
                 and not p.relative_to(REPO).as_posix().startswith(CLUSTER_INTERNAL)]
    assert not offenders, offenders


def test_server_limits_and_xsrf():
    cfg = tomllib.loads((REPO / ".streamlit" / "config.toml").read_text())
    assert cfg["server"]["enableXsrfProtection"] is True
    assert 0 < cfg["server"]["maxUploadSize"] <= 200
    assert cfg["server"]["fileWatcherType"] == "none"
    assert cfg["browser"]["gatherUsageStats"] is False


def test_user_html_is_never_allowed_unescaped_in_pages():
    """unsafe_allow_html only with text the app wrote itself (checked by eye where it appears)."""
    hits = [str(p.relative_to(REPO)) for p in SOURCES if "unsafe_allow_html=True" in p.read_text()]
    assert hits == [], f"unsafe_allow_html in {hits}: escape user text with html.escape or drop it"
