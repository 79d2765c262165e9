"""Server-side sessions and sign-in throttling, with a clock the test moves."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta

from sqlalchemy import Engine

from tests.web.world import World
from tracker.accounts import login_throttle
from tracker.accounts.sessions import (
    IDLE_LIMIT,
    resolve,
    revoke,
    revoke_all,
    start_session,
    token_hash,
)


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2026, 11, 22, 12, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_a_session_lives_until_idle_expiry_or_revocation(sqlite_world: World) -> None:
    engine: Engine = sqlite_world.services.engine
    clock = Clock()
    uid = sqlite_world.user_ids["researcher"]
    token = start_session(engine, uid, now=clock)
    signed = resolve(engine, token, now=clock)
    assert (
        signed is not None
        and signed.session_id == token_hash(token)
        and signed.role == "researcher"
    )
    assert resolve(engine, token + "x", now=clock) is None
    clock.now += IDLE_LIMIT - timedelta(minutes=1)
    assert resolve(engine, token, now=clock) is not None, "still within the idle limit"
    clock.now += IDLE_LIMIT + timedelta(minutes=1)
    assert resolve(engine, token, now=clock) is None, "idle too long"
    again = start_session(engine, uid, now=clock)
    revoke(engine, token_hash(again), now=clock)
    assert resolve(engine, again, now=clock) is None
    third, fourth = start_session(engine, uid, now=clock), start_session(engine, uid, now=clock)
    assert revoke_all(engine, uid, now=clock) == 3, "the idle one too"
    assert resolve(engine, third, now=clock) is None and resolve(engine, fourth, now=clock) is None


def test_five_failures_lock_a_pair_out_for_a_while(sqlite_world: World) -> None:
    engine = sqlite_world.services.engine
    clock = Clock()
    for _ in range(4):
        assert not login_throttle.record_failure(engine, "A@x.org", "1.2.3.4", now=clock)
    assert login_throttle.locked_until(engine, "a@x.org", "1.2.3.4", now=clock) is None
    assert login_throttle.record_failure(engine, "a@x.org", "1.2.3.4", now=clock)
    assert login_throttle.locked_until(engine, "a@x.org", "1.2.3.4", now=clock) is not None
    assert login_throttle.locked_until(engine, "a@x.org", "5.6.7.8", now=clock) is None
    clock.now += login_throttle.LOCKOUT + timedelta(seconds=1)
    assert login_throttle.locked_until(engine, "a@x.org", "1.2.3.4", now=clock) is None
    login_throttle.clear(engine, "a@x.org", "1.2.3.4")
