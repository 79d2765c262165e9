"""What building and sending digests reads from the settings, checked once."""

from __future__ import annotations

from dataclasses import dataclass
from email.headerregistry import Address
from email.utils import parseaddr
from urllib.parse import urlsplit

from tracker.settings import Settings


@dataclass(frozen=True, slots=True)
class DigestConfig:
    base_url: str
    secret: bytes
    """Signs the unsubscribe links."""
    mail_from: str
    message_domain: str
    """The right-hand side of the Message-IDs."""

    @classmethod
    def from_settings(cls, settings: Settings) -> DigestConfig:
        """Raises ValueError when the secret key or the from-address will not do."""
        key = settings.signing_key("it signs the unsubscribe links in digests")
        _name, address = parseaddr(settings.mail_from)
        if "@" not in address:
            raise ValueError(f"TRACKER_MAIL_FROM: {settings.mail_from!r} is not an email address")
        host = urlsplit(settings.base_url).hostname or "tracker.invalid"
        return cls(settings.base_url.rstrip("/"), key, settings.mail_from, host)

    def unsubscribe_url(self, subscription_id: str, token: str) -> str:
        return f"{self.base_url}/subscriptions/{subscription_id}/unsubscribe?token={token}"


def sender_address(mail_from: str) -> Address:
    name, address = parseaddr(mail_from)
    user, _, domain = address.partition("@")
    return Address(display_name=name, username=user, domain=domain)


__all__ = ["DigestConfig", "sender_address"]
