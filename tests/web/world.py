"""A seeded tracker for the web tests: the demo data, one account per role with a known
password, and restricted material (a relative's contact, an internal note, a confidential
source and citations of it) whose marker strings must never reach an advocate."""

from __future__ import annotations

import re
from dataclasses import dataclass, field, replace
from typing import Any

from fastapi import FastAPI
from fastapi.testclient import TestClient

from tracker.accounts.users import add_user
from tracker.bootstrap import Services, bootstrap
from tracker.domain.commands import Correct, Record, RegisterSource, Review
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CustodyStage,
    Decision,
    DetentionRecorded,
    NoteAdded,
    RelativeContactRecorded,
    SourceCited,
    SourceRegistered,
)
from tracker.domain.roles import Actor, Role
from tracker.domain.values import Citation
from tracker.projections.queries import CaseFilter, list_cases, list_sources
from tracker.seeding import run_seed
from tracker.settings import Settings
from web.app import create_app

SECRET = "test-secret-key-that-is-long-enough-0123456789"
PASSWORD = "correct horse battery staple"
ROLES = ("admin", "reviewer", "researcher", "advocate")
EMAILS = {role: f"{role}@web.test" for role in ROLES}
MARKERS = {
    "contact": "RELATIVE-PHONE-380-555-0101",
    "note": "INTERNAL-NOTE-KEEP-INSIDE",
    "source": "CONFIDENTIAL-SOURCE-WITNESS-K",
    "claim": "CONFIDENTIAL-CLAIM-FROM-WITNESS",
    "reason": "CORRECTION-REASON-SECRET",
    "review": "REVIEW-NOTE-ON-CONTACT",
}
CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')


@dataclass
class World:
    services: Services
    app: FastAPI
    case_id: str
    public_source: str
    confidential_source: str
    note_id: str
    contact_id: str
    detention_id: str
    pending_id: str
    user_ids: dict[str, str] = field(default_factory=dict)


def settings_for(url: str, **extra: Any) -> Settings:
    """The test worlds' settings: two-factor sign-in is required of no role unless a test asks
    for it (`require_2fa=(Role.ADMIN, ...)`), so signing in with the password alone works."""
    return Settings(**{"database_url": url, "secret_key": SECRET, "require_2fa": (), **extra})


def _actor(role: str) -> Actor:
    return Actor(EMAILS[role], Role(role))


def rewire(world: World, url: str) -> World:
    """The same world on a copy of its database at `url`."""
    settings = settings_for(url)
    services = bootstrap(settings)
    return replace(world, services=services, app=create_app(services, settings))


def build_world(url: str) -> World:
    """Seed a migrated database and wire the app on it."""
    settings = settings_for(url)
    services = bootstrap(settings)
    run_seed(services, None)
    users = {
        role: add_user(services.engine, EMAILS[role], Role(role), PASSWORD).id for role in ROLES
    }
    run = services.tracker.execute
    researcher, reviewer = _actor("researcher"), _actor("reviewer")

    def approved(stream: str, command: Record | RegisterSource | Correct) -> str:
        event_id = run(command, researcher).events[0].event_id
        run(Review(stream, event_id, Decision.APPROVED, "fine"), reviewer)
        return event_id

    secret_source = "source-confidential-witness"
    approved(
        secret_source,
        RegisterSource(
            secret_source,
            SourceRegistered(title=MARKERS["source"], kind="witness", confidential=True),
        ),
    )
    with services.engine.connect() as conn:
        case_id = list_cases(conn, CaseFilter(limit=1)).rows[0]["stream_id"]
        public = next(s["stream_id"] for s in list_sources(conn, restricted=False))
    claim = Citation(source_id=secret_source, claim=MARKERS["claim"], locator="interview 3")
    detention = DetentionRecorded(
        stage=CustodyStage.PRE_TRIAL,
        date=PartialDate.parse("March 2015"),
        act="arrest",
        citations=(Citation(source_id=public, claim="public claim"), claim),
    )
    detention_id = approved(case_id, Record(case_id, detention))
    note_id = approved(case_id, Record(case_id, NoteAdded(text=MARKERS["note"], internal=True)))
    approved(
        case_id,
        Correct(case_id, note_id, {"text": MARKERS["note"] + " (fixed)"}, MARKERS["reason"]),
    )
    contact = RelativeContactRecorded(
        name="A relative", relation="wife", contact=MARKERS["contact"]
    )
    contact_id = run(Record(case_id, contact), researcher).events[0].event_id
    run(Review(case_id, contact_id, Decision.APPROVED, MARKERS["review"]), reviewer)
    approved(case_id, Record(case_id, SourceCited(citation=claim)))
    pending = run(
        Record(case_id, NoteAdded(text="a public note awaiting review", internal=False)), researcher
    )
    app = create_app(services, settings)
    return World(
        services, app, case_id, public, secret_source, note_id, contact_id, detention_id,
        pending.events[0].event_id, users,
    )  # fmt: skip


def csrf_of(html: str) -> str:
    found = CSRF.search(html)
    assert found, "no CSRF token on the page"
    return found.group(1)


def sign_in(app: FastAPI, role: str) -> TestClient:
    """A client signed in by posting the form, as a browser would."""
    client = TestClient(app)
    token = csrf_of(client.get("/login").text)
    response = client.post(
        "/login",
        data={"email": EMAILS[role], "password": PASSWORD, "csrf_token": token},
        follow_redirects=False,
    )
    assert response.status_code == 303, response.text
    return client


def page_token(client: TestClient) -> str:
    return csrf_of(client.get("/cases").text)
