"""`tracker serve --scheduler` runs the digest jobs beside the web app, and refuses clearly
without an SMTP server to send through."""

from __future__ import annotations

import threading
from datetime import timedelta
from typing import Any

import pytest
import uvicorn
from sqlalchemy import update
from typer.testing import CliRunner

from tests.digest.conftest import SmtpServer
from tests.digest.support import approved, subscribed
from tests.web.world import EMAILS, SECRET, World
from tracker.accounts.sessions import stamp, utc_now
from tracker.cli.main import app
from tracker.digest.outbox import SUBSCRIPTIONS
from tracker.domain.dates import PartialDate
from tracker.domain.events import CustodyStage, DetentionRecorded

runner = CliRunner()


def _env(world: World, smtp_url: str) -> dict[str, str]:
    return {
        "TRACKER_DATABASE_URL": str(world.services.settings.database_url),
        "TRACKER_SECRET_KEY": SECRET,
        "TRACKER_SMTP_URL": smtp_url,
    }


def test_serve_with_the_scheduler_sends_what_is_due(
    world: World, smtp: SmtpServer, monkeypatch: pytest.MonkeyPatch
) -> None:
    subscription = subscribed(world, "advocate")
    approved(
        world,
        world.case_id,
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("2024"), act="arrest"
        ),
    )
    with world.services.engine.begin() as conn:
        conn.execute(
            update(SUBSCRIPTIONS)
            .where(SUBSCRIPTIONS.c.id == subscription.id)
            .values(last_run_at=stamp(utc_now() - timedelta(days=2)))
        )
    served = threading.Event()

    def fake_run(*_args: Any, **_kwargs: Any) -> None:  # stands for uvicorn serving until stopped
        for _ in range(600):
            if smtp.inbox.to(EMAILS["advocate"]):
                break
            served.wait(0.1)
        served.set()

    monkeypatch.setattr(uvicorn, "run", fake_run)
    result = runner.invoke(app, ["serve", "--scheduler"], env=_env(world, smtp.url))
    assert result.exit_code == 0, result.stderr
    assert "digest scheduler: every 60 s, in-process" in result.stdout
    assert len(smtp.inbox.to(EMAILS["advocate"])) == 1


def test_serve_with_the_scheduler_needs_an_smtp_url(
    world: World, monkeypatch: pytest.MonkeyPatch
) -> None:
    ran: list[bool] = []
    monkeypatch.setattr(uvicorn, "run", lambda *_a, **_k: ran.append(True))
    result = runner.invoke(app, ["serve", "--scheduler"], env=_env(world, ""))
    assert result.exit_code == 1 and "TRACKER_SMTP_URL is not set" in result.stderr
    assert ran == []
    plain = runner.invoke(app, ["serve"], env=_env(world, ""))  # no scheduler, no SMTP needed
    assert plain.exit_code == 0 and ran == [True]
