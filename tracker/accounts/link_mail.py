"""Mailing an invitation or password reset link when TRACKER_SMTP_URL is set.

The admin always sees the link too, to pass on through a channel of their choice: mail may be
read by others, and a failed send must not leave the person without a way in. The wording is
in `templates/link_mail.txt`.
"""

from __future__ import annotations

from email.message import EmailMessage
from email.utils import make_msgid
from pathlib import Path

from jinja2 import Environment, FileSystemLoader, StrictUndefined, select_autoescape

from tracker.accounts.links import VALID_FOR, Purpose
from tracker.settings import Settings

TEMPLATES = Path(__file__).resolve().parent / "templates"
SUBJECTS = {
    Purpose.INVITE: "Your account on the case tracker",
    Purpose.RESET: "A link to choose a new password on the case tracker",
}


def link_message(
    settings: Settings,
    to: str,
    url: str,
    purpose: Purpose,
    *,
    by: str,
    role: str,
    two_factor: bool,
) -> EmailMessage:
    """The plain-text message carrying the link."""
    env = Environment(
        loader=FileSystemLoader(TEMPLATES),
        undefined=StrictUndefined,
        autoescape=select_autoescape(("html",), default_for_string=False, default=False),
    )
    body = env.get_template("link_mail.txt").render(
        purpose=str(purpose),
        by=by,
        role=role,
        url=url,
        origin=settings.base_url,
        hours=int(VALID_FOR.total_seconds() // 3600),
        two_factor=two_factor,
    )
    message = EmailMessage()
    message["Subject"] = SUBJECTS[purpose]
    message["From"] = settings.mail_from
    message["To"] = to
    message["Message-ID"] = make_msgid(domain="tracker.invalid")
    message.set_content(body)
    return message


def mail_link(settings: Settings, message: EmailMessage) -> str | None:
    """Send it through TRACKER_SMTP_URL (a short retry, the admin is waiting); None when sent,
    else what went wrong. Without TRACKER_SMTP_URL nothing is sent: see `mail_configured`."""
    from tracker.mail import MailError, SmtpConfig, SmtpMailer

    url = settings.smtp_url.get_secret_value() if settings.smtp_url else ""
    try:
        SmtpMailer(SmtpConfig.from_url(url), attempts=2, first_pause=0.5).send(message)
    except (MailError, ValueError) as exc:
        return str(exc)
    return None


def mail_configured(settings: Settings) -> bool:
    return settings.smtp_url is not None and bool(settings.smtp_url.get_secret_value())


__all__ = ["link_message", "mail_configured", "mail_link"]
