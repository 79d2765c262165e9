"""Web test fixtures: one seeded SQLite world built per session and copied for each module or
test that needs it (a file copy is much cheaper than seeding), a fresh world on each backend for
the tests that must run on PostgreSQL too, and clients signed in per role."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from pathlib import Path

import pytest
from fastapi.testclient import TestClient

from tests.support.databases import migrated_sqlite_url
from tests.web.world import ROLES, World, build_world, rewire, sign_in


@pytest.fixture(scope="session")
def seeded(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, Path]:
    """The seeded world, built once; its database file is the template the others copy."""
    folder = tmp_path_factory.mktemp("seeded")
    built = build_world(migrated_sqlite_url(folder))
    built.services.close()
    return built, folder / "tracker.db"


def _copy(seeded: tuple[World, Path], folder: Path) -> World:
    template, path = seeded
    target = folder / "tracker.db"
    shutil.copyfile(path, target)
    return rewire(template, f"sqlite:///{target}")


@pytest.fixture(scope="module")
def world(seeded: tuple[World, Path], tmp_path_factory: pytest.TempPathFactory) -> Iterator[World]:
    """A seeded SQLite world shared by a module's read-mostly tests."""
    copied = _copy(seeded, tmp_path_factory.mktemp("web"))
    yield copied
    copied.services.close()


@pytest.fixture(scope="module")
def clients(world: World) -> dict[str, TestClient]:
    """A signed-in client per role, and 'anonymous'."""
    signed = {role: sign_in(world.app, role) for role in ROLES}
    signed["anonymous"] = TestClient(world.app)
    return signed


@pytest.fixture
def sqlite_world(seeded: tuple[World, Path], tmp_path: Path) -> Iterator[World]:
    """A seeded SQLite world of this test's own."""
    copied = _copy(seeded, tmp_path)
    yield copied
    copied.services.close()


@pytest.fixture
def fresh(database_url: str, seeded: tuple[World, Path], tmp_path: Path) -> Iterator[World]:
    """A seeded world of this test's own, on SQLite and on PostgreSQL."""
    if database_url.startswith("sqlite"):
        built = _copy(seeded, tmp_path)
    else:
        built = build_world(database_url)
    yield built
    built.services.close()
