"""A small, fully deterministic log for export, import and backup tests: fixed ids, fixed clock.

case-a  Asan Ahtemov (approved): detained March 2014 (pre-trial), charged 205.5 part 2;
        cites a public source and a confidential one; an internal note, a relative's contact
        and a public note, all approved; a release logged but still pending.
case-b  =1+2 Formula (approved): a name that looks like a formula; nothing else.
case-c  Pending Person: opened, never reviewed (not exported).
"""

from __future__ import annotations

from datetime import UTC, datetime

from tests.app.conftest import RESEARCHER, REVIEWER
from tracker.bootstrap import Services
from tracker.domain.commands import Command, OpenCase, Record, RegisterSource, Review
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CaseOpened,
    ChargeBrought,
    CustodyStage,
    Decision,
    DetentionRecorded,
    Gender,
    NoteAdded,
    RelativeContactRecorded,
    Released,
    SourceRegistered,
)
from tracker.domain.roles import Actor
from tracker.domain.values import Charge, Citation

NOW = datetime(2026, 12, 1, 9, 30, tzinfo=UTC)
PUBLIC_SOURCE = "source-public"
SECRET_SOURCE = "source-secret"
SECRET_TITLE = "Witness statement K."
INTERNAL_NOTE = "Lawyer asks not to publish the transfer date"
CONTACT = "+380 50 000 0000"


def run(services: Services, command: Command, actor: Actor, event_id: str) -> None:
    services.tracker.execute(command, actor, event_id=event_id)


def logged_and_approved(services: Services, command: Command, key: str) -> None:
    run(services, command, RESEARCHER, key)
    stream = command.stream_id
    run(services, Review(stream, key, Decision.APPROVED), REVIEWER, f"{key}/review")


def build(services: Services) -> None:
    public = SourceRegistered(title="Crimea Platform statement", url="https://example.org/s")
    secret = SourceRegistered(title=SECRET_TITLE, confidential=True)
    logged_and_approved(services, RegisterSource(PUBLIC_SOURCE, public), "src-public")
    logged_and_approved(services, RegisterSource(SECRET_SOURCE, secret), "src-secret")
    opened = CaseOpened(
        name="Asan Ahtemov",
        name_variants=("Ахтемов Асан", "Asan Akhtemov"),
        birth_date=PartialDate.parse("1978"),
        gender=Gender.MALE,
        region="Crimea",
        citations=(Citation(source_id=PUBLIC_SOURCE), Citation(source_id=SECRET_SOURCE)),
    )
    logged_and_approved(services, OpenCase("case-a", opened), "a-open")
    detention = DetentionRecorded(
        stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("March 2014")
    )
    logged_and_approved(services, Record("case-a", detention), "a-detention")
    charge = Charge(article="205.5", part="2", label="terrorism")
    logged_and_approved(services, Record("case-a", ChargeBrought(charge=charge)), "a-charge")
    for key, event in (
        ("a-internal", NoteAdded(text=INTERNAL_NOTE, internal=True)),
        ("a-contact", RelativeContactRecorded(name="Lilia", relation="wife", contact=CONTACT)),
        ("a-note", NoteAdded(text="Family visits allowed since 2015")),
    ):
        logged_and_approved(services, Record("case-a", event), key)
    run(services, Record("case-a", Released(date=PartialDate.parse("2019"))), RESEARCHER, "a-rel")
    logged_and_approved(services, OpenCase("case-b", CaseOpened(name="=1+2 Formula")), "b-open")
    run(services, OpenCase("case-c", CaseOpened(name="Pending Person")), RESEARCHER, "c-open")


__all__ = ["CONTACT", "INTERNAL_NOTE", "NOW", "SECRET_TITLE", "build", "logged_and_approved"]
