"""`tracker cases`: the case list as a table, now or as it stood."""

from __future__ import annotations

from typing import Annotated

import typer
from rich.console import Console
from rich.table import Table

from tracker.cli.common import DatabaseUrl, fail, open_services, parse_day
from tracker.domain.case import Status
from tracker.domain.vocabulary import is_act
from tracker.projections.as_of import cases_as_of, page_of
from tracker.projections.queries import CaseFilter, CasePage, list_cases

SORTS = ("name", "status", "detention_date", "last_change", "region")
REVIEWS = ("approved", "pending", "rejected")


def cases(
    search: Annotated[str, typer.Option(help="name or part of it, in any script")] = "",
    status: Annotated[str | None, typer.Option(help="e.g. pre_trial_detention")] = None,
    act: Annotated[str | None, typer.Option(help="act code, e.g. search_raid")] = None,
    charge: Annotated[str | None, typer.Option(help="charge slug, e.g. uk-205-5-ch-2")] = None,
    region: Annotated[str | None, typer.Option()] = None,
    review: Annotated[str | None, typer.Option(help="approved, pending or rejected")] = None,
    sort: Annotated[str, typer.Option(help=f"one of {', '.join(SORTS)}")] = "name",
    descending: Annotated[bool, typer.Option("--desc", help="reverse the order")] = False,
    limit: Annotated[int, typer.Option(min=1, max=100_000)] = 200,
    as_of: Annotated[
        str | None, typer.Option("--as-of", help="status by what had happened by this date")
    ] = None,
    known_at: Annotated[
        str | None, typer.Option("--known-at", help="status by what the log held on this date")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """List cases with their derived status, as a table."""
    f = case_filter(search, status, act, charge, region, review, sort, descending, limit)
    as_of_day = parse_day(as_of, "--as-of")
    known_day = parse_day(known_at, "--known-at")
    with open_services(database_url) as services:
        if as_of_day or known_day:
            page = page_of(cases_as_of(services.store, as_of=as_of_day, known_at=known_day), f)
        else:
            with services.engine.connect() as conn:
                page = list_cases(conn, f)
    _print(page, as_of, known_at)


def case_filter(
    search: str,
    status: str | None,
    act: str | None,
    charge: str | None,
    region: str | None,
    review: str | None,
    sort: str,
    descending: bool,
    limit: int = 50,
) -> CaseFilter:
    """The list filter from command-line options, or a clear error naming the bad option."""
    if status is not None and status not in {s.value for s in Status}:
        fail(f"--status: unknown status {status!r}; one of {', '.join(s.value for s in Status)}", 2)
    if act is not None and not is_act(act):
        fail(f"--act: unknown act code {act!r}", 2)
    if review is not None and review not in REVIEWS:
        fail(f"--review: {review!r} is not one of {', '.join(REVIEWS)}", 2)
    if sort not in SORTS:
        fail(f"--sort: {sort!r} is not one of {', '.join(SORTS)}", 2)
    return CaseFilter(  # the options were checked against SORTS and REVIEWS above
        search=search,
        status=status,
        act=act,
        charge=charge,
        region=region,
        review=review,  # type: ignore[arg-type]
        sort=sort,  # type: ignore[arg-type]
        descending=descending,
        limit=limit,
    )


def _print(page: CasePage, as_of: str | None, known_at: str | None) -> None:
    title = f"{page.total} case(s)"
    if as_of:
        title += f", as of {as_of}"
    if known_at:
        title += f", as known at {known_at}"
    table = Table(title=title, show_lines=False)
    for column in ("Name", "Status", "Detained", "Charges", "Sentence", "Facility", "Review"):
        table.add_column(column, overflow="fold")
    for row in page.rows:
        review = row["opened_review"]
        if row["pending_count"]:
            review += f" ({row['pending_count']} pending)"
        table.add_row(
            row["name"],
            row["status"].replace("_", " "),
            row["detention_date"],
            "; ".join(c["display"] for c in row["charges"]),
            row["sentence"],
            row["facility"],
            review,
        )
    Console(width=160).print(table)
