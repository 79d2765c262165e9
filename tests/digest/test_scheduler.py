"""The scheduler: one leader per PostgreSQL database, a missed schedule runs once on return, and
a running scheduler really sends what is due."""

from __future__ import annotations

import threading
from datetime import timedelta

from sqlalchemy import Engine, update

from tests.digest.conftest import SmtpServer, body
from tests.digest.support import approved, day, subscribed
from tests.web.world import EMAILS, World
from tracker.accounts.sessions import stamp, utc_now
from tracker.db import make_engine
from tracker.digest.model import Subscription
from tracker.digest.outbox import SUBSCRIPTIONS
from tracker.domain.dates import PartialDate
from tracker.domain.events import CustodyStage, DetentionRecorded
from tracker.scheduler import LeaderLock, build_scheduler, digest_job


def _detention(month: str) -> DetentionRecorded:
    return DetentionRecorded(
        stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse(month), act="arrest"
    )


def test_only_one_instance_on_a_postgres_database_holds_the_lock(postgres_url: str) -> None:
    engines = [make_engine(postgres_url) for _ in range(2)]
    first, second = (LeaderLock(e) for e in engines)
    try:
        assert first.acquire() and first.acquire()
        assert not second.acquire()
        first.release()
        assert second.acquire()
        assert not first.acquire()
    finally:
        first.release()
        second.release()
        for engine in engines:
            engine.dispose()


def test_an_instance_that_does_not_lead_sends_nothing(
    world: World, smtp: SmtpServer, database_url: str
) -> None:
    subscribed(world, "advocate")
    approved(world, world.case_id, _detention("2024-05"))
    leader = LeaderLock(world.services.engine)
    assert leader.acquire()
    other = make_engine(database_url)
    try:
        follower = LeaderLock(other)
        report = digest_job(world.services, smtp.mailer(), follower, now=lambda: day(1))
        if database_url.startswith("postgresql"):
            assert report is None and smtp.inbox.messages == []
        else:  # SQLite: one machine, every instance may run the jobs
            assert report is not None and report.sent == 1
        follower.release()
    finally:
        leader.release()
        other.dispose()


def _back_date(engine: Engine, subscription: Subscription, days: int) -> None:
    with engine.begin() as conn:
        conn.execute(
            update(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.id == subscription.id)
            .values(last_run_at=stamp(utc_now() - timedelta(days=days)))
        )


def test_a_running_scheduler_sends_a_digest_missed_while_it_was_down_once(
    world: World, smtp: SmtpServer
) -> None:
    subscription = subscribed(world, "advocate")
    approved(world, world.case_id, _detention("2024-05"))
    approved(world, world.case_id, _detention("2024-06"))
    _back_date(world.services.engine, subscription, days=5)  # five daily slots went by
    arrived = threading.Event()
    mailer = smtp.mailer()

    class Watching:
        def send(self, message: object) -> None:
            mailer.send(message)  # type: ignore[arg-type]
            arrived.set()

    world.services.settings = world.services.settings.model_copy(update={"scheduler_interval": 5})
    scheduler, lock = build_scheduler(world.services, Watching(), background=True)
    job = scheduler.get_job("digests")
    assert job.coalesce is True and job.misfire_grace_time is None and job.max_instances == 1
    scheduler.start()
    try:
        assert arrived.wait(timeout=60), "the scheduler sent nothing"
    finally:
        scheduler.shutdown(wait=True)
        lock.release()
    (message,) = smtp.inbox.to(EMAILS["advocate"])
    assert "[2024-05]" in body(message) and "[2024-06]" in body(message)
