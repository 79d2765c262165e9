"""`tracker serve`: run the web app with uvicorn; `--demo` prepares a throwaway demo first.

The web package is imported only inside the command, so the rest of the CLI never needs it.
"""

from __future__ import annotations

import secrets
from collections.abc import Callable
from typing import Annotated

import typer
from pydantic import SecretStr
from sqlalchemy import Engine

from tracker.accounts.sessions import revoke_all
from tracker.accounts.users import add_user, find_user, generate_password, list_users, set_password
from tracker.bootstrap import Services
from tracker.cli.common import DatabaseUrl, fail, open_services, require_current_schema
from tracker.domain.roles import Role
from tracker.settings import Settings

DEMO_DOMAIN = "demo.example"
SEED_DOMAIN = "tracker.example"


def demo_accounts() -> dict[Role, str]:
    """One demo login per role: admin@demo.example, reviewer@..., researcher@..., advocate@..."""
    return {role: f"{role.value}@{DEMO_DOMAIN}" for role in Role}


def check_demo_database(engine: Engine) -> None:
    """Refuse to put demo logins (printed passwords) anywhere but an embedded demo database."""
    if engine.dialect.name != "sqlite":
        fail("--demo runs only on the embedded SQLite database; use `tracker user add` elsewhere")
    from tracker.migrate import current_revision

    if current_revision(engine) is None:
        return
    real = [u.email for u in list_users(engine) if not u.email.endswith((DEMO_DOMAIN, SEED_DOMAIN))]
    if real:
        fail(
            f"this database has real accounts ({len(real)}); --demo would add demo logins to it. "
            "Use another --database-url for the demo."
        )


def prepare_demo(services: Services) -> dict[str, str]:
    """Migrate, load the demo data, and give each demo account a fresh random password;
    returns {email: password} (the passwords are stored only as Argon2 hashes)."""
    from tracker.migrate import upgrade
    from tracker.seeding import run_seed

    check_demo_database(services.engine)
    upgrade(services.engine)
    run_seed(services, None)
    logins: dict[str, str] = {}
    for role, email in demo_accounts().items():
        password = generate_password()
        user = find_user(services.engine, email)
        if user is None:
            add_user(services.engine, email, role, password)
        else:
            set_password(services.engine, email, password)
            revoke_all(services.engine, user.id)
        logins[email] = password
    return logins


def demo_two_factor(settings: Settings) -> Settings:
    """The demo requires two-factor sign-in of no role, so its printed logins work at once,
    unless TRACKER_REQUIRE_2FA says otherwise; anyone may still set it up on /account."""
    if "require_2fa" in settings.model_fields_set:
        roles = ", ".join(settings.require_2fa) or "no role"
        typer.echo(f"two-factor sign-in required of: {roles} (TRACKER_REQUIRE_2FA)")
        return settings
    typer.echo(
        "two-factor sign-in: not required in the demo (try it on the Account page); "
        "outside --demo admins and reviewers must set it up (TRACKER_REQUIRE_2FA)"
    )
    return settings.model_copy(update={"require_2fa": ()})


def serve(
    host: Annotated[str, typer.Option(help="address to listen on")] = "127.0.0.1",
    port: Annotated[int, typer.Option(min=1, max=65535)] = 8000,
    demo: Annotated[
        bool,
        typer.Option(
            "--demo",
            help="migrate the embedded database, load the demo data and print one login per role",
        ),
    ] = False,
    scheduler: Annotated[
        bool | None,
        typer.Option(
            "--scheduler/--no-scheduler",
            help="also run the digest scheduler in this process (default: TRACKER_SERVE_SCHEDULER)",
            show_default=False,
        ),
    ] = None,
    database_url: DatabaseUrl = None,
) -> None:
    """Run the web app. Needs TRACKER_SECRET_KEY, except with --demo (which makes one up)."""
    import uvicorn

    from web.app import create_app

    with open_services(database_url, migrated=False) as services:
        settings = services.settings
        if "base_url" not in settings.model_fields_set:
            settings = settings.model_copy(update={"base_url": f"http://{host}:{port}"})
        if demo:
            logins = prepare_demo(services)
            if settings.secret_key is None:
                key = SecretStr(secrets.token_urlsafe(48))
                settings = settings.model_copy(update={"secret_key": key})
            typer.echo("demo logins (new passwords at every start):")
            for email, password in logins.items():
                typer.echo(f"  {email:28} {password}")
            settings = demo_two_factor(settings)
        else:
            require_current_schema(services)
        services.settings = settings
        app = create_app(services, settings)
        jobs = _in_process_scheduler(services) if _wants_scheduler(scheduler, settings) else None
        typer.echo(f"serving on http://{host}:{port}/ (Ctrl-C stops)")
        try:
            uvicorn.run(app, host=host, port=port, log_level="info", server_header=False)
        finally:
            if jobs is not None:
                jobs()


def _wants_scheduler(option: bool | None, settings: Settings) -> bool:
    return settings.serve_scheduler if option is None else option


def _in_process_scheduler(services: Services) -> Callable[[], None]:
    """Start the digest scheduler beside the web app; returns what stops it."""
    from tracker.mail import mailer_from_url
    from tracker.scheduler import build_scheduler

    url = services.settings.smtp_url
    mailer = mailer_from_url(url.get_secret_value() if url else None)
    jobs, lock = build_scheduler(services, mailer, background=True)
    jobs.start()
    typer.echo(f"digest scheduler: every {services.settings.scheduler_interval} s, in-process")

    def stop() -> None:
        jobs.shutdown(wait=False)
        lock.release()

    return stop


__all__ = ["check_demo_database", "demo_accounts", "demo_two_factor", "prepare_demo", "serve"]
