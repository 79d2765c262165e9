"""Dependencies every router shares: the services, who is asking, what they may do, CSRF.

Who is asking comes from `Authorization: Bearer <API token or session token>` (an API token
starts with `trk_`) or from the signed session cookie; a JSON router can reuse `CurrentUser`
and `Allowed(...)` as they are. CSRF is checked only for cookie-authenticated (and anonymous)
state-changing requests: a bearer token is not sent by the browser on its own, so it cannot be
ridden.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from dataclasses import dataclass
from typing import Annotated, Literal

from fastapi import Depends, Request, Response
from fastapi.concurrency import run_in_threadpool

from tracker.accounts.api_tokens import PREFIX as TOKEN_PREFIX
from tracker.accounts.api_tokens import resolve_token
from tracker.accounts.sessions import resolve
from tracker.accounts.texts import ENROL_FIRST
from tracker.accounts.totp import is_enrolled
from tracker.bootstrap import Services
from tracker.domain.errors import NotAllowed
from tracker.domain.roles import Action, Actor, Role, may
from web.config import WebConfig
from web.security import UNSAFE_METHODS, csrf_ok, csrf_token, sign, unsign

SESSION_COOKIE = "tracker_session"
PRE_SESSION_COOKIE = "tracker_pre"
"""Random value a signed-out browser holds so the sign-in form has a CSRF token too."""


class NotSignedIn(Exception):
    """The request needs a signed-in user and has none (or the session ended)."""


class CsrfRefused(Exception):
    """A state-changing request came without the right CSRF token."""


class EnrolmentRequired(NotAllowed):
    """The account's role must sign in with two factors and it has no authenticator yet: the
    pages send it to set one up, the API answers 403 (as for any NotAllowed)."""


@dataclass(frozen=True, slots=True)
class Principal:
    """The signed-in user a request comes from."""

    user_id: str
    email: str
    role: Role
    session_id: str
    via: Literal["cookie", "bearer"]

    @property
    def actor(self) -> Actor:
        return Actor(self.email, self.role)

    def may(self, action: Action) -> bool:
        return may(self.role, action)

    @property
    def may_write(self) -> bool:
        return self.may(Action.WRITE)

    @property
    def may_review(self) -> bool:
        return self.may(Action.REVIEW)

    @property
    def restricted(self) -> bool:
        """May read restricted fields (confidential sources, contacts, internal notes)."""
        return self.may(Action.READ_RESTRICTED)


def get_services(request: Request) -> Services:
    services: Services = request.app.state.services
    return services


def get_config(request: Request) -> WebConfig:
    config: WebConfig = request.app.state.web
    return config


ServicesDep = Annotated[Services, Depends(get_services)]
ConfigDep = Annotated[WebConfig, Depends(get_config)]


def _bearer(request: Request) -> str | None:
    header = request.headers.get("authorization", "")
    scheme, _, token = header.partition(" ")
    return token.strip() if scheme.lower() == "bearer" and token.strip() else None


async def optional_user(
    request: Request, services: ServicesDep, config: ConfigDep
) -> Principal | None:
    """The signed-in user, or None; cached on the request."""
    if hasattr(request.state, "principal"):
        cached: Principal | None = request.state.principal
        return cached
    principal: Principal | None = None
    bearer = _bearer(request)
    token = bearer or unsign(config.secret_key, request.cookies.get(SESSION_COOKIE))
    if token:
        lookup = resolve_token if bearer and bearer.startswith(TOKEN_PREFIX) else resolve
        signed_in = await run_in_threadpool(lookup, services.engine, token)
        if signed_in is not None:
            via: Literal["cookie", "bearer"] = "bearer" if bearer else "cookie"
            principal = Principal(
                signed_in.user_id, signed_in.email, signed_in.role, signed_in.session_id, via
            )
    request.state.principal = principal
    return principal


MaybeUser = Annotated[Principal | None, Depends(optional_user)]


async def signed_in(principal: MaybeUser) -> Principal:
    """The signed-in user, enrolled in two-factor sign-in or not (for the pages that set it up
    and for signing out); NotSignedIn otherwise."""
    if principal is None:
        raise NotSignedIn
    return principal


SignedInUser = Annotated[Principal, Depends(signed_in)]


async def current_user(
    request: Request, principal: SignedInUser, services: ServicesDep, config: ConfigDep
) -> Principal:
    """The signed-in user; NotSignedIn (a redirect to the sign-in page) otherwise, and
    EnrolmentRequired while their role must use two factors and they have not set them up."""
    if principal.role in config.require_2fa:
        known = _enrolled_sessions(request)
        if principal.via == "cookie" and principal.session_id in known:
            return principal
        enrolled = await run_in_threadpool(is_enrolled, services.engine, principal.user_id)
        if not enrolled:
            raise EnrolmentRequired(ENROL_FIRST)
        if principal.via == "cookie":
            if len(known) >= _KNOWN_LIMIT:
                known.clear()
            known.add(principal.session_id)
    return principal


_KNOWN_LIMIT = 10_000


def _enrolled_sessions(request: Request) -> set[str]:
    """Browser sessions seen to belong to an enrolled account, kept by this app instance. Safe
    to remember: an account loses its authenticator only by an admin's reset, which ends every
    session it has, so such a session never resolves again. (API tokens outlive a reset, so
    they are asked every time.)"""
    state = request.app.state
    known: set[str] | None = getattr(state, "enrolled_sessions", None)
    if known is None:
        known = set()
        state.enrolled_sessions = known
    return known


CurrentUser = Annotated[Principal, Depends(current_user)]

_DOING = {
    Action.READ_PUBLIC: "read the tracker",
    Action.READ_RESTRICTED: "read restricted fields",
    Action.WRITE: "record or change anything",
    Action.REVIEW: "review events",
    Action.EXPORT: "export",
    Action.MANAGE_USERS: "manage accounts",
}


def allowed(action: Action) -> object:
    """A dependency: the current user, if their role allows `action`; 403 otherwise."""

    async def check(principal: CurrentUser) -> Principal:
        if not principal.may(action):
            raise NotAllowed(f"the {principal.role} role may not {_DOING[action]}")
        return principal

    return Depends(check)


Reader = Annotated[Principal, allowed(Action.READ_PUBLIC)]
Writer = Annotated[Principal, allowed(Action.WRITE)]
Reviewer = Annotated[Principal, allowed(Action.REVIEW)]
Admin = Annotated[Principal, allowed(Action.MANAGE_USERS)]


def csrf_binding(request: Request, principal: Principal | None, config: WebConfig) -> str | None:
    """What the CSRF token of this browser is derived from: its session, else its pre-session."""
    if principal is not None:
        return principal.session_id
    return unsign(config.secret_key, request.cookies.get(PRE_SESSION_COOKIE))


def page_csrf_token(request: Request) -> str:
    """The token to put in this request's forms ('' when the browser has no binding yet)."""
    config = get_config(request)
    principal: Principal | None = getattr(request.state, "principal", None)
    binding = csrf_binding(request, principal, config) or getattr(request.state, "pre_session", "")
    return csrf_token(config.secret_key, binding) if binding else ""


