"""The layering holds, read from the source (no import runs): every module outside
``data_access`` reaches it through its public face, ``data_access.queries``; ``data_access``
imports nothing above it (``metrics``, the pages, the exports…); and no module imports another
module's private (``_name``) names. Tests may reach inside the package to test its parts."""

from __future__ import annotations

import ast
from collections.abc import Iterator
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parents[1]
FACE = "data_access.queries"
#: What each lower layer may import of the project (anything outside the project is free).
MAY_IMPORT = {
    "vocabulary": {"vocabulary"},
    "timebase": {"timebase", "settings"},
    "data_access": {"data_access", "timebase", "vocabulary", "i18n"},
    "metrics": {"metrics", "timebase", "vocabulary"},
}
SKIPPED = {"tests", "data", "test-artifacts", ".git", ".venv", "node_modules"}


def _project_packages() -> set[str]:
    """Top-level names of the project: packages (folders of .py files) and root modules."""
    names = {p.stem for p in ROOT.glob("*.py")}
    names |= {p.name for p in ROOT.iterdir() if p.is_dir() and any(p.glob("*.py")) and p.name not in SKIPPED}
    return names


PROJECT = _project_packages()


def _sources() -> Iterator[tuple[str, str]]:
    """(module path relative to the root, source) of every .py file of the project but the tests."""
    for path in sorted(ROOT.rglob("*.py")):
        rel = path.relative_to(ROOT)
        if rel.parts[0] in SKIPPED:
            continue
        yield rel.as_posix(), path.read_text(encoding="utf-8")


def _module_of(rel: str) -> str:
    parts = rel.removesuffix(".py").split("/")
    return ".".join(parts[:-1] if parts[-1] == "__init__" else parts)


def _imports(tree: ast.AST) -> Iterator[tuple[int, str, list[str]]]:
    """(line, module, imported names) of every absolute import; ``import a.b`` gives ("a.b", [])."""
    for node in ast.walk(tree):
        if isinstance(node, ast.Import):
            for alias in node.names:
                yield node.lineno, alias.name, []
        elif isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            yield node.lineno, node.module, [a.name for a in node.names]


#: Tools that import another version of the code (a checkout first on sys.path), which may
#: predate the face: they reach what every version has (``data_access.engine``).
OTHER_VERSIONS = {"bench/answers.py"}


def face_violations(rel: str, source: str) -> list[str]:
    """Imports of ``data_access`` modules other than its face, in a module outside the package."""
    if rel.startswith("data_access/") or rel in OTHER_VERSIONS:
        return []
    found = []
    for line, module, names in _imports(ast.parse(source)):
        if module == "data_access":
            found += [f"{rel}:{line} data_access.{n}" for n in names if n != "queries"]
        elif module.startswith("data_access.") and module != FACE:
            found.append(f"{rel}:{line} {module}")
    return found


def upward_violations(rel: str, source: str) -> list[str]:
    """Imports of project packages that a lower layer may not import."""
    layer = rel.split("/")[0].removesuffix(".py")
    if layer not in MAY_IMPORT:
        return []
    return [
        f"{rel}:{line} {module}"
        for line, module, _ in _imports(ast.parse(source))
        if module.split(".")[0] in PROJECT and module.split(".")[0] not in MAY_IMPORT[layer]
    ]


def _private(name: str) -> bool:
    return name.startswith("_") and not name.startswith("__")


def private_violations(rel: str, source: str) -> list[str]:
    """Private names of another project module: imported (``from m import _x``) or reached
    (``m._x`` where ``m`` is a project module imported here)."""
    tree = ast.parse(source)
    own = _module_of(rel)
    found, modules = [], set()
    for node in ast.walk(tree):
        if isinstance(node, ast.ImportFrom) and node.module and node.level == 0:
            if node.module.split(".")[0] not in PROJECT or node.module == own:
                continue
            found += [f"{rel}:{node.lineno} {node.module}.{a.name}" for a in node.names if _private(a.name)]
            modules |= {a.asname or a.name for a in node.names}  # possibly submodules
        elif isinstance(node, ast.Import):
            for alias in node.names:
                if alias.name.split(".")[0] in PROJECT:
                    modules.add(alias.asname or alias.name.split(".")[0])
    for node in ast.walk(tree):
        reached = isinstance(node, ast.Attribute) and isinstance(node.value, ast.Name)
        if reached and _private(node.attr) and node.value.id in modules:  # type: ignore[union-attr]
            found.append(f"{rel}:{node.lineno} {node.value.id}.{node.attr}")  # type: ignore[union-attr]
    return found


@pytest.mark.parametrize("check", [face_violations, upward_violations, private_violations])
def test_the_repository_keeps_the_rule(check: object) -> None:
    sources = list(_sources())
    assert len(sources) > 100  # the walk found the project (about 200 modules), not an empty folder
    found = [v for rel, source in sources for v in check(rel, source)]  # type: ignore[operator]
    assert found == []


def test_the_checks_see_what_they_forbid() -> None:
    """Each check flags a made-up module that breaks its rule, and lets the allowed forms pass."""
    assert face_violations("ui/x.py", "from data_access.engine import make_engine\n") == [
        "ui/x.py:1 data_access.engine"
    ]
    assert face_violations("ui/x.py", "from data_access import queries, wall\n") == [
        "ui/x.py:1 data_access.wall"
    ]
    assert face_violations("ui/x.py", "import data_access.summaries.maintain\n") == [
        "ui/x.py:1 data_access.summaries.maintain"
    ]
    allowed = "from data_access import queries\nfrom data_access.queries import unit_counters\n"
    assert face_violations("ui/x.py", allowed) == []
    assert face_violations("data_access/x.py", "from data_access.engine import make_engine\n") == []

    assert upward_violations("data_access/x.py", "from metrics.registry import METRICS\n") == [
        "data_access/x.py:1 metrics.registry"
    ]
    assert upward_violations("metrics/x.py", "from data_access import queries\n") == [
        "metrics/x.py:1 data_access"
    ]
    assert upward_violations("vocabulary/__init__.py", "import timebase\n") == [
        "vocabulary/__init__.py:1 timebase"
    ]
    assert upward_violations("data_access/x.py", "from timebase.period import Period\nimport pandas\n") == []

    assert private_violations("ui/x.py", "from data_access.answers import _valid\n") == [
        "ui/x.py:1 data_access.answers._valid"
    ]
    assert private_violations("ui/x.py", "from ops import soak\nsoak._helper()\n") == [
        "ui/x.py:2 soak._helper"
    ]
    assert private_violations("ui/x.py", "import argparse\nargparse._SubParsersAction\n") == []
