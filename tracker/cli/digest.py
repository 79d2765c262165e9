"""`tracker digest preview|send`, `tracker subscription add|list`, `tracker scheduler`."""

from __future__ import annotations

from typing import Annotated

import typer

from tracker.cli.common import DatabaseUrl, fail, open_services
from tracker.digest.filters import Changes

digest_app = typer.Typer(no_args_is_help=True, help="Digest emails of approved changes.")
subscription_app = typer.Typer(no_args_is_help=True, help="Digest subscriptions.")


@digest_app.command("preview")
def preview(
    subscription: Annotated[
        str | None, typer.Option("--subscription", help="one subscription id (default: all)")
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Show what each subscription would get now (whatever its schedule); nothing is sent."""
    from tracker.digest.service import preview as build_preview
    from tracker.digest.subscriptions import subscriptions_with_owners

    with open_services(database_url) as services:
        if subscription is not None:
            ids = [subscription]
        else:
            ids = [s.id for s, _u in subscriptions_with_owners(services.engine, active_only=True)]
            if not ids:
                typer.echo("no active subscriptions")
        for subscription_id in ids:
            row, digest = build_preview(services, subscription_id)
            typer.echo(f"== {row.id} ({row.name}){'' if row.active else ' [unsubscribed]'}")
            if digest is None:
                typer.echo(f"nothing to report after log position {row.watermark}\n")
                continue
            typer.echo(f"To: {digest.recipient}\nSubject: {digest.rendered.subject}\n")
            typer.echo(digest.rendered.text)


@digest_app.command("send")
def send(database_url: DatabaseUrl = None) -> None:
    """Record and send the digests that are due, and retry unsent ones (TRACKER_SMTP_URL)."""
    from tracker.digest.service import send_due
    from tracker.mail import mailer_from_url

    with open_services(database_url) as services:
        url = services.settings.smtp_url
        mailer = mailer_from_url(url.get_secret_value() if url else None)
        report = send_due(services, mailer)
    typer.echo(
        f"{report.recorded} digest(s) recorded, {report.empty} with nothing to report, "
        f"{report.sent} sent"
    )
    if report.failed:
        for line in report.failed:
            typer.echo(f"not sent (kept, retried later): {line}", err=True)
        raise typer.Exit(1)


def scheduler(database_url: DatabaseUrl = None) -> None:
    """Run the scheduled jobs (digest emails) until stopped; one instance per database leads."""
    import logging

    from tracker.mail import mailer_from_url
    from tracker.scheduler import build_scheduler

    logging.basicConfig(level=logging.INFO, format="%(asctime)s %(name)s %(message)s")
    with open_services(database_url) as services:
        url = services.settings.smtp_url
        mailer = mailer_from_url(url.get_secret_value() if url else None)
        job_runner, lock = build_scheduler(services, mailer, background=False)
        typer.echo(
            f"scheduler: checking every {services.settings.scheduler_interval} s (Ctrl-C stops)"
        )
        try:
            job_runner.start()
        except (KeyboardInterrupt, SystemExit):
            pass
        finally:
            lock.release()


@subscription_app.command("add")
def subscription_add(
    email: Annotated[str, typer.Argument(help="the subscriber's account")],
    name: Annotated[str, typer.Option(help="what the subscription is called")],
    cadence: Annotated[str, typer.Option(help="daily or weekly")] = "weekly",
    weekday: Annotated[
        str, typer.Option(help="for weekly: monday ... sunday, or 0 (Monday) ... 6")
    ] = "monday",
    hour: Annotated[int, typer.Option(help="hour of the day, 0 to 23, local time")] = 8,
    timezone: Annotated[str, typer.Option(help="IANA time zone, e.g. Europe/Kyiv")] = "UTC",
    changes: Annotated[Changes, typer.Option(help="all, detentions or status")] = Changes.ALL,
    region: Annotated[str, typer.Option(help="only cases and reports in this region")] = "",
    case: Annotated[
        list[str] | None, typer.Option("--case", help="follow this case (repeatable)")
    ] = None,
    reports: Annotated[bool, typer.Option("--reports/--no-reports")] = True,
    database_url: DatabaseUrl = None,
) -> None:
    """Subscribe an account to a digest; it covers what is approved from now on."""
    from tracker.accounts.users import find_user
    from tracker.digest.subscriptions import check_request, subscribe

    with open_services(database_url) as services:
        request = check_request(
            name=name,
            cadence=cadence,
            hour=hour,
            timezone=timezone,
            weekday=weekday,
            changes=changes.value,
            region=region,
            case_ids=case or [],
            reports=reports,
        )
        user = find_user(services.engine, email)
        if user is None:
            fail(f"there is no account {email!r}")
        row = subscribe(services.engine, services.store, user.id, request)
    typer.echo(
        f"subscribed {user.email}: {row.id} ({request.filter.describe()}; "
        f"{request.cadence.describe()})"
    )


@subscription_app.command("list")
def subscription_list(database_url: DatabaseUrl = None) -> None:
    """Every subscription: id, account, name, schedule, watermark, active."""
    from tracker.digest.subscriptions import cadence_of, subscriptions_with_owners

    with open_services(database_url) as services:
        rows = subscriptions_with_owners(services.engine)
    for row, user in rows:
        state = "active" if row.active else "unsubscribed"
        typer.echo(
            f"{row.id}  {user.email}  {row.name!r}  {cadence_of(row).describe()}  "
            f"after position {row.watermark}  {state}"
        )


__all__ = ["digest_app", "scheduler", "subscription_app"]
