"""The client: configuration, connection pool, lifetime.

Written once, as async code (`AsyncCompanyEnrich`); `_sync/_client.py`
(`CompanyEnrich`) is generated from it by `scripts/generate_sync.py`.
"""

from __future__ import annotations

from types import TracebackType
from typing import Any, Self

import httpx

from companyenrich_export._core._arguments import Timeout
from companyenrich_export._core._budget import DEFAULT_MAX_REQUESTS_PER_MINUTE
from companyenrich_export._core._clock import Clock
from companyenrich_export._core._redact import redact_url
from companyenrich_export._core._requests import default_tls_context, resolve_config
from companyenrich_export._core._timing import PollSchedule, RetryPolicy
from companyenrich_export._jobs._preflight import Account, CreditHeaders

from ._account_jobs import AsyncJobs
from ._enrichments import AsyncEnrichments
from ._exports import AsyncExports
from ._http import AsyncHTTP
from ._job_resource import AsyncJobResource
from ._preflight import AsyncPreflight

__all__ = ["AsyncCompanyEnrich"]


class AsyncCompanyEnrich:
    """A client for CompanyEnrich's export API.

        with CompanyEnrich() as client:              # key from COMPANYENRICH_API_KEY
            job = client.exports.wait(job_id)
            client.exports.download(job, "companies.csv")

    `AsyncCompanyEnrich` takes the same arguments; its methods are coroutines.
    `http_client` takes your own configured httpx client (proxies,
    certificates, transports); the key is added to each API request, so it
    is kept, and the client is not closed by us. `timeout` is the default per
    request (30 s, 10 s to connect); every method takes its own `timeout=`.
    Failed requests are retried `max_retries` times (see `RetryPolicy`).
    API requests draw on one budget per key and origin, shared by every
    client in the process: at most `max_requests_per_minute` (default 500,
    the vendor's limit) in any 60 seconds; None switches it off.
    """

    exports: AsyncExports
    enrichments: AsyncEnrichments
    jobs: AsyncJobs

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
        max_requests_per_minute: int | None = DEFAULT_MAX_REQUESTS_PER_MINUTE,
    ) -> None:
        self._config = resolve_config(
            api_key,
            base_url=base_url,
            timeout=timeout,
            max_retries=max_retries,
            clock=clock,
            retry_policy=retry_policy,
            poll_schedule=poll_schedule,
            max_requests_per_minute=max_requests_per_minute,
        )
        if http_client is not None and not isinstance(http_client, httpx.AsyncClient):
            # The class named outside the f-string, where unasync renames it for the sync twin.
            raise TypeError(
                "http_client must be an httpx."
                + httpx.AsyncClient.__name__
                + f", got {type(http_client).__name__}"
            )
        self._owns_http = http_client is None
        self._http = http_client or httpx.AsyncClient(
            timeout=self._config.timeout, verify=default_tls_context()
        )
        self._api = AsyncHTTP(self._config, self._http)
        self.exports = AsyncExports(self._api)
        self.enrichments = AsyncEnrichments(self._api)
        self.jobs = AsyncJobs(self._api)

    def _resource_of(self, kind: str) -> AsyncJobResource[Any, Any, Any, Any, Any]:
        """The resource of the job kind named `kind` (`JobKind.name`: "export", ...)."""
        resources: dict[str, AsyncJobResource[Any, Any, Any, Any, Any]] = {
            self.exports.kind.name: self.exports,
            self.enrichments.kind.name: self.enrichments,
        }
        if kind not in resources:
            raise ValueError(f"kind must be one of {', '.join(resources)}, got {kind!r}")
        return resources[kind]

    @property
    def base_url(self) -> httpx.URL:
        return self._config.base_url

    async def account(self, *, timeout: Timeout = None) -> Account:
        """The account's credits (used, total, remaining) and limits: GET /me, free."""
        return await AsyncPreflight(self._api).account(timeout=timeout)

    @property
    def credits(self) -> CreditHeaders | None:
        """The `x-credit-cost`/`x-credit-remaining` of the latest API answer that had them.

        Optional headers: None until an answer carried a readable one.
        """
        return self._api.credits

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
