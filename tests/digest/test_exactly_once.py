"""Digests over real SMTP: the right changes, nothing restricted for advocates, each range once,
and crashes between recording, sending and marking sent that lose nothing and send nothing new."""

from __future__ import annotations

import threading

import pytest
from sqlmodel import Session, select

from tests.digest.conftest import SmtpServer, body
from tests.digest.support import REVIEWER, approved, day, logged, subscribed
from tests.web.world import EMAILS, MARKERS, World, rewire
from tracker.digest.model import DigestRow, Subscription
from tracker.digest.outbox import LEASE
from tracker.digest.service import Hooks, send_due
from tracker.domain.commands import Review
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CustodyStage,
    Decision,
    DetentionRecorded,
    NoteAdded,
    RelativeContactRecorded,
    SourceCited,
)
from tracker.domain.values import Citation

SECRET_NOTE = "NEW-INTERNAL-NOTE-IN-RANGE"


class Crash(Exception):
    """Stands for the process dying at a hook."""


def _detention(month: str) -> DetentionRecorded:
    return DetentionRecorded(
        stage=CustodyStage.PRE_TRIAL,
        date=PartialDate.parse(month),
        act="arrest",
        place="Simferopol",
    )


def _rows(world: World) -> list[DigestRow]:
    with Session(world.services.engine) as session:
        return list(session.exec(select(DigestRow).order_by(DigestRow.id)))  # type: ignore[arg-type]


def _crash(_row: DigestRow) -> None:
    raise Crash


def test_a_digest_arrives_with_the_approved_changes_and_nothing_restricted(
    world: World, smtp: SmtpServer
) -> None:
    advocate = subscribed(world, "advocate")
    researcher = subscribed(world, "researcher")
    approved(world, world.case_id, _detention("2024-05"))
    approved(world, world.case_id, NoteAdded(text=SECRET_NOTE, internal=True))
    approved(world, world.case_id, RelativeContactRecorded(name="Kin", contact=MARKERS["contact"]))
    claim = Citation(source_id=world.confidential_source, claim=MARKERS["claim"])
    approved(world, world.case_id, SourceCited(citation=claim))
    logged(world, world.case_id, NoteAdded(text="awaiting review", internal=False))

    report = send_due(world.services, smtp.mailer(), now=day(1))

    assert (report.recorded, report.sent, report.failed) == (2, 2, [])
    head = world.services.store.head()
    (to_advocate,) = smtp.inbox.to(EMAILS["advocate"])
    text, html = body(to_advocate), body(to_advocate, "html")
    for part in (text, html):
        assert "Detained (arrest) at Simferopol: pre-trial detention [2024-05]" in part
        assert f"http://127.0.0.1:8000/cases/{world.case_id}" in part
        assert str(head.position) in part and head.hash in part
        assert "1 change logged in this period is still pending review" in part
        assert f"/subscriptions/{advocate.id}/unsubscribe?token=" in part
        for secret in (SECRET_NOTE, "Internal note", "Contact recorded", world.confidential_source):
            assert secret not in part
        assert "awaiting review" not in part
    assert "1 approved change in 1 record" in to_advocate["Subject"]
    expected_id = f"<digest.{advocate.id}.{advocate.watermark}-{head.position}@127.0.0.1>"
    assert to_advocate["Message-ID"] == expected_id
    (to_researcher,) = smtp.inbox.to(EMAILS["researcher"])
    text = body(to_researcher)
    assert f"Internal note: {SECRET_NOTE}" in text and "Contact recorded" in text
    assert world.confidential_source in text and "4 approved changes" in to_researcher["Subject"]
    assert f"/subscriptions/{researcher.id}/unsubscribe" in text


def test_a_second_run_sends_nothing_and_later_changes_go_in_the_next_digest_only(
    world: World, smtp: SmtpServer
) -> None:
    subscribed(world, "advocate")
    approved(world, world.case_id, _detention("2024-05"))
    assert send_due(world.services, smtp.mailer(), now=day(1)).sent == 1
    again = send_due(world.services, smtp.mailer(), now=day(1))
    assert (again.recorded, again.sent) == (0, 0)
    nothing = send_due(world.services, smtp.mailer(), now=day(2))
    assert (nothing.recorded, nothing.empty, nothing.sent) == (0, 1, 0)

    approved(world, world.case_id, _detention("2024-07"))
    assert send_due(world.services, smtp.mailer(), now=day(3)).sent == 1

    first, second = (body(m) for m in smtp.inbox.to(EMAILS["advocate"]))
    assert "[2024-05]" in first and "[2024-07]" not in first
    assert "[2024-07]" in second and "[2024-05]" not in second
    ranges = [(r.from_position, r.to_position) for r in _rows(world)]
    assert ranges[0][1] < ranges[1][1] and ranges[1][0] >= ranges[0][1]


