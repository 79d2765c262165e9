"""`tracker token add|list|revoke`: API tokens for other tools (the token is printed once;
only its SHA-256, the token's id, is kept)."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import DatabaseUrl, fail, open_services

token_app = typer.Typer(no_args_is_help=True, help="API tokens for the JSON API.")
Email = Annotated[str, typer.Argument(help="the account's email address")]


@token_app.command("add")
def token_add(
    email: Email,
    name: Annotated[str, typer.Option("--name", help="what the token is for")],
    expires: Annotated[
        str | None,
        typer.Option("--expires", help="YYYY-MM-DD: the token stops working at 00:00 UTC that day"),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Make a token that acts with the account's role, and print it (shown once)."""
    from tracker.accounts.api_tokens import expiry_of, issue_token
    from tracker.accounts.sessions import token_hash
    from tracker.accounts.users import find_user

    if not name.strip() or len(name) > 100:
        fail("--name: give the token a name of 1 to 100 characters", 2)
    try:
        until = expiry_of(expires) if expires is not None else None
    except ValueError as exc:
        fail(f"--expires: {exc}", 2)
    with open_services(database_url) as services:
        user = find_user(services.engine, email)
        if user is None or not user.active:
            fail(f"no active account {email!r}; add one with `tracker user add`")
        token = issue_token(services.engine, user.id, name.strip(), expires_at=until)
    typer.echo(f"token for {user.email} ({user.role}), id {token_hash(token)}")
    if until is not None:
        typer.echo(f"expires {until.isoformat()}")
    typer.echo(f"token (shown once): {token}")


@token_app.command("list")
def token_list(email: Email, database_url: DatabaseUrl = None) -> None:
    """An account's tokens, newest first: id, name, state, created, expires, last used."""
    from tracker.accounts.api_tokens import tokens_of
    from tracker.accounts.users import find_user

    with open_services(database_url) as services:
        user = find_user(services.engine, email)
        if user is None:
            fail(f"no account {email!r}")
        rows = tokens_of(services.engine, user.id)
    if not rows:
        typer.echo(f"{user.email} has no API tokens")
        return
    for row in rows:
        state = "revoked" if row.revoked_at else ("live" if row.live() else "expired")
        typer.echo(
            f"{row.id}  {state:<7}  {row.name}  created {row.created_at}  "
            f"expires {row.expires_at or 'never'}  last used {row.last_used_at or 'never'}"
        )


@token_app.command("revoke")
def token_revoke(
    token_id: Annotated[
        str, typer.Argument(metavar="ID", help="the id `tracker token list` shows")
    ],
    database_url: DatabaseUrl = None,
) -> None:
    """Revoke a token: it stops working at once."""
    from tracker.accounts.api_tokens import revoke_token

    with open_services(database_url) as services:
        revoked = revoke_token(services.engine, token_id.strip())
    if not revoked:
        fail(f"no live token with the id {token_id[:100]!r}")
    typer.echo(f"revoked {token_id.strip()}")


__all__ = ["token_app"]
