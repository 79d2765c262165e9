"""A subscription's digest for a range: the changes its filter picks that its reader may see.

`DigestBuilder` folds each range once (`changes.changes_between`), renders each record's block
once per visibility and kind of filter, and puts together the sections of a digest once per
distinct filter and visibility: subscriptions that ask the same thing share the work, so a
thousand subscriptions over one week cost little more than their distinct filters.
"""

from __future__ import annotations

from dataclasses import dataclass

from tracker.accounts.users import User
from tracker.digest.changes import ChangeSet, Item, RecordChange, changes_between
from tracker.digest.config import DigestConfig
from tracker.digest.filters import Changes, SavedFilter
from tracker.digest.model import Subscription
from tracker.digest.render import Rendered, Renderer, Sections
from tracker.digest.subscriptions import cadence_of, filter_of
from tracker.digest.tokens import unsubscribe_token
from tracker.domain.roles import Action, Role, may
from tracker.domain.streams import StreamKind
from tracker.eventstore.model import LogHead
from tracker.eventstore.protocol import EventStore
from tracker.reviewing.decisions import decisions_between


@dataclass(frozen=True)
class Digest:
    """What one subscriber gets for (after, head]; `rendered` holds the email's parts."""

    subscription_id: str
    recipient: str
    after: int
    upto: int
    head_hash: str
    sections: Sections
    rendered: Rendered

    @property
    def changes(self) -> int:
        return self.sections.changes


def pick(record: RecordChange, saved: SavedFilter, restricted: bool) -> tuple[Item, ...]:
    """The record's items a filter lists for a reader (restricted ones only if allowed)."""
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
        if pick(record, saved, restricted) or (
            saved.changes is Changes.STATUS and record.status_changed
        ):
            target.append(record)
    return cases, reports, pending


class DigestBuilder:
    """Builds digests over one store, caching each range's changes and each filter's sections."""

    def __init__(self, store: EventStore, config: DigestConfig, confidential: frozenset[str]):
        self.store = store
        self.config = config
        self.confidential = confidential
        self.renderer = Renderer(config.base_url)
        self._changes: dict[tuple[int, int], ChangeSet] = {}
        self._sections: dict[tuple[int, int, SavedFilter, bool], Sections | None] = {}

    def changeset(self, after: int, head: LogHead) -> ChangeSet:
        key = (after, head.position)
        found = self._changes.get(key)
        if found is None:
            found = self._changes[key] = changes_between(self.store, after, head, self.confidential)
        return found

    def sections(
        self, after: int, head: LogHead, saved: SavedFilter, restricted: bool
    ) -> Sections | None:
        """The digest's cases, reports and pending count; None when there is nothing to list."""
        key = (after, head.position, saved, restricted)
        if key in self._sections:
            return self._sections[key]
        cases, reports, pending = select(self.changeset(after, head), saved, restricted)
        found = None
        if cases or reports:
            blocks = [
                tuple(
                    self.renderer.block(r, pick(r, saved, restricted), restricted, saved.changes)
                    for r in group
                )
                for group in (cases, reports)
            ]
            found = Sections.of(blocks[0], blocks[1], pending)
        self._sections[key] = found
        return found

    def build(self, subscription: Subscription, user: User, head: LogHead) -> Digest | None:
        """The digest for (watermark, head]; None when it has nothing to report."""
        if head.position <= subscription.watermark:
            return None
        saved = filter_of(subscription)
        restricted = may(Role(user.role), Action.READ_RESTRICTED)
        sections = self.sections(subscription.watermark, head, saved, restricted)
        decided = (
            tuple(decisions_between(self.store, user.email, subscription.watermark, head.position))
            if saved.decisions
            else ()
        )
        if sections is None and not decided:
            return None
        sections = sections or Sections.of((), (), 0)
        token = unsubscribe_token(self.config.secret, subscription.id)
        rendered = self.renderer.digest(
            subscription_name=subscription.name,
            filter_text=saved.describe(),
            cadence_text=cadence_of(subscription).describe(),
            after=subscription.watermark,
            head=head,
            sections=sections,
            decisions=decided,
            unsubscribe_url=self.config.unsubscribe_url(subscription.id, token),
            message_id=message_id(
                subscription.id, subscription.watermark, head.position, self.config
            ),
        )
        return Digest(
            subscription.id, user.email, subscription.watermark, head.position, head.hash,
            sections, rendered,
        )  # fmt: skip


def message_id(subscription_id: str, after: int, upto: int, config: DigestConfig) -> str:
    """Stable for a subscription and range: a resend is recognisably the same message."""
    return f"<digest.{subscription_id}.{after}-{upto}@{config.message_domain}>"


__all__ = ["Digest", "DigestBuilder", "message_id", "pick", "select"]
