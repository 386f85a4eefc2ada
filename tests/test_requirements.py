"""Every package the app imports is installed by the README's app command (requirements.txt), not only by the
test environment: a page feature must never need a package that the user's install lacks."""

import ast
import re
import sys
from importlib.metadata import packages_distributions
from pathlib import Path

REPO = Path(__file__).resolve().parents[1]
APP_CODE = [REPO / "app.py", *sorted((REPO / "models").rglob("*.py")), *sorted((REPO / "ui").rglob("*.py")),
            *sorted((REPO / "pages").rglob("*.py"))]
OWN = {"models", "ui", "pages", "bench", "tests"}
# optional backends: imported only by their own folder, which the app loads only when configured to
OPTIONAL = {"ray": "models/runs/cluster/"}  # GENLAB_RAY_ADDRESS (models/runs/backend.py); requirements-dev.txt


def _imported_top_levels() -> dict[str, str]:
    found: dict[str, str] = {}
    for path in APP_CODE:
        for node in ast.walk(ast.parse(path.read_text(), str(path))):
            if isinstance(node, ast.Import):
                names = [a.name for a in node.names]
            elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
                names = [node.module]
            else:
                continue
            for name in names:
                top = name.split(".")[0]
                if top in OPTIONAL and path.relative_to(REPO).as_posix().startswith(OPTIONAL[top]):
                    continue
                if top not in OWN and top not in sys.stdlib_module_names:
                    found.setdefault(top, str(path.relative_to(REPO)))
    return found


def _required(path: Path) -> set[str]:
    names = set()
    for line in path.read_text().splitlines():
        line = line.split("#")[0].strip()
        if line and not line.startswith("-"):
            names.add(re.split(r"[=<>!~\[ ]", line)[0].lower().replace("_", "-"))
    return names


def _with_dependencies(names: set[str]) -> set[str]:
    """``names`` and everything they install (their unconditional requirements, recursively)."""
    from importlib.metadata import PackageNotFoundError, requires

    seen, todo = set(), list(names)
    while todo:
        name = todo.pop()
        if name in seen:
            continue
        seen.add(name)
        try:
            reqs = requires(name) or []
        except PackageNotFoundError:
            continue
        for req in reqs:
            if ";" in req and "extra ==" in req.split(";", 1)[1]:
                continue  # an optional extra: not installed by the plain requirement
            todo.append(re.split(r"[=<>!~\[ ;(]", req.strip())[0].lower().replace("_", "-"))
    return seen


def test_every_third_party_import_of_the_app_is_in_requirements_txt():
    required = _with_dependencies(_required(REPO / "requirements.txt"))
    dists = packages_distributions()
    missing = {}
    for top, where in _imported_top_levels().items():
        owners = {d.lower().replace("_", "-") for d in dists.get(top, [top])}
        if not owners & required:
            missing[top] = (where, sorted(owners))
    assert not missing, f"imported by the app but not in requirements.txt: {missing}"


def test_requirements_pin_every_package_and_name_each_extra_package():
    """The design card allows packages beyond the core six only where they earn their place: a comment says why."""
    core = {"streamlit", "torch", "torchvision", "plotly", "scikit-learn", "numpy"}
    for line in (REPO / "requirements.txt").read_text().splitlines():
        spec = line.split("#")[0].strip()
        if not spec:
            continue
        name = re.split(r"[=<>!~\[ ]", spec)[0].lower()
        assert "==" in spec, f"{name} is not pinned"
        assert name in core or "#" in line or name in {"scipy", "pillow"}, f"{name} has no reason given"


def test_optional_backends_are_pinned_for_development_only():
    """Ray serves only a cluster deployment: pinned (with its reason) in requirements-dev.txt, never in
    requirements.txt, and imported nowhere but its backend's folder (checked above)."""
    app = _required(REPO / "requirements.txt")
    dev = (REPO / "requirements-dev.txt").read_text().splitlines()
    for name in OPTIONAL:
        assert name not in app, f"{name} is in requirements.txt: laptop users would install it for nothing"
        lines = [line for line in dev if re.split(r"[=<>!~\[ ]", line.strip())[0].lower() == name]
        assert lines and "==" in lines[0] and "#" in lines[0], f"{name} is not pinned with a reason in requirements-dev.txt"
