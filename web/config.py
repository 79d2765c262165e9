"""What the web app reads from the tracker's settings, checked once when the app is built."""

from __future__ import annotations

from dataclasses import dataclass
from urllib.parse import urlsplit

from tracker.settings import Settings

MIN_SECRET = 32


@dataclass(frozen=True, slots=True)
class WebConfig:
    """Keys, cookie flags and limits the web app runs with."""

    secret_key: bytes
    secure_cookies: bool
    origin: str
    """scheme://host[:port] of the public address; other origins may not post."""
    max_body_bytes: int = 1_000_000
    page_size: int = 50

    @classmethod
    def from_settings(cls, settings: Settings) -> WebConfig:
        """Raises ValueError when the secret key is missing or short."""
        secret = settings.secret_key.get_secret_value() if settings.secret_key else ""
        if len(secret) < MIN_SECRET:
            raise ValueError(
                f"TRACKER_SECRET_KEY must be set to at least {MIN_SECRET} random characters, "
                "e.g. from: python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        parts = urlsplit(settings.base_url)
        return cls(
            secret_key=secret.encode(),
            secure_cookies=parts.scheme == "https",
            origin=f"{parts.scheme}://{parts.netloc}",
        )


__all__ = ["MIN_SECRET", "WebConfig"]
