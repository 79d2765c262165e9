"""What the web app reads from the tracker's settings, checked once when the app is built."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.domain.roles import Role
from tracker.settings import Settings


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Keys, cookie flags and limits the web app runs with."""

    secret_key: bytes
    secure_cookies: bool
    origin: str
    """scheme://host[:port] of the public address; other origins may not post."""
    max_body_bytes: int = 1_000_000
    page_size: int = 50
    require_2fa: frozenset[Role] = frozenset()
    """Roles that must enrol in two-factor sign-in before they can do anything else."""

    @classmethod
    def from_settings(cls, settings: Settings) -> WebConfig:
        """Raises ValueError when the secret key is missing or short."""
        key = settings.signing_key("it signs session cookies and CSRF tokens")
        parts = urlsplit(settings.base_url)
        return cls(
            secret_key=key,
            secure_cookies=parts.scheme == "https",
            origin=f"{parts.scheme}://{parts.netloc}",
            require_2fa=frozenset(settings.require_2fa),
        )


__all__ = ["WebConfig"]
