"""`tracker bench`, web part: the case list search fragment and the case page, timed server-side.

In a scratch database of its own (as `bench.py`): the bench cases are loaded (10 events each,
so 10,000 cases make 100,000 events), projected and, on PostgreSQL, analyzed; a reviewer
account signs in through the login form, and then the real app answers, in-process through
Starlette's TestClient (no sockets, so the figures are the server's work plus the ASGI call):
- `GET /cases?...` with `HX-Request: true` (the `results` fragment) for a few searches, in
  Latin and Cyrillic spellings, filters, sorts and a deep page;
- `GET /cases/{id}` for cases spread over the whole list.
Each request is timed alone; the report is p50 and p95 in ms against the target p95 < 50 ms.
"""

from __future__ import annotations

import os
import re
import secrets
import statistics
import time
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any

from sqlalchemy import text

from tracker.accounts.users import add_user, generate_password
from tracker.bench import data as benchdata
from tracker.bootstrap import bootstrap
from tracker.domain.roles import Role
from tracker.migrate import upgrade
from tracker.projections.rebuild import rebuild
from tracker.scratch import scratch_database
from tracker.settings import Settings

TARGET_MS = 50.0
EMAIL = "bench-web-reviewer@tracker.example"
SEARCHES: dict[str, str] = {
    "search, Latin": "search=Ahtemov",
    "search, another Latin spelling": "search=Akhtemov",
    "search, Cyrillic": "search=%D0%90%D1%85%D1%82%D0%B5%D0%BC%D0%BE%D0%B2",  # Ахтемов
    "search, two words, few matches": "search=person+4321",
    "filter: status and act": "status=serving_sentence&act=arrest",
    "filter: region, review, by detention date": (
        "region=Crimea&review=approved&sort=detention_date&desc=true"
    ),
    "no filter, page 100, by last change": "sort=last_change&desc=true&page=100",
    "search and filter, no match": "search=Umerov&status=released",
}
"""Query strings of the case list requests, by what they exercise."""
_CSRF = re.compile(r'name="csrf_token" value="([0-9a-f]{64})"')
_COUNT = re.compile(r'<p class="count"><strong>(\d+)</strong>')


@dataclass(frozen=True)
class Timing:
    name: str
    samples_ms: list[float]

    @property
    def p50(self) -> float:
        return statistics.median(self.samples_ms)

    @property
    def p95(self) -> float:
        ordered = sorted(self.samples_ms)
        return ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]

    @property
    def met(self) -> bool:
        return self.p95 < TARGET_MS


def _sign_in(client: Any, password: str) -> None:
    found = _CSRF.search(client.get("/login").text)
    if found is None:
        raise RuntimeError("the bench could not find the CSRF token on /login")
    form = {"email": EMAIL, "password": password, "csrf_token": found.group(1)}
    response = client.post("/login", data=form, follow_redirects=False)
    if response.status_code != 303:
        raise RuntimeError(f"the bench could not sign in: {response.status_code}")


def _time(client: Any, url: str, headers: dict[str, str], expect: str) -> float:
    start = time.perf_counter()
    response = client.get(url, headers=headers)
    elapsed = (time.perf_counter() - start) * 1000
    if response.status_code != 200 or expect not in response.text:
        raise RuntimeError(f"the bench got {response.status_code} from {url}")
    return elapsed


def _load() -> str:
    """The machine's load while measuring: on a shared machine, figures scale with it."""
    if not hasattr(os, "getloadavg"):
        return "load average unknown"
    one, five, _ = os.getloadavg()
    return f"load average {one:.1f} (1 min), {five:.1f} (5 min) on {os.cpu_count()} cores"


def matches(client: Any) -> dict[str, int]:
    """How many cases each of the list requests matches (the count the fragment shows)."""
    found: dict[str, int] = {}
    for name, query in SEARCHES.items():
        response = client.get(f"/cases?{query}", headers={"HX-Request": "true"})
        count = _COUNT.search(response.text)
        if response.status_code != 200 or count is None:
            raise RuntimeError(f"the bench got {response.status_code} from /cases?{query}")
        found[name] = int(count.group(1))
    return found


def _measure(client: Any, cases: int, rounds: int, say: Callable[[str], None]) -> list[Timing]:
    fragment = {"HX-Request": "true"}
    say(f"web: matches: {matches(client)}")  # also warms every path (templates, caches)
    samples: dict[str, list[float]] = {name: [] for name in SEARCHES}
    pages: list[float] = []
    step = max(1, cases // rounds)
    for i in range(rounds):  # interleaved, so drift in the shared machine hits all alike
        for name, query in SEARCHES.items():
            samples[name].append(_time(client, f"/cases?{query}", fragment, 'class="count"'))
        case = benchdata.case_id((i * step + i) % cases)
        pages.append(_time(client, f"/cases/{case}", {}, 'class="timeline"'))
    every = [ms for values in samples.values() for ms in values]
    say(f"web: {rounds} rounds of {len(SEARCHES)} case list fragments and 1 case page; {_load()}")
    return [
        *(Timing(f"GET /cases fragment: {name}", values) for name, values in samples.items()),
        Timing("GET /cases fragment: all of the above", every),
        Timing("GET /cases/{id}: the case page", pages),
    ]


def run_web_bench(
    server_url: str | None,
    *,
    cases: int = 10_000,
    rounds: int = 60,
    say: Callable[[str], None] = print,
) -> list[Timing]:
    """Load `cases` bench cases into a scratch database and time the pages; figures in ms."""
    # The one place in tracker/ that imports web/, and only here, inside the function: the bench
    # must drive the real app, and importing web at module level would make the core depend on
    # the web layer (and load FastAPI for every other command).
    try:
        from fastapi.testclient import TestClient
    except ImportError as exc:  # httpx is a development dependency
        raise ValueError(f"the web bench needs the development dependencies: {exc}") from None
    from web.app import create_app

    with scratch_database(server_url, prefix="tracker_bench_web") as url:
        # The pages are timed for a reviewer signed in with the password alone: two-factor
        # sign-in (required of reviewers by default) is a step of signing in, not of the pages.
        settings = Settings(database_url=url, secret_key=secrets.token_urlsafe(48), require_2fa=())
        services = bootstrap(settings)
        try:
            upgrade(services.engine)
            services.store.append_batch(list(benchdata.batches(cases)))
            rebuild(services.engine, services.store)
            if services.engine.dialect.name == "postgresql":
                # Planner statistics, as autovacuum gathers them soon after a bulk load: a
                # server in use has them, and without them the plans are not the ones it runs.
                with services.engine.begin() as conn:
                    conn.execute(text("ANALYZE"))
            events = services.store.head().position
            say(f"web: {cases:,} bench cases, {events:,} events loaded and projected")
            password = generate_password()
            add_user(services.engine, EMAIL, Role.REVIEWER, password)
            with TestClient(create_app(services, settings)) as client:
                _sign_in(client, password)
                return _measure(client, cases, rounds, say)
        finally:
            services.close()


def format_timings(timings: list[Timing]) -> str:
    lines = [f"{'web pages (server-side, signed in)':<66} {'p50 ms':>8} {'p95 ms':>8}  target"]
    for t in timings:
        verdict = "met" if t.met else "MISSED"
        lines.append(f"{t.name:<66} {t.p50:>8.1f} {t.p95:>8.1f}  p95 < 50 ms {verdict}")
    return "\n".join(lines)
