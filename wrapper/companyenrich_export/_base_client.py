"""Requests, retries, headers and timeouts, written once for sync and async.

The logic of a call (build the request, send it, retry what is worth
retrying, sleep between attempts) is a *plan*: a generator that yields
effects (`Send`, `Sleep`) and receives their results. `run_sync` and
`run_async` are the only places that perform them, with an `httpx.Client`
or `httpx.AsyncClient` and the configured clock. So the sync and async
clients cannot drift apart, and tests drive either with a fake clock.
"""

from __future__ import annotations

import logging
from collections.abc import Callable, Generator
from typing import Any, TypeVar

import anyio
import attrs
import httpx

from ._clock import Clock
from ._exceptions import (
    APIConnectionError,
    APITimeoutError,
    CompanyEnrichError,
    status_error,
)
from ._timing import PollSchedule, RetryPolicy, parse_retry_after
from ._version import __version__

__all__ = [
    "DEFAULT_BASE_URL",
    "DEFAULT_TIMEOUT",
    "MAX_IN_FLIGHT",
    "ClientConfig",
    "Drain",
    "Read",
    "RequestSlots",
    "Send",
    "Sleep",
]

logger = logging.getLogger("companyenrich_export")

DEFAULT_BASE_URL = "https://api.companyenrich.com"
# Connect fast, but give the server a generous read: status calls are cheap,
# result files are streamed chunk by chunk (the read timeout is per chunk).
DEFAULT_TIMEOUT = httpx.Timeout(30.0, connect=10.0)
USER_AGENT = f"companyenrich-export-python/{__version__}"
# Requests one async client has in flight at once; more wait for a slot, in
# order (httpx's default pool size, so its own pool seldom has a queue).
MAX_IN_FLIGHT = 100

T = TypeVar("T")


class DeadlineExceeded(Exception):
    """A retry would sleep past the caller's deadline (wait() turns it into WaitTimeoutError)."""

    def __init__(self, last_error: CompanyEnrichError) -> None:
        super().__init__(str(last_error))
        self.last_error = last_error


@attrs.frozen
class Send:
    request: httpx.Request
    stream: bool = False


@attrs.frozen
class Sleep:
    seconds: float


@attrs.frozen
class Drain:
    """Read a streamed response to the end, handing each chunk to `sink`, then close it."""

    response: httpx.Response
    sink: Callable[[bytes], None]


@attrs.frozen
class Read:
    """Read a streamed response's body into `response.content` (an error body), then close it."""

    response: httpx.Response


Effect = Send | Sleep | Drain | Read
Plan = Generator[Effect, Any, T]


@attrs.frozen(kw_only=True)
class Reply:
    """A successful response, and the longest Retry-After the server asked for on the way."""

    response: httpx.Response
    retry_after: float | None


def _check_api_key(_: object, __: object, value: str) -> None:
    if not value or value != value.strip() or any(c in value for c in "\r\n"):
        raise ValueError(
            "The API key is empty or has surrounding whitespace or line breaks; "
            "check COMPANYENRICH_API_KEY."
        )


@attrs.frozen(kw_only=True)
class ClientConfig:
    """Everything a request needs to know, fixed when the client is built."""

    api_key: str = attrs.field(repr=False, validator=_check_api_key)
    base_url: httpx.URL
    timeout: httpx.Timeout
    retry: RetryPolicy
    poll: PollSchedule
    clock: Clock
    # The base URL as text without its trailing slash: joined to each path as a
    # string, so building a request parses one URL, as a bare `client.get(url)` does.
    _api_root: str = attrs.field(init=False, repr=False, eq=False)

    @_api_root.default
    def _root(self) -> str:
        return str(self.base_url).rstrip("/")

    def api_request(
        self,
        http: httpx.Client | httpx.AsyncClient,
        kwargs: dict[str, Any],
        *,
        timeout: httpx.Timeout | None,
    ) -> httpx.Request:
        """An authenticated request for one API operation.

        `kwargs` comes from the generated client's `_get_kwargs`, so the path,
        query and body are whatever the spec says. The key is attached here,
        per request, never to the HTTP client: requests to any other host
        (result files) cannot pick it up by accident.
        """
        # A plain dict with lower-case names (header names are case-insensitive):
        # the generated `accept` replaces our default, ours win for the rest.
        headers = {"accept": "application/json"}
        for name, value in kwargs.get("headers", {}).items():
            headers[name.lower()] = value
        headers["authorization"] = f"Bearer {self.api_key}"
        headers["user-agent"] = USER_AGENT
        return http.build_request(
            kwargs["method"].upper(),
            self.url_for(kwargs["url"]),
            params=kwargs.get("params"),
            json=kwargs.get("json"),
            headers=headers,
            timeout=timeout or self.timeout,
        )

    def url_for(self, path: str) -> str:
        # Joining by hand keeps a base URL's own path prefix (a proxy mount point);
        # text, not httpx.URL, so build_request parses the URL once, not twice.
        return self._api_root + path

    def is_api_origin(self, url: httpx.URL) -> bool:
        """Whether `url` is on the API's own scheme, host and port (the only place the key goes)."""
        base = self.base_url
        return (url.scheme, url.host, url.port) == (base.scheme, base.host, base.port)


