"""Every page survives junk in every URL parameter it binds: clamped or ignored with a notice, never a crash."""

import re
from pathlib import Path

import pytest

from ui.nav import PAGES

REPO = Path(__file__).resolve().parents[1]
BOUND = re.compile(r"""key=(?:f?["'])([A-Za-z_][\w]*)["'][^()]*?bind=["']query-params["']""", re.S)


def bound_keys(spec) -> list[str]:
    sources = [REPO / spec.path] + sorted((REPO / "ui").glob("*.py"))
    return sorted({k for p in sources for k in BOUND.findall(p.read_text())})


@pytest.mark.slow
@pytest.mark.parametrize("junk", ["-1e9", "<script>alert(1)</script>"], ids=["huge-negative", "html"])
@pytest.mark.parametrize("spec", PAGES, ids=[p.url_path for p in PAGES])
def test_junk_in_every_bound_parameter(app_test, spec, junk):
    keys = bound_keys(spec)
    at = app_test(spec.url_path, timeout=180, **{k: junk for k in keys})
    assert not at.exception, at.exception[0].message if at.exception else ""
    text = " ".join(w.value for w in at.warning)
    assert "<script>" not in " ".join(m.value for m in at.markdown)
    if keys:
        assert "URL parameter" in text, f"no notice for junk in {keys}"
