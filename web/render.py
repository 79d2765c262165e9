"""Rendering: one Jinja2 template per page, the whole page or one of its blocks for htmx.

An htmx request (`HX-Request: true`, not boosted) gets the named block only; any other request
gets the whole page, so every URL also works as a plain page load.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from pathlib import Path
from typing import Any
from urllib.parse import urlencode

from fastapi import Request
from fastapi.responses import HTMLResponse, RedirectResponse, Response
from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape
from jinja2_fragments import render_block

from tracker.domain.charges import describe_slug
from tracker.domain.roles import Action
from tracker.domain.vocabulary import ACTS, RELIABILITY, SOURCE_KINDS, STATUSES, label
from web.charge_known import charge_known
from web.deps import page_csrf_token

TEMPLATES = Path(__file__).resolve().parent / "templates"
HTMX_CONFIG = {
    "includeIndicatorStyles": False,
    "allowEval": False,
    "allowScriptTags": False,
    "selfRequestsOnly": True,
    "historyCacheSize": 0,
    "refreshOnHistoryMiss": True,
    "responseHandling": [
        {"code": "204", "swap": False},
        {"code": "[23]..", "swap": True},
        {"code": "[4]..", "swap": True, "error": False},
        {"code": "...", "swap": False, "error": True},
    ],
}


def _status_label(code: str) -> str:
    return label(code, STATUSES)


def _query(params: Mapping[str, Any], **changes: Any) -> str:
    """A query string from the current parameters with some changed (None drops one)."""
    merged = {k: v for k, v in {**params, **changes}.items() if v not in (None, "", False)}
    return "?" + urlencode(merged, doseq=True) if merged else ""


def make_environment() -> Environment:
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        autoescape=select_autoescape(("html", "svg"), default=True),
        undefined=StrictUndefined,
        trim_blocks=True,
        lstrip_blocks=True,
    )
    env.globals.update(
        Action=Action,
        status_label=_status_label,
        act_label=lambda code: label(code, ACTS),
        reliability_label=lambda code: label(code, RELIABILITY),
        source_kind_label=lambda code: label(code, SOURCE_KINDS),
        query=_query,
        htmx_config=json.dumps(HTMX_CONFIG, separators=(",", ":")),
        charge_known=charge_known,
        charge_label=describe_slug,
    )
    return env


def is_htmx(request: Request) -> bool:
    """An htmx request that wants a fragment (boosted and history requests want pages)."""
    headers = request.headers
    return (
        headers.get("hx-request") == "true"
        and headers.get("hx-boosted") != "true"
        and headers.get("hx-history-restore-request") != "true"
    )


def render(
    request: Request,
    template: str,
    context: Mapping[str, Any] | None = None,
    *,
    status: int = 200,
    block: str = "content",
    headers: Mapping[str, str] | None = None,
) -> HTMLResponse:
    """The page, or its `block` for htmx; `Vary: HX-Request` is added by the guard."""
    env: Environment = request.app.state.templates
    values = {
        "request": request,
        "user": getattr(request.state, "principal", None),
        "csrf_token": page_csrf_token(request),
        "htmx": is_htmx(request),
        **(context or {}),
    }
    if is_htmx(request):
        html = render_block(env, template, block, values)
    else:
        html = env.get_template(template).render(values)
    return HTMLResponse(html, status_code=status, headers=dict(headers or {}))


def redirect(request: Request, url: str) -> Response:
    """After a successful form: 303 for a plain post, HX-Redirect for htmx."""
    if request.headers.get("hx-request") == "true":
        return Response(status_code=200, headers={"HX-Redirect": url})
    return RedirectResponse(url, status_code=303)


__all__ = ["HTMX_CONFIG", "is_htmx", "make_environment", "redirect", "render"]
