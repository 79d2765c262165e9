"""Digest subscriptions on the web: your own (admins: everyone's, and the unsent outbox), a new
one, a preview of what would go out now, ending one, and the unsubscribe link from an email.

The unsubscribe link carries a token signed for that subscription; its GET only shows a confirm
form and changes nothing. The form's POST passes the app-wide CSRF check like any other: a
signed-out browser gets a pre-session cookie with the confirm page, and its token in the form.
"""

from __future__ import annotations

from typing import Any

from fastapi import APIRouter, Request
from fastapi.responses import Response

from tracker.digest import outbox
from tracker.digest.cadence import WEEKDAYS
from tracker.digest.filters import CHANGE_LABELS
from tracker.digest.model import Subscription
from tracker.digest.service import preview
from tracker.digest.subscriptions import (
    SubscriptionError,
    cadence_of,
    check_request,
    filter_of,
    get_subscription,
    subscribe,
    subscriptions_with_owners,
    unsubscribe,
)
from tracker.digest.tokens import token_ok
from tracker.domain.errors import NotAllowed, NotFound
from tracker.domain.roles import Action
from web.deps import (
    PRE_SESSION_COOKIE,
    ConfigDep,
    MaybeUser,
    Principal,
    Reader,
    ServicesDep,
    with_pre_session,
)
from web.forms import FormField
from web.render import redirect, render
from web.routes.common import PostedForm
from web.security import unsign

router = APIRouter()

FIELDS = (
    FormField("name", "Name", "text", required=True, max_length=100),
    FormField(
        "changes",
        "Changes to report",
        "select",
        choices=tuple((str(k), v) for k, v in CHANGE_LABELS.items()),
        default="all",
    ),
    FormField("region", "Only this region", "text", max_length=100, help="empty: every region"),
    FormField(
        "case_ids",
        "Only these cases (one id a line)",
        "lines",
        help="the cases you follow; empty: every case",
    ),
    FormField("reports", "Also new and changed reports", "checkbox", default="on"),
    FormField("decisions", "Also review decisions on items I recorded", "checkbox"),
    FormField(
        "cadence",
        "How often",
        "select",
        choices=(("daily", "Daily"), ("weekly", "Weekly")),
        default="weekly",
    ),
    FormField(
        "weekday",
        "Day (weekly)",
        "select",
        choices=tuple((str(i), day) for i, day in enumerate(WEEKDAYS)),
        default="0",
    ),
    FormField("hour", "Hour (0 to 23)", "text", required=True, max_length=2, default="8"),
    FormField(
        "timezone",
        "Time zone",
        "text",
        required=True,
        max_length=64,
        default="Europe/Kyiv",
        help="IANA name, e.g. Europe/Kyiv, Europe/Berlin, UTC",
    ),
)


def _visible(services: ServicesDep, who: Principal) -> list[tuple[Subscription, Any]]:
    everyone = who.may(Action.MANAGE_USERS)
    return subscriptions_with_owners(services.engine, None if everyone else who.user_id)


def _row(subscription: Subscription, owner: Any) -> dict[str, Any]:
    return {
        "id": subscription.id,
        "name": subscription.name,
        "owner": owner.email,
        "filter": filter_of(subscription).describe(),
        "cadence": cadence_of(subscription).describe(),
        "watermark": subscription.watermark,
        "active": subscription.active,
    }


def _page(
    request: Request,
    who: Principal,
    services: ServicesDep,
    *,
    values: dict[str, Any] | None = None,
    errors: dict[str, str] | None = None,
    status: int = 200,
) -> Response:
    mine = _visible(services, who)
    admin = who.may(Action.MANAGE_USERS)
    context = {
        "subscriptions": [_row(s, u) for s, u in mine],
        "everyone": admin,
        "digests": outbox.recent(services.engine, [s.id for s, _u in mine]),
        "unsent": outbox.unsent(services.engine) if admin else [],
        "fields": FIELDS,
        "values": values or {},
        "errors": errors or {},
    }
    return render(request, "subscriptions.html", context, status=status, block="form")


