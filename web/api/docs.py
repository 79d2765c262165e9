"""The API's OpenAPI schema (`/api/openapi.json`) and a plain page that lists its operations
(`/api/docs`): server-rendered, no script and nothing from outside, as the CSP demands. Both
need a signed-in reader, like every other route."""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, FastAPI, Request
from fastapi.openapi.utils import get_openapi
from fastapi.responses import JSONResponse, Response

from web.deps import Reader
from web.render import render

router = APIRouter(include_in_schema=False)
METHODS = ("get", "post", "put", "patch", "delete")
VERSION = "1"


def schema_of(app: FastAPI) -> dict[str, Any]:
    """The OpenAPI document of the API app (paths relative to the server URL `/api`)."""
    if app.openapi_schema is None:
        document = get_openapi(
            title="Crimea case tracker API",
            version=VERSION,
            description=(
                "JSON API of the case tracker. Send `Authorization: Bearer trk_...` (an API "
                "token from /tokens or `tracker token add`), or use the signed-in browser "
                "session (writes then need the X-CSRF-Token header). Errors are "
                '`{"detail": ..., "errors": [{"field": ..., "message": ...}]}`.'
            ),
            routes=app.routes,
            servers=[{"url": "/api"}],
        )
        components = document.setdefault("components", {})
        components["securitySchemes"] = {"bearer": {"type": "http", "scheme": "bearer"}}
        document["security"] = [{"bearer": []}]
        app.openapi_schema = document
    return app.openapi_schema


@router.get("/openapi.json")
def openapi(request: Request, who: Reader) -> JSONResponse:
    return JSONResponse(schema_of(request.app))


def _operations(document: dict[str, Any]) -> list[dict[str, Any]]:
    out = []
    for path, item in document.get("paths", {}).items():
        for method in METHODS:
            operation = item.get(method)
            if operation is None:
                continue
            out.append(
                {
                    "method": method.upper(),
                    "path": "/api" + path,
                    "summary": operation.get("summary", ""),
                    "description": operation.get("description", ""),
                    "parameters": [
                        f"{p['name']} ({p['in']}{', required' if p.get('required') else ''})"
                        for p in operation.get("parameters", [])
                    ],
                    "body": bool(operation.get("requestBody")),
                    "responses": sorted(operation.get("responses", {})),
                }
            )
    return out


@router.get("/docs")
def docs(request: Request, who: Reader) -> Response:
    document = schema_of(request.app)
    context = {"operations": _operations(document), "title": document["info"]["title"]}
    return render(request, "api_docs.html", context)


__all__ = ["router", "schema_of"]
