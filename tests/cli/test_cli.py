"""The `tracker` command as a person uses it: outputs, exit codes, and clear errors."""

from __future__ import annotations

from pathlib import Path

import pytest
from sqlalchemy import create_engine, text
from typer.testing import CliRunner

from tracker.cli.main import app

runner = CliRunner()


@pytest.fixture
def url(tmp_path: Path) -> str:
    return f"sqlite:///{tmp_path / 'cli.db'}"


def tracker(url: str, *args: str, stdin: str | None = None) -> tuple[int, str, str]:
    result = runner.invoke(app, list(args), env={"TRACKER_DATABASE_URL": url}, input=stdin)
    return result.exit_code, result.stdout, result.stderr


@pytest.fixture
def seeded(url: str) -> str:
    assert tracker(url, "db", "upgrade")[0] == 0
    code, out, _ = tracker(url, "seed")
    assert code == 0 and "seeded: 66 new event(s)" in out
    return url


def test_the_demo_command_migrates_seeds_and_lists_the_cases(url: str) -> None:
    code, out, err = tracker(url, "demo")
    assert code == 0, err
    assert "10 case(s)" in out
    assert "Iryna Danylovych" in out and "in custody" in out
    code, out, _ = tracker(url, "demo")
    assert code == 0 and "0 new event(s)" in out


def test_verify_prints_the_count_and_head_hash_of_an_intact_log(seeded: str) -> None:
    code, out, _ = tracker(seeded, "verify")
    assert code == 0
    lines = out.splitlines()
    assert lines[0] == "intact: 66 events, head position 66"
    assert lines[1].startswith("head hash: ") and len(lines[1].split()[-1]) == 64


def test_verify_names_the_first_altered_position(seeded: str) -> None:
    engine = create_engine(seeded)
    with engine.begin() as conn:
        conn.execute(text("DROP TRIGGER events_no_update"))
        conn.execute(
            text(
                "UPDATE events SET data = json_set(data, '$.description', 'altered') "
                "WHERE global_position = 7"
            )
        )
    engine.dispose()
    code, _, err = tracker(seeded, "verify")
    assert code == 1
    assert "BROKEN at position 7" in err


def test_cases_filters_and_as_of(seeded: str) -> None:
    code, out, _ = tracker(seeded, "cases", "--search", "Ахтемов")
    assert code == 0 and "2 case(s)" in out and "Asan Ahtemov" in out
    code, out, _ = tracker(seeded, "cases", "--as-of", "2020-01-01")
    assert code == 0 and "not established" in out and "in custody" not in out
    code, out, _ = tracker(seeded, "cases", "--status", "in_custody", "--known-at", "2000-01-01")
    assert code == 0 and "0 case(s)" in out


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (["cases", "--as-of", "2020-13-01"], "--as-of: '2020-13-01' is not a date"),
        (["cases", "--known-at", "yesterday"], "--known-at: 'yesterday' is not a date"),
        (["cases", "--status", "jailed"], "--status: unknown status 'jailed'"),
        (["cases", "--act", "nonsense"], "--act: unknown act code 'nonsense'"),
        (["cases", "--review", "maybe"], "--review: 'maybe' is not one of"),
        (["cases", "--sort", "age"], "--sort: 'age' is not one of"),
    ],
)
def test_bad_options_say_what_is_wrong_and_exit_2(
    seeded: str, args: list[str], message: str
) -> None:
    code, _, err = tracker(seeded, *args)
    assert code == 2
    assert message in err


def test_an_unmigrated_database_is_refused_with_the_fix(url: str) -> None:
    code, _, err = tracker(url, "cases")
    assert code == 1
    assert "has no tracker schema; run `tracker db upgrade` first" in err


def test_a_database_that_cannot_be_reached_is_a_clear_error(tmp_path: Path) -> None:
    code, _, err = tracker(f"sqlite:///{tmp_path / 'missing' / 'dir' / 'x.db'}", "verify")
    assert code == 1
    assert err.startswith("error: cannot use the database")


def test_user_add_creates_an_account_once(seeded: str) -> None:
    code, out, _ = tracker(seeded, "user", "add", "Reviewer@Example.org", "--role", "reviewer")
    assert code == 0
    assert "added reviewer@example.org as reviewer" in out
    assert "password (shown once): " in out
    code, _, err = tracker(seeded, "user", "add", "reviewer@example.org", "--role", "admin")
    assert code == 1 and "already has an account" in err
    code, _, err = tracker(seeded, "user", "add", "not-an-email", "--role", "admin")
    assert code == 1 and "is not an email address" in err
    code, _, err = tracker(seeded, "user", "add", "a@b.org", "--role", "king")
    assert code == 2
    code, _, err = tracker(
        seeded, "user", "add", "c@d.org", "--role", "advocate", "--password-stdin", stdin="short\n"
    )
    assert code == 1 and "at least 12 characters" in err


def test_rebuild_and_stats_run_on_the_seeded_log(seeded: str) -> None:
    code, out, _ = tracker(seeded, "rebuild")
    assert code == 0 and "rebuilt from 66 events in 19 streams (log position 66)" in out
    code, out, _ = tracker(seeded, "stats")
    assert code == 0 and "in_custody: 10" in out


@pytest.mark.parametrize(
    "command",
    [[], ["db", "upgrade"], ["seed"], ["demo"], ["cases"], ["verify"], ["rebuild"], ["stats"],
     ["user", "add"], ["bench"]],
)  # fmt: skip
def test_every_command_has_help(url: str, command: list[str]) -> None:
    code, out, _ = tracker(url, *command, "--help")
    assert code == 0 and "Usage:" in out