def _owned(services: ServicesDep, who: Principal, subscription_id: str) -> Subscription:
    """The subscription if it is the user's own or the user is an admin; 404 otherwise."""
    found = get_subscription(services.engine, subscription_id)
    if found is None or (found.user_id != who.user_id and not who.may(Action.MANAGE_USERS)):
        raise NotFound(f"there is no subscription {subscription_id[:100]!r} of yours")
    return found


@router.get("/subscriptions")
def subscriptions(request: Request, who: Reader, services: ServicesDep) -> Response:
    return _page(request, who, services)


@router.post("/subscriptions")
def create(request: Request, who: Reader, services: ServicesDep, form: PostedForm) -> Response:
    """Subscribe the signed-in user; 422 with a message next to each bad field."""
    values = {f.name: form.get(f.name, "") for f in FIELDS}
    values["reports"] = "on" if form.get("reports") == "on" else ""
    values["decisions"] = "on" if form.get("decisions") == "on" else ""
    cases = str(values["case_ids"] or "")
    try:
        checked = check_request(
            name=str(values["name"]),
            cadence=str(values["cadence"]),
            hour=str(values["hour"]),
            timezone=str(values["timezone"]),
            weekday=str(values["weekday"]),
            changes=str(values["changes"]),
            region=str(values["region"]),
            case_ids=cases.split(),
            reports=values["reports"] == "on",
            decisions=values["decisions"] == "on",
        )
    except SubscriptionError as exc:
        return _page(request, who, services, values=values, errors=exc.errors, status=422)
    subscribe(services.engine, services.store, who.user_id, checked)
    return redirect(request, "/subscriptions")


@router.post("/subscriptions/{subscription_id}/end")
def end(request: Request, subscription_id: str, who: Reader, services: ServicesDep) -> Response:
    """End one's own subscription (admins: anyone's)."""
    unsubscribe(services.engine, _owned(services, who, subscription_id).id)
    return redirect(request, "/subscriptions")


@router.get("/subscriptions/{subscription_id}/preview")
def preview_page(
    request: Request, subscription_id: str, who: Reader, services: ServicesDep
) -> Response:
    """What the subscription would send if it ran now; nothing is recorded or sent."""
    subscription = _owned(services, who, subscription_id)
    _, digest = preview(services, subscription.id)
    context = {"subscription": subscription, "digest": digest}
    return render(request, "subscriptions_preview.html", context)


def _confirm_page(
    request: Request, subscription: Subscription, token: str, *, done: bool, status: int = 200
) -> Response:
    context = {"subscription": subscription, "token": token, "done": done}
    return render(request, "subscriptions_unsubscribe.html", context, status=status)


def _by_token(
    services: ServicesDep, config: ConfigDep, subscription_id: str, token: str
) -> Subscription:
    found = get_subscription(services.engine, subscription_id)
    if found is None or not token_ok(config.secret_key, found.id, token):
        raise NotAllowed("this unsubscribe link is not valid (was it copied in full?)")
    return found


@router.get("/subscriptions/{subscription_id}/unsubscribe")
def unsubscribe_form(
    request: Request,
    subscription_id: str,
    services: ServicesDep,
    config: ConfigDep,
    user: MaybeUser,
    token: str = "",
) -> Response:
    """The confirm form of an email's unsubscribe link (no sign-in needed; nothing changes)."""
    subscription = _by_token(services, config, subscription_id, token[:100])
    held = unsign(config.secret_key, request.cookies.get(PRE_SESSION_COOKIE))
    return with_pre_session(
        request,
        config,
        lambda: _confirm_page(request, subscription, token, done=not subscription.active),
        needed=user is None and held is None,
    )


@router.post("/subscriptions/{subscription_id}/unsubscribe")
def unsubscribe_confirmed(
    request: Request,
    subscription_id: str,
    services: ServicesDep,
    config: ConfigDep,
    form: PostedForm,
) -> Response:
    """End the subscription the signed token names (the CSRF check has passed to get here)."""
    token = form.get("token")
    subscription = _by_token(
        services, config, subscription_id, token[:100] if isinstance(token, str) else ""
    )
    unsubscribe(services.engine, subscription.id)
    refreshed = get_subscription(services.engine, subscription.id) or subscription
    return _confirm_page(request, refreshed, "", done=True)


__all__ = ["FIELDS", "router"]
