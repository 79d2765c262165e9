"""TRACKER_REQUIRE_2FA: read from the environment as a comma-separated list, admins and
reviewers by default, refused naming an unknown role; the demo asks it of no role."""

from __future__ import annotations

import pytest
from pydantic import ValidationError

from tracker.cli.serve import demo_two_factor
from tracker.domain.roles import Role
from tracker.settings import Settings


def test_admins_and_reviewers_must_enrol_by_default(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_REQUIRE_2FA", raising=False)
    assert Settings(_env_file=None).require_2fa == (Role.ADMIN, Role.REVIEWER)  # type: ignore[call-arg]


@pytest.mark.parametrize(
    ("value", "roles"),
    [
        ("admin", (Role.ADMIN,)),
        (" Researcher , advocate,advocate ", (Role.RESEARCHER, Role.ADVOCATE)),
        ("", ()),
    ],
)
def test_the_environment_lists_the_roles(
    monkeypatch: pytest.MonkeyPatch, value: str, roles: tuple[Role, ...]
) -> None:
    monkeypatch.setenv("TRACKER_REQUIRE_2FA", value)
    assert Settings().require_2fa == roles


def test_an_unknown_role_is_refused_naming_it(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("TRACKER_REQUIRE_2FA", "admin,king")
    with pytest.raises(ValidationError, match="king"):
        Settings()


def test_the_demo_requires_it_of_no_role_unless_told(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("TRACKER_REQUIRE_2FA", raising=False)
    assert demo_two_factor(Settings()).require_2fa == ()
    monkeypatch.setenv("TRACKER_REQUIRE_2FA", "admin")
    assert demo_two_factor(Settings()).require_2fa == (Role.ADMIN,)
