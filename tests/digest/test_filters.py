"""Saved filters pick what a digest lists: new detentions, status changes, a region, followed
cases, reports; a new case appears once its opening is approved; corrections and retractions
of what was reported are listed as such."""

from __future__ import annotations

import uuid

from tests.digest.conftest import SmtpServer, body
from tests.digest.support import RESEARCHER, REVIEWER, approved, day, subscribed
from tests.web.world import EMAILS, World
from tracker.digest.service import send_due
from tracker.domain.commands import OpenCase, OpenReport, Retract, Review
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CaseOpened,
    CustodyStage,
    Decision,
    DetentionRecorded,
    HealthConcernReported,
    ReportLinkedToCase,
    ReportOpened,
)


def _open(world: World, command: OpenCase | OpenReport) -> None:
    run = world.services.tracker.execute
    event_id = run(command, RESEARCHER).events[0].event_id
    run(Review(command.stream_id, event_id, Decision.APPROVED, "ok"), REVIEWER)


def test_each_filter_gets_only_its_kind_of_change(world: World, smtp: SmtpServer) -> None:
    subscribed(world, "advocate", name="Detentions", changes="detentions")
    subscribed(world, "reviewer", name="Statuses", changes="status", reports=False)
    subscribed(world, "researcher", name="Kherson", region="Kherson region")
    subscribed(world, "admin", name="Followed", case_ids=[world.case_id], reports=False)
    new_case = f"case-{uuid.uuid4()}"
    _open(world, OpenCase(new_case, CaseOpened(name="Olena Newcase", region="Kherson region")))
    approved(
        world,
        new_case,
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("2025-11"), act="arrest"
        ),
    )
    approved(world, world.case_id, HealthConcernReported(concern="needs a doctor"))
    report = f"report-{uuid.uuid4()}"
    _open(
        world,
        OpenReport(report, ReportOpened(title="Searches in Henichesk", region="Kherson region")),
    )
    approved(world, report, ReportLinkedToCase(case_id=new_case))

    send_due(world.services, smtp.mailer(), now=day(1))

    def text(role: str) -> str:
        (message,) = smtp.inbox.to(EMAILS[role])
        return body(message)

    detentions = text("advocate")
    assert "Olena Newcase" in detentions and "[2025-11]" in detentions
    assert "Health concern" not in detentions and "Searches in Henichesk" in detentions
    statuses = text("reviewer")
    assert "Olena Newcase" in statuses and "(new)" in statuses
    assert "Health concern" not in statuses and "Searches in Henichesk" not in statuses
    kherson = text("researcher")
    assert "Olena Newcase" in kherson and "Report opened: Searches in Henichesk" in kherson
    assert f"Linked to case {new_case}" in kherson and "needs a doctor" not in kherson
    followed = text("admin")
    assert "Health concern: needs a doctor" in followed and "Olena Newcase" not in followed


def test_a_withdrawn_fact_is_reported_as_withdrawn(world: World, smtp: SmtpServer) -> None:
    subscribed(world, "advocate")
    fact = approved(world, world.case_id, HealthConcernReported(concern="fever"))
    send_due(world.services, smtp.mailer(), now=day(1))
    run = world.services.tracker.execute
    retraction = run(Retract(world.case_id, fact, "duplicate of an earlier report"), RESEARCHER)
    event_id = retraction.events[0].event_id
    run(Review(world.case_id, event_id, Decision.APPROVED, "ok"), REVIEWER)
    send_due(world.services, smtp.mailer(), now=day(2))
    first, second = (body(m) for m in smtp.inbox.to(EMAILS["advocate"]))
    assert "Health concern: fever" in first
    assert "Withdrawn: Health concern: fever" in second


def test_names_in_the_html_digest_are_escaped(world: World, smtp: SmtpServer) -> None:
    subscribed(world, "advocate", name="<b>mine</b>")
    new_case = f"case-{uuid.uuid4()}"
    _open(world, OpenCase(new_case, CaseOpened(name="<script>alert(1)</script> Doe")))
    send_due(world.services, smtp.mailer(), now=day(1))
    (message,) = smtp.inbox.to(EMAILS["advocate"])
    html = body(message, "html")
    assert "&lt;script&gt;alert(1)&lt;/script&gt; Doe" in html and "<script>" not in html
    assert "&lt;b&gt;mine&lt;/b&gt;" in html and "<b>mine" not in html
    assert "<script>alert(1)</script> Doe" in body(message)  # the text part is plain text
