"""The account audit: who changed which account, how, when and from which address.

`account_audit` is append-only in the database itself (triggers refuse UPDATE, DELETE and, on
PostgreSQL, TRUNCATE; migration 0010). An entry is written in the same transaction as the change
it records, so there is no change without its entry and no entry without its change.
"""

from __future__ import annotations

import csv
import getpass
import io
import json
from collections.abc import Iterator
from dataclasses import dataclass

from sqlalchemy import Engine
from sqlmodel import Field, Session, SQLModel, select

from tracker.accounts import texts
from tracker.accounts.sessions import Now, stamp, utc_now
from tracker.exporting.cells import neutralise

COLUMNS = ("id", "at", "actor", "action", "target", "detail", "address")
_PAGE = 1000


class AccountAudit(SQLModel, table=True):
    """One change to an account (or a sign-in event worth keeping, such as a lock-out)."""

    __tablename__ = "account_audit"
    id: int | None = Field(default=None, primary_key=True)
    at: str
    actor_id: str | None = None
    actor: str
    """The email of who did it, or 'command line (os user)'."""
    action: str
    target_id: str | None = None
    target: str = ""
    """The email of the account it was done to."""
    detail: str = ""
    ip: str = ""


@dataclass(frozen=True, slots=True)
class By:
    """Who makes a change, and from where."""

    user_id: str | None
    email: str
    ip: str = ""

    @classmethod
    def command_line(cls) -> By:
        """The `tracker` command, run by the operating-system user at the terminal."""
        try:
            who = getpass.getuser()
        except (KeyError, OSError):  # no name for this uid (some containers)
            who = "unknown"
        return cls(None, f"{texts.COMMAND_LINE} ({who})", texts.COMMAND_LINE)


def record(
    session: Session,
    by: By,
    action: str,
    *,
    target_id: str | None = None,
    target: str = "",
    detail: str = "",
    now: Now = utc_now,
) -> None:
    """Add an entry to the session's transaction (the caller commits it with the change)."""
    session.add(
        AccountAudit(
            at=stamp(now()),
            actor_id=by.user_id,
            actor=by.email[:300],
            action=action,
            target_id=target_id,
            target=target[:300],
            detail=detail[:1000],
            ip=by.ip[:100],
        )
    )


def record_now(
    engine: Engine,
    by: By,
    action: str,
    *,
    target_id: str | None = None,
    target: str = "",
    detail: str = "",
) -> None:
    """Record an entry in a transaction of its own (for what changes nothing else)."""
    with Session(engine) as session:
        record(session, by, action, target_id=target_id, target=target, detail=detail)
        session.commit()


def latest(engine: Engine, *, before: int | None = None, limit: int = 100) -> list[AccountAudit]:
    """The newest entries first, those with an id below `before` when it is given."""
    query = select(AccountAudit).order_by(AccountAudit.id.desc())  # type: ignore[union-attr]
    if before is not None:
        query = query.where(AccountAudit.id < before)  # type: ignore[operator]
    with Session(engine) as session:
        return list(session.exec(query.limit(limit)))


def every_entry(engine: Engine) -> Iterator[AccountAudit]:
    """Every entry, oldest first, read a page at a time."""
    after = 0
    while True:
        with Session(engine) as session:
            page = list(
                session.exec(
                    select(AccountAudit)
                    .where(AccountAudit.id > after)  # type: ignore[operator]
                    .order_by(AccountAudit.id)  # type: ignore[arg-type]
                    .limit(_PAGE)
                )
            )
        yield from page
        if len(page) < _PAGE:
            return
        after = page[-1].id or after


def _values(entry: AccountAudit) -> list[str | int]:
    return [
        entry.id or 0,
        entry.at,
        entry.actor,
        entry.action,
        entry.target,
        entry.detail,
        entry.ip,
    ]


def csv_lines(entries: Iterator[AccountAudit]) -> Iterator[str]:
    """UTF-8 CSV text (with a byte-order mark), every field quoted and no cell a formula."""
    buffer = io.StringIO()
    writer = csv.writer(buffer, quoting=csv.QUOTE_ALL, lineterminator="\r\n")
    buffer.write("\ufeff")
    writer.writerow(COLUMNS)
    for entry in entries:
        writer.writerow([v if isinstance(v, int) else neutralise(v) for v in _values(entry)])
        yield buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
    yield buffer.getvalue()


def json_lines(entries: Iterator[AccountAudit]) -> Iterator[str]:
    """One JSON object per entry and line, the values exactly as stored."""
    for entry in entries:
        yield json.dumps(dict(zip(COLUMNS, _values(entry), strict=True)), ensure_ascii=False)
        yield "\n"


__all__ = [
    "COLUMNS",
    "AccountAudit",
    "By",
    "csv_lines",
    "every_entry",
    "json_lines",
    "latest",
    "record",
    "record_now",
]
