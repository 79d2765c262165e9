"""`tracker subscription add|list`, `tracker digest preview|send` as a person uses them."""

from __future__ import annotations

from datetime import timedelta

from sqlalchemy import update
from typer.testing import CliRunner

from tests.digest.conftest import SmtpServer
from tests.digest.support import approved
from tests.web.world import EMAILS, World
from tracker.accounts.sessions import stamp, utc_now
from tracker.cli.main import app
from tracker.digest.outbox import DIGESTS, SUBSCRIPTIONS
from tracker.domain.dates import PartialDate
from tracker.domain.events import CustodyStage, DetentionRecorded

runner = CliRunner()


def tracker(world: World, *args: str, smtp_url: str = "") -> tuple[int, str, str]:
    env = {
        "TRACKER_DATABASE_URL": str(world.services.settings.database_url),
        "TRACKER_SECRET_KEY": "cli-secret-key-that-is-long-enough-0123456789",
        "TRACKER_SMTP_URL": smtp_url,
    }
    result = runner.invoke(app, list(args), env=env)
    return result.exit_code, result.stdout, result.stderr


def test_bad_schedules_get_one_line_naming_the_field(world: World) -> None:
    email = EMAILS["advocate"]
    code, _, err = tracker(
        world, "subscription", "add", email, "--name", "x", "--timezone", "Nowhere/City"
    )
    assert code == 1 and err.strip().splitlines() == [
        "error: timezone: 'Nowhere/City' is not an IANA time zone (e.g. Europe/Kyiv)"
    ]
    code, _, err = tracker(world, "subscription", "add", email, "--name", "x", "--hour", "24")
    assert code == 1 and "error: hour: 24 is not an hour from 0 to 23" in err
    code, _, err = tracker(world, "subscription", "add", "nobody@x.example", "--name", "x")
    assert code == 1 and "there is no account" in err


def test_subscribe_preview_and_send_from_the_command_line(world: World, smtp: SmtpServer) -> None:
    code, out, err = tracker(
        world, "subscription", "add", EMAILS["advocate"], "--name", "Kyiv mornings",
        "--cadence", "daily", "--hour", "7", "--timezone", "Europe/Kyiv", "--changes", "detentions",
    )  # fmt: skip
    assert code == 0, err
    assert "new detentions, and new reports; daily at 07:00 (Europe/Kyiv)" in out
    code, out, _ = tracker(world, "subscription", "list")
    assert code == 0 and "Kyiv mornings" in out and EMAILS["advocate"] in out
    code, out, _ = tracker(world, "digest", "preview")
    assert code == 0 and "nothing to report" in out

    approved(
        world,
        world.case_id,
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("c. 2023"), act="arrest"
        ),
    )
    code, out, _ = tracker(world, "digest", "preview")
    assert code == 0 and "[c. 2023]" in out and f"To: {EMAILS['advocate']}" in out

    code, _, err = tracker(world, "digest", "send")
    assert code == 1 and "TRACKER_SMTP_URL is not set" in err
    code, out, _ = tracker(world, "digest", "send", smtp_url=smtp.url)
    assert code == 0 and "0 digest(s) recorded" in out  # not due until 07:00 Kyiv time
    with world.services.engine.begin() as conn:
        conn.execute(update(SUBSCRIPTIONS).values(last_run_at=stamp(utc_now() - timedelta(days=2))))
    code, out, _ = tracker(world, "digest", "send", smtp_url=smtp.url)
    assert code == 0 and "1 digest(s) recorded, 0 with nothing to report, 1 sent" in out
    assert len(smtp.inbox.to(EMAILS["advocate"])) == 1


def test_a_failed_send_is_kept_with_its_error_and_exits_non_zero(world: World) -> None:
    tracker(
        world, "subscription", "add", EMAILS["researcher"], "--name", "All", "--cadence", "daily"
    )
    approved(
        world,
        world.case_id,
        DetentionRecorded(
            stage=CustodyStage.PRE_TRIAL, date=PartialDate.parse("2023"), act="arrest"
        ),
    )
    with world.services.engine.begin() as conn:
        conn.execute(update(SUBSCRIPTIONS).values(last_run_at=stamp(utc_now() - timedelta(days=2))))
    code, out, err = tracker(world, "digest", "send", smtp_url="smtp://127.0.0.1:9?timeout=2")
    assert code == 1 and "1 digest(s) recorded" in out and "not sent (kept, retried later)" in err
    with world.services.engine.connect() as conn:
        (row,) = conn.execute(DIGESTS.select()).mappings()
    assert row["sent_at"] is None and row["attempts"] == 1 and "127.0.0.1:9" in row["last_error"]
    assert row["next_attempt_at"] > row["created_at"]
