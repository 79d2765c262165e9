"""Cases through the API: the list's filters as on the page, a case's summary and version,
and opening a case with the duplicate check, the confirm flag and a repeatable event_id."""

from __future__ import annotations

import uuid

from tests.api.conftest import ApiWorld
from tracker.projections.queries import CaseFilter, get_case, list_cases


def _names(api: ApiWorld, query: str) -> list[str]:
    response = api.client("advocate").get(f"/api/cases?{query}")
    assert response.status_code == 200, response.text
    return [case["name"] for case in response.json()["cases"]]


def test_a_name_is_found_in_any_script_or_spelling(api: ApiWorld) -> None:
    found = {
        spelling: _names(api, f"search={spelling}")
        for spelling in ("Akhtemov", "Ahtemov", "Ахтемов")
    }
    assert found["Akhtemov"] and found["Akhtemov"] == found["Ahtemov"] == found["Ахтемов"]


def test_the_list_matches_the_pages_query_filter_by_filter(api: ApiWorld) -> None:
    with api.world.services.engine.connect() as conn:
        expected = list_cases(conn, CaseFilter(status="pre_trial_detention", limit=500))
    body = api.client("advocate").get("/api/cases?status=pre_trial_detention&page_size=500").json()
    assert body["total"] == expected.total > 0
    assert [c["id"] for c in body["cases"]] == [r["stream_id"] for r in expected.rows]
    assert {c["status"] for c in body["cases"]} == {"pre_trial_detention"}


def _charged_case(api: ApiWorld) -> None:
    """A case in a region of its own, charged under art. 205.5 part 2, all approved."""
    writer, reviewer = api.client("researcher"), api.client("reviewer")
    opened = writer.post(
        "/api/cases",
        json={"case": {"name": "Filter Chargeov", "region": "Dzhankoi"}, "confirm_new": True},
    ).json()
    charge = {
        "charge": {"article": "205.5", "part": "2"},
        "date": {"precision": "year", "value": "2019"},
    }
    charged = writer.post(
        f"/api/cases/{opened['stream_id']}/events",
        json={"type": "ChargeBrought", "data": charge, "expected_version": 1},
    ).json()
    for event_id in (opened["event_id"], charged["event_id"]):
        path = f"/api/cases/{opened['stream_id']}/events/{event_id}/review"
        assert reviewer.post(path, json={"decision": "approved"}).status_code == 201


def test_each_filter_gives_what_the_pages_query_gives(api: ApiWorld) -> None:
    _charged_case(api)
    with api.world.services.engine.connect() as conn:
        rows = list_cases(conn, CaseFilter(limit=500)).rows
        act = next(r["acts"].split()[0] for r in rows if r["acts"].strip())
        filters: list[tuple[str, CaseFilter]] = [
            (f"act={act}", CaseFilter(act=act, limit=500)),
            ("charge=uk-205-5-ch-2", CaseFilter(charge="uk-205-5-ch-2", limit=500)),
            ("region=DZHANKOI", CaseFilter(region="Dzhankoi", limit=500)),
            ("review=pending", CaseFilter(review="pending", limit=500)),
            ("review=approved&sort=detention_date&desc=true",
             CaseFilter(review="approved", sort="detention_date", descending=True, limit=500)),
        ]  # fmt: skip
        expected = {q: [r["stream_id"] for r in list_cases(conn, f).rows] for q, f in filters}
    assert len(expected["charge=uk-205-5-ch-2"]) >= 1
    for query, ids in expected.items():
        body = api.client("advocate").get(f"/api/cases?{query}&page_size=500").json()
        assert [c["id"] for c in body["cases"]] == ids, query
        assert body["total"] == len(ids) > 0, query


