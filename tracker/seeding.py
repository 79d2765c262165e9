"""Demo data: reads seeds/*.toml and turns it into the commands a researcher and a reviewer
would give. Every id is derived from the file's keys, so seeding twice stores nothing new."""

from __future__ import annotations

import tomllib
import uuid
from collections.abc import Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import TYPE_CHECKING, Any

import tracker
from tracker.accounts.users import ensure_user
from tracker.domain.commands import Command, OpenCase, OpenReport, Record, RegisterSource, Review
from tracker.domain.dates import PartialDate
from tracker.domain.events import (
    CaseOpened,
    CustodyStage,
    Decision,
    DetentionRecorded,
    FigureReported,
    ReportOpened,
    SourceRegistered,
)
from tracker.domain.roles import Actor, Role
from tracker.domain.values import Citation, Count

if TYPE_CHECKING:
    from tracker.bootstrap import Services

SEED_NAMESPACE = uuid.UUID("6f1c2a52-4d3e-5b8a-9c41-2f0e7d3b9a10")
REVIEW_NOTE = "Checked against the source document."


@dataclass(frozen=True, slots=True)
class Step:
    """One command of the seed, with the actor who gives it and its idempotency key."""

    command: Command
    actor: Actor
    event_id: str


def seeds_dir() -> Path:
    """seeds/ beside the package in a checkout, or the copy packed into the wheel."""
    here = Path(tracker.__file__).resolve().parent
    for candidate in (here.parent / "seeds", here / "_seeds"):
        if candidate.is_dir():
            return candidate
    raise FileNotFoundError("no seeds/ directory found beside the tracker package")


def seed_id(kind: str, key: str) -> str:
    return f"{kind}-{uuid.uuid5(SEED_NAMESPACE, f'{kind}/{key}')}"


def _event_id(*parts: str) -> str:
    return str(uuid.uuid5(SEED_NAMESPACE, "/".join(parts)))


def load_plan(path: Path) -> list[Step]:
    """The seed file's content as ordered steps; raises ValueError naming a bad entry."""
    data = tomllib.loads(path.read_text(encoding="utf-8"))
    accounts = data["accounts"]
    researcher = Actor(accounts["researcher"], Role.RESEARCHER)
    reviewer = Actor(accounts["reviewer"], Role.REVIEWER)
    sources = {item["key"]: seed_id("source", item["key"]) for item in data.get("sources", [])}
    plan = _Plan(researcher, reviewer)
    for item in data.get("sources", []):
        plan.logged(
            sources[item["key"]],
            f"source/{item['key']}",
            RegisterSource(sources[item["key"]], _source(item)),
        )
    defaults = data.get("cases_defaults", {})
    for item in data.get("cases", []):
        merged = {**defaults, **item}
        case_id = seed_id("case", item["key"])
        citation = _citation(merged, sources)
        plan.logged(case_id, f"case/{item['key']}", OpenCase(case_id, _case(merged, citation)))
        if merged.get("detained_by"):
            detention = DetentionRecorded(
                date=PartialDate.parse(f"unknown, by {merged['detained_by']}"),
                stage=CustodyStage.UNKNOWN,
                description=merged.get("detention", ""),
                citations=(citation,),
            )
            plan.logged(case_id, f"case/{item['key']}/detention", Record(case_id, detention))
    for item in data.get("reports", []):
        report_id = seed_id("report", item["key"])
        plan.logged(
            report_id, f"report/{item['key']}", OpenReport(report_id, _report(item, sources))
        )
        for index, figure in enumerate(item.get("figures", [])):
            event = FigureReported(
                label=figure["label"],
                count=Count.model_validate(figure["count"]),
                date=PartialDate.parse(figure.get("date", "")),
                citations=tuple(_citation(c, sources) for c in item.get("citations", [])[:1]),
            )
            plan.logged(report_id, f"report/{item['key']}/figure/{index}", Record(report_id, event))
    return plan.steps


class _Plan:
    def __init__(self, researcher: Actor, reviewer: Actor) -> None:
        self.researcher = researcher
        self.reviewer = reviewer
        self.steps: list[Step] = []

    def logged(self, stream_id: str, key: str, command: Command) -> None:
        """The researcher's command, then the reviewer's approval of the event it stores."""
        event_id = _event_id(key)
        self.steps.append(Step(command, self.researcher, event_id))
        review = Review(stream_id, event_id, Decision.APPROVED, REVIEW_NOTE)
        self.steps.append(Step(review, self.reviewer, _event_id(key, "review")))


def _citation(item: dict[str, Any], sources: dict[str, str]) -> Citation:
    key = item["source"]
    if key not in sources:
        raise ValueError(f"citation names an unknown source {key!r}")
    return Citation(source_id=sources[key], claim=item.get("claim", ""))


def _source(item: dict[str, Any]) -> SourceRegistered:
    fields = {k: v for k, v in item.items() if k not in {"key", "published"}}
    return SourceRegistered(**fields, published=PartialDate.parse(item.get("published", "")))


def _case(item: dict[str, Any], citation: Citation) -> CaseOpened:
    return CaseOpened(
        name=item["name"],
        name_variants=tuple(item.get("variants", ())),
        birth_date=PartialDate.parse(item.get("birth_date", "")),
        community=item.get("community", ""),
        region=item.get("region", ""),
        description=item.get("description", ""),
        citations=(citation,),
    )


def _report(item: dict[str, Any], sources: dict[str, str]) -> ReportOpened:
    return ReportOpened(
        title=item["title"],
        acts=tuple(item.get("acts", ())),
        date=PartialDate.parse(item.get("date", "")),
        region=item.get("region", ""),
        place=item.get("place", ""),
        victims=Count.model_validate(item.get("victims", {"qualifier": "unknown"})),
        victim_description=item.get("victim_description", ""),
        description=item.get("description", ""),
        citations=tuple(_citation(c, sources) for c in item.get("citations", [])),
    )


def seed_files() -> Iterator[Path]:
    yield from sorted(seeds_dir().glob("*.toml"))


def run_seed(services: Services, files: list[Path] | None) -> tuple[int, int]:
    """Run every step of the seed files; returns (events stored, steps already applied)."""
    stored = replayed = 0
    for path in files or list(seed_files()):
        steps = load_plan(path)
        for actor in {step.actor for step in steps}:
            ensure_user(services.engine, actor.id, actor.role)
        for step in steps:
            outcome = services.tracker.execute(step.command, step.actor, event_id=step.event_id)
            if outcome.replayed:
                replayed += 1
            else:
                stored += len(outcome.events)
    return stored, replayed
