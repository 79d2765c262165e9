"""`tracker export`, `tracker import` and `tracker log export|import`: lists out, lists in, and
the whole log as a backup."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.bootstrap import Services
from tracker.cli.cases import case_filter
from tracker.cli.common import DatabaseUrl, fail, open_services, parse_day
from tracker.domain.roles import Actor, Role

log_app = typer.Typer(no_args_is_help=True, help="The whole log: backup and restore.")

AsUser = Annotated[
    str | None,
    typer.Option("--as", help="the account the command acts for (its role decides)"),
]


def _actor(services: Services, email: str | None) -> Actor | None:
    if email is None:
        return None
    from tracker.accounts.users import find_user

    user = find_user(services.engine, email)
    if user is None or not user.active:
        fail(f"--as: no active account {email!r}; add one with `tracker user add`")
    return Actor(user.email, Role(user.role))


def export(
    format: Annotated[str, typer.Option("--format", help="csv, json or xlsx")] = "csv",
    columns: Annotated[
        str,
        typer.Option(help="comma-separated column keys in order, or 'all' (default: public)"),
    ] = "",
    output: Annotated[
        Path | None, typer.Option("--output", "-o", help="file to write (default: stdout)")
    ] = None,
    search: Annotated[str, typer.Option(help="name or part of it, in any script")] = "",
    status: Annotated[str | None, typer.Option(help="e.g. pre_trial_detention")] = None,
    act: Annotated[str | None, typer.Option(help="act code, e.g. search_raid")] = None,
    charge: Annotated[str | None, typer.Option(help="charge slug, e.g. uk-205-5-ch-2")] = None,
    region: Annotated[str | None, typer.Option()] = None,
    review: Annotated[str | None, typer.Option(help="approved, pending or rejected")] = None,
    sort: Annotated[str, typer.Option(help="name, status, detention_date, ...")] = "name",
    descending: Annotated[bool, typer.Option("--desc", help="reverse the order")] = False,
    as_of: Annotated[str | None, typer.Option("--as-of", help="as things stood that day")] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="as the log stood at the end of that day")
    ] = None,
    as_user: AsUser = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Export the case list as CSV, JSON or XLSX, stating the log head it was made from.

    Restricted columns need --as with a researcher, reviewer or admin account; without --as
    the export holds public columns only."""
    from tracker.exporting import ExportRequest, export_cases

    f = case_filter(search, status, act, charge, region, review, sort, descending)
    keys = tuple(key.strip() for key in columns.split(",") if key.strip())
    request = ExportRequest(
        format, keys, f, parse_day(as_of, "--as-of"), parse_day(known_at, "--known-at")
    )
    if format == "xlsx" and output is None and sys.stdout.isatty():
        fail("--format xlsx: give -o FILE (a workbook is not for the terminal)", 2)
    with open_services(database_url) as services:
        actor = _actor(services, as_user)
        made = export_cases(services, request, actor.role if actor else Role.ADVOCATE)
        if output is None:
            for chunk in made.chunks:
                sys.stdout.buffer.write(chunk)
            sys.stdout.buffer.flush()
            return
        partial = output.with_name(output.name + ".partial")
        try:
            with partial.open("wb") as out:
                for chunk in made.chunks:
                    out.write(chunk)
            partial.replace(output)
        finally:
            partial.unlink(missing_ok=True)
    typer.echo(f"wrote {output}", err=True)


def import_(
    file: Annotated[Path, typer.Argument(help="a .csv or .xlsx file", exists=True, dir_okay=False)],
    dry_run: Annotated[
        bool, typer.Option("--dry-run", help="show what would happen; write nothing")
    ] = False,
    map_: Annotated[
        list[str] | None,
        typer.Option("--map", help="COLUMN=field (or COLUMN=ignore); repeat for more columns"),
    ] = None,
    as_user: AsUser = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Import a spreadsheet list: a preview per row, then all rows in one transaction.

    The events are logged by the --as account (researcher, reviewer or admin) and wait for
    review. A file with any bad row imports nothing; importing a file again changes nothing."""
    from tracker.importing import ImportRefused, commit_import, parse_map, preview_import

    if as_user is None:
        fail("--as: name the account the import is logged by (researcher, reviewer or admin)", 2)
    data = file.read_bytes()
    with open_services(database_url) as services:
        actor = _actor(services, as_user)
        assert actor is not None
        mapping = parse_map(map_ or [])
        if dry_run:
            preview = preview_import(services, data, file.name, actor, mapping)
            _show(preview)
            if not preview.ok:
                raise typer.Exit(1)
            return
        try:
            result = commit_import(services, data, file.name, actor, mapping)
        except ImportRefused as refused:
            _show(refused.preview)
            fail("nothing imported: the file has errors (see above)")
    _show(result.preview)
    typer.echo(f"imported: {result.events} event(s) stored, pending review")


def _show(preview: object) -> None:
    from tracker.importing import ImportPreview

    assert isinstance(preview, ImportPreview)
    typer.echo(f"{preview.filename}: {preview.encoding}, sha256 {preview.digest[:16]}...")
    for use in preview.columns:
        target = use.field or "-"
        typer.echo(f"  column {use.header!r}: {target} ({use.how})")
    for message in preview.problems:
        typer.echo(f"error: {message}")
    for row in preview.rows:
        line = f"row {row.row}: {row.outcome.value}"
        if row.match is not None:
            m = row.match
            line += f" {m.case_id} ({m.name}, born {m.birth_date}; matched by {m.how})"
        elif row.case_id:
            line += f" {row.case_id}"
        typer.echo(f"{line} - {row.name}")
        for change in row.changes:
            typer.echo(f"    + {change}")
        for warning in row.warnings:
            typer.echo(f"    ! {warning}")
        for problem in row.problems:
            typer.echo(f"    error: {problem}")
    counts = ", ".join(f"{n} {outcome}" for outcome, n in preview.counts().items())
    typer.echo(f"{len(preview.rows)} row(s): {counts}")


@log_app.command("export")
def log_export(
    file: Annotated[Path, typer.Argument(help="the .jsonl file to write")],
    database_url: DatabaseUrl = None,
) -> None:
    """Write every event with its position and hashes to a JSON Lines file (the backup)."""
    from tracker.backup import export_log_file

    with open_services(database_url) as services:
        head = export_log_file(services.store, file)
    typer.echo(f"exported {head.position} events to {file}")
    typer.echo(f"head hash: {head.hash}")


@log_app.command("import")
def log_import(
    file: Annotated[Path, typer.Argument(help="a .jsonl file from `tracker log export`",
                                         exists=True, dir_okay=False)],
    database_url: DatabaseUrl = None,
) -> None:  # fmt: skip
    """Restore a log file into an EMPTY database (same chain, same projections), checking
    every line as it is read; a broken or altered file is refused, naming the line."""
    from tracker.backup import restore_file

    with open_services(database_url) as services:
        report, rebuilt = restore_file(services, file)
    typer.echo(f"restored {report.events} events; head position {report.head.position}")
    typer.echo(f"head hash: {report.head.hash}")
    typer.echo(f"projections rebuilt from {rebuilt.events} events in {rebuilt.streams} streams")


__all__ = ["export", "import_", "log_app"]
