from __future__ import annotations

from datetime import UTC, datetime, timedelta

import anyio.lowlevel

DEFAULT_EPOCH = datetime(2026, 2, 17, 2, 4, 3, tzinfo=UTC)


class ManualClock:
    """A clock that moves only when slept on or told to `advance`.

    Share one between a client and a `FakeCompanyEnrich` and the client's
    sleeps drive the fake's job lifecycle: no real waiting, fully
    deterministic. Every sleep is kept in `sleeps` for schedule assertions.
    """

    def __init__(self, start: datetime = DEFAULT_EPOCH) -> None:
        if start.tzinfo is None:
            raise ValueError("ManualClock needs a timezone-aware start time")
        self._start = start
        self._elapsed = 0.0
        self.sleeps: list[float] = []

    def monotonic(self) -> float:
        return self._elapsed

    def utcnow(self) -> datetime:
        return self._start + timedelta(seconds=self._elapsed)

    def advance(self, seconds: float) -> None:
        if seconds < 0:
            raise ValueError("time does not go backwards")
        self._elapsed += seconds

    def sleep(self, seconds: float) -> None:
        self.sleeps.append(seconds)
        self.advance(max(seconds, 0.0))

    async def asleep(self, seconds: float) -> None:
        self.sleep(seconds)
        # A real async sleep always lets other tasks run; one that never yielded
        # would let a single task finish its whole wait before its siblings start,
        # hiding every interleaving (coalesced waits, shared budgets) from tests.
        await anyio.lowlevel.checkpoint()

    def __repr__(self) -> str:
        return f"ManualClock(now={self.utcnow().isoformat()})"
