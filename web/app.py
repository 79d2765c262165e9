"""The application factory: `create_app(services, settings)` wires routers, templates, static
files, error pages and the security guard. Nothing runs on import."""

from __future__ import annotations

from pathlib import Path

from fastapi import Depends, FastAPI
from fastapi.staticfiles import StaticFiles

from tracker.bootstrap import Services
from tracker.settings import Settings
from web import errors
from web.api import create_api
from web.config import WebConfig
from web.deps import csrf_protect
from web.render import make_environment
from web.routes import (
    account,
    admin,
    auth,
    cases,
    event_page,
    events,
    exports,
    follow,
    form_parts,
    imports,
    links,
    log,
    my_items,
    reports,
    review,
    second_factor,
    sources,
    stats,
    subscriptions,
    tokens,
    two_factor,
)
from web.security import Guard

STATIC = Path(__file__).resolve().parent / "static"
ROUTERS = (
    auth,
    cases,
    events,
    reports,
    sources,
    review,
    stats,
    log,
    admin,
    exports,
    imports,
    tokens,
    subscriptions,
    second_factor,
    account,
    two_factor,
    links,
    form_parts,
    event_page,
    my_items,
    follow,
)
"""The page routers, in the order they are matched."""
HTMX_VERSION = "2.0.11"


def create_app(services: Services, settings: Settings | None = None) -> FastAPI:
    """The web app over wired services. Raises ValueError without a good secret key."""
    settings = settings or services.settings
    config = WebConfig.from_settings(settings)
    app = FastAPI(
        title="Crimea case tracker",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_protect)],
    )
    app.state.services = services
    app.state.web = config
    app.state.templates = make_environment()
    app.mount("/static", StaticFiles(directory=STATIC), name="static")
    app.mount("/api", create_api(services, config, app.state.templates), name="api")
    for module in ROUTERS:
        app.include_router(module.router)
    errors.install(app)
    app.add_middleware(Guard, config=config)
    return app


__all__ = ["HTMX_VERSION", "ROUTERS", "create_app"]
