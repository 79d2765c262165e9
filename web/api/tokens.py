"""The caller's own API tokens: list, create (the token is shown once) and revoke.

A token may list and revoke tokens, but only a signed-in browser session (or the CLI) may
create one: a leaked token cannot make itself a successor that outlives its revocation.
"""

from __future__ import annotations

from datetime import datetime

from fastapi import APIRouter
from fastapi.concurrency import run_in_threadpool
from pydantic import BaseModel, Field

from tracker.accounts.api_tokens import ApiToken, expiry_of, issue_token, revoke_token, tokens_of
from tracker.accounts.sessions import token_hash
from tracker.domain.errors import Invalid, NotAllowed, NotFound
from web.api import schemas
from web.api.common import problems
from web.deps import CurrentUser, ServicesDep

router = APIRouter(tags=["tokens"])
ERRORS = problems(401, 403, 404, 422)


class NewToken(schemas.Request):
    name: str = Field(min_length=1, max_length=100, description="what the token is for")
    expires: str | None = Field(
        default=None,
        max_length=10,
        description="YYYY-MM-DD: the token stops working at 00:00 UTC that day",
    )


class Token(BaseModel):
    id: str
    name: str
    created_at: str
    expires_at: str | None
    last_used_at: str | None
    revoked_at: str | None
    live: bool


class IssuedToken(Token):
    token: str = Field(description="shown once; only its hash is kept")


def token_of(row: ApiToken) -> Token:
    return Token(
        id=row.id,
        name=row.name,
        created_at=row.created_at,
        expires_at=row.expires_at,
        last_used_at=row.last_used_at,
        revoked_at=row.revoked_at,
        live=row.live(),
    )


def expiry(text: str | None) -> datetime | None:
    """When a token asked to expire on `text` (YYYY-MM-DD) stops working; Invalid otherwise."""
    if not text:
        return None
    try:
        return expiry_of(text)
    except ValueError as exc:
        raise Invalid(f"expires: {exc}", "expires") from None


@router.get("/tokens", response_model=list[Token], responses=ERRORS)
async def list_tokens(who: CurrentUser, services: ServicesDep) -> list[Token]:
    """Your tokens, newest first (never the tokens themselves: only their ids)."""
    rows = await run_in_threadpool(tokens_of, services.engine, who.user_id)
    return [token_of(row) for row in rows]


@router.post("/tokens", status_code=201, response_model=IssuedToken, responses=ERRORS)
async def create_token(body: NewToken, who: CurrentUser, services: ServicesDep) -> IssuedToken:
    """A new token acting with your role; copy `token` now, it is not shown again."""
    if who.via != "cookie":
        raise NotAllowed("a token cannot create tokens: sign in with a browser, or use the CLI")
    name = body.name.strip()
    if not name:
        raise Invalid("name: give the token a name", "name")
    expires = expiry(body.expires)
    token = await run_in_threadpool(
        issue_token, services.engine, who.user_id, name, expires_at=expires
    )
    rows = await run_in_threadpool(tokens_of, services.engine, who.user_id)
    row = next(r for r in rows if r.id == token_hash(token))
    return IssuedToken(**token_of(row).model_dump(), token=token)


@router.delete("/tokens/{token_id}", response_model=Token, responses=ERRORS)
async def revoke_own_token(token_id: str, who: CurrentUser, services: ServicesDep) -> Token:
    """Revoke one of your tokens (it stops working at once)."""
    rows = await run_in_threadpool(tokens_of, services.engine, who.user_id)
    row = next((r for r in rows if r.id == token_id[:100]), None)
    if row is None:
        raise NotFound("you have no token with this id", "token_id")
    await run_in_threadpool(revoke_token, services.engine, row.id, user_id=who.user_id)
    rows = await run_in_threadpool(tokens_of, services.engine, who.user_id)
    return token_of(next(r for r in rows if r.id == row.id))


__all__ = ["IssuedToken", "NewToken", "Token", "expiry", "router", "token_of"]
