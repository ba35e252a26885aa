"""A wall-clock deadline for the calls that move results (`download`, `download_to`, `iter_rows`).

httpx's timeouts are per phase and per read: a server sending a byte a
second never trips them. A `Deadline` bounds the whole call instead, three
ways, the same for the sync and async clients:

- each request's timeouts (connect, pool, write, and the read of the
  response's headers) are capped at the time left (`cap`);
- while a body streams, a watchdog shuts the connection's socket down when
  the deadline passes (`guard`), which ends a read blocked in the kernel
  whatever thread or event loop waits on it;
- between chunks and before each retry the caller checks `expired()`, and a
  retry whose back-off would end after the deadline is not made.

So such a call ends within its `timeout=` plus DEADLINE_GRACE: what it does
after the deadline is local (closing the response; removing, or keeping for
a resume, the partial file).
"""

from __future__ import annotations

import contextlib
import socket
import threading
from collections.abc import Iterator

import httpx

from companyenrich_export._core._clock import Clock
from companyenrich_export._core._requests import capped_timeout

__all__ = ["DEADLINE_GRACE", "Deadline"]

# What a call under a deadline may take past it: the clean-up after the
# watchdog fired (documented, and pinned by tests/hostile).
DEADLINE_GRACE = 2.0
# A request started with almost no time left still gets this long to connect:
# a zero timeout would fail at once and say nothing useful.
_LEAST_REQUEST_TIME = 0.05


class Deadline:
    """`seconds` from now on `clock` (None: no deadline)."""

    def __init__(self, clock: Clock, seconds: float | None) -> None:
        self.seconds = seconds
        self._clock = clock
        self._at = None if seconds is None else clock.monotonic() + seconds

    def remaining(self) -> float | None:
        if self._at is None:
            return None
        return max(self._at - self._clock.monotonic(), 0.0)

    def expired(self) -> bool:
        return self._at is not None and self._clock.monotonic() >= self._at

    def allows(self, delay: float) -> bool:
        """Whether a pause of `delay` seconds ends before the deadline."""
        return self._at is None or self._clock.monotonic() + delay < self._at

    def cap(self, timeout: httpx.Timeout) -> httpx.Timeout:
        """`timeout` with no phase longer than the time left."""
        left = self.remaining()
        if left is None:
            return timeout
        return capped_timeout(timeout, max(left, _LEAST_REQUEST_TIME))

    @contextlib.contextmanager
    def guard(self, response: httpx.Response) -> Iterator[None]:
        """While inside, the response's connection is cut when the deadline passes."""
        left = self.remaining()
        sock = _socket_of(response)
        if left is None or sock is None:
            yield
            return
        watchdog = threading.Timer(left, _cut, args=(sock,))
        watchdog.daemon = True
        watchdog.start()
        try:
            yield
        finally:
            watchdog.cancel()


def _socket_of(response: httpx.Response) -> socket.socket | None:
    stream = response.extensions.get("network_stream")
    get_extra_info = getattr(stream, "get_extra_info", None)
    if not callable(get_extra_info):
        return None  # a transport without a socket (a mock): the chunk checks still apply
    with contextlib.suppress(Exception):
        sock = get_extra_info("socket")
        if isinstance(sock, socket.socket):
            return sock
    return None


def _cut(sock: socket.socket) -> None:
    # shutdown(), not close(): it wakes a recv() blocked in another thread or
    # an event loop's poll, which then sees the end of the stream. The plain
    # socket's method: an SSL socket's own would tear down its TLS state under
    # the reader.
    with contextlib.suppress(OSError):
        socket.socket.shutdown(sock, socket.SHUT_RDWR)
