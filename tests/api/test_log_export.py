"""The log head and page, and exports through the API: the list's filters, CSV, JSON and
XLSX, chosen columns, restricted columns only for those who may read them, and the log head
every export states."""

from __future__ import annotations

import io
import json

from openpyxl import load_workbook

from tests.api.conftest import ApiWorld
from tests.web.world import MARKERS


def test_the_head_is_the_stores(api: ApiWorld) -> None:
    head = api.world.services.store.head()
    assert api.client("advocate").get("/api/log/head").json() == {
        "position": head.position,
        "hash": head.hash,
    }


def test_the_log_page_hides_what_an_advocate_may_not_see(api: ApiWorld) -> None:
    world = api.world
    admin = api.client("admin").get("/api/log?limit=500").json()
    advocate = api.client("advocate").get("/api/log?limit=500")
    admin_ids = {e["event_id"] for e in admin["entries"]}
    advocate_ids = {e["event_id"] for e in advocate.json()["entries"]}
    assert {world.note_id, world.contact_id} <= admin_ids
    assert not {world.note_id, world.contact_id} & advocate_ids
    assert advocate_ids < admin_ids
    assert not [key for key, marker in MARKERS.items() if marker in advocate.text]
    assert admin["head"]["position"] == world.services.store.head().position


def test_older_pages_go_back_to_the_start(api: ApiWorld) -> None:
    first = api.client("admin").get("/api/log?limit=10").json()
    assert len(first["entries"]) == 10 and first["older"] is not None
    older = api.client("admin").get(f"/api/log?limit=10&before={first['older']}").json()
    assert max(e["position"] for e in older["entries"]) < min(
        e["position"] for e in first["entries"]
    )


def test_a_json_export_states_the_head_and_holds_the_filtered_cases(api: ApiWorld) -> None:
    response = api.client("advocate").get("/api/export?format=json&search=Ахтемов")
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json"
    assert 'filename="cases.json"' in response.headers["content-disposition"]
    body = json.loads(response.content)
    head = api.world.services.store.head()
    assert (body["export"]["log_position"], body["export"]["log_hash"]) == (
        head.position,
        head.hash,
    )
    assert body["export"]["filters"] == {"search": "Ахтемов"}
    names = {row["name"] for row in body["cases"]}
    assert names and all("htemov" in name or "Ахтемов" in name for name in names)


def test_a_csv_export_has_the_chosen_columns_in_order(api: ApiWorld) -> None:
    response = api.client("advocate").get("/api/export?format=csv&columns=name,status")
    assert response.headers["content-type"].startswith("text/csv")
    text = response.content.decode("utf-8-sig")
    header = next(line for line in text.splitlines() if line.startswith('"Name"'))
    assert header.startswith('"Name","Status"') and header.count(",") == 1


def test_an_xlsx_export_opens(api: ApiWorld) -> None:
    response = api.client("researcher").get("/api/export?format=xlsx&columns=all&as_of=2030-01-01")
    assert response.status_code == 200
    sheet = load_workbook(io.BytesIO(response.content)).active
    assert sheet is not None
    cells = [str(c.value) for row in sheet.iter_rows() for c in row if c.value is not None]
    assert str(api.world.services.store.head().hash) in cells


def test_restricted_columns_are_refused_to_an_advocate_and_given_to_a_researcher(
    api: ApiWorld,
) -> None:
    refused = api.client("advocate").get("/api/export?format=json&columns=name,internal_notes")
    assert refused.status_code == 422
    assert refused.json()["errors"][0]["field"] == "columns"
    assert "restricted" in refused.json()["detail"]
    for fmt in ("csv", "json"):
        everything = api.client("advocate").get(f"/api/export?format={fmt}&columns=all")
        assert everything.status_code == 200
        assert not [k for k, m in MARKERS.items() if m in everything.content.decode("utf-8-sig")]
    researcher = api.client("researcher").get("/api/export?format=json&columns=all")
    assert MARKERS["note"] in researcher.content.decode()


def test_bad_export_requests_get_422_naming_the_parameter(api: ApiWorld) -> None:
    client = api.client("advocate")
    for query, field in [
        ("format=pdf", "format"),
        ("columns=nope", "columns"),
        ("columns=name,name", "columns"),
        ("status=free", "status"),
        ("as_of=2020-02-30", "as_of"),
        ("known_at=" + "9" * 41, "known_at"),
    ]:
        response = client.get(f"/api/export?{query}")
        assert response.status_code == 422, query
        assert [e["field"] for e in response.json()["errors"]] == [field], query
