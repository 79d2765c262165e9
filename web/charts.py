"""Plain bar charts as data for an SVG template: no script, no inline style."""

from __future__ import annotations

from dataclasses import dataclass

BAR = 22
GAP = 6
LABEL_WIDTH = 260
BAR_WIDTH = 360


@dataclass(frozen=True, slots=True)
class Bar:
    label: str
    count: int
    y: int
    width: int


@dataclass(frozen=True, slots=True)
class Chart:
    title: str
    bars: list[Bar]
    height: int
    width: int = LABEL_WIDTH + BAR_WIDTH + 60
    label_width: int = LABEL_WIDTH


def bar_chart(title: str, counts: dict[str, int], labels: dict[str, str] | None = None) -> Chart:
    """Horizontal bars, longest first as given; widths scaled to the largest count."""
    labels = labels or {}
    top = max(counts.values(), default=0) or 1
    bars = [
        Bar(labels.get(key, key), count, i * (BAR + GAP), max(1, round(BAR_WIDTH * count / top)))
        for i, (key, count) in enumerate(counts.items())
    ]
    return Chart(title, bars, max(BAR, len(bars) * (BAR + GAP)))


__all__ = ["BAR", "Bar", "Chart", "bar_chart"]
