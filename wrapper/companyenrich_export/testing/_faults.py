"""Injected failures: what a flaky API or storage does to a client.

Faults queue up on the fake and are consumed first-in first-out, one per
request they match. Some replace the answer (rate limit, server error,
malformed body); others still let the request through and only spoil how the
answer travels (slow, dropped, truncated), which the adapters carry out.
"""

from __future__ import annotations

import threading
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import format_datetime
from typing import Literal

FaultKind = Literal[
    "rate_limit", "server_error", "problem", "malformed", "slow", "drop", "truncated_download"
]
FaultTarget = Literal["api", "storage", "any"]


@dataclass(frozen=True, slots=True)
class Fault:
    """One kind of failure. Build it with the class methods."""

    kind: FaultKind
    status: int = 0
    detail: str = ""
    headers: tuple[tuple[str, str], ...] = ()
    body: bytes = b""
    content_type: str = ""
    seconds: float = 0.0
    fraction: float = 0.0

    @property
    def replaces_answer(self) -> bool:
        """True when the request is not handled at all, only answered by the fault."""
        return self.kind in ("rate_limit", "server_error", "problem", "malformed")

    @property
    def default_target(self) -> FaultTarget:
        return "storage" if self.kind == "truncated_download" else "api"

    @classmethod
    def rate_limit(cls, retry_after: str | float | datetime | None = None) -> Fault:
        """429 problem details; `Retry-After` as given (seconds, a date, or absent).

        A string is sent verbatim, so tests can send malformed values too.
        """
        headers: tuple[tuple[str, str], ...] = ()
        if retry_after is not None:
            headers = (("retry-after", _retry_after_value(retry_after)),)
        return cls(
            "rate_limit",
            status=429,
            detail="Too many requests. Slow down and try again later.",
            headers=headers,
        )

    @classmethod
    def server_error(
        cls, status: int = 503, *, retry_after: str | float | datetime | None = None
    ) -> Fault:
        if not 500 <= status <= 599:
            raise ValueError("a server error has a 5xx status")
        headers: tuple[tuple[str, str], ...] = ()
        if retry_after is not None:
            headers = (("retry-after", _retry_after_value(retry_after)),)
        return cls(
            "server_error",
            status=status,
            detail="The service is temporarily unavailable.",
            headers=headers,
        )

    @classmethod
    def problem(
        cls, status: int, detail: str = "", *, headers: tuple[tuple[str, str], ...] = ()
    ) -> Fault:
        """Any problem-details answer, e.g. `Fault.problem(402, "Not enough credits.")`."""
        if not 400 <= status <= 599:
            raise ValueError("a problem has a 4xx or 5xx status")
        return cls("problem", status=status, detail=detail or "Injected failure.", headers=headers)

    @classmethod
    def slow(cls, seconds: float) -> Fault:
        """Answer normally, after `seconds` on the fake's clock.

        The answer is made when the request arrives (a job's state is the
        one it had then); only its delivery waits.

        Through `fake.transport()`, a delay longer than the request's read
        timeout raises `httpx.ReadTimeout` at once instead (the request was
        still handled: a create still creates a job).
        """
        if seconds < 0:
            raise ValueError("seconds must not be negative")
        return cls("slow", seconds=float(seconds))

    @classmethod
    def drop(cls) -> Fault:
        """Handle the request, then hang up without answering.

        The client sees "Server disconnected without sending a response."
        and cannot know whether the request took effect (it did).
        """
        return cls("drop")

    @classmethod
    def malformed(
        cls,
        body: bytes = b"{not json",
        status: int = 200,
        content_type: str = "application/json",
    ) -> Fault:
        """Answer `body` verbatim: broken JSON, HTML from a proxy, a wrong schema."""
        return cls("malformed", status=status, body=body, content_type=content_type)

    @classmethod
    def truncated_download(cls, fraction: float = 0.5) -> Fault:
        """Send `Content-Length` in full but only `fraction` of the body, then close.

        Targets storage by default. Over `fake.transport()` the body ends with
        `httpx.RemoteProtocolError`, as httpx reports a real short read; over
        ASGI the body just ends early (uvicorn closes the connection).
        """
        if not 0.0 <= fraction < 1.0:
            raise ValueError("fraction must be in [0, 1)")
        return cls("truncated_download", fraction=fraction)


def _retry_after_value(value: str | float | datetime) -> str:
    if isinstance(value, datetime):
        return format_datetime(value.astimezone(UTC), usegmt=True)
    if isinstance(value, str):
        return value
    return str(int(value)) if float(value).is_integer() else str(value)


@dataclass(slots=True)
class _Queued:
    fault: Fault
    target: FaultTarget
    remaining: int


class FaultQueue:
    """Thread-safe FIFO of injected faults."""

    def __init__(self) -> None:
        self._queue: list[_Queued] = []
        self._lock = threading.Lock()

    def add(self, fault: Fault, times: int, target: FaultTarget) -> None:
        if times < 1:
            raise ValueError("times must be at least 1")
        if target not in ("api", "storage", "any"):
            raise ValueError("match must be 'api', 'storage' or 'any'")
        with self._lock:
            self._queue.append(_Queued(fault, target, times))

    def take(self, route: Literal["api", "storage"]) -> Fault | None:
        """The oldest fault matching `route`, used up once."""
        with self._lock:
            for queued in self._queue:
                if queued.target in ("any", route):
                    queued.remaining -= 1
                    if queued.remaining == 0:
                        self._queue.remove(queued)
                    return queued.fault
        return None

    def clear(self) -> None:
        with self._lock:
            self._queue.clear()

    def pending(self) -> list[tuple[Fault, FaultTarget, int]]:
        with self._lock:
            return [(queued.fault, queued.target, queued.remaining) for queued in self._queue]