def test_a_change_logged_in_one_range_and_approved_in_the_next_is_reported_once_approved(
    world: World, smtp: SmtpServer
) -> None:
    subscribed(world, "advocate")
    approved(world, world.case_id, _detention("2024-05"))
    pending = logged(world, world.case_id, _detention("2024-09"))
    send_due(world.services, smtp.mailer(), now=day(1))
    world.services.tracker.execute(
        Review(world.case_id, pending, Decision.APPROVED, "ok"), REVIEWER
    )
    send_due(world.services, smtp.mailer(), now=day(2))
    first, second = (body(m) for m in smtp.inbox.to(EMAILS["advocate"]))
    assert "[2024-09]" not in first and "1 change logged in this period is still pending" in first
    assert "[2024-09]" in second and "[2024-05]" not in second


def test_a_crash_between_recording_and_sending_sends_the_recorded_digest_later(
    world: World, smtp: SmtpServer
) -> None:
    subscription = subscribed(world, "advocate")
    approved(world, world.case_id, _detention("2024-05"))
    with pytest.raises(Crash):
        send_due(world.services, smtp.mailer(), now=day(1), hooks=Hooks(after_record=_crash))
    assert smtp.inbox.messages == []
    (recorded,) = _rows(world)
    assert recorded.sent_at is None

    approved(world, world.case_id, _detention("2024-07"))  # after the recorded range
    report = send_due(world.services, smtp.mailer(), now=day(1))
    assert (report.recorded, report.sent) == (0, 1)
    (message,) = smtp.inbox.to(EMAILS["advocate"])
    assert message["Message-ID"] == recorded.message_id
    assert "[2024-05]" in body(message) and "[2024-07]" not in body(message)

    send_due(world.services, smtp.mailer(), now=day(2))
    later = smtp.inbox.to(EMAILS["advocate"])[1]
    assert "[2024-07]" in body(later) and "[2024-05]" not in body(later)
    assert later["Message-ID"] != recorded.message_id
    with Session(world.services.engine) as session:
        stored = session.get(Subscription, subscription.id)
    assert stored is not None and stored.watermark == world.services.store.head().position


def test_a_crash_between_sending_and_marking_sent_resends_the_same_message_only(
    world: World, smtp: SmtpServer
) -> None:
    subscribed(world, "advocate")
    approved(world, world.case_id, _detention("2024-05"))
    with pytest.raises(Crash):
        send_due(world.services, smtp.mailer(), now=day(1), hooks=Hooks(after_send=_crash))
    assert len(smtp.inbox.messages) == 1
    approved(world, world.case_id, _detention("2024-07"))

    held = send_due(world.services, smtp.mailer(), now=day(1))  # the dead sender's lease holds
    assert held.sent == 0 and len(smtp.inbox.messages) == 1
    send_due(world.services, smtp.mailer(), now=day(1) + LEASE + LEASE)
    first, again = smtp.inbox.to(EMAILS["advocate"])
    assert again["Message-ID"] == first["Message-ID"]
    assert body(again) == body(first) and "[2024-07]" not in body(again)
    assert send_due(world.services, smtp.mailer(), now=day(1) + 3 * LEASE).sent == 0
    (row,) = _rows(world)
    assert row.sent_at is not None


def test_two_schedulers_racing_on_one_database_send_each_digest_once(
    world: World, smtp: SmtpServer, database_url: str
) -> None:
    ids = [subscribed(world, role, name=f"{role} digest").id for role in EMAILS]
    approved(world, world.case_id, _detention("2024-05"))
    others = [rewire(world, database_url) for _ in range(2)]
    barrier = threading.Barrier(2)
    errors: list[BaseException] = []

    def run(services: object) -> None:
        try:
            barrier.wait()
            for n in (1, 2):
                send_due(services, smtp.mailer(), now=day(n))  # type: ignore[arg-type]
        except BaseException as exc:
            errors.append(exc)

    threads = [threading.Thread(target=run, args=(w.services,)) for w in others]
    for t in threads:
        t.start()
    for t in threads:
        t.join()
    for w in others:
        w.services.close()
    assert errors == []
    message_ids = [m["Message-ID"] for m in smtp.inbox.messages]
    assert len(message_ids) == len(ids) == len(set(message_ids))
    assert sorted(m["To"] for m in smtp.inbox.messages) == sorted(EMAILS.values())
