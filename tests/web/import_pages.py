"""What the import page tests share: small lists to upload, and reading the preview page."""

from __future__ import annotations

import html
import re

from fastapi.testclient import TestClient

from tests.web.world import csrf_of

HEADER = "ПІБ;Дата народження;Дата затримання;Стаття;Статус;Джерело\n"
GOOD = (
    HEADER
    + "Petro Ivanenko;12.03.1985;2019;205.5 ч. 2;;https://x.org/1\n"  # nobody like him: new
    + "Асан Ахтемов;1978;;;released;\n"  # case-a, born 1978: update
    + "=1+2 Formula;;;;;\n"  # case-b, nothing new: unchanged
).encode()
BAD = GOOD + b"Bad Date;31.02.2019;;;;\n"
HEADERS = {"true": {"HX-Request": "true"}, "false": {"HX-Request": "false"}, "missing": {}}
WRITERS = ("admin", "reviewer", "researcher")


def token(client: TestClient) -> str:
    return csrf_of(client.get("/imports").text)


def upload(
    client: TestClient, data: bytes, name: str = "list.csv", **headers: str
) -> tuple[int, str]:
    got = client.post(
        "/imports/preview",
        data={"csrf_token": token(client)},
        files={"file": (name, data, "text/csv")},
        headers=headers,
    )
    return got.status_code, got.text


def form_fields(page: str) -> dict[str, str]:
    """The hidden fields and selected column mappings of the preview form."""
    start = page.index('class="import-columns"')
    form = page[start : page.index("</form>", start)]
    found = dict(re.findall(r'<input type="hidden" name="(\w+)" value="([^"]*)"', form))
    for select, body in re.findall(
        r'<select id="(map-\d+)" name="map-\d+">(.*?)</select>', form, re.S
    ):
        found[select] = re.findall(r'<option value="(\w+)" selected>', body)[0]
    return {name: html.unescape(value) for name, value in found.items()}


def rows(page: str) -> list[tuple[str, str]]:
    """(row number, outcome) per row of the preview table."""
    return re.findall(
        r'<tr class="outcome-\w+">\s*<td>(\d+)</td>\s*<td><span class="state state-(\w+)">', page
    )


__all__ = ["BAD", "GOOD", "HEADER", "HEADERS", "WRITERS", "form_fields", "rows", "token", "upload"]
