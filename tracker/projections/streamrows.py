"""A rebuild's inner loop: one stream's lean events (`EventStore.iter_streams`) to its rows.

The rows come from the very functions the inline projection uses (`projector.summary_row`,
`rows.pending_rows`, `rows.case_facets`), so a rebuild writes what the command path wrote.
They are gathered per table as tuples in the table's column order, ready for a bulk write.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Sequence
from operator import itemgetter
from typing import Any

from sqlalchemy import JSON, Table

from tracker.domain.codec import decode_json
from tracker.domain.envelope import Recorded
from tracker.domain.review import fold_history
from tracker.eventstore.streams import ReplayEvent, actor_text
from tracker.projections import rows
from tracker.projections.projector import QUEUE, SUMMARY_TABLES, summary_row
from tracker.projections.statistics import FACETS

TABLES: tuple[Table, ...] = (FACETS, *SUMMARY_TABLES.values(), QUEUE)
"""Every table a rebuild fills. A rebuild locks them in this order: facets first, as the
statistics catch-up (which does not wait for the log head) writes facets before it reads
the summaries."""

Values = tuple[Any, ...]


def _converter(table: Table) -> Callable[[rows.Row], Values]:
    """Row dict -> values in column order, JSON columns as JSON text (as `bulk_insert` does)."""
    names = [c.name for c in table.columns]
    get = itemgetter(*names)
    as_json = [i for i, c in enumerate(table.columns) if isinstance(c.type, JSON)]
    if not as_json:
        return get
    dumps = json.dumps

    def convert(row: rows.Row) -> Values:
        values = list(get(row))
        for i in as_json:
            values[i] = dumps(values[i])
        return tuple(values)

    return convert


_FACETS_OF = {"case": rows.case_facets, "report": rows.report_facets}
_FACET_VALUES = itemgetter("stream_id", "dimension", "key")


class RowBatch:
    """The rows of a run of streams, per table name, as value tuples in column order."""

    def __init__(self) -> None:
        self.tables: dict[str, list[Values]] = {t.name: [] for t in TABLES}
        self.events = 0
        self.streams = 0
        self._summaries = {kind: self.tables[t.name] for kind, t in SUMMARY_TABLES.items()}
        self._queue = self.tables[QUEUE.name]
        self._facets = self.tables[FACETS.name]

    def add(self, events: Sequence[ReplayEvent]) -> None:
        """Fold one stream (its events in version order) and add its rows."""
        records = [  # `history.to_recorded`, from the lean row and without dicts
            Recorded(
                decode_json(e.type, e.schema_version, e.data),
                e.event_id,
                e.stream_id,
                e.version,
                e.global_position,
                actor_text(e.actor),
                e.recorded_at,
            )
            for e in events
        ]
        history = fold_history(events[0].stream_id, records)
        kind, summary = summary_row(history, events[-1].global_position)
        if summary is not None:
            self._summaries[kind].append(_CONVERT[kind](summary))
            facets_of = _FACETS_OF.get(kind)
            if facets_of is not None:
                self._facets.extend(_FACET_VALUES(f) for f in facets_of(summary))
        pending = rows.pending_rows(history, {e.global_position: e.hash for e in events})
        self._queue.extend(map(_QUEUE_VALUES, pending))
        self.events += len(events)
        self.streams += 1


_CONVERT = {kind: _converter(table) for kind, table in SUMMARY_TABLES.items()}
_QUEUE_VALUES = _converter(QUEUE)
