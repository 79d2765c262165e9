"""The README stays honest: its hash recipe verifies a real log, and it documents every command."""

from __future__ import annotations

import re
from pathlib import Path

from typer.main import get_command

from tests.support.databases import migrated_sqlite_url
from tracker.application import CaseTracker
from tracker.bootstrap import Services
from tracker.cli.main import app
from tracker.db import make_engine
from tracker.eventstore import open_store
from tracker.seeding import run_seed
from tracker.settings import Settings

README = (Path(__file__).resolve().parent.parent / "README.md").read_text(encoding="utf-8")


def _section(title: str) -> str:
    start = README.index(f"## {title}")
    end = README.find("\n## ", start + 1)
    return README[start : end if end != -1 else None]


def test_the_readme_hash_recipe_reproduces_every_hash_of_a_real_log(tmp_path: Path) -> None:
    engine = make_engine(migrated_sqlite_url(tmp_path))
    store = open_store(engine)
    run_seed(Services(Settings(), engine, store, CaseTracker(store)), None)
    (snippet,) = re.findall(r"```python\n(.*?)```", _section("The hash chain"), re.S)
    prev = "0" * 64
    for event in store.iter_all():
        exported = {
            "global_position": event.global_position,
            "stream_id": event.stream_id,
            "version": event.version,
            "event_id": event.event_id,
            "type": event.type,
            "schema_version": event.schema_version,
            "data": event.data,
            "metadata": event.metadata,
            "recorded_at": event.recorded_at,
        }
        scope = {"e": exported, "prev": prev}
        exec(snippet, scope)  # the README's own lines
        assert scope["h"] == event.hash, f"position {event.global_position}"
        prev = event.hash
    engine.dispose()


def test_the_readme_documents_every_command() -> None:
    documented = _section("The command line")
    names = []
    for name, command in get_command(app).commands.items():  # type: ignore[attr-defined]
        subcommands = getattr(command, "commands", {})
        names += [f"tracker {name} {sub}" for sub in subcommands] or [f"tracker {name}"]
    assert len(names) >= 9
    assert [name for name in names if f"`{name}" not in documented] == []


def test_the_quick_start_is_two_commands() -> None:
    commands = re.findall(r"```sh\n(.*?)```", _section("Quick start"), re.S)[0].strip().splitlines()
    assert [line.split("#")[0].strip() for line in commands] == [
        "uv run tracker serve --demo",
        "uv run pytest",
    ]
