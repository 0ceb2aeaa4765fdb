"""Data flows one way: no package imports one above it (../shared/spec/layout.md)."""

import ast
from pathlib import Path

import pytest

REPO = Path(__file__).resolve().parent.parent
# package: the packages it must not import
FORBIDDEN = {
    "ingest": {"refresh", "expectations", "dashboard"},
    "expectations": {"refresh", "dashboard"},
    "refresh": {"dashboard"},
    "dashboard": {"ingest", "expectations", "refresh"},
}


def imported(path: Path) -> set[str]:
    names = set()
    for node in ast.walk(ast.parse(path.read_text(encoding="utf-8"))):
        if isinstance(node, ast.Import):
            names |= {alias.name.split(".")[0] for alias in node.names}
        elif isinstance(node, ast.ImportFrom) and node.level == 0 and node.module:
            names.add(node.module.split(".")[0])
    return names


@pytest.mark.parametrize("package", sorted(FORBIDDEN))
def test_no_package_imports_upward(package):
    wrong = {f"{path.relative_to(REPO)} imports {name}"
             for path in (REPO / package).rglob("*.py")
             for name in imported(path) & FORBIDDEN[package]}
    assert not wrong, sorted(wrong)
