"""The JSON API: a FastAPI app of its own, mounted at /api by `web.app.create_app`.

It shares the page app's services, settings and dependencies (who is asking, roles, CSRF for
cookie writes) but answers every error as JSON, and serves its own OpenAPI schema; the pages
keep theirs out of it. Nothing runs on import.
"""

from __future__ import annotations

from fastapi import Depends, FastAPI, Request
from jinja2 import Environment

from tracker.bootstrap import Services
from web.api import (
    amending,
    cases,
    docs,
    errors,
    events,
    export,
    log,
    opening,
    review,
    tokens,
)
from web.config import WebConfig
from web.deps import ConfigDep, MaybeUser, csrf_protect

ROUTERS = (cases, opening, events, amending, review, log, export, tokens, docs)


async def csrf_check(request: Request, principal: MaybeUser, config: ConfigDep) -> None:
    """`csrf_protect` for signed-in callers; a caller with no live session or token is left to
    the route, which answers 401 (every API route needs one)."""
    if principal is not None:
        await csrf_protect(request, principal, config)


def create_api(services: Services, config: WebConfig, templates: Environment) -> FastAPI:
    """The API app over the page app's services, config and templates."""
    api = FastAPI(
        title="Crimea case tracker API",
        docs_url=None,
        redoc_url=None,
        openapi_url=None,
        dependencies=[Depends(csrf_check)],
    )
    api.state.services = services
    api.state.web = config
    api.state.templates = templates
    for module in ROUTERS:
        api.include_router(module.router)
    errors.install(api)
    return api


__all__ = ["create_api"]
