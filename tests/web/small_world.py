"""A small, deterministic tracker for the export and import pages: the export tests' log
(`tests.app.transfer_fixtures`: case-a Asan Ahtemov with restricted material, case-b '=1+2
Formula', case-c pending), one account per role, the app, and an upload folder of its own."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field
from pathlib import Path

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.app.transfer_fixtures import build
from tests.web.world import EMAILS, PASSWORD, ROLES, SECRET, sign_in
from tracker.bootstrap import Services, bootstrap
from tracker.domain.roles import Role
from tracker.settings import Settings
from tracker.users import add_user
from web.app import create_app
from web.uploads import Uploads


@dataclass
class Small:
    services: Services
    app: FastAPI
    uploads: Path
    signed: dict[str, TestClient] = field(default_factory=dict)

    def client(self, role: str) -> TestClient:
        """A client signed in with that role (signed in once), or a new one signed out
        ('anonymous')."""
        if role == "anonymous":
            return TestClient(self.app)
        if role not in self.signed:
            self.signed[role] = sign_in(self.app, role)
        return self.signed[role]


@contextmanager
def small_world(database_url: str, folder: Path) -> Iterator[Small]:
    settings = Settings(database_url=database_url, secret_key=SECRET)
    services = bootstrap(settings)
    for role in ROLES:
        add_user(services.engine, EMAILS[role], Role(role), PASSWORD)
    build(services)
    app = create_app(services, settings)
    app.state.uploads = Uploads(folder / "uploads")
    try:
        yield Small(services, app, folder / "uploads")
    finally:
        services.close()


__all__ = ["Small", "small_world"]
