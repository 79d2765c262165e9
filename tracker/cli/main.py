"""The `tracker` command: thin wrappers over the services; each says what went wrong and exits 1."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli import accounts as accounts_cli
from tracker.cli import bench as bench_cli
from tracker.cli import digest as digest_cli
from tracker.cli import transfer
from tracker.cli.cases import cases
from tracker.cli.common import DatabaseUrl, cli_errors, fail, open_services
from tracker.cli.serve import serve
from tracker.cli.tokens import token_app
from tracker.domain.roles import Role

app = typer.Typer(
    no_args_is_help=True,
    add_completion=False,
    help="Event-sourced, hash-chained tracker of political prisoners and persecution.",
)
db_app = typer.Typer(no_args_is_help=True, help="The database schema.")
user_app = typer.Typer(no_args_is_help=True, help="Accounts.")
app.add_typer(db_app, name="db")
app.add_typer(user_app, name="user")
app.command()(cases)
app.command(name="bench")(bench_cli.bench)
app.command()(serve)
app.command(name="export")(transfer.export)
app.command(name="import")(transfer.import_)
app.add_typer(transfer.log_app, name="log")
app.add_typer(token_app, name="token")
app.add_typer(digest_cli.digest_app, name="digest")
app.add_typer(digest_cli.subscription_app, name="subscription")
app.command(name="scheduler")(digest_cli.scheduler)
app.command(name="audit")(accounts_cli.audit)
user_app.command("reset-2fa")(accounts_cli.reset_two_factor)


@db_app.command("upgrade")
def db_upgrade(
    revision: Annotated[str, typer.Option(help="target revision")] = "head",
    database_url: DatabaseUrl = None,
) -> None:
    """Create or upgrade the schema (event log, triggers, read model)."""
    from tracker.migrate import current_revision, upgrade

    with open_services(database_url, migrated=False) as services:
        upgrade(services.engine, revision)
        typer.echo(f"database at revision {current_revision(services.engine)}")


@app.command()
def seed(
    file: Annotated[
        Path | None, typer.Option(help="a seed file (default: every seeds/*.toml)")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Load the demo data through the ordinary command path. Safe to run twice."""
    from tracker.seeding import run_seed

    with open_services(database_url) as services:
        stored, replayed = run_seed(services, [file] if file else None)
        typer.echo(f"seeded: {stored} new event(s), {replayed} already present")


@app.command()
def demo(database_url: DatabaseUrl = None) -> None:
    """Upgrade the database, load the demo data and print the case list."""
    from tracker.migrate import upgrade
    from tracker.seeding import run_seed

    with open_services(database_url, migrated=False) as services:
        upgrade(services.engine)
        stored, replayed = run_seed(services, None)
        typer.echo(f"demo data: {stored} new event(s), {replayed} already present")
    cases(database_url=database_url)


@app.command()
def verify(database_url: DatabaseUrl = None) -> None:
    """Walk the hash chain. Exit 0 with the count and head hash if intact, 1 if not."""
    with open_services(database_url) as services:
        result = services.store.verify()
    if result.intact:
        typer.echo(f"intact: {result.count} events, head position {result.count}")
        typer.echo(f"head hash: {result.head_hash}")
        return
    typer.echo(
        f"BROKEN at position {result.first_bad_position}: {result.problem} "
        f"({result.count} events verified before it)",
        err=True,
    )
    raise typer.Exit(1)


@app.command()
def rebuild(database_url: DatabaseUrl = None) -> None:
    """Rebuild every projection from the log."""
    from tracker.projections.rebuild import rebuild as do_rebuild

    with open_services(database_url) as services:
        report = do_rebuild(services.engine, services.store)
    typer.echo(
        f"rebuilt from {report.events} events in {report.streams} streams "
        f"(log position {report.position})"
    )


@app.command()
def stats(database_url: DatabaseUrl = None) -> None:
    """Counts of approved cases by status, act, charge and year; reports by act and year."""
    from tracker.projections.statistics import catch_up_statistics, counts

    with open_services(database_url) as services:
        catch_up_statistics(services.engine, services.store)
        with services.engine.connect() as conn:
            result = counts(conn)
    for dimension, keys in result.items():
        typer.echo(f"{dimension}:")
        for key, count in keys.items():
            typer.echo(f"  {key}: {count}")


@user_app.command("add")
def user_add(
    email: Annotated[str, typer.Argument(help="the person's email address")],
    role: Annotated[Role, typer.Option(help="admin, reviewer, researcher or advocate")],
    password_stdin: Annotated[
        bool, typer.Option("--password-stdin", help="read the password from standard input")
    ] = False,
    database_url: DatabaseUrl = None,
) -> None:
    """Create an account. Without --password-stdin a random password is generated and shown once.
    A chosen password must have 12 characters or more and not be a common one."""
    from tracker.accounts.admin_actions import add_account
    from tracker.accounts.audit import By
    from tracker.accounts.users import generate_password

    password = sys.stdin.readline().rstrip("\n") if password_stdin else generate_password()
    with open_services(database_url) as services:
        user = add_account(services.engine, email, role, password, By.command_line())
    typer.echo(f"added {user.email} as {user.role}")
    if not password_stdin:
        typer.echo(f"password (shown once): {password}")


def run() -> None:
    """Console-script entry point."""
    with cli_errors():
        app()


__all__ = ["app", "fail", "run"]
