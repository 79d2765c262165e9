"""`tracker audit` (the account audit, exported) and `tracker user reset-2fa` (for an account
that lost its authenticator and recovery codes when no other admin can reset it)."""

from __future__ import annotations

import sys
from pathlib import Path
from typing import Annotated

import typer

from tracker.cli.common import DatabaseUrl, fail, open_services

FORMATS = ("csv", "jsonl")


def audit(
    format: Annotated[str, typer.Option("--format", help="csv or jsonl")] = "csv",
    output: Annotated[
        Path | None, typer.Option("-o", "--output", help="write to this file (default: stdout)")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Export the account audit, oldest first: id, when, who, what, which account, detail,
    from which address. CSV cells never start like a formula; JSON Lines are exact."""
    from tracker.accounts.audit import csv_lines, every_entry, json_lines

    if format not in FORMATS:
        fail(f"--format: {format[:20]!r} is not one of {', '.join(FORMATS)}", 2)
    with open_services(database_url) as services:
        entries = every_entry(services.engine)
        lines = csv_lines(entries) if format == "csv" else json_lines(entries)
        if output is None:
            for line in lines:
                sys.stdout.write(line)
            return
        with output.open("w", encoding="utf-8", newline="") as out:
            for line in lines:
                out.write(line)
    typer.echo(f"wrote the account audit to {output}", err=True)


def reset_two_factor(
    email: Annotated[str, typer.Argument(help="the account's email address")],
    database_url: DatabaseUrl = None,
) -> None:
    """Remove an account's authenticator and recovery codes and end its sessions (it sets up
    two-factor sign-in again at its next sign-in). Recorded in the audit."""
    from tracker.accounts.admin_actions import find_account, reset_two_factor
    from tracker.accounts.audit import By

    with open_services(database_url) as services:
        user = find_account(services.engine, email)
        reset_two_factor(services.engine, user.id, By.command_line())
    typer.echo(f"two-factor sign-in of {user.email} reset; its sessions ended")


__all__ = ["audit", "reset_two_factor"]