def with_pre_session(
    request: Request, config: WebConfig, page: Callable[[], Response], *, needed: bool
) -> Response:
    """`page()`, for a signed-out browser that `needed` a pre-session for its forms' CSRF
    token: a new random value is bound to this request before the page is rendered and set
    as a signed cookie on the answer."""
    if not needed:
        return page()
    fresh = secrets.token_urlsafe(24)
    request.state.pre_session = fresh
    response = page()
    response.set_cookie(
        PRE_SESSION_COOKIE,
        sign(config.secret_key, fresh),
        httponly=True,
        samesite="lax",
        secure=config.secure_cookies,
    )
    return response


async def csrf_protect(request: Request, principal: MaybeUser, config: ConfigDep) -> None:
    """Refuse a state-changing request without the token (header or form field) or from
    another origin. Bearer-token requests are exempt (see the module docstring)."""
    if request.method not in UNSAFE_METHODS:
        return
    if principal is not None and principal.via == "bearer":
        return
    origin = request.headers.get("origin")
    own = f"{request.url.scheme}://{request.url.netloc}"
    if origin is not None and origin not in {config.origin, own}:
        raise CsrfRefused
    sent = request.headers.get("x-csrf-token")
    if sent is None:
        form = await request.form()
        value = form.get("csrf_token")
        sent = value if isinstance(value, str) else None
    if not csrf_ok(config.secret_key, csrf_binding(request, principal, config), sent):
        raise CsrfRefused


__all__ = [
    "PRE_SESSION_COOKIE",
    "SESSION_COOKIE",
    "Admin",
    "ConfigDep",
    "CsrfRefused",
    "CurrentUser",
    "EnrolmentRequired",
    "MaybeUser",
    "NotSignedIn",
    "Principal",
    "Reader",
    "Reviewer",
    "ServicesDep",
    "SignedInUser",
    "Writer",
    "allowed",
    "csrf_protect",
    "page_csrf_token",
    "with_pre_session",
]
