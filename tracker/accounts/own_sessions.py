"""One's own live sessions, as the account page lists them (browser, address, last seen), and
ending one of them or all but the current one. Built on `sessions.UserSession`, unchanged."""

from __future__ import annotations

import re
from dataclasses import dataclass

from sqlalchemy import Engine, update
from sqlmodel import Session, select

from tracker.accounts.sessions import IDLE_LIMIT, Now, UserSession, stamp, utc_now

_BROWSERS = (
    ("Edg/", "Edge"),
    ("OPR/", "Opera"),
    ("Firefox/", "Firefox"),
    ("Chromium/", "Chromium"),
    ("Chrome/", "Chrome"),
    ("Safari/", "Safari"),
    ("curl/", "curl"),
)
_SYSTEMS = (
    ("Android", "Android"),
    ("iPhone", "iOS"),
    ("iPad", "iPadOS"),
    ("Windows", "Windows"),
    ("Mac OS X", "macOS"),
    ("CrOS", "ChromeOS"),
    ("Linux", "Linux"),
)
_VERSION = re.compile(r"^(\d+)")


@dataclass(frozen=True, slots=True)
class LiveSession:
    """A live session as its owner sees it."""

    id: str
    browser: str
    user_agent: str
    ip: str
    created_at: str
    last_seen_at: str
    current: bool


def describe_browser(user_agent: str) -> str:
    """'Firefox 131 on Linux' from a User-Agent header; '' when it names nothing known."""
    browser = ""
    for token, name in _BROWSERS:
        at = user_agent.find(token)
        if at >= 0:
            version = _VERSION.match(user_agent[at + len(token) :])
            browser = f"{name} {version.group(1)}" if version and name != "Safari" else name
            break
    system = next((name for token, name in _SYSTEMS if token in user_agent), "")
    if browser and system:
        return f"{browser} on {system}"
    return browser or system


def live_sessions_of(
    engine: Engine, user_id: str, current_id: str, *, now: Now = utc_now
) -> list[LiveSession]:
    """The account's sessions that are not revoked, expired or idle too long, latest first."""
    moment = now()
    with Session(engine) as session:
        rows = session.exec(
            select(UserSession)
            .where(
                UserSession.user_id == user_id,
                UserSession.revoked_at.is_(None),  # type: ignore[union-attr]
                UserSession.expires_at > stamp(moment),
                UserSession.last_seen_at > stamp(moment - IDLE_LIMIT),
            )
            .order_by(UserSession.last_seen_at.desc())  # type: ignore[attr-defined]
        ).all()
    return [
        LiveSession(
            id=row.id,
            browser=describe_browser(row.user_agent),
            user_agent=row.user_agent,
            ip=row.ip,
            created_at=row.created_at,
            last_seen_at=row.last_seen_at,
            current=row.id == current_id,
        )
        for row in rows
    ]


def end_session_of(session: Session, user_id: str, session_id: str, *, now: Now = utc_now) -> bool:
    """End one live session of the account (in the caller's transaction); False if it has no
    such session."""
    result = session.execute(
        update(UserSession)
        .where(
            UserSession.id == session_id,  # type: ignore[arg-type]
            UserSession.user_id == user_id,  # type: ignore[arg-type]
            UserSession.revoked_at.is_(None),  # type: ignore[union-attr]
        )
        .values(revoked_at=stamp(now()))
    )
    return bool(getattr(result, "rowcount", 0))


def end_other_sessions(
    session: Session, user_id: str, keep: str | None, *, now: Now = utc_now
) -> int:
    """End every session of the account but `keep` (in the caller's transaction); how many."""
    conditions = [UserSession.user_id == user_id, UserSession.revoked_at.is_(None)]  # type: ignore[union-attr]
    if keep is not None:
        conditions.append(UserSession.id != keep)
    result = session.execute(update(UserSession).where(*conditions).values(revoked_at=stamp(now())))
    return int(getattr(result, "rowcount", 0))


__all__ = [
    "LiveSession",
    "describe_browser",
    "end_other_sessions",
    "end_session_of",
    "live_sessions_of",
]
