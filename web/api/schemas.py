"""The JSON API's request and response models (they make its OpenAPI schema).

Requests forbid unknown fields; the event bodies are the domain's own event models, so the API
validates exactly what the pages and the CLI validate. Responses carry only what the asking
role may read: the routes fill them from the pages' own visibility code.
"""

from __future__ import annotations

from typing import Any
from uuid import UUID

from pydantic import BaseModel, ConfigDict, Field

from tracker.domain.events import CaseOpened, Decision, ReportOpened, SourceRegistered


class Request(BaseModel):
    model_config = ConfigDict(extra="forbid")


class FieldError(BaseModel):
    field: str
    message: str


class Problem(BaseModel):
    """Every error answer."""

    detail: str
    errors: list[FieldError] = []


class Link(BaseModel):
    id: str
    title: str


class Charge(BaseModel):
    slug: str
    display: str


class Case(BaseModel):
    """A case's summary, derived from its approved facts."""

    id: str
    url: str
    name: str
    name_variants: list[str]
    birth_date: str
    gender: str
    community: str
    region: str
    status: str
    status_since: str
    charges: list[Charge]
    acts: list[str]
    detention_date: str
    sentence: str
    verdict_date: str
    release_date: str
    death_date: str
    facility: str
    health_concerns: int
    opened_review: str
    retracted: bool
    pending_count: int
    version: int = Field(description="the case's version: send it as expected_version")
    last_recorded_at: str


class CaseDetail(Case):
    sources: list[Link]
    reports: list[Link]


class CaseList(BaseModel):
    total: int
    page: int
    pages: int
    page_size: int
    as_of: str | None
    known_at: str | None
    cases: list[Case]


class Citation(BaseModel):
    source_id: str
    locator: str
    claim: str


class Event(BaseModel):
    """One event of a stream as the reader may see it. `author`, `reviewer` and `review_note`
    are empty and `data` is null for a reader of public fields only (see `citations`)."""

    position: int
    version: int
    event_id: str
    stream_id: str
    type: str
    date: str
    precision: str
    summary: str
    details: str
    citations: list[Citation]
    review: str
    author: str
    reviewer: str
    review_note: str
    reviewed_at: str
    recorded_at: str
    retracted: bool
    corrected: bool
    target_event_id: str | None
    hash: str
    data: dict[str, Any] | None = Field(description="the effective (corrected) event's fields")


class Events(BaseModel):
    stream_id: str
    version: int
    events: list[Event]


class Stale(Problem):
    """409 on a stale expected_version: the current version and what was added since."""

    current_version: int
    since: list[Event]


class Match(BaseModel):
    id: str
    name: str
    name_variants: list[str]
    birth_date: str
    region: str
    status: str
    match: str


class Duplicates(Problem):
    """409 when a new case's name matches existing cases and `confirm_new` was not set."""

    matches: list[Match]


class OpenCase(Request):
    case: CaseOpened
    confirm_new: bool = Field(
        default=False, description="open it even though its name matches existing cases"
    )
    event_id: UUID | None = Field(
        default=None, description="idempotency key: the same key opens one case, once"
    )


class OpenReport(Request):
    report: ReportOpened
    event_id: UUID | None = Field(
        default=None, description="idempotency key: the same key opens one report, once"
    )


class RegisterSource(Request):
    source: SourceRegistered
    event_id: UUID | None = Field(
        default=None, description="idempotency key: the same key registers one source, once"
    )


class Correction(Request):
    replacement: dict[str, Any] = Field(
        description="the fields to change, as in the event's `data`; the others stay"
    )
    reason: str = Field(min_length=1, max_length=20_000)
    expected_version: int = Field(ge=0, le=10**9, description="the version you last read")
    event_id: UUID | None = Field(default=None, description="idempotency key")


class Retraction(Request):
    reason: str = Field(min_length=1, max_length=20_000)
    expected_version: int = Field(ge=0, le=10**9, description="the version you last read")
    event_id: UUID | None = Field(default=None, description="idempotency key")


class Append(Request):
    type: str = Field(max_length=60, description="the event type, e.g. DetentionRecorded")
    data: dict[str, Any] = Field(description="the event's fields, as in the events' `data`")
    expected_version: int = Field(ge=0, le=10**9, description="the version you last read")
    event_id: UUID | None = Field(
        default=None, description="idempotency key: sending it again returns the first answer"
    )


class Stored(BaseModel):
    """What a write stored (or, for a repeated event_id, had stored the first time). Every
    event but a review starts pending review."""

    stream_id: str
    event_id: str
    type: str
    version: int
    position: int
    hash: str


class ReviewDecision(Request):
    decision: Decision
    note: str = Field(default="", max_length=20_000)
    event_id: UUID | None = Field(default=None, description="idempotency key of the review")


class Pending(BaseModel):
    position: int
    stream_id: str
    stream_title: str
    version: int
    event_id: str
    type: str
    summary: str
    author: str
    recorded_at: str
    own: bool = Field(description="yours: you may not review it")


class ReviewQueue(BaseModel):
    total: int
    page: int
    pages: int
    events: list[Pending]


class Head(BaseModel):
    position: int
    hash: str


class LogEntry(BaseModel):
    position: int
    stream_id: str
    version: int
    event_id: str
    type: str
    summary: str
    author: str
    recorded_at: str
    hash: str


class Log(BaseModel):
    head: Head
    older: int | None = Field(description="send as `before` for the next older page")
    entries: list[LogEntry]


__all__ = [
    "Append",
    "Case",
    "CaseDetail",
    "CaseList",
    "Correction",
    "Duplicates",
    "Event",
    "Events",
    "Head",
    "Log",
    "OpenCase",
    "OpenReport",
    "Pending",
    "Problem",
    "RegisterSource",
    "Retraction",
    "ReviewDecision",
    "ReviewQueue",
    "Stale",
    "Stored",
]
