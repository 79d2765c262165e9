"""API test fixtures: the web tests' seeded world (restricted markers included) on SQLite and on
PostgreSQL, built once per module and backend, with an API token per role and the tokens that
must not work (unknown, revoked, expired, of a deactivated account)."""

from __future__ import annotations

import shutil
from collections.abc import Iterator
from contextlib import ExitStack
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest
from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.conftest import SQL_BACKENDS
from tests.support.databases import migrated_sqlite_url, postgres_database
from tests.web.world import ROLES, World, build_world, rewire, sign_in
from tracker.accounts.api_tokens import issue_token, revoke_token
from tracker.accounts.sessions import token_hash
from tracker.accounts.users import add_user

BAD = ("unknown", "revoked", "expired")
"""Tokens that must get 401."""


@dataclass
class ApiWorld:
    world: World
    tokens: dict[str, str]
    """A live API token per role, and the bad ones by name (see BAD)."""

    @property
    def app(self) -> FastAPI:
        return self.world.app

    def bearer(self, who: str) -> dict[str, str]:
        return {"Authorization": f"Bearer {self.tokens[who]}"}

    def client(self, who: str) -> TestClient:
        """A client sending `who`'s token (or none, for 'anonymous')."""
        client = TestClient(self.world.app)
        if who != "anonymous":
            client.headers.update(self.bearer(who))
        return client


def _tokens(world: World) -> dict[str, str]:
    engine = world.services.engine
    tokens = {role: issue_token(engine, world.user_ids[role], f"{role} tool") for role in ROLES}
    tokens["unknown"] = "trk_" + "x" * 43
    revoked = issue_token(engine, world.user_ids["researcher"], "old")
    revoke_token(engine, token_hash(revoked))
    tokens["revoked"] = revoked
    past = datetime.now(UTC) - timedelta(days=1)
    tokens["expired"] = issue_token(engine, world.user_ids["admin"], "old", expires_at=past)
    return tokens


@pytest.fixture(scope="session")
def api_template(tmp_path_factory: pytest.TempPathFactory) -> tuple[World, Path]:
    """The seeded SQLite world, built once; its file is copied for each module."""
    folder = tmp_path_factory.mktemp("api-seeded")
    built = build_world(migrated_sqlite_url(folder))
    built.services.close()
    return built, folder / "tracker.db"


def _world(backend: str, template: tuple[World, Path], folder: Path, cleanup: ExitStack) -> World:
    if backend == "sqlite":
        shutil.copyfile(template[1], folder / "tracker.db")
        world = rewire(template[0], f"sqlite:///{folder / 'tracker.db'}")
    else:
        world = build_world(cleanup.enter_context(postgres_database(migrate=True)))
    cleanup.callback(world.services.close)
    return world


@pytest.fixture(scope="module", params=SQL_BACKENDS)
def api(
    request: pytest.FixtureRequest,
    api_template: tuple[World, Path],
    tmp_path_factory: pytest.TempPathFactory,
) -> Iterator[ApiWorld]:
    """A seeded world with tokens, on each backend, shared by a module's tests (tests that
    write open cases of their own, so they do not depend on one another)."""
    with ExitStack() as cleanup:
        world = _world(request.param, api_template, tmp_path_factory.mktemp("api"), cleanup)
        yield ApiWorld(world, _tokens(world))


@pytest.fixture(scope="module")
def cookie_clients(api: ApiWorld) -> dict[str, TestClient]:
    """A client signed in through the sign-in form, per role."""
    return {role: sign_in(api.app, role) for role in ROLES}


def deactivated_token(api: ApiWorld) -> str:
    """A live token of an account made for it, then deactivated."""
    from sqlmodel import Session

    from tracker.accounts.users import User
    from tracker.domain.roles import Role

    engine = api.world.services.engine
    user = add_user(engine, f"gone-{datetime.now(UTC).timestamp()}@web.test", Role.ADMIN, None)
    token = issue_token(engine, user.id, "tool")
    with Session(engine) as session:
        row = session.get(User, user.id)
        assert row is not None
        row.active = False
        session.add(row)
        session.commit()
    return token
