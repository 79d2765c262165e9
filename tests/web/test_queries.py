"""The read-side modules the pages use: name matches across scripts, the review queue, the log
page and what a reader of public fields may see."""

from __future__ import annotations

from tests.web.world import MARKERS, World
from tracker.history import load_history
from tracker.projections.detail import stream_detail
from tracker.projections.log import log_page
from tracker.projections.lookups import confidential_source_ids
from tracker.projections.name_matches import possible_matches
from tracker.projections.review_queue import pending_events
from tracker.projections.visibility import hidden_event_ids


def test_possible_matches_cross_scripts_and_word_order(world: World) -> None:
    with world.services.engine.connect() as conn:
        cyrillic = possible_matches(conn, "Ахтемов")
        latin = possible_matches(conn, "Ahtemov Asan")
        none = possible_matches(conn, "Zzyzx Qwerty")
    assert cyrillic and all(
        "Akhtemov" in r["name"] or "Akhtemov" in str(r["name_variants"]) for r in cyrillic[:1]
    )
    assert latin[0]["match"] in ("same name", "similar")
    assert none == []


def test_the_review_queue_lists_pending_events_oldest_first(world: World) -> None:
    with world.services.engine.connect() as conn:
        rows, total = pending_events(conn)
    assert total == len(rows) >= 1
    assert world.pending_id in {r["event_id"] for r in rows}
    assert [r["position"] for r in rows] == sorted(r["position"] for r in rows)
    assert all(r["stream_title"] for r in rows)


def test_hidden_events_follow_the_effective_event_and_its_amendments(world: World) -> None:
    with world.services.engine.connect() as conn:
        confidential = confidential_source_ids(conn)
    history, _ = load_history(world.services.store, world.case_id)
    hidden = hidden_event_ids(history, confidential)
    assert {world.note_id, world.contact_id} <= hidden
    correction = next(
        e for e in history.entries if getattr(e.event, "target_event_id", "") == world.note_id
    )
    assert correction.event_id in hidden
    assert world.detention_id not in hidden
    source_history, _ = load_history(world.services.store, world.confidential_source)
    assert hidden_event_ids(source_history, confidential) >= {source_history.entries[0].event_id}


def test_a_public_reader_gets_no_restricted_text_from_details_or_the_log(world: World) -> None:
    with world.services.engine.connect() as conn:
        confidential = confidential_source_ids(conn)
    store = world.services.store
    public = stream_detail(store, world.case_id, restricted=False, confidential=confidential)
    inside = stream_detail(store, world.case_id, restricted=True, confidential=confidential)
    assert public is not None and inside is not None
    assert len(public.items) < len(inside.items)
    assert not any(marker in str(public.items) for marker in MARKERS.values())
    assert MARKERS["contact"] in str(inside.items)
    assert (
        stream_detail(store, world.confidential_source, restricted=False, confidential=confidential)
        is None
    )
    log = log_page(store, restricted=False, confidential=confidential, limit=200)
    assert log.rows and not any(marker in str(log.rows) for marker in MARKERS.values())
    full = log_page(store, restricted=True, confidential=confidential, limit=5)
    assert len(full.rows) == 5 and full.older is not None
    assert [r["position"] for r in full.rows] == list(
        range(full.head_position, full.head_position - 5, -1)
    )
