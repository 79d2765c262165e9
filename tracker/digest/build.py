"""A subscription's digest for a range: the changes its filter picks that its reader may see.

`DigestBuilder` folds each range once (`changes.changes_between`) and renders each record's
block once per visibility, so a thousand subscriptions over one week cost little more than one.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.digest.changes import ChangeSet, Item, RecordChange, changes_between
from tracker.digest.config import DigestConfig
from tracker.digest.filters import Changes, SavedFilter
from tracker.digest.model import Subscription
from tracker.digest.render import Block, Rendered, Renderer
from tracker.digest.subscriptions import cadence_of, filter_of
from tracker.digest.tokens import unsubscribe_token
from tracker.domain.roles import Action, Role, may
from tracker.domain.streams import StreamKind
from tracker.eventstore.model import LogHead
from tracker.eventstore.protocol import EventStore
from tracker.users import User


@dataclass(frozen=True)
class Digest:
    """What one subscriber gets for (after, head]; `rendered` holds the email's parts."""

    subscription_id: str
    recipient: str
    after: int
    upto: int
    head_hash: str
    cases: tuple[Block, ...]
    reports: tuple[Block, ...]
    pending: int
    rendered: Rendered

    @property
    def changes(self) -> int:
        return sum(len(b.items) for b in (*self.cases, *self.reports))


def _pick(record: RecordChange, saved: SavedFilter, restricted: bool) -> tuple[Item, ...]:
    items = record.visible(restricted)
    if record.kind is StreamKind.REPORT:
        return items
    if saved.changes is Changes.DETENTIONS:
        return tuple(i for i in items if i.detention)
    if saved.changes is Changes.STATUS and not record.status_changed:
        return ()
    return items


def select(
    changeset: ChangeSet, saved: SavedFilter, restricted: bool
) -> tuple[list[RecordChange], list[RecordChange], int]:
    """(cases, reports, pending) of a changeset that a filter picks, for a reader."""
    cases: list[RecordChange] = []
    reports: list[RecordChange] = []
    pending = 0
    for record in changeset.records:
        if record.kind is StreamKind.CASE:
            if not saved.matches_case(record.stream_id, record.region):
                continue
            target = cases
        elif saved.matches_report(record.region, record.linked_cases):
            target = reports
        else:
            continue
        pending += record.pending_all if restricted else record.pending_public
        if _pick(record, saved, restricted) or (
            saved.changes is Changes.STATUS and record.status_changed
        ):
            target.append(record)
    return cases, reports, pending


class DigestBuilder:
    """Builds digests over one store, caching each range's changes and each record's block."""

    def __init__(self, store: EventStore, config: DigestConfig, confidential: frozenset[str]):
        self.store = store
        self.config = config
        self.confidential = confidential
        self.renderer = Renderer(config.base_url)
        self._changes: dict[tuple[int, int], ChangeSet] = {}

    def changeset(self, after: int, head: LogHead) -> ChangeSet:
        key = (after, head.position)
        found = self._changes.get(key)
        if found is None:
            found = self._changes[key] = changes_between(self.store, after, head, self.confidential)
        return found

    def build(self, subscription: Subscription, user: User, head: LogHead) -> Digest | None:
        """The digest for (watermark, head]; None when it has nothing to report."""
        if head.position <= subscription.watermark:
            return None
        saved = filter_of(subscription)
        restricted = may(Role(user.role), Action.READ_RESTRICTED)
        changeset = self.changeset(subscription.watermark, head)
        cases, reports, pending = select(changeset, saved, restricted)
        if not cases and not reports:
            return None
        case_blocks = tuple(
            self.renderer.block(r, _pick(r, saved, restricted), restricted, saved.changes)
            for r in cases
        )
        report_blocks = tuple(
            self.renderer.block(r, _pick(r, saved, restricted), restricted, saved.changes)
            for r in reports
        )
        token = unsubscribe_token(self.config.secret, subscription.id)
        rendered = self.renderer.digest(
            subscription_name=subscription.name,
            filter_text=saved.describe(),
            cadence_text=cadence_of(subscription).describe(),
            after=subscription.watermark,
            head=head,
            cases=case_blocks,
            reports=report_blocks,
            pending=pending,
            unsubscribe_url=self.config.unsubscribe_url(subscription.id, token),
            message_id=message_id(
                subscription.id, subscription.watermark, head.position, self.config
            ),
        )
        return Digest(
            subscription.id, user.email, subscription.watermark, head.position, head.hash,
            case_blocks, report_blocks, pending, rendered,
        )  # fmt: skip


def message_id(subscription_id: str, after: int, upto: int, config: DigestConfig) -> str:
    """Stable for a subscription and range: a resend is recognisably the same message."""
    return f"<digest.{subscription_id}.{after}-{upto}@{config.message_domain}>"


__all__ = ["Digest", "DigestBuilder", "message_id", "select"]
