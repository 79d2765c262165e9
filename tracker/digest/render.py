"""Digests as text and HTML from the Jinja2 templates kept beside this module.

Each record's block is rendered once per (record, visibility, kind of filter) and reused by
every digest that lists it; the digest templates only put the blocks together.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from markupsafe import Markup

from tracker.digest.changes import Item, RecordChange
from tracker.digest.filters import Changes
from tracker.eventstore.model import LogHead

TEMPLATES = Path(__file__).resolve().parent / "templates"


@dataclass(frozen=True, slots=True)
class Block:
    """One case or report as a digest shows it."""

    stream_id: str
    title: str
    url: str
    items: tuple[Item, ...]
    text: str
    html: Markup


@dataclass(frozen=True, slots=True)
class Sections:
    """A digest's body between its head and its foot, shared by every digest that lists it."""

    cases: tuple[Block, ...]
    reports: tuple[Block, ...]
    pending: int
    changes: int
    cases_text: str
    cases_html: Markup
    reports_text: str
    reports_html: Markup

    @classmethod
    def of(cls, cases: tuple[Block, ...], reports: tuple[Block, ...], pending: int) -> Sections:
        return cls(
            cases,
            reports,
            pending,
            sum(len(b.items) for b in (*cases, *reports)),
            "\n".join(b.text for b in cases),
            Markup("\n").join(b.html for b in cases),
            "\n".join(b.text for b in reports),
            Markup("\n").join(b.html for b in reports),
        )


@dataclass(frozen=True, slots=True)
class Rendered:
    subject: str
    text: str
    html: str
    message_id: str


def _environment() -> Environment:
    return Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html",), default_for_string=False, default=False),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
        keep_trailing_newline=True,
    )


@dataclass
class Renderer:
    base_url: str
    env: Environment = field(default_factory=_environment)
    _blocks: dict[tuple[str, bool, Changes], Block] = field(default_factory=dict)

    def url(self, record: RecordChange) -> str:
        return f"{self.base_url}/{record.kind.value}s/{record.stream_id}"

    def block(
        self, record: RecordChange, items: tuple[Item, ...], restricted: bool, changes: Changes
    ) -> Block:
        key = (record.stream_id, restricted, changes)
        found = self._blocks.get(key)
        if found is None:
            values = {"record": record, "items": items, "url": self.url(record)}
            text = self.env.get_template("_block.txt").render(values)
            html = Markup(self.env.get_template("_block.html").render(values))  # noqa: S704
            found = self._blocks[key] = Block(
                record.stream_id, record.title, self.url(record), items, text, html
            )
        return found

    def digest(
        self,
        *,
        subscription_name: str,
        filter_text: str,
        cadence_text: str,
        after: int,
        head: LogHead,
        sections: Sections,
        unsubscribe_url: str,
        message_id: str,
        decisions: tuple[Any, ...] = (),
    ) -> Rendered:
        changes = sections.changes
        records = len(sections.cases) + len(sections.reports)
        subject = (
            f"{subscription_name}: {changes} approved change{'s' if changes != 1 else ''} "
            f"in {records} record{'s' if records != 1 else ''} (log position {head.position})"
        )
        values = {
            "subject": subject,
            "name": subscription_name,
            "filter_text": filter_text,
            "cadence_text": cadence_text,
            "first": after + 1,
            "head": head,
            "sections": sections,
            "changes": changes,
            "pending": sections.pending,
            "unsubscribe_url": unsubscribe_url,
            "base_url": self.base_url,
            "decisions": decisions,
        }
        text = self.env.get_template("digest.txt").render(values)
        html = self.env.get_template("digest.html").render(values)
        return Rendered(subject, text, html, message_id)


__all__ = ["Block", "Rendered", "Renderer", "Sections"]
