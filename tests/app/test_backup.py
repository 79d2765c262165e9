"""The whole log as a file: exported, restored into a fresh database (same chain, same read
model, on both engines and across them), and refused when broken, naming the line."""

from __future__ import annotations

import hashlib
import io
import json
from collections.abc import Iterator
from pathlib import Path
from typing import Any

import pytest
from sqlalchemy import Engine, select

from tests.app.transfer_fixtures import build
from tests.support.databases import migrated_sqlite_url, postgres_database
from tracker.application import CaseTracker
from tracker.backup import BackupError, export_log, restore_file, restore_log
from tracker.bootstrap import Services
from tracker.db import make_engine
from tracker.eventstore import open_store
from tracker.eventstore.restore import NotEmpty
from tracker.projections import projector, statistics
from tracker.projections.statistics import catch_up_statistics
from tracker.seeding import run_seed
from tracker.settings import Settings

TABLES = (*projector.SUMMARY_TABLES.values(), projector.QUEUE, statistics.FACETS)


def open_services(url: str) -> Services:
    engine = make_engine(url)
    store = open_store(engine)
    return Services(Settings(database_url=url), engine, store, CaseTracker(store))


@pytest.fixture
def other_url(database_url: str, tmp_path: Path) -> Iterator[str]:
    """A second empty, migrated database on the same engine as `database_url`."""
    if database_url.startswith("sqlite"):
        yield migrated_sqlite_url(tmp_path, "restored.db")
    else:
        with postgres_database(migrate=True) as url:
            yield url


def read_model(engine: Engine) -> dict[str, list[dict[str, Any]]]:
    with engine.connect() as conn:
        return {
            table.name: [
                dict(row)
                for row in conn.execute(select(table).order_by(*table.primary_key.columns))
                .mappings()
                .all()
            ]
            for table in TABLES
        }


def backup_of(services: Services) -> bytes:
    out = io.BytesIO()
    export_log(services.store, out)
    return out.getvalue()


def restored(url: str, data: bytes, tmp_path: Path) -> Services:
    target = open_services(url)
    path = tmp_path / "log.jsonl"
    path.write_bytes(data)
    restore_file(target, path)
    return target


def test_a_restored_log_has_the_same_chain_and_the_same_projections(
    services: Services, other_url: str, tmp_path: Path
) -> None:
    run_seed(services, None)
    build(services)
    catch_up_statistics(services.engine, services.store)

    target = restored(other_url, backup_of(services), tmp_path)

    assert target.store.verify() == services.store.verify()
    assert target.store.verify().intact
    assert list(target.store.iter_all()) == list(services.store.iter_all())
    assert read_model(target.engine) == read_model(services.engine)
    assert target.store.position_at("2026-11-25") == services.store.position_at("2026-11-25")
    target.engine.dispose()


@pytest.mark.postgres
def test_a_sqlite_log_moves_to_postgresql(tmp_path: Path, postgres_url: str) -> None:
    source = open_services(migrated_sqlite_url(tmp_path))
    run_seed(source, None)
    catch_up_statistics(source.engine, source.store)

    target = restored(postgres_url, backup_of(source), tmp_path)

    assert target.store.verify() == source.store.verify()
    assert read_model(target.engine) == read_model(source.engine)
    target.engine.dispose()
    source.engine.dispose()


def test_the_readme_recipe_verifies_the_exported_file(services: Services) -> None:
    run_seed(services, None)
    lines = backup_of(services).decode("utf-8").splitlines()
    header, events = json.loads(lines[0]), [json.loads(line) for line in lines[1:]]
    prev = "0" * 64
    for e in events:  # the README's recipe, on the file alone
        body = {k: e[k] for k in sorted(e) if k not in {"global_position", "prev_hash", "hash"}}
        canonical = json.dumps(body, sort_keys=True, separators=(",", ":"), ensure_ascii=False)
        message = prev.encode() + str(e["global_position"]).encode() + b"\n" + canonical.encode()
        assert hashlib.sha256(message).hexdigest() == e["hash"]
        prev = e["hash"]
    assert (header["head_position"], header["head_hash"]) == (len(events), prev)


def _changed(data: bytes, line: int, change: dict[str, Any]) -> bytes:
    lines = data.split(b"\n")
    event = json.loads(lines[line - 1])
    event.update(change)
    lines[line - 1] = json.dumps(event, ensure_ascii=False).encode()
    return b"\n".join(lines)


@pytest.mark.parametrize(
    ("mutate", "message"),
    [
        (lambda d: _changed(d, 6, {"data": {"name": "altered"}}), "line 6: position 5: hash"),
        (lambda d: _changed(d, 4, {"recorded_at": "2020-01-01T00:00:00.000000Z"}), "line 4: "),
        (lambda d: b"\n".join(d.split(b"\n")[:-3]) + b"\n", "was cut short or altered"),
        (lambda d: d.replace(b"\n", b"\n{not json\n", 1), "line 2: not a JSON line"),
        (
            lambda d: b"\n".join(x for i, x in enumerate(d.split(b"\n")) if i != 3),
            "line 4: position 4 where 3 was expected",
        ),
        (lambda d: _changed(d, 2, {"version": "1"}), "line 2: version has the wrong type"),
        (lambda d: b'{"format": "something else"}\n' + d, "line 1: not a tracker log file"),
    ],
)
def test_a_broken_file_is_refused_naming_the_line_and_nothing_is_stored(
    services: Services, other_url: str, mutate: Any, message: str
) -> None:
    run_seed(services, None)
    data = mutate(backup_of(services))
    target = open_services(other_url)

    with pytest.raises(BackupError, match=message.replace("(", r"\(")):
        restore_log(target.store, io.BytesIO(data))

    assert target.store.head().position == 0
    target.engine.dispose()


def test_a_log_is_restored_only_into_an_empty_database(services: Services) -> None:
    run_seed(services, None)

    with pytest.raises(NotEmpty, match="already holds 66 event"):
        restore_log(services.store, io.BytesIO(backup_of(services)))
