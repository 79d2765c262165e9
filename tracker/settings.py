"""Settings from the environment (TRACKER_*) or a .env file, read when asked, never on import."""

from __future__ import annotations

from pydantic import Field, SecretStr
from pydantic_settings import BaseSettings, SettingsConfigDict


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
