"""`CompanyEnrich` and `AsyncCompanyEnrich`: configuration, connection pool, lifetime."""

from __future__ import annotations

import os
from types import TracebackType
from typing import Self

import httpx

from ._base_client import DEFAULT_BASE_URL, DEFAULT_TIMEOUT, ClientConfig
from ._clock import Clock, SystemClock
from ._exports import AsyncExports, Exports
from ._redact import redact_url
from ._timing import PollSchedule, RetryPolicy

__all__ = ["API_KEY_ENV", "BASE_URL_ENV", "AsyncCompanyEnrich", "CompanyEnrich"]

API_KEY_ENV = "COMPANYENRICH_API_KEY"
BASE_URL_ENV = "COMPANYENRICH_BASE_URL"


def _config(
    api_key: str | None,
    *,
    base_url: str | httpx.URL | None,
    timeout: float | httpx.Timeout | None,
    max_retries: int,
    clock: Clock | None,
    retry_policy: RetryPolicy | None,
    poll_schedule: PollSchedule | None,
) -> ClientConfig:
    key = api_key if api_key is not None else os.environ.get(API_KEY_ENV)
    if not key:
        raise ValueError(
            f"No API key: pass api_key=... or set the {API_KEY_ENV} environment variable."
        )
    if not isinstance(key, str):
        raise TypeError(f"api_key must be a str, got {type(key).__name__}")
    _check_key_characters(key)
    url = _base_url(base_url or os.environ.get(BASE_URL_ENV) or DEFAULT_BASE_URL)
    if isinstance(max_retries, bool) or not isinstance(max_retries, int) or max_retries < 0:
        raise ValueError(f"max_retries must be a whole number >= 0, got {max_retries!r}")
    if timeout is None:
        resolved_timeout = DEFAULT_TIMEOUT
    elif isinstance(timeout, httpx.Timeout):
        resolved_timeout = timeout
    elif isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    else:
        resolved_timeout = httpx.Timeout(timeout)
    # A full policy, when given, wins over the max_retries shorthand.
    retry = retry_policy if retry_policy is not None else RetryPolicy(max_retries=max_retries)
    return ClientConfig(
        api_key=key,
        base_url=url,
        timeout=resolved_timeout,
        retry=retry,
        poll=poll_schedule or PollSchedule(),
        clock=clock or SystemClock(),
    )


def _check_key_characters(key: str) -> None:
    # A key goes into an HTTP header, where anything but visible ASCII is either
    # refused by h11 (with the header quoted in the error) or mangled. The
    # message names neither the key nor the character: both would leak it.
    if not all("!" <= char <= "~" for char in key):
        raise ValueError(
            "The API key may hold only visible ASCII characters (no spaces, line breaks, "
            f"control or non-ASCII characters): check api_key= or {API_KEY_ENV}."
        )


def _base_url(value: str | httpx.URL) -> httpx.URL:
    try:
        url = httpx.URL(value)
    except (httpx.InvalidURL, TypeError, ValueError):
        raise ValueError(f"base_url is not a valid URL: {redact_url(value)!r}") from None
    if url.scheme not in ("http", "https") or not url.host:
        raise ValueError(f"base_url must be an absolute http(s) URL, got {redact_url(url)!r}")
    if url.query or url.fragment:
        raise ValueError("base_url must not carry a query or a fragment")
    # httpx turns userinfo into Basic auth, which would replace the Bearer key.
    if url.userinfo:
        raise ValueError(
            "base_url must not carry credentials (user:password@); the API key is sent "
            "as a Bearer token, and a proxy's credentials belong in http_client="
        )
    return url


class CompanyEnrich:
    """A client for CompanyEnrich's export API.

        with CompanyEnrich() as client:              # key from COMPANYENRICH_API_KEY
            job = client.exports.wait(job_id)
            client.exports.download(job, "companies.csv")

    `http_client` takes your own configured `httpx.Client` (proxies,
    certificates, transports); the key is added to each API request, so it
    is kept, and the client is not closed by us. `timeout` is the default per
    request (30 s, 10 s to connect); every method takes its own `timeout=`.
    Failed requests are retried `max_retries` times (see `RetryPolicy`).
    """

    exports: Exports

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        http_client: httpx.Client | None = None,
        clock: Clock | None = None,
        retry_policy: RetryPolicy | None = None,
        poll_schedule: PollSchedule | None = None,
    ) -> None:
        self._config = _config(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            clock=clock,
            retry_policy=retry_policy,
            poll_schedule=poll_schedule,
        )
        if http_client is not None and not isinstance(http_client, httpx.Client):
            raise TypeError(
                "http_client must be an httpx.Client (use AsyncCompanyEnrich for async)"
            )
        self._owns_http = http_client is None
        self._http = http_client or httpx.Client(timeout=self._config.timeout)
        self.exports = Exports(self._config, self._http)

    @property
    def base_url(self) -> httpx.URL:
        return self._config.base_url

    def close(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http:
            self._http.close()

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self._config.base_url)!r})"


class AsyncCompanyEnrich:
    """The async twin of `CompanyEnrich`: same arguments, methods are coroutines.

    async with AsyncCompanyEnrich() as client:
        job = await client.exports.wait(job_id)
    """

    exports: AsyncExports

    def __init__(
        self,
        api_key: str | None = None,
        *,
        base_url: str | httpx.URL | None = None,
        timeout: float | httpx.Timeout | None = None,
        max_retries: int = 2,
        http_client: httpx.AsyncClient | None = None,
        clock: Clock | None = None,
        retry_policy: RetryPolicy | None = None,
        poll_schedule: PollSchedule | None = None,
    ) -> None:
        self._config = _config(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            clock=clock,
            retry_policy=retry_policy,
            poll_schedule=poll_schedule,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            raise TypeError("http_client must be an httpx.AsyncClient (use CompanyEnrich for sync)")
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(timeout=self._config.timeout)
        self.exports = AsyncExports(self._config, self._http)

    @property
    def base_url(self) -> httpx.URL:
        return self._config.base_url

    async def aclose(self) -> None:
        """Close the connection pool (only if this client created it)."""
        if self._owns_http:
            await self._http.aclose()

    async def __aenter__(self) -> Self:
        return self

    async def __aexit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        await self.aclose()

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self._config.base_url)!r})"
