"""A small, deterministic tracker for the export and import pages: the export tests' log
(`tests.app.transfer_fixtures`: case-a Asan Ahtemov with restricted material, case-b '=1+2
Formula', case-c pending), one account per role, and the app."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tests.app.transfer_fixtures import build
from tests.web.world import EMAILS, PASSWORD, ROLES, settings_for, sign_in
from tracker.accounts.users import add_user
from tracker.bootstrap import Services, bootstrap
from tracker.domain.roles import Role
from tracker.uploads import Uploads
from web.app import create_app


@dataclass
class Small:
    services: Services
    app: FastAPI
    signed: dict[str, TestClient] = field(default_factory=dict)

    @property
    def kept_files(self) -> int:
        """How many uploaded files the database keeps."""
        return Uploads(self.services.engine).count()

    def client(self, role: str) -> TestClient:
        """A client signed in with that role (signed in once), or a new one signed out
        ('anonymous')."""
        if role == "anonymous":
            return TestClient(self.app)
        if role not in self.signed:
            self.signed[role] = sign_in(self.app, role)
        return self.signed[role]


@contextmanager
def small_world(database_url: str) -> Iterator[Small]:
    settings = settings_for(database_url)
    services = bootstrap(settings)
    for role in ROLES:
        add_user(services.engine, EMAILS[role], Role(role), PASSWORD)
    build(services)
    app = create_app(services, settings)
    try:
        yield Small(services, app)
    finally:
        services.close()


__all__ = ["Small", "small_world"]
