"""The few primitives whose sync and async forms differ in more than `await`.

Everything else is written once, as async code in `_async/`, and turned into
`_sync/` by `scripts/generate_sync.py`, which renames `AsyncBackend` to
`SyncBackend` and `AsyncRequestSlots` to `SyncRequestSlots`. So the two
classes of each pair here must keep the same methods and meanings:

- `to_thread(fn, *args)`: blocking work (file writes, fsync, rename). The
  async client runs it on a worker thread so the event loop never stalls;
  the sync client just calls it.
- `AsyncChunks`/`SyncChunks`: the generator type of a results file's chunks
  (unasync cannot turn `AsyncGenerator[X, None]` into `Generator[X, None, None]`).
- `run_within(seconds, fn)`: `fn()` bounded in wall-clock time, whatever the
  server does (a body sent one byte a second defeats httpx's per-read
  timeout). Async cancels the work; sync runs it on a daemon thread and
  stops waiting for it, since a blocking socket read cannot be interrupted.
"""

from __future__ import annotations

import contextlib
import signal
import threading
import time
from collections.abc import AsyncGenerator, Awaitable, Callable, Generator
from typing import TypeVar

import anyio
import anyio.to_thread
import httpx

__all__ = [
    "MAX_IN_FLIGHT",
    "AsyncBackend",
    "AsyncChunks",
    "AsyncRequestSlots",
    "SyncBackend",
    "SyncChunks",
    "SyncRequestSlots",
]

T = TypeVar("T")

# A results file as (offset, chunk) pairs: generators, so that `aclosing`/`closing`
# can end them (and close their response) as soon as the consumer stops.
AsyncChunks = AsyncGenerator[tuple[int, bytes], None]
SyncChunks = Generator[tuple[int, bytes], None, None]

# How often the sync client's main thread looks up from a poll it waits for,
# so that a signal's Python handler (Ctrl-C, SIGTERM) runs promptly.
_SIGNAL_SLICE = 0.1

# Requests one async client has in flight at once; more wait for a slot, in
# order (httpx's default pool size, so its own pool seldom has a queue).
MAX_IN_FLIGHT = 100


class AsyncBackend:
    @staticmethod
    async def to_thread(fn: Callable[..., T], *args: object) -> T:
        return await anyio.to_thread.run_sync(fn, *args)

    @staticmethod
    async def run_within(seconds: float, fn: Callable[[], Awaitable[T]]) -> T:
        """`await fn()`, cancelled after `seconds`: raises TimeoutError then."""
        with anyio.fail_after(max(seconds, 0.0)):
            return await fn()


class SyncBackend:
    @staticmethod
    def to_thread(fn: Callable[..., T], *args: object) -> T:
        return fn(*args)

    @staticmethod
    def run_within(seconds: float, fn: Callable[[], T]) -> T:
        """`fn()` on a daemon thread, waited for at most `seconds`: raises TimeoutError then.

        An abandoned call finishes (or times out) on its own; its result is
        dropped. Daemon, so a server that never answers cannot hold up the
        interpreter's exit. Signals stay the main thread's: the worker blocks
        them (else the kernel may hand Ctrl-C or SIGTERM to it, and Python
        runs handlers only in the main thread), and the main thread waits in
        short slices, so a pending handler runs within a fraction of a second.
        """
        finished = threading.Event()
        outcome: list[T] = []
        failure: list[BaseException] = []

        def call() -> None:
            with contextlib.suppress(AttributeError, OSError, ValueError):
                signal.pthread_sigmask(signal.SIG_BLOCK, signal.valid_signals())
            try:
                outcome.append(fn())
            except BaseException as exc:  # handed to the caller's thread
                failure.append(exc)
            finally:
                finished.set()

        threading.Thread(target=call, name="companyenrich-poll", daemon=True).start()
        deadline = time.monotonic() + max(seconds, 0.0)
        while not finished.wait(min(_SIGNAL_SLICE, max(deadline - time.monotonic(), 0.0))):
            if time.monotonic() >= deadline:
                raise TimeoutError(f"no answer within {seconds:.3g} s")
        if failure:
            raise failure[0]
        return outcome[0]


class AsyncRequestSlots:
    """At most `size` requests of one async client in flight; the rest queue here.

    httpx's pool rescans every request waiting for a connection each time a
    connection frees up, so 1,000 `wait()`s started together would spend
    seconds of CPU in its queue before the first poll of the last job. This
    queue wakes one waiter per free slot. Waiting for a slot is waiting for
    the pool, so the request's `pool` timeout applies (httpx.PoolTimeout).
    """

    def __init__(self, size: int = MAX_IN_FLIGHT) -> None:
        self._semaphore = anyio.Semaphore(size)

    async def acquire(self, request: httpx.Request) -> None:
        # A free slot is taken at once. Waiting for it under the pool timeout
        # would count the event loop's scheduling delay as waiting for the pool:
        # with 100 tasks started together on a busy machine, a short pool
        # timeout then failed requests that never had to wait for anything.
        with contextlib.suppress(anyio.WouldBlock):
            self._semaphore.acquire_nowait()
            return
        timeout = request.extensions.get("timeout", {}).get("pool")
        try:
            with anyio.fail_after(timeout):
                await self._semaphore.acquire()
        except TimeoutError:
            raise httpx.PoolTimeout(
                "Timed out waiting for a free request slot.", request=request
            ) from None

    def release(self) -> None:
        self._semaphore.release()


class SyncRequestSlots:
    """Nothing to queue: a sync client has one request in flight per thread."""

    def acquire(self, request: httpx.Request) -> None:
        pass

    def release(self) -> None:
        pass
