"""Pages as fragments and as wholes: the case list's results block, 'as of', the log's older
entries, the form builder's round trip."""

from __future__ import annotations

from fastapi.testclient import TestClient
from starlette.datastructures import FormData

from tests.web.world import World
from tracker.domain.dates import PartialDate
from tracker.domain.events import ReportOpened, VerdictDelivered
from tracker.domain.values import Sentence, SentenceKind
from web.forms import flatten, form_fields, parse_form


def test_the_case_list_fragment_is_the_results_block(clients: dict[str, TestClient]) -> None:
    hx = clients["advocate"].get("/cases?search=Ахтемов", headers={"HX-Request": "true"})
    assert hx.text.lstrip().startswith('<p class="count"><strong>2</strong> cases')
    assert "Asan Ahtemov" in hx.text and "Aziz Ahtemov" in hx.text and "<form" not in hx.text
    page = clients["advocate"].get("/cases?search=Ахтемов")
    assert "<!doctype html>" in page.text and 'value="Ахтемов"' in page.text


def test_as_of_shows_the_list_as_it_stood(world: World, clients: dict[str, TestClient]) -> None:
    client = clients["advocate"]
    then = client.get("/cases?as_of=2016-01-01&status=pre_trial_detention").text
    assert "<strong>1</strong> case," in then and "as they stood on 2016-01-01" in then
    before = client.get("/cases?as_of=2015-03-15&status=pre_trial_detention").text
    assert "<strong>0</strong> cases" in before, "'March 2015' had not certainly happened yet"


def test_the_log_pages_back_in_fragments(clients: dict[str, TestClient]) -> None:
    client = clients["reviewer"]
    first = client.get("/log").text
    assert "Head: position" in first and "older events" in first
    older = client.get("/log?before=20", headers={"HX-Request": "true"}).text
    assert "<tr>" in older and "<table" not in older and "/log?before=" not in older


def test_a_form_round_trips_an_event() -> None:
    verdict = VerdictDelivered(
        date=PartialDate.parse("c. 2019"),
        court="Southern District Military Court",
        sentence=Sentence(kind=SentenceKind.IMPRISONMENT, years=12, regime="strict"),
    )
    fields = form_fields(VerdictDelivered, citation_slots=2)
    values = flatten(verdict.model_dump(mode="json"))
    form = FormData([(k, v) for k, v in values.items() if isinstance(v, str)])
    parsed, errors = parse_form(VerdictDelivered, fields, form)
    assert errors == {} and parsed == verdict
    empty, errors = parse_form(ReportOpened, form_fields(ReportOpened), FormData([]))
    assert empty is None and "String should have at least 1 character" in errors["title"]
