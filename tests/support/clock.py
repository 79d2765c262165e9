"""A clock for tests: each call returns a moment `step` later than the previous one."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta


class StepClock:
    """Deterministic time: starts at `start`, advances `step` per reading."""

    def __init__(
        self,
        start: datetime = datetime(2026, 11, 22, 12, 0, 0, tzinfo=UTC),
        step: timedelta = timedelta(seconds=1),
    ) -> None:
        self.now = start
        self.step = step

    def __call__(self) -> datetime:
        moment = self.now
        self.now += self.step
        return moment
