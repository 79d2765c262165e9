"""Read-model tables: one row per case, report and source, the review queue, facets for statistics.

They are disposable: `tracker rebuild` drops their rows and replays the log into them.
"""

from __future__ import annotations

from sqlalchemy import JSON, Column, Index
from sqlmodel import Field, SQLModel


class ProjectionPosition(SQLModel, table=True):
    """How far each projection has read the log (updated in the same transaction as its rows)."""

    __tablename__ = "projection_positions"
    name: str = Field(primary_key=True)
    position: int = 0


class CaseRow(SQLModel, table=True):
    """A case's summary: what the case list and exports show."""

    __tablename__ = "case_summaries"
    stream_id: str = Field(primary_key=True)
    name: str = Field(index=True)
    name_variants: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    search_text: str = Field(default="", description="space-separated name keys, for search")
    birth_date: str = ""
    gender: str = ""
    community: str = ""
    region: str = Field(default="", index=True)
    status: str = Field(index=True)
    status_since: str = ""
    charges: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    charge_slugs: str = Field(default="", description="' slug slug ', for filtering")
    acts: str = Field(default="", description="' act act ', for filtering")
    detention_date: str = ""
    detention_sort: str = ""
    sentence: str = ""
    verdict_date: str = ""
    release_date: str = ""
    death_date: str = ""
    facility: str = ""
    health_concerns: int = 0
    opened_review: str = Field(index=True)
    retracted: bool = False
    pending_count: int = 0
    version: int
    last_recorded_at: str = ""
    last_position: int = 0
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class PendingRow(SQLModel, table=True):
    """One entry waiting for a reviewer (pending, not retracted), as the review queue shows it.

    Only pending entries have a row: a stream's page folds its timeline from the log itself
    (`detail.py`), so a full copy of every event here would only cost writes."""

    __tablename__ = "review_queue"
    position: int = Field(primary_key=True)
    stream_id: str = Field(index=True)
    version: int
    event_id: str = Field(unique=True)
    type: str
    date_display: str = ""
    date_sort: str = ""
    summary: str = ""
    review: str
    author: str = ""
    reviewer: str = ""
    review_note: str = ""
    reviewed_at: str = ""
    recorded_at: str
    restricted: bool = False
    retracted: bool = False
    corrected: bool = False
    hash: str


class ReportRow(SQLModel, table=True):
    """A report of persecution (an incident, possibly with unnamed victims)."""

    __tablename__ = "reports"
    stream_id: str = Field(primary_key=True)
    title: str
    acts: str = ""
    date_display: str = ""
    date_sort: str = ""
    region: str = ""
    place: str = ""
    victims: str = ""
    victim_description: str = ""
    case_ids: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))
    figures: list[dict[str, str]] = Field(
        default_factory=list, sa_column=Column(JSON, nullable=False)
    )
    opened_review: str
    pending_count: int = 0
    version: int
    last_recorded_at: str = ""
    sources: list[str] = Field(default_factory=list, sa_column=Column(JSON, nullable=False))


class SourceRow(SQLModel, table=True):
    """A source: who published it, when, where to find it, and our grade of it."""

    __tablename__ = "sources"
    stream_id: str = Field(primary_key=True)
    title: str
    kind: str
    publisher: str = ""
    published: str = ""
    url: str = ""
    reference: str = ""
    reliability: str
    confidential: bool = False
    opened_review: str
    version: int
    last_recorded_at: str = ""


class FacetRow(SQLModel, table=True):
    """One (dimension, key) a stream counts under in the statistics, e.g. ('act', 'search_raid')."""

    __tablename__ = "facets"
    __table_args__ = (Index("ix_facets_dimension_key", "dimension", "key"),)
    stream_id: str = Field(primary_key=True)
    dimension: str = Field(primary_key=True)
    key: str = Field(primary_key=True)
