"""The scheduled jobs (digest emails) with APScheduler 3.x, run by one instance at a time.

`tracker scheduler` runs them in a process of its own; `tracker serve` may run them in-process
(TRACKER_SERVE_SCHEDULER) on a single machine. On PostgreSQL, every instance tries a session
advisory lock at each check and only the holder runs the jobs, so starting several is safe;
when the holder stops, the next check of another instance takes over. On SQLite there is one
machine, and the lock is always held.

The digest job checks every `scheduler_interval` seconds, and once at start. The job coalesces
(missed checks run once, not once each) and has no misfire limit; what a digest covers is
decided by its watermark, not by the clock, so a digest whose hour passed while nothing ran is
sent once at the first check after, covering everything since the last one.
"""

from __future__ import annotations

import logging
from collections.abc import Callable
from datetime import UTC, datetime

from apscheduler.schedulers.background import BackgroundScheduler  # type: ignore[import-untyped]
from apscheduler.schedulers.base import BaseScheduler  # type: ignore[import-untyped]
from apscheduler.schedulers.blocking import BlockingScheduler  # type: ignore[import-untyped]
from apscheduler.triggers.interval import IntervalTrigger  # type: ignore[import-untyped]
from sqlalchemy import Connection, Engine, text
from sqlalchemy.exc import DBAPIError

from tracker.bootstrap import Services
from tracker.db import is_postgres
from tracker.digest.service import RunReport, send_due
from tracker.mail import Mailer

LOCK_KEY = 7_362_021_005
"""The PostgreSQL advisory lock key of the job runner (the migration lock is ..._001)."""
_log = logging.getLogger("tracker.scheduler")


class LeaderLock:
    """Held by at most one instance per PostgreSQL database, on a connection of its own."""

    def __init__(self, engine: Engine) -> None:
        self.engine = engine
        self._conn: Connection | None = None

    def acquire(self) -> bool:
        """True if this instance holds the lock (taking it if it is free)."""
        if not is_postgres(self.engine):
            return True
        if self._conn is not None:
            try:
                self._conn.execute(text("SELECT 1"))
                self._conn.commit()
                return True
            except DBAPIError:
                self._discard()
        conn = self.engine.connect()
        try:
            taken = bool(
                conn.execute(text("SELECT pg_try_advisory_lock(:key)"), {"key": LOCK_KEY}).scalar()
            )
            conn.commit()
        except DBAPIError:
            conn.invalidate()
            conn.close()
            raise
        if taken:
            self._conn = conn
            return True
        conn.close()
        return False

    def release(self) -> None:
        if self._conn is None:
            return
        try:
            self._conn.execute(text("SELECT pg_advisory_unlock(:key)"), {"key": LOCK_KEY})
            self._conn.commit()
        except DBAPIError:
            self._conn.invalidate()
        self._conn.close()
        self._conn = None

    def _discard(self) -> None:
        if self._conn is not None:
            self._conn.invalidate()  # the server ended the session, and with it the lock
            self._conn.close()
            self._conn = None


def digest_job(
    services: Services,
    mailer: Mailer,
    lock: LeaderLock,
    *,
    now: Callable[[], datetime] = lambda: datetime.now(UTC),
) -> RunReport | None:
    """One check: if this instance leads, record and send what is due. None when it does not."""
    if not lock.acquire():
        return None
    report = send_due(services, mailer, now=now())
    if report.recorded or report.sent or report.failed:
        _log.info(
            "digests: %d recorded, %d sent, %d failed",
            report.recorded,
            report.sent,
            len(report.failed),
        )
    for failure in report.failed:
        _log.warning("digest not sent (will retry): %s", failure)
    return report


def _safe(job: Callable[[], object]) -> Callable[[], None]:
    def run() -> None:
        try:
            job()
        except Exception:  # a bad check must not stop the scheduler; the next one retries
            _log.exception("the digest check failed")

    return run


def build_scheduler(
    services: Services, mailer: Mailer, *, background: bool, lock: LeaderLock | None = None
) -> tuple[BaseScheduler, LeaderLock]:
    """A scheduler with the digest job (not started): background for `serve`, else blocking."""
    leader = lock or LeaderLock(services.engine)
    scheduler: BaseScheduler = (
        BackgroundScheduler(timezone=UTC) if background else BlockingScheduler(timezone=UTC)
    )
    scheduler.add_job(
        _safe(lambda: digest_job(services, mailer, leader)),
        IntervalTrigger(seconds=services.settings.scheduler_interval, timezone=UTC),
        id="digests",
        name="digest emails",
        coalesce=True,
        max_instances=1,
        misfire_grace_time=None,
        next_run_time=datetime.now(UTC),
    )
    return scheduler, leader


__all__ = ["LOCK_KEY", "LeaderLock", "build_scheduler", "digest_job"]
