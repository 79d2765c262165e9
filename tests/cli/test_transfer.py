"""`tracker export`, `tracker import` and `tracker log export|import` as a person uses them."""

from __future__ import annotations

import csv
import io
import json
from pathlib import Path

import pytest

from tests.cli.test_cli import tracker

RESEARCHER = "seed-researcher@tracker.example"


@pytest.fixture
def seeded(tmp_path: Path) -> str:
    url = f"sqlite:///{tmp_path / 'cli.db'}"
    assert tracker(url, "demo")[0] == 0
    assert tracker(url, "user", "add", "advocate@example.org", "--role", "advocate")[0] == 0
    return url


def test_export_writes_the_list_with_the_columns_asked_for(seeded: str, tmp_path: Path) -> None:
    out = tmp_path / "cases.csv"

    code, _, err = tracker(seeded, "export", "--columns", "name,status", "--search", "Ахтемов",
                           "-o", str(out))  # fmt: skip

    assert code == 0, err
    rows = list(csv.reader(io.StringIO(out.read_text(encoding="utf-8-sig"))))
    assert rows[1][0] == "# log position" and rows[1][1] == "66"
    assert rows[-3:] == [["Name", "Status"], ["Asan Ahtemov", "in_custody"],
                         ["Aziz Ahtemov", "in_custody"]]  # fmt: skip


def test_export_to_stdout_as_json_and_its_errors(seeded: str) -> None:
    code, out, _ = tracker(seeded, "export", "--format", "json", "--as-of", "2014-01-01")
    assert code == 0 and json.loads(out)["count"] == 10

    code, _, err = tracker(seeded, "export", "--columns", "name,internal_notes")
    assert code == 1 and "column 'internal_notes' is restricted: the advocate role" in err
    code, _, err = tracker(seeded, "export", "--columns", "internal_notes", "--as", RESEARCHER)
    assert code == 0, err
    code, _, err = tracker(seeded, "export", "--status", "jailed")
    assert code == 2 and "--status: unknown status 'jailed'" in err
    code, _, err = tracker(seeded, "export", "--as", "nobody@example.org")
    assert code == 1 and "no active account 'nobody@example.org'" in err


def test_import_previews_with_dry_run_then_commits(seeded: str, tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("Full name;Born;Детention\nIvan Petrenko;1981;12.03.2019\n", "utf-8")
    args = ["import", str(listing), "--map", "Full name=name", "--map", "Born=birth_date"]

    code, out, err = tracker(seeded, *args, "--dry-run", "--as", RESEARCHER)
    assert code == 0, err
    assert "column 'Детention': - (ignored)" in out
    assert "row 2: new" in out and "1 row(s): 1 new, 0 update, 0 unchanged, 0 error" in out

    code, out, _ = tracker(seeded, *args, "--as", RESEARCHER)
    assert code == 0 and "imported: 2 event(s) stored, pending review" in out
    code, out, _ = tracker(seeded, *args, "--as", RESEARCHER)
    assert code == 0 and "row 2: unchanged" in out and "imported: 0 event(s)" in out

    code, _, err = tracker(seeded, *args, "--as", "advocate@example.org")
    assert code == 1 and "the advocate role may not import" in err
    code, _, err = tracker(seeded, "import", str(listing), "--map", "Born", "--as", RESEARCHER)
    assert code == 1 and "--map 'Born': write COLUMN=field" in err


def test_import_with_a_bad_row_shows_it_and_imports_nothing(seeded: str, tmp_path: Path) -> None:
    listing = tmp_path / "list.csv"
    listing.write_text("Name,Detention date\nIvan Petrenko,12.03.2019\nOleh,31.02.2019\n", "utf-8")

    code, out, err = tracker(seeded, "import", str(listing), "--as", RESEARCHER)

    assert code == 1
    assert "row 3, column 'Detention date': '31.02.2019' is not a date" in out
    assert "nothing imported" in err
    assert "intact: 66 events" in tracker(seeded, "verify")[1]


def test_log_export_and_import_move_the_log_to_a_fresh_database(
    seeded: str, tmp_path: Path
) -> None:
    backup = tmp_path / "log.jsonl"
    fresh = f"sqlite:///{tmp_path / 'fresh.db'}"
    assert tracker(fresh, "db", "upgrade")[0] == 0

    code, out, _ = tracker(seeded, "log", "export", str(backup))
    assert code == 0 and out.startswith("exported 66 events")
    code, out, err = tracker(fresh, "log", "import", str(backup))
    assert code == 0, err
    assert "restored 66 events; head position 66" in out

    assert tracker(fresh, "verify")[1] == tracker(seeded, "verify")[1]
    assert tracker(fresh, "cases")[1] == tracker(seeded, "cases")[1]
    code, _, err = tracker(fresh, "log", "import", str(backup))
    assert code == 1 and "the log already holds 66 event(s)" in err
