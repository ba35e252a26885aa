"""The one place the client reads time and sleeps.

Retries, `wait()` and the fake server all take a `Clock`, so tests swap in
`companyenrich_export.testing.ManualClock` and run a 20-minute wait in
microseconds, with every sleep recorded.
"""

from __future__ import annotations

import time
from datetime import UTC, datetime
from typing import Protocol, runtime_checkable

import anyio


@runtime_checkable
class Clock(Protocol):
    def monotonic(self) -> float:
        """Seconds on a clock that never goes back; only differences mean anything."""
        ...

    def utcnow(self) -> datetime:
        """The wall-clock time, timezone-aware (for HTTP dates and timestamps)."""
        ...

    def sleep(self, seconds: float) -> None: ...

    async def asleep(self, seconds: float) -> None: ...


class SystemClock:
    """Real time. `asleep` goes through anyio, so trio works as well as asyncio."""

    def monotonic(self) -> float:
        return time.monotonic()

    def utcnow(self) -> datetime:
        return datetime.now(UTC)

    def sleep(self, seconds: float) -> None:
        if seconds > 0:
            time.sleep(seconds)

    async def asleep(self, seconds: float) -> None:
        await anyio.sleep(max(seconds, 0.0))

    def __repr__(self) -> str:
        return "SystemClock()"
