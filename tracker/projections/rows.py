"""Pure conversion from domain summaries and histories to read-model rows (plain dicts)."""

from __future__ import annotations

from typing import Any

from tracker.domain.case import CaseSummary
from tracker.domain.charges import describe as describe_charge
from tracker.domain.dates import PartialDate
from tracker.domain.describe import describe
from tracker.domain.events import DomainEvent
from tracker.domain.names import name_keys
from tracker.domain.report import ReportSummary
from tracker.domain.review import Entry, StreamHistory
from tracker.domain.source import SourceSummary

Row = dict[str, Any]


def _date_text(value: PartialDate | None) -> str:
    return value.display() if value is not None else ""


def _date_sort(value: PartialDate | None) -> str:
    if value is None:
        return ""
    first = value.earliest()
    return first.isoformat() if first else ""


def _spaced(words: list[str] | tuple[str, ...]) -> str:
    """' a b ' so that a filter can match a whole word with LIKE '% a %'."""
    return f" {' '.join(words)} " if words else ""


def case_row(summary: CaseSummary, last_position: int) -> Row:
    return {
        "stream_id": summary.case_id,
        "name": summary.name,
        "name_variants": list(summary.name_variants),
        "search_text": " ".join(name_keys(summary.name, summary.name_variants)),
        "birth_date": _date_text(summary.birth_date),
        "gender": str(summary.gender),
        "community": summary.community,
        "region": summary.region,
        "status": str(summary.status),
        "status_since": _date_text(summary.status_since),
        "charges": [{"slug": c.slug, "display": describe_charge(c)} for c in summary.charges],
        "charge_slugs": _spaced([c.slug for c in summary.charges]),
        "acts": _spaced(list(summary.acts)),
        "detention_date": _date_text(summary.detention_date),
        "detention_sort": _date_sort(summary.detention_date),
        "sentence": summary.sentence.display() if summary.sentence else "",
        "verdict_date": _date_text(summary.verdict_date),
        "release_date": _date_text(summary.release_date),
        "death_date": _date_text(summary.death_date),
        "facility": summary.facility or "",
        "health_concerns": summary.health_concerns,
        "opened_review": str(summary.opened_review),
        "retracted": summary.retracted,
        "pending_count": summary.pending_count,
        "version": summary.version,
        "last_recorded_at": summary.last_recorded_at or "",
        "last_position": last_position,
        "sources": list(summary.sources),
    }


def report_row(summary: ReportSummary) -> Row:
    return {
        "stream_id": summary.report_id,
        "title": summary.title,
        "acts": _spaced(list(summary.acts)),
        "date_display": _date_text(summary.date),
        "date_sort": _date_sort(summary.date),
        "region": summary.region,
        "place": summary.place,
        "victims": summary.victims.display(),
        "victim_description": summary.victim_description,
        "case_ids": list(summary.case_ids),
        "figures": [
            {"label": label, "count": count.display(), "date": _date_text(when)}
            for label, count, when in summary.figures
        ],
        "opened_review": str(summary.opened_review),
        "pending_count": summary.pending_count,
        "version": summary.version,
        "last_recorded_at": summary.last_recorded_at or "",
        "sources": list(summary.sources),
    }


def source_row(summary: SourceSummary) -> Row:
    return {
        "stream_id": summary.source_id,
        "title": summary.title,
        "kind": str(summary.kind),
        "publisher": summary.publisher,
        "published": _date_text(summary.published),
        "url": summary.url,
        "reference": summary.reference,
        "reliability": str(summary.reliability),
        "confidential": summary.confidential,
        "opened_review": str(summary.opened_review),
        "version": summary.version,
        "last_recorded_at": summary.last_recorded_at or "",
    }


_DATED: dict[type[DomainEvent], bool] = {}


def _date_of(event: DomainEvent) -> PartialDate | None:
    """`getattr(event, "date", None)`, without the cost of a missing attribute on a model."""
    dated = _DATED.get(type(event))
    if dated is None:
        dated = _DATED[type(event)] = hasattr(event, "date")
    date: PartialDate | None = getattr(event, "date", None) if dated else None
    return date


def timeline_row(entry: Entry, event_hash: str) -> Row:
    recorded = entry.recorded
    event = entry.effective
    when = _date_of(event)
    return {
        "position": recorded.position,
        "stream_id": recorded.stream_id,
        "version": recorded.version,
        "event_id": recorded.event_id,
        "type": recorded.event.TYPE,
        "date_display": _date_text(when),
        "date_sort": _date_sort(when),
        "summary": describe(event),
        "review": str(entry.review),
        "author": recorded.actor,
        "reviewer": entry.reviewer or "",
        "review_note": entry.review_note,
        "reviewed_at": entry.reviewed_at or "",
        "recorded_at": recorded.recorded_at,
        "restricted": event.is_restricted(),
        "retracted": entry.retracted_by is not None,
        "corrected": entry.corrected_by is not None,
        "hash": event_hash,
    }


def pending_rows(
    history: StreamHistory, hashes: dict[int, str], only: set[str] | None = None
) -> list[Row]:
    """Review-queue rows of a stream's pending entries (only those whose event id is in `only`,
    if given)."""
    return [
        timeline_row(entry, hashes[entry.recorded.position])
        for entry in history.entries
        if entry.is_pending and (only is None or entry.recorded.event_id in only)
    ]


def case_facets(row: Row) -> list[Row]:
    """The (dimension, key) pairs a case row counts under; only cases whose opening was approved."""
    if row["opened_review"] != "approved":
        return []
    pairs = {("status", row["status"])}
    pairs.update(("act", act) for act in row["acts"].split())
    pairs.update(("charge", slug) for slug in row["charge_slugs"].split())
    if row["detention_sort"]:
        pairs.add(("detention_year", row["detention_sort"][:4]))
    return [{"stream_id": row["stream_id"], "dimension": d, "key": k} for d, k in sorted(pairs)]


def report_facets(row: Row) -> list[Row]:
    """The (dimension, key) pairs an approved report counts under."""
    if row["opened_review"] != "approved":
        return []
    pairs = {("report_act", act) for act in row["acts"].split()}
    if row["date_sort"]:
        pairs.add(("report_year", row["date_sort"][:4]))
    return [{"stream_id": row["stream_id"], "dimension": d, "key": k} for d, k in sorted(pairs)]
