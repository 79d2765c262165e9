"""Who may do what: roles, actions and the table between them."""

from __future__ import annotations

from dataclasses import dataclass
from enum import StrEnum


class Role(StrEnum):
    """A user's role; one per user."""

    ADMIN = "admin"
    REVIEWER = "reviewer"
    RESEARCHER = "researcher"
    ADVOCATE = "advocate"


class Action(StrEnum):
    """What a role may be allowed to do."""

    READ_PUBLIC = "read_public"
    READ_RESTRICTED = "read_restricted"
    WRITE = "write"
    """Open streams, record facts, notes, citations, contacts, links, figures, assessments;
    correct and retract."""
    REVIEW = "review"
    EXPORT = "export"
    MANAGE_USERS = "manage_users"


_ALL = frozenset(Action)

PERMISSIONS: dict[Role, frozenset[Action]] = {
    Role.ADMIN: _ALL,
    Role.REVIEWER: frozenset(
        {Action.READ_PUBLIC, Action.READ_RESTRICTED, Action.WRITE, Action.REVIEW, Action.EXPORT}
    ),
    Role.RESEARCHER: frozenset(
        {Action.READ_PUBLIC, Action.READ_RESTRICTED, Action.WRITE, Action.EXPORT}
    ),
    Role.ADVOCATE: frozenset({Action.READ_PUBLIC, Action.EXPORT}),
}
"""The whole policy. An export holds restricted fields only for a role that may read them."""


def may(role: Role, action: Action) -> bool:
    """True when the role is allowed the action."""
    return action in PERMISSIONS[role]


@dataclass(frozen=True, slots=True)
class Actor:
    """The user a command comes from."""

    id: str
    role: Role

    def may(self, action: Action) -> bool:
        return may(self.role, action)


__all__ = ["PERMISSIONS", "Action", "Actor", "Role", "may"]