def capped_timeout(timeout: httpx.Timeout, seconds: float) -> httpx.Timeout:
    """`timeout` with no phase longer than `seconds` (for calls under a deadline)."""

    def cap(value: float | None) -> float:
        return seconds if value is None else min(value, seconds)

    return httpx.Timeout(
        connect=cap(timeout.connect),
        read=cap(timeout.read),
        write=cap(timeout.write),
        pool=cap(timeout.pool),
    )


def transport_error(exc: httpx.TransportError, request: httpx.Request) -> APIConnectionError:
    never_sent = isinstance(exc, httpx.ConnectError | httpx.ConnectTimeout)
    if isinstance(exc, httpx.TimeoutException):
        return APITimeoutError(request=request, never_sent=never_sent)
    # httpx's messages describe the socket, never the headers.
    return APIConnectionError(f"Connection error: {exc}", request=request, never_sent=never_sent)


def send_with_retries(
    request: httpx.Request,
    config: ClientConfig,
    *,
    idempotent: bool = True,
    deadline: float | None = None,
) -> Plan[Reply]:
    """Send `request` until it succeeds or the retry policy gives up; raise the typed error."""
    clock = config.clock
    longest_retry_after: float | None = None
    retry_number = 0
    while True:
        error: CompanyEnrichError
        try:
            response: httpx.Response = yield Send(request)
        except httpx.TransportError as exc:
            error = transport_error(exc, request)
            status: object = type(exc).__name__
        else:
            retry_after = parse_retry_after(response.headers.get("retry-after"), now=clock.utcnow)
            if retry_after is not None:
                longest_retry_after = max(retry_after, longest_retry_after or 0.0)
            logger.debug(
                "%s %s -> %d (attempt %d)",
                request.method,
                request.url.path,
                response.status_code,
                retry_number + 1,
            )
            if response.is_success:
                return Reply(response=response, retry_after=longest_retry_after)
            error = status_error(response, retry_after=retry_after)
            status = response.status_code
        delay = config.retry.delay(retry_number, error, idempotent=idempotent)
        if delay is None:
            raise error
        if deadline is not None and clock.monotonic() + delay > deadline:
            raise DeadlineExceeded(error)
        retry_number += 1
        logger.info(
            "%s %s failed (%s); retry %d of %d in %.2f s",
            request.method,
            request.url.path,
            status,
            retry_number,
            config.retry.max_retries,
            delay,
        )
        yield Sleep(delay)


def _step(plan: Plan[T], value: Any, error: BaseException | None) -> Effect:
    return plan.throw(error) if error is not None else plan.send(value)


def run_sync(plan: Plan[T], http: httpx.Client, clock: Clock) -> T:
    """Perform a plan's effects with a sync client until it returns."""
    try:
        return _run_sync(plan, http, clock)
    finally:
        # Whatever ended the run (an error, Ctrl-C), let the plan's `with` blocks clean up now.
        plan.close()


def _run_sync(plan: Plan[T], http: httpx.Client, clock: Clock) -> T:
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = _step(plan, value, error)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        value, error = None, None
        if isinstance(effect, Sleep):
            clock.sleep(effect.seconds)
            continue
        try:
            if isinstance(effect, Drain):
                try:
                    for chunk in effect.response.iter_bytes():
                        effect.sink(chunk)
                finally:
                    effect.response.close()
            elif isinstance(effect, Read):
                try:
                    effect.response.read()
                finally:
                    effect.response.close()
            else:
                value = http.send(effect.request, stream=effect.stream, follow_redirects=False)
        except httpx.TransportError as exc:
            error = exc


class RequestSlots:
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


async def run_async(
    plan: Plan[T], http: httpx.AsyncClient, clock: Clock, slots: RequestSlots | None = None
) -> T:
    """Perform a plan's effects with an async client until it returns."""
    try:
        return await _run_async(plan, http, clock, slots)
    finally:
        plan.close()


async def _run_async(
    plan: Plan[T], http: httpx.AsyncClient, clock: Clock, slots: RequestSlots | None
) -> T:
    value: Any = None
    error: BaseException | None = None
    while True:
        try:
            effect = _step(plan, value, error)
        except StopIteration as done:
            return done.value  # type: ignore[no-any-return]
        value, error = None, None
        if isinstance(effect, Sleep):
            await clock.asleep(effect.seconds)
            continue
        try:
            if isinstance(effect, Drain):
                try:
                    async for chunk in effect.response.aiter_bytes():
                        effect.sink(chunk)
                finally:
                    await effect.response.aclose()
            elif isinstance(effect, Read):
                try:
                    await effect.response.aread()
                finally:
                    await effect.response.aclose()
            elif slots is None:
                value = await http.send(
                    effect.request, stream=effect.stream, follow_redirects=False
                )
            else:
                await slots.acquire(effect.request)
                try:
                    value = await http.send(
                        effect.request, stream=effect.stream, follow_redirects=False
                    )
                finally:
                    slots.release()
        except httpx.TransportError as exc:
            error = exc
