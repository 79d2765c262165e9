"""The permission table."""

from __future__ import annotations

from tracker.domain.roles import Action, Actor, Role, may


def test_an_advocate_reads_public_fields_and_exports_only() -> None:
    allowed = {a for a in Action if may(Role.ADVOCATE, a)}
    assert allowed == {Action.READ_PUBLIC, Action.EXPORT}


def test_a_researcher_writes_and_reads_restricted_but_does_not_review() -> None:
    assert may(Role.RESEARCHER, Action.WRITE)
    assert may(Role.RESEARCHER, Action.READ_RESTRICTED)
    assert not may(Role.RESEARCHER, Action.REVIEW)
    assert not may(Role.RESEARCHER, Action.MANAGE_USERS)


def test_a_reviewer_writes_reviews_and_reads_restricted_but_manages_no_users() -> None:
    assert all(may(Role.REVIEWER, a) for a in (Action.WRITE, Action.REVIEW, Action.READ_RESTRICTED))
    assert not may(Role.REVIEWER, Action.MANAGE_USERS)


def test_an_admin_may_do_everything() -> None:
    assert all(may(Role.ADMIN, a) for a in Action)


def test_an_actor_asks_the_table_for_its_role() -> None:
    assert Actor("a", Role.REVIEWER).may(Action.REVIEW)
    assert not Actor("b", Role.ADVOCATE).may(Action.WRITE)