def test_pages_split_the_list_and_count_it_whole(api: ApiWorld) -> None:
    whole = api.client("advocate").get("/api/cases?page_size=500&sort=name").json()
    first = api.client("advocate").get("/api/cases?page_size=3&page=1&sort=name").json()
    second = api.client("advocate").get("/api/cases?page_size=3&page=2&sort=name").json()
    assert first["total"] == second["total"] == whole["total"]
    assert first["pages"] == -(-whole["total"] // 3)
    ids = [c["id"] for c in whole["cases"]]
    assert [c["id"] for c in first["cases"] + second["cases"]] == ids[:6]


def test_as_of_a_day_before_any_detention_nobody_is_detained(api: ApiWorld) -> None:
    body = api.client("advocate").get("/api/cases?as_of=1990-01-01&page_size=500").json()
    assert body["as_of"] == "1990-01-01" and body["total"] > 0
    assert all(c["detention_date"] == "" for c in body["cases"])


def test_known_at_a_day_before_the_log_began_shows_nothing(api: ApiWorld) -> None:
    assert api.client("advocate").get("/api/cases?known_at=2000-01-01").json()["total"] == 0


def test_bad_filters_get_422_naming_the_parameter(api: ApiWorld) -> None:
    client = api.client("advocate")
    for query, field in [
        ("status=free", "status"),
        ("act=%3Cb%3E", "act"),
        ("as_of=2020-13-45", "as_of"),
        ("known_at=yesterday", "known_at"),
        ("sort=password", "sort"),
        ("page=0", "page"),
        ("page=abc", "page"),
        ("page_size=100000", "page_size"),
        ("search=" + "x" * 201, "search"),
    ]:
        response = client.get(f"/api/cases?{query}")
        assert response.status_code == 422, query
        assert [e["field"] for e in response.json()["errors"]] == [field], query


def test_a_case_has_its_summary_version_and_visible_sources(api: ApiWorld) -> None:
    world = api.world
    with world.services.engine.connect() as conn:
        row = get_case(conn, world.case_id)
    assert row is not None
    admin = api.client("admin").get(f"/api/cases/{world.case_id}").json()
    advocate = api.client("advocate").get(f"/api/cases/{world.case_id}").json()
    assert admin["version"] == advocate["version"] == row["version"]
    assert admin["name"] == row["name"] and admin["url"].endswith(f"/cases/{world.case_id}")
    assert world.confidential_source in {s["id"] for s in admin["sources"]}
    assert world.confidential_source not in {s["id"] for s in advocate["sources"]}
    assert world.public_source in {s["id"] for s in advocate["sources"]}


def test_unknown_case_ids_get_404(api: ApiWorld) -> None:
    for case_id in ("case-does-not-exist", "not-an-id", "report-x", "c" * 5000):
        response = api.client("admin").get(f"/api/cases/{case_id}")
        assert response.status_code == 404, case_id
        assert response.json()["errors"] == [
            {"field": "case_id", "message": response.json()["detail"]}
        ]


def test_opening_a_case_stores_it_pending_and_answers_201(api: ApiWorld) -> None:
    event_id = str(uuid.uuid4())
    body = {"case": {"name": "Zeynep Testova", "region": "Simferopol"}, "event_id": event_id}
    created = api.client("researcher").post("/api/cases", json=body)
    assert created.status_code == 201, created.text
    answer = created.json()
    assert answer["stream_id"] == f"case-{event_id}" and answer["version"] == 1
    stored = api.world.services.store.read_stream(answer["stream_id"])
    assert [(e.event_id, e.global_position, e.hash) for e in stored] == [
        (event_id, answer["position"], answer["hash"])
    ]
    case = api.client("researcher").get(f"/api/cases/{answer['stream_id']}").json()
    assert case["opened_review"] == "pending" and case["region"] == "Simferopol"


def test_a_possible_duplicate_needs_the_confirm_flag(api: ApiWorld) -> None:
    client = api.client("researcher")
    before = api.world.services.store.head().position
    refused = client.post("/api/cases", json={"case": {"name": "Ахтемов Асан"}})
    assert refused.status_code == 409
    assert refused.json()["errors"][0]["field"] == "case.name"
    assert any(
        "Akhtemov" in " ".join([m["name"], *m["name_variants"]]) for m in refused.json()["matches"]
    )
    assert api.world.services.store.head().position == before
    confirmed = client.post(
        "/api/cases", json={"case": {"name": "Ахтемов Асан"}, "confirm_new": True}
    )
    assert confirmed.status_code == 201


def test_a_repeated_event_id_opens_one_case_and_answers_as_the_first_time(api: ApiWorld) -> None:
    body = {"case": {"name": "Repeat Openov"}, "event_id": str(uuid.uuid4())}
    first = api.client("researcher").post("/api/cases", json=body)
    again = api.client("researcher").post("/api/cases", json=body)
    assert first.status_code == again.status_code == 201
    assert first.json() == again.json()
    assert again.headers["idempotent-replayed"] == "true"
    assert len(api.world.services.store.read_stream(first.json()["stream_id"])) == 1


def test_opening_a_case_with_bad_data_names_the_field(api: ApiWorld) -> None:
    client = api.client("researcher")
    bad_date = {"precision": "day", "value": "1990-02-31"}
    cases = [
        ({"case": {"name": ""}}, "case.name"),
        ({"case": {"name": "x" * 301}}, "case.name"),
        ({"case": {"name": "A", "shoe_size": 42}}, "case.shoe_size"),
        ({"case": {"name": "A", "birth_date": bad_date}}, "case.birth_date"),
        ({"case": {"name": "A"}, "event_id": "not-a-uuid"}, "event_id"),
        (
            {"case": {"name": "A", "citations": [{"source_id": "nope"}]}, "confirm_new": True},
            "case.citations.0.source_id",
        ),
    ]
    for body, field in cases:
        response = client.post("/api/cases", json=body)
        assert response.status_code == 422, (body, response.text)
        assert [e["field"] for e in response.json()["errors"]] == [field], body
