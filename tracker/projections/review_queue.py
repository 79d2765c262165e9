"""The review queue: events waiting for a reviewer, oldest first, with what they belong to."""

from __future__ import annotations

from sqlalchemy import Connection, func, select

from tracker.projections.projector import CASES, QUEUE, REPORTS, SOURCES
from tracker.projections.queries import Row


def pending_events(conn: Connection, *, limit: int = 100, offset: int = 0) -> tuple[list[Row], int]:
    """(one page of pending, unretracted events, how many there are in all)."""
    t = QUEUE.c
    title = func.coalesce(CASES.c.name, REPORTS.c.title, SOURCES.c.title, t.stream_id)
    query = (
        select(QUEUE, title.label("stream_title"))
        .select_from(
            QUEUE.outerjoin(CASES, CASES.c.stream_id == t.stream_id)
            .outerjoin(REPORTS, REPORTS.c.stream_id == t.stream_id)
            .outerjoin(SOURCES, SOURCES.c.stream_id == t.stream_id)
        )
        .order_by(t.position)
        .limit(limit)
        .offset(offset)
    )
    total = conn.execute(select(func.count()).select_from(QUEUE)).scalar_one()
    return [dict(r) for r in conn.execute(query).mappings()], int(total)


__all__ = ["pending_events"]
