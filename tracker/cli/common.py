"""What every CLI command shares: the database option, wiring, and turning errors into messages."""

from __future__ import annotations

import sys
from collections.abc import Iterator
from contextlib import contextmanager
from datetime import date
from typing import Annotated, NoReturn

import typer
from pydantic import ValidationError
from sqlalchemy.exc import DBAPIError, OperationalError

from tracker.accounts.users import UserError
from tracker.bootstrap import Services, bootstrap
from tracker.domain.decide import DomainError
from tracker.eventstore.model import EventStoreError

DatabaseUrl = Annotated[
    str | None,
    typer.Option(
        "--database-url",
        envvar="TRACKER_DATABASE_URL",
        help="sqlite:///file.db or postgresql+psycopg://user@host/db "
        "(default: sqlite:///tracker.db in the working directory)",
        show_default=False,
    ),
]


def fail(message: str, code: int = 1) -> NoReturn:
    """Print an error to stderr and exit non-zero."""
    typer.echo(f"error: {message}", err=True)
    raise typer.Exit(code)


@contextmanager
def cli_errors() -> Iterator[None]:
    """Known failures become one clear line on stderr and exit 1; never a traceback."""
    try:
        yield
    except typer.Exit:
        raise
    except ValidationError as exc:
        problems = "; ".join(
            f"{'.'.join(str(p) for p in err['loc']) or 'value'}: {err['msg']}"
            for err in exc.errors()
        )
        fail(problems)
    except (DomainError, EventStoreError, UserError, ValueError, FileNotFoundError) as exc:
        fail(str(exc))
    except OperationalError as exc:
        fail(f"cannot use the database: {exc.orig}")
    except DBAPIError as exc:
        fail(f"database error: {exc.orig}")
    except KeyboardInterrupt:
        fail("interrupted", 130)


@contextmanager
def open_services(database_url: str | None, *, migrated: bool = True) -> Iterator[Services]:
    """Wired services; with `migrated`, refuse a database whose schema is not current."""
    with cli_errors():
        services = bootstrap(database_url=database_url)
        try:
            if migrated:
                require_current_schema(services)
            yield services
        finally:
            services.close()


def require_current_schema(services: Services) -> None:
    from tracker.migrate import current_revision, head_revision

    current = current_revision(services.engine)
    if current != head_revision():
        url = services.engine.url.render_as_string(hide_password=True)
        state = "has no tracker schema" if current is None else f"is at revision {current}"
        fail(f"the database {url} {state}; run `tracker db upgrade` first")


def parse_day(value: str | None, option: str) -> date | None:
    """A YYYY-MM-DD option value, or a clear error naming the option."""
    if value is None:
        return None
    try:
        return date.fromisoformat(value)
    except ValueError:
        fail(f"{option}: {value!r} is not a date (YYYY-MM-DD)", 2)


def stdout_is_terminal() -> bool:
    return sys.stdout.isatty()
