"""Following a case: the 'Follow' button adds the case to the reader's subscription that already
follows cases, or makes one (weekly, Monday 08:00 Kyiv time), so nobody pastes ids."""

from __future__ import annotations

from sqlalchemy import Engine
from sqlmodel import Session, col, select

from tracker.accounts.sessions import Now, utc_now
from tracker.digest.filters import SavedFilter
from tracker.digest.model import Subscription
from tracker.digest.subscriptions import check_request, subscribe
from tracker.eventstore.protocol import EventStore

FOLLOWED = "Followed cases"
"""The name of a subscription the Follow button makes."""


def following(engine: Engine, user_id: str, case_id: str) -> Subscription | None:
    """The user's active subscription that follows this case by name, if any."""
    for row in _active(engine, user_id):
        if case_id in SavedFilter.model_validate(row.filter).case_ids:
            return row
    return None


def _active(engine: Engine, user_id: str) -> list[Subscription]:
    with Session(engine) as session:
        query = (
            select(Subscription)
            .where(Subscription.user_id == user_id, col(Subscription.active).is_(True))
            .order_by(col(Subscription.created_at))
        )
        return list(session.exec(query).all())


def follow_case(
    engine: Engine, store: EventStore, user_id: str, case_id: str, *, now: Now = utc_now
) -> tuple[Subscription, bool]:
    """(the subscription that now follows the case, whether it was made for it). Extends the
    oldest active subscription that follows named cases; makes one if there is none."""
    for row in _active(engine, user_id):
        saved = SavedFilter.model_validate(row.filter)
        if not saved.case_ids:
            continue
        if case_id not in saved.case_ids:
            extended = saved.model_copy(update={"case_ids": (*saved.case_ids, case_id)})
            SavedFilter.model_validate(extended.model_dump())  # still within its limits
            with Session(engine) as session:
                stored = session.get(Subscription, row.id)
                if stored is not None:
                    stored.filter = extended.model_dump(mode="json")
                    session.add(stored)
                    session.commit()
                    session.refresh(stored)
                    return stored, False
        return row, False
    request = check_request(
        name=FOLLOWED, cadence="weekly", hour=8, timezone="Europe/Kyiv", weekday=0,
        case_ids=[case_id],
    )  # fmt: skip
    return subscribe(engine, store, user_id, request, now=now), True


__all__ = ["FOLLOWED", "follow_case", "following"]
