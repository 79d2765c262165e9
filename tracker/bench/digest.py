"""`tracker bench --only digest`: build the digests of 1,000 subscriptions over a week of
10,000 events, in a scratch database of its own (dropped afterwards).

Before the week: 2,000 cases over eight regions, each opened and with a detention, approved.
The week: 10,000 events on those cases, facts of several kinds by a researcher, most of them
approved by a reviewer, some left pending. Then 1,000 subscriptions of 50 accounts (advocates,
researchers, reviewers), with filters in turn: every change in a region, new detentions in a
region, status changes anywhere, ten followed cases, and everything. The figure is the time to
build (fold, select and render, text and HTML) every digest for the week; nothing is sent.
"""

from __future__ import annotations

import time
import uuid
from collections.abc import Callable, Iterator
from dataclasses import dataclass
from typing import Any

from tracker.accounts.users import add_user
from tracker.bench import data as benchdata
from tracker.bootstrap import bootstrap
from tracker.digest.build import DigestBuilder
from tracker.digest.config import DigestConfig
from tracker.digest.subscriptions import check_request, subscribe, subscriptions_with_owners
from tracker.domain.codec import encode
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CaseOpened,
    CustodyStage,
    Decision,
    DetentionRecorded,
    DomainEvent,
    EventReviewed,
    HealthConcernReported,
    Released,
    TransferredToFacility,
)
from tracker.domain.roles import Role
from tracker.eventstore.model import NewEvent, StreamAppend
from tracker.migrate import upgrade
from tracker.scratch import scratch_database
from tracker.settings import Settings

REGIONS = (
    "Simferopol", "Sevastopol", "Bakhchysarai", "Dzhankoi",
    "Yalta", "Kerch", "Feodosia", "Yevpatoria",
)  # fmt: skip
TARGET_SECONDS = 5.0
_NS = uuid.UUID("5d0c2c8e-6a43-4f0e-9c55-1f1e7d9a2b61")


@dataclass(frozen=True)
class DigestFigure:
    subscriptions: int
    week_events: int
    digests: int
    """Subscriptions with something to report."""
    lines: int
    """Changes listed over all digests."""
    seconds: float

    @property
    def met(self) -> bool:
        return self.seconds < TARGET_SECONDS


def _new(event: DomainEvent, key: str, who: dict[str, str]) -> NewEvent:
    kind, version, data = encode(event)
    return NewEvent(kind, data, version, str(uuid.uuid5(_NS, key)), who)


def _approved(event: DomainEvent, key: str) -> list[NewEvent]:
    fact = _new(event, key, benchdata.RESEARCHER)
    review = EventReviewed(target_event_id=fact.event_id, decision=Decision.APPROVED)
    return [fact, _new(review, key + "/r", benchdata.REVIEWER)]


def _before(cases: int) -> Iterator[StreamAppend]:
    for i in range(cases):
        day = PartialDate.parse(f"{2015 + i % 10}-{1 + i % 12:02d}")
        opened = CaseOpened(name=f"Person {i}", region=REGIONS[i % len(REGIONS)])
        events = _approved(opened, f"{i}/open") + _approved(
            DetentionRecorded(date=day, stage=CustodyStage.PRE_TRIAL, act="arrest"), f"{i}/detained"
        )
        yield StreamAppend(benchdata.case_id(i), tuple(events), 0)


def _fact(n: int) -> DomainEvent:
    day = PartialDate.parse(f"2026-{1 + n % 11:02d}")
    return (
        DetentionRecorded(date=day, stage=CustodyStage.PRE_TRIAL, act="arrest", place="Simferopol"),
        HealthConcernReported(date=day, concern=f"concern {n}"),
        TransferredToFacility(date=day, facility=f"Colony {n % 30}"),
        Released(date=day),
    )[n % 4]


def _week(cases: int, events: int) -> list[StreamAppend]:
    """`events` events: facts, nine in ten approved, round-robin over the cases."""
    per_case: dict[int, list[NewEvent]] = {}
    total = n = 0
    while total < events:
        case = n % cases
        key = f"{case}/week/{n}"
        batch = (
            [_new(_fact(n), key, benchdata.RESEARCHER)] if n % 10 == 9 else _approved(_fact(n), key)
        )
        batch = batch[: events - total]
        per_case.setdefault(case, []).extend(batch)
        total += len(batch)
        n += 1
    return [StreamAppend(benchdata.case_id(c), tuple(e), None) for c, e in per_case.items()]


def _filters(i: int) -> dict[str, Any]:
    region = REGIONS[i % len(REGIONS)]
    return (
        {"changes": "all", "region": region},
        {"changes": "detentions", "region": region},
        {"changes": "status"},
        {"changes": "all", "case_ids": [benchdata.case_id((i * 7 + k) % 2_000) for k in range(10)]},
        {"changes": "all"},
    )[i % 5]


def run_digest_bench(
    server_url: str | None,
    *,
    subscriptions: int = 1_000,
    week_events: int = 10_000,
    cases: int = 2_000,
    say: Callable[[str], None] = print,
) -> DigestFigure:
    """Load, subscribe, then time building every subscription's digest for the week."""
    with scratch_database(server_url, prefix="tracker_bench_digest") as url:
        settings = Settings(database_url=url, secret_key="bench-" + "k" * 40)
        services = bootstrap(settings)
        try:
            upgrade(services.engine)
            services.store.append_batch(list(_before(cases)))
            roles = (Role.ADVOCATE, Role.RESEARCHER, Role.REVIEWER)
            users = [
                add_user(services.engine, f"bench-{k}@tracker.example", roles[k % 3], None).id
                for k in range(50)
            ]
            for i in range(subscriptions):
                request = check_request(
                    name=f"bench {i}", cadence="weekly", weekday=0, hour=8,
                    timezone="Europe/Kyiv", **_filters(i),
                )  # fmt: skip
                subscribe(services.engine, services.store, users[i % len(users)], request)
            services.store.append_batch(_week(cases, week_events))
            head = services.store.head()
            rows = subscriptions_with_owners(services.engine)
            say(
                f"digest bench: {services.engine.dialect.name}, {cases:,} cases, "
                f"{week_events:,} events in the week, {len(rows):,} subscriptions"
            )
            start = time.perf_counter()
            builder = DigestBuilder(
                services.store, DigestConfig.from_settings(settings), frozenset()
            )
            digests = lines = 0
            for subscription, user in rows:  # one at a time, as a run records them
                digest = builder.build(subscription, user, head)
                if digest is not None:
                    digests += 1
                    lines += digest.changes
            seconds = time.perf_counter() - start
        finally:
            services.close()
    return DigestFigure(len(rows), week_events, digests, lines, seconds)


def format_digest_figure(figure: DigestFigure) -> str:
    verdict = "met" if figure.met else "NOT met"
    return (
        f"{'digests: build for the week':<60} {figure.seconds:>10.2f} s  "
        f"target < {TARGET_SECONDS:.0f} s: {verdict}\n"
        f"  {figure.subscriptions:,} subscriptions, {figure.week_events:,} events: "
        f"{figure.digests:,} digests with {figure.lines:,} listed changes"
    )


__all__ = ["DigestFigure", "format_digest_figure", "run_digest_bench"]
