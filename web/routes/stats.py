"""Statistics: approved cases by status, act, charge and year of detention; reports by act and
year; each as a table and a server-rendered SVG bar chart."""

from __future__ import annotations

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.domain.charges import describe_slug
from tracker.domain.vocabulary import ACTS, STATUSES
from tracker.projections.statistics import catch_up_statistics, counts
from web.charts import bar_chart
from web.deps import Reader, ServicesDep
from web.render import render

router = APIRouter()

DIMENSIONS = (
    ("status", "Cases by status"),
    ("act", "Cases by act"),
    ("detention_year", "Cases by year of detention"),
    ("charge", "Cases by charge"),
    ("report_act", "Reports by act"),
    ("report_year", "Reports by year"),
)


def _by_year(values: dict[str, int]) -> dict[str, int]:
    return dict(sorted(values.items()))


@router.get("/stats")
def statistics(request: Request, who: Reader, services: ServicesDep) -> Response:
    catch_up_statistics(services.engine, services.store)
    with services.engine.connect() as conn:
        result = counts(conn)
    labels = {t.code: t.label for t in (*STATUSES, *ACTS)}
    charts = []
    for dimension, title in DIMENSIONS:
        values = result.get(dimension, {})
        if dimension.endswith("year"):
            values = _by_year(values)
        if dimension == "charge":
            labels.update((slug, describe_slug(slug)) for slug in values)
        charts.append(bar_chart(title, values, labels))
    return render(request, "stats.html", {"charts": charts})


__all__ = ["router"]
