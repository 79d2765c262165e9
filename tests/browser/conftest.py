"""Real-browser fixtures: the app served by uvicorn on a free local port over a seeded,
throwaway SQLite database, and Debian's chromium driven by Playwright.

Without /usr/bin/chromium the browser tests are skipped with the reason, except under CI=true,
where they fail (as the PostgreSQL tests do in tests/support/databases.py). Each page is
watched: a console error, an uncaught page error or a Content-Security-Policy violation
(which chromium reports on the console) fails the test, unless the test allows it by name.
"""

from __future__ import annotations

import os
import re
import socket
import tempfile
import threading
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from dataclasses import dataclass, field, replace
from pathlib import Path
from typing import Any

import pytest
import uvicorn

from tests.support.databases import migrated_sqlite_url
from tests.web.world import EMAILS, PASSWORD, World, build_world, settings_for
from tracker.bootstrap import bootstrap
from web.app import create_app

CHROMIUM = Path("/usr/bin/chromium")
CHROMIUM_ARGS = [
    "--no-sandbox",
    "--disable-gpu",
    "--disable-background-networking",
    "--disable-component-update",
    "--disable-sync",
    "--no-first-run",
    "--disable-quic",
]
TIMEOUT_MS = 15_000


def chromium_problem() -> str | None:
    """Why the browser tests cannot run here, or None."""
    if not os.access(CHROMIUM, os.X_OK):
        return f"{CHROMIUM} is missing (apt-get install chromium); the browser tests need it"
    return None


def require_chromium() -> None:
    """Skip the calling test without chromium, or fail it when CI=true."""
    problem = chromium_problem()
    if problem is None:
        return
    if os.environ.get("CI", "").lower() == "true":
        pytest.fail(f"{problem} (CI=true: the browser tests must run)", pytrace=False)
    pytest.skip(problem)


@dataclass
class Served:
    """The running app: its address and the seeded world under it."""

    base_url: str
    world: World


@contextmanager
def serving(**settings: Any) -> Iterator[Served]:
    """uvicorn serving a freshly seeded world on 127.0.0.1 in a thread, with these settings
    (over the test worlds' own); stopped and removed after."""
    with tempfile.TemporaryDirectory(prefix="tracker_browser_") as folder:
        url = migrated_sqlite_url(Path(folder))
        seeded = build_world(url)
        seeded.services.close()
        sock = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
        sock.bind(("127.0.0.1", 0))  # a free port, held from now on: no race for it
        base_url = f"http://127.0.0.1:{sock.getsockname()[1]}"
        config = settings_for(url, base_url=base_url, **settings)
        services = bootstrap(config)
        app = create_app(services, config)
        server = uvicorn.Server(uvicorn.Config(app, log_level="warning", lifespan="off"))
        thread = threading.Thread(target=server.run, kwargs={"sockets": [sock]}, daemon=True)
        thread.start()
        try:
            while not server.started:
                if not thread.is_alive():
                    pytest.fail("uvicorn did not start", pytrace=False)
                thread.join(0.05)
            world = replace(seeded, services=services, app=app)
            yield Served(base_url, world)
        finally:
            server.should_exit = True
            thread.join(10)
            sock.close()
            services.close()


@pytest.fixture(scope="session")
def served() -> Iterator[Served]:
    """The seeded world served by uvicorn (see `serving`), for the whole session."""
    require_chromium()
    with serving() as running:
        yield running


@pytest.fixture(scope="session")
def browser(served: Served) -> Iterator[Any]:
    """Debian's chromium, headless (never a downloaded browser)."""
    from playwright.sync_api import sync_playwright

    with sync_playwright() as playwright:
        launched = playwright.chromium.launch(
            executable_path=str(CHROMIUM), headless=True, args=CHROMIUM_ARGS
        )
        yield launched
        launched.close()


@dataclass
class Watch:
    """What a page said on its console that it should not have."""

    problems: list[str] = field(default_factory=list)
    allowed: list[re.Pattern[str]] = field(default_factory=list)

    def allow(self, pattern: str) -> None:
        """Expect console errors matching `pattern` (e.g. the 409 a stale form answers)."""
        self.allowed.append(re.compile(pattern))

    def console(self, message: Any) -> None:
        if message.type in ("error", "warning") and not any(
            p.search(message.text) for p in self.allowed
        ):
            where = message.location.get("url", "")
            self.problems.append(f"console {message.type} at {where}: {message.text}")

    def page_error(self, error: Any) -> None:
        self.problems.append(f"page error: {error}")

    def assert_clean(self) -> None:
        assert self.problems == [], "\n".join(self.problems)


@dataclass
class Visitor:
    """A signed-in person in a browser context of their own."""

    page: Any
    watch: Watch
    base_url: str

    def go(self, path: str) -> Any:
        response = self.page.goto(self.base_url + path)
        assert response is not None and response.ok, f"{path}: {response and response.status}"
        return response


def sign_in(page: Any, base_url: str, role: str) -> None:
    """Sign in through the login form, as a person would."""
    page.goto(f"{base_url}/login")
    page.fill("#email", EMAILS[role])
    page.fill("#password", PASSWORD)
    page.click("#login-form button[type=submit]")
    page.wait_for_url(f"{base_url}/cases")


@pytest.fixture
def visit(browser: Any, served: Served) -> Iterator[Callable[[str], Visitor]]:
    """Opens a new browser context signed in as the given role; checks every page's console."""
    contexts: list[Any] = []
    watches: list[Watch] = []

    def open_as(role: str) -> Visitor:
        context = browser.new_context()
        context.set_default_timeout(TIMEOUT_MS)
        contexts.append(context)
        page = context.new_page()
        watch = Watch()
        watches.append(watch)
        page.on("console", watch.console)
        page.on("pageerror", watch.page_error)
        if role != "anonymous":
            sign_in(page, served.base_url, role)
        return Visitor(page, watch, served.base_url)

    yield open_as
    for context in contexts:
        context.close()
    for watch in watches:
        watch.assert_clean()
