"""An author's own items: what they recorded that waits for review or was rejected ('My
items'), and the review decisions taken on their items in a range of the log (for digests)."""

from __future__ import annotations

from collections.abc import Iterable
from dataclasses import dataclass

from sqlalchemy import Connection, text

from tracker.domain.describe import describe
from tracker.domain.events import EventReviewed
from tracker.domain.review import ReviewState, StreamHistory
from tracker.eventstore.protocol import EventStore
from tracker.history import history_of, load_history
from tracker.projections.titles import title_of

LIMIT = 500
"""At most this many of an author's streams are read for 'My items' (newest first)."""


@dataclass(frozen=True, slots=True)
class Item:
    """One of an author's events and where it stands in review."""

    stream_id: str
    stream_title: str
    event_id: str
    event_type: str
    summary: str
    review: str
    reviewer: str
    note: str
    recorded_at: str
    reviewed_at: str
    opening: bool
    """True for the record's opening event (a rejected opening cannot be resent in the record)."""


def _items(history: StreamHistory, author: str, states: set[ReviewState]) -> list[Item]:
    found = []
    for index, entry in enumerate(history.entries):
        if entry.recorded.actor != author or entry.review not in states:
            continue
        if entry.retracted_by is not None:
            continue
        found.append(
            Item(
                history.stream_id,
                title_of(history),
                entry.event_id,
                entry.event.TYPE,
                describe(entry.effective),
                str(entry.review),
                entry.reviewer or "",
                entry.review_note,
                entry.recorded.recorded_at,
                entry.reviewed_at or "",
                index == 0,
            )
        )
    return found


def authored_streams(conn: Connection, author: str, limit: int = LIMIT) -> list[str]:
    """Streams the author recorded events on, the most recently written first (one scan of
    the log's metadata: a page an author opens now and then, not a hot path)."""
    actor = (
        "metadata->>'actor'"
        if conn.dialect.name == "postgresql"
        else "json_extract(metadata, '$.actor')"
    )
    query = text(
        f"SELECT stream_id, max(global_position) AS last FROM events WHERE {actor} = :author "
        "GROUP BY stream_id ORDER BY last DESC LIMIT :limit"
    )
    return [str(row[0]) for row in conn.execute(query, {"author": author, "limit": limit})]


def my_items(store: EventStore, stream_ids: Iterable[str], author: str) -> list[Item]:
    """The author's pending and rejected items on those streams, newest first."""
    wanted = {ReviewState.PENDING, ReviewState.REJECTED}
    items: list[Item] = []
    for stream_id in stream_ids:
        history, _ = load_history(store, stream_id)
        items += _items(history, author, wanted)
    return sorted(items, key=lambda i: i.recorded_at, reverse=True)


def decisions_between(store: EventStore, author: str, after: int, upto: int) -> list[Item]:
    """Review decisions recorded in (after, upto] on events the author recorded."""
    reviewed: dict[str, set[str]] = {}
    for stored in store.iter_all(after, page_size=1000):
        if stored.global_position > upto:
            break
        if stored.type == EventReviewed.TYPE:
            target = str(stored.data.get("target_event_id", ""))
            reviewed.setdefault(stored.stream_id, set()).add(target)
    decided = {ReviewState.APPROVED, ReviewState.REJECTED}
    found: list[Item] = []
    for stream_id, targets in reviewed.items():
        history = history_of(stream_id, store.read_stream(stream_id, up_to_position=upto))
        found += [i for i in _items(history, author, decided) if i.event_id in targets]
    return sorted(found, key=lambda i: i.reviewed_at)


__all__ = ["Item", "authored_streams", "decisions_between", "my_items", "title_of"]
