"""Settings from the environment (TRACKER_*) or a .env file, read when asked, never on import."""

from __future__ import annotations

from typing import Annotated

from pydantic import Field, SecretStr, field_validator
from pydantic_settings import BaseSettings, NoDecode, SettingsConfigDict

from tracker.domain.roles import Role

MIN_SECRET = 32
"""Fewest characters of TRACKER_SECRET_KEY."""


class Settings(BaseSettings):
    """Everything the tracker reads from its environment."""

    model_config = SettingsConfigDict(env_prefix="TRACKER_", env_file=".env", extra="ignore")

    database_url: str = Field(
        default="sqlite:///tracker.db",
        description="SQLAlchemy URL: sqlite:///file.db (default, in the working directory) "
        "or postgresql+psycopg://user:password@host:5432/dbname",
    )
    base_url: str = Field(
        default="http://127.0.0.1:8000",
        description="Public address of the web app, for permalinks in exports and emails",
    )
    secret_key: SecretStr | None = Field(
        default=None,
        description="Key that signs session cookies and CSRF tokens (at least 32 characters); "
        "required by `tracker serve` except with --demo, which generates one",
    )
    smtp_url: SecretStr | None = Field(
        default=None,
        description="Where digest emails go: smtp://user:password@host:587?starttls=true "
        "(STARTTLS), smtps://user:password@host:465 (TLS), or smtp://host:1025 (plain: Mailpit)",
    )
    mail_from: str = Field(
        default="Case tracker <tracker@localhost>",
        description="The From address of digest emails",
    )
    serve_scheduler: bool = Field(
        default=False,
        description="Run the digest scheduler inside `tracker serve` (the single-machine "
        "default is a separate `tracker scheduler`)",
    )
    scheduler_interval: int = Field(
        default=60,
        ge=5,
        le=3600,
        description="Seconds between the scheduler's checks for due digests and mail to retry",
    )

    require_2fa: Annotated[tuple[Role, ...], NoDecode] = Field(
        default=(Role.ADMIN, Role.REVIEWER),
        description="Roles that must enrol in two-factor sign-in (TOTP) before they can do "
        "anything else, comma-separated (admin,reviewer); empty for none",
    )

    @field_validator("require_2fa", mode="before")
    @classmethod
    def _roles(cls, value: object) -> object:
        """`admin,reviewer` (as the environment gives it) becomes the roles; an unknown role is
        refused naming it."""
        if not isinstance(value, str):
            return value
        names = [part.strip().lower() for part in value.split(",") if part.strip()]
        unknown = [name for name in names if name not in {role.value for role in Role}]
        if unknown:
            choices = ", ".join(role.value for role in Role)
            raise ValueError(f"unknown role(s) {', '.join(unknown)}: use {choices}")
        return tuple(dict.fromkeys(Role(name) for name in names))

    def signing_key(self, purpose: str) -> bytes:
        """The secret key as bytes; ValueError saying what it is for when it is missing or
        shorter than MIN_SECRET characters."""
        secret = self.secret_key.get_secret_value() if self.secret_key else ""
        if len(secret) < MIN_SECRET:
            raise ValueError(
                f"TRACKER_SECRET_KEY must be set to at least {MIN_SECRET} random characters "
                f"({purpose}), e.g. from: "
                "python -c 'import secrets; print(secrets.token_urlsafe(48))'"
            )
        return secret.encode()
