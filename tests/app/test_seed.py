"""The demo data: the ten people of the 2026 Joint Statement, the reports, their sources."""

from __future__ import annotations

from tracker.bootstrap import Services
from tracker.projections.queries import CaseFilter, list_cases, list_reports, list_sources
from tracker.seeding import run_seed, seed_id

NAMED_IN_THE_JOINT_STATEMENT = {
    "Iryna Danylovych", "Halyna Dovhopola", "Tofik Abdulhaziev", "Appaz Kurtamet", "Bohdan Ziza",
    "Azamat Eiupov", "Hennadii Lemeshko", "Esma Nimetullaeva", "Aziz Ahtemov", "Asan Ahtemov",
}  # fmt: skip


def test_the_seed_makes_a_case_for_every_person_the_joint_statement_names(
    services: Services,
) -> None:
    run_seed(services, None)
    with services.engine.connect() as conn:
        page = list_cases(conn, CaseFilter(limit=100))
    assert {row["name"] for row in page.rows} == NAMED_IN_THE_JOINT_STATEMENT
    statement = seed_id("source", "crimea-platform-2026-joint-statement")
    for row in page.rows:
        # The statement says they are detained, nothing of when, why or at which stage.
        assert row["status"] == "in_custody"
        assert row["detention_date"] == "unknown (by 2026-02-26)"
        assert row["charges"] == [] and row["sentence"] == "" and row["facility"] == ""
        assert row["birth_date"] == "unknown"
        assert row["opened_review"] == "approved" and row["pending_count"] == 0
        assert row["sources"] == [statement]


def test_the_seed_reports_carry_the_figures_of_the_documents(services: Services) -> None:
    run_seed(services, None)
    with services.engine.connect() as conn:
        reports = {row["title"]: row for row in list_reports(conn)}
        sources = list_sources(conn, restricted=True)
    assert len(sources) == 5
    assert {r["date_display"] for r in reports.values()} == {
        "2016",
        "2018-03",
        "2019-09-08",
        "2019-02-11",
    }
    figures = next(r for t, r in reports.items() if t.startswith("Political prisoners"))["figures"]
    assert [(f["count"], f["label"].split()[0]) for f in figures] == [
        ("more than 70", "political"),
        ("18", "people"),
        ("17", "people"),
        ("more than 100", "children"),
    ]
    dismissals = next(r for t, r in reports.items() if "dismissed" in t)
    assert dismissals["victims"] == "several"
    assert dismissals["acts"].split() == ["dismissal_from_work", "illegal_elections_coercion"]


def test_seeding_twice_stores_nothing_the_second_time(services: Services) -> None:
    stored, replayed = run_seed(services, None)
    head = services.store.head()
    stored_again, replayed_again = run_seed(services, None)
    assert stored > 0 and replayed == 0
    assert stored_again == 0 and replayed_again > 0
    assert services.store.head() == head
    assert services.store.verify().intact


def test_every_seed_event_was_logged_by_one_account_and_approved_by_another(
    services: Services,
) -> None:
    run_seed(services, None)
    events = list(services.store.iter_all())
    authors = {e.event_id: e.metadata["actor"] for e in events if e.type != "EventReviewed"}
    reviews = [e for e in events if e.type == "EventReviewed"]
    assert len(reviews) == len(authors)
    for review in reviews:
        assert review.data["decision"] == "approved"
        assert review.metadata["actor"] != authors[review.data["target_event_id"]]
