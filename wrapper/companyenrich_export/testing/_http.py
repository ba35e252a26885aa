"""Transport-neutral request and response values of the fake server.

The core answers with a `FakeResponse`; each adapter (ASGI, the httpx
transport) turns it into its own kind of response, and is the only place
that knows how to be slow, hang up, or cut a body short.
"""

from __future__ import annotations

import json
from collections.abc import Generator, Iterable
from dataclasses import dataclass, field
from typing import Any

JSON_CONTENT_TYPE = "application/json; charset=utf-8"


@dataclass(slots=True)
class FakeResponse:
    """What the fake answers to one request.

    `body` is either the whole payload or an iterable of chunks: results
    files are produced lazily so a 500 MB download never sits in memory.
    The last three fields are instructions to the adapter, set by faults.
    """

    status: int
    headers: list[tuple[str, str]]
    body: bytes | Iterable[bytes] = b""
    delay: float = 0.0
    """Seconds the adapter waits (on the fake's clock) before answering."""
    drop: bool = False
    """Hang up without sending anything (the request was still handled)."""
    truncate_at: int | None = None
    """Send only this many body bytes, then close, despite Content-Length."""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((value for key, value in self.headers if key.lower() == lowered), None)

    @property
    def content_length(self) -> int | None:
        value = self.header("content-length")
        return int(value) if value is not None else None

    def chunks(self) -> Generator[bytes, None, None]:
        """The body as it goes on the wire, already cut short if truncated."""
        source: Iterable[bytes] = (self.body,) if isinstance(self.body, bytes) else self.body
        try:
            if self.truncate_at is None:
                yield from (chunk for chunk in source if chunk)
                return
            remaining = self.truncate_at
            for chunk in source:
                if remaining <= 0:
                    break
                piece = chunk[:remaining]
                remaining -= len(piece)
                if piece:
                    yield piece
        finally:
            if not isinstance(self.body, bytes):
                # Stop a lazy body now (a file it reads, say), not at garbage
                # collection: when cut short, and when the reader stops early.
                close = getattr(self.body, "close", None)
                if callable(close):
                    close()

    def read(self) -> bytes:
        """The whole (possibly truncated) body; for tests and small bodies."""
        return b"".join(self.chunks())

    def json(self) -> Any:
        return json.loads(self.read())


@dataclass(frozen=True, slots=True)
class RecordedRequest:
    """One request as the fake saw it, for assertions in tests.

    Header values are not kept: they may hold the API key. The two flags
    say what a test needs to know about credentials without storing them.
    """

    method: str
    path: str
    query: str
    status: int
    """Status answered (also set when a `drop` fault swallowed the answer)."""
    host: str | None
    has_authorization: bool
    """An `Authorization` header was present, whatever its value."""
    carried_api_key: bool
    """A known API key appeared in some header value or in the query."""
    route: str
    """`api`, `storage` or `unknown`."""
    fault: str | None = None
    """Kind of the injected fault that shaped this answer, if any."""


@dataclass(frozen=True, slots=True)
class IncomingRequest:
    """A request handed to the core, with header names lower-cased."""

    method: str
    path: str
    query: str = ""
    headers: tuple[tuple[str, str], ...] = field(default_factory=tuple)
    body: bytes = b""

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((value for key, value in self.headers if key == lowered), None)

    def header_values(self, name: str) -> list[str]:
        lowered = name.lower()
        return [value for key, value in self.headers if key == lowered]


def json_bytes(payload: object) -> bytes:
    return json.dumps(payload, separators=(",", ":"), ensure_ascii=False).encode("utf-8")


def json_response(
    status: int, payload: object, *, extra_headers: Iterable[tuple[str, str]] = ()
) -> FakeResponse:
    body = json_bytes(payload)
    headers = [
        ("content-type", JSON_CONTENT_TYPE),
        ("content-length", str(len(body))),
        *extra_headers,
    ]
    return FakeResponse(status=status, headers=headers, body=body)
