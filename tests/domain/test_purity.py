"""The domain stays pure: no I/O, database, clock or randomness, and small modules."""

from __future__ import annotations

import ast
from pathlib import Path

import pytest

import tracker.domain

DOMAIN = Path(tracker.domain.__file__).parent
MODULES = sorted(p for p in DOMAIN.glob("*.py") if p.name != "__init__.py")
FORBIDDEN_IMPORTS = {
    "os", "io", "random", "secrets", "uuid", "time", "socket", "sqlite3", "subprocess",
    "sqlalchemy", "sqlmodel", "psycopg", "alembic", "tracker.eventstore", "tracker.db",
    "tracker.projections", "tracker.cli", "web",
}  # fmt: skip
FORBIDDEN_CALLS = {"now", "utcnow", "today", "open", "print", "input"}
MAX_LINES = 300
LONGER = {"events.py": 420}
"""The event catalogue: one short class per event, read as one list."""


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_domain_module_imports_nothing_impure(path: Path) -> None:
    tree = ast.parse(path.read_text())
    for node in ast.walk(tree):
        names: list[str] = []
        if isinstance(node, ast.Import):
            names = [alias.name for alias in node.names]
        elif isinstance(node, ast.ImportFrom) and node.module:
            names = [node.module]
        for name in names:
            assert not any(name == f or name.startswith(f + ".") for f in FORBIDDEN_IMPORTS), name


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_domain_module_reads_no_clock_and_opens_no_file(path: Path) -> None:
    for node in ast.walk(ast.parse(path.read_text())):
        if isinstance(node, ast.Call):
            func = node.func
            name = func.attr if isinstance(func, ast.Attribute) else getattr(func, "id", "")
            assert name not in FORBIDDEN_CALLS, f"{path.name}: {name}()"


@pytest.mark.parametrize("path", MODULES, ids=lambda p: p.name)
def test_a_domain_module_says_what_it_is_for_and_stays_small(path: Path) -> None:
    text = path.read_text()
    assert text.startswith('"""'), path.name
    assert len(text.splitlines()) <= LONGER.get(path.name, MAX_LINES), path.name
