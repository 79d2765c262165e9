"""compose.yaml cannot run here (no container engine), so it is checked as text: it parses, has
the services a team needs with health checks and a database volume, passes only settings the
app reads, and runs only commands and options the `tracker` command has."""

from __future__ import annotations

from pathlib import Path
from typing import Any

import yaml
from typer.main import get_command

from tracker.cli.main import app
from tracker.settings import Settings

ROOT = Path(__file__).resolve().parents[2]


def _compose() -> dict[str, Any]:
    loaded = yaml.safe_load((ROOT / "compose.yaml").read_text(encoding="utf-8"))
    assert isinstance(loaded, dict)
    return loaded


def _environment(service: dict[str, Any]) -> dict[str, str]:
    env = service.get("environment", {})
    if isinstance(env, list):
        return dict(item.split("=", 1) for item in env)
    return {str(k): str(v) for k, v in env.items()}


def test_compose_has_the_database_web_scheduler_and_mailpit_with_health_checks() -> None:
    services = _compose()["services"]
    assert {"db", "web", "scheduler", "mailpit"} <= set(services)
    for name in ("db", "web", "scheduler", "mailpit"):
        assert services[name].get("healthcheck", {}).get("test"), f"{name} has no health check"
    assert any(v.startswith("pgdata:") for v in services["db"]["volumes"])
    assert "pgdata" in _compose()["volumes"]
    assert services["web"]["depends_on"]["migrate"]["condition"] == "service_completed_successfully"
    assert services["migrate"]["depends_on"]["db"]["condition"] == "service_healthy"
    assert (ROOT / "Dockerfile").is_file() and services["web"]["build"] == "."


def test_every_setting_compose_passes_is_one_the_app_reads() -> None:
    fields = set(Settings.model_fields)
    passed: set[str] = set()
    for name, service in _compose()["services"].items():
        for key in _environment(service):
            if key.startswith("TRACKER_"):
                assert key.removeprefix("TRACKER_").lower() in fields, f"{name}: {key} is not read"
                passed.add(key)
    assert {"TRACKER_DATABASE_URL", "TRACKER_SECRET_KEY", "TRACKER_SMTP_URL"} <= passed
    env = _environment(_compose()["services"]["scheduler"])
    assert env["TRACKER_DATABASE_URL"].startswith("postgresql+psycopg://")
    assert "@db:5432/" in env["TRACKER_DATABASE_URL"] and "mailpit:1025" in env["TRACKER_SMTP_URL"]


def test_compose_runs_only_commands_and_options_the_tracker_has() -> None:
    root = get_command(app)
    for name, service in _compose()["services"].items():
        command = service.get("command")
        if not command:
            continue
        assert command[0] == "tracker", name
        words = [w for w in command[1:] if not w.startswith("-")]
        found: Any = root
        for word in words:
            if not hasattr(found, "commands") or word not in found.commands:
                break
            found = found.commands[word]
        assert found is not root, f"{name}: no command {' '.join(command)}"
        options = {o for p in found.params for o in (*p.opts, *p.secondary_opts)}
        for word in command[1:]:
            if word.startswith("--"):
                assert word in options, f"{name}: {word} is not an option of {found.name}"
