"""Shared fixtures for the client unit tests.

Every behaviour that exists in both clients is tested once, through the
`api` fixture: it is parametrized over "sync" and "async" and hands the test
an `Api` whose `exports.<method>(...)` are always awaited, whichever client
is underneath. HTTP is mocked with respx only, time with `ManualClock` only,
so nothing sleeps for real and nothing touches the network.

Helpers live here and are reached through fixtures (never `from conftest
import ...`: with other conftest files in the project, that name is not
guaranteed to be this module).
"""

from __future__ import annotations

import inspect
import ssl
from collections.abc import AsyncIterator, Callable, Iterable, Iterator
from typing import Any

import httpx
import pytest
import respx

from companyenrich_export import (
    AsyncCompanyEnrich,
    CompanyEnrich,
    ExportJob,
    RetryPolicy,
    SystemClock,
)
from companyenrich_export.testing import reset_request_budgets
from companyenrich_export.testing._clock import ManualClock

API_KEY = "sk-live-SECRET123"
BASE_URL = "https://api.companyenrich.com"
JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
STORAGE_URL = f"https://exports.example-storage.com/results/{JOB_ID}.csv?X-Signature=abc123"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.fixture
def no_real_sleeping(monkeypatch: pytest.MonkeyPatch) -> None:
    """A test that forgot `clock=ManualClock()` fails instead of sleeping for real.

    Requested by `router` (so by every client test here) rather than autouse:
    other test files in this folder may sleep for real on purpose.
    """

    def refuse(self: SystemClock, seconds: float) -> None:
        raise AssertionError(f"real sleep of {seconds} s in a unit test: pass a ManualClock")

    async def refuse_async(self: SystemClock, seconds: float) -> None:
        refuse(self, seconds)

    monkeypatch.setattr(SystemClock, "sleep", refuse)
    monkeypatch.setattr(SystemClock, "asleep", refuse_async)


@pytest.fixture
def router(no_real_sleeping: None) -> Iterator[respx.MockRouter]:
    # Unmocked requests fail the test; routes defined but never called are allowed,
    # because "this was NOT requested" is often the point of a test.
    with respx.mock(assert_all_called=False, assert_all_mocked=True) as mock:
        yield mock


class Bodies:
    """Builders of valid response bodies, with fields to override."""

    job_id = JOB_ID

    @staticmethod
    def job(**fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "job_id": JOB_ID,
            "status": "completed",
            "requested_count": 100,
            "total_matching": 2345,
            "exported_count": 100,
            "credits_charged": 100,
            "created_at": "2026-02-17T02:04:03.743Z",
            "started_at": "2026-02-17T02:04:05.120Z",
            "completed_at": "2026-02-17T02:05:41.004Z",
            "results_url": STORAGE_URL,
            "error_message": None,
        }
        body.update(fields)
        return body

    @staticmethod
    def pending(**fields: Any) -> dict[str, Any]:
        not_started: dict[str, Any] = {
            "status": "pending",
            "exported_count": 0,
            "credits_charged": 0,
            "started_at": None,
            "completed_at": None,
            "results_url": None,
        }
        return Bodies.job(**{**not_started, **fields})

    @staticmethod
    def summary(**fields: Any) -> dict[str, Any]:
        body = Bodies.job(**fields)
        del body["results_url"], body["error_message"]
        return body

    @staticmethod
    def page(items: list[dict[str, Any]], *, page: int = 1, total_pages: int = 1) -> dict[str, Any]:
        return {"items": items, "page": page, "totalPages": total_pages, "totalItems": 99}

    @staticmethod
    def created(**fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "job_id": JOB_ID,
            "status": "pending",
            "requested_count": 100,
            "total_matching": 2345,
            "estimated_credits": 100,
        }
        body.update(fields)
        return body

    @staticmethod
    def problem(status: int, **fields: Any) -> dict[str, Any]:
        body: dict[str, Any] = {
            "type": f"https://docs.companyenrich.com/problems/{status}",
            "title": f"Title {status}",
            "status": status,
            "detail": f"Detail {status}",
            "instance": f"/companies/search/async/{JOB_ID}",
        }
        body.update(fields)
        return body


class Chunks(httpx.SyncByteStream, httpx.AsyncByteStream):
    """A response body delivered in several chunks, optionally failing after them."""

    def __init__(self, chunks: Iterable[bytes], fail: Exception | None = None) -> None:
        self._chunks = list(chunks)
        self._fail = fail

    def __iter__(self) -> Iterator[bytes]:
        yield from self._chunks
        if self._fail is not None:
            raise self._fail

    async def __aiter__(self) -> AsyncIterator[bytes]:
        for chunk in self._chunks:
            yield chunk
        if self._fail is not None:
            raise self._fail


class _AwaitedExports:
    """`client.exports`, with every method awaitable whether the client is sync or async."""

    def __init__(self, exports: Any) -> None:
        self._exports = exports

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._exports, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            result = method(*args, **kwargs)
            return await result if inspect.isawaitable(result) else result

        return call


class Api:
    """A client of one flavour (sync or async) with its ManualClock, router and URLs."""

    key = API_KEY
    base_url = BASE_URL
    job_id = JOB_ID
    job_url = f"{BASE_URL}/companies/search/async/{JOB_ID}"
    create_url = f"{BASE_URL}/companies/search/async"
    list_url = f"{BASE_URL}/companies/search/async/jobs"
    storage_url = STORAGE_URL
    bodies = Bodies

    def __init__(
        self,
        client: CompanyEnrich | AsyncCompanyEnrich,
        *,
        clock: ManualClock,
        router: respx.MockRouter,
    ) -> None:
        self.client = client
        self.clock = clock
        self.router = router
        self.is_async = isinstance(client, AsyncCompanyEnrich)
        self.exports = _AwaitedExports(client.exports)

    def list(self, **kwargs: Any) -> AsyncIterator[Any]:
        """`exports.list(...)` as an async iterator; the sync one is still pulled lazily."""
        if isinstance(self.client, AsyncCompanyEnrich):
            iterator: AsyncIterator[Any] = self.client.exports.list(**kwargs)
            return iterator
        return _lazy_async(self.client.exports.list(**kwargs))

    async def close(self) -> None:
        if isinstance(self.client, AsyncCompanyEnrich):
            await self.client.aclose()
        else:
            self.client.close()


async def _lazy_async(iterator: Iterator[Any]) -> AsyncIterator[Any]:
    for item in iterator:
        yield item


class LoopSafeClock(ManualClock):
    """The async client's clock: a blocking `sleep` would freeze its event loop, so it fails.

    ManualClock's two sleeps behave alike, so without this an async client
    that called `clock.sleep` instead of `await clock.asleep` would pass.
    """

    def sleep(self, seconds: float) -> None:
        raise AssertionError(f"the async client slept {seconds} s blocking its event loop")

    async def asleep(self, seconds: float) -> None:
        ManualClock.sleep(self, seconds)


MakeApi = Callable[..., Api]
ReadJob = Callable[..., ExportJob]


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    """Which client a test runs against; every `api` test runs once with each."""
    param: str = request.param
    return param


@pytest.fixture(scope="session")
def ssl_context() -> ssl.SSLContext:
    # Loading the CA bundle costs ~30 ms per httpx client; respx never uses it anyway.
    return ssl.create_default_context()


@pytest.fixture
async def make_api(
    flavour: str, router: respx.MockRouter, ssl_context: ssl.SSLContext, anyio_backend: str
) -> AsyncIterator[MakeApi]:
    """Build an `Api` of this test's flavour; keyword arguments go to the client.

    Retries default to no jitter, so every sleep is predictable. Unless the
    test passes its own, the client gets an HTTP client sharing one SSL
    context (closed here); the client's own pool is covered in
    test_client_config.py.
    """
    made: list[Api] = []
    pools: list[httpx.Client | httpx.AsyncClient] = []

    def make(**kwargs: Any) -> Api:
        clock = kwargs.setdefault("clock", LoopSafeClock() if flavour == "async" else ManualClock())
        kwargs.setdefault("api_key", API_KEY)
        if "max_retries" not in kwargs:
            kwargs.setdefault("retry_policy", RetryPolicy(jitter=lambda: 0.0))
        if "http_client" not in kwargs:
            pool_cls = httpx.AsyncClient if flavour == "async" else httpx.Client
            kwargs["http_client"] = pool_cls(verify=ssl_context)
            pools.append(kwargs["http_client"])
        cls = AsyncCompanyEnrich if flavour == "async" else CompanyEnrich
        api = Api(cls(**kwargs), clock=clock, router=router)
        made.append(api)
        return api

    yield make
    for api in made:
        await api.close()
    for pool in pools:
        await pool.aclose() if isinstance(pool, httpx.AsyncClient) else pool.close()


@pytest.fixture
def api(make_api: MakeApi) -> Api:
    """The default client (sync or async): key API_KEY, no jitter, a fresh ManualClock."""
    return make_api()


@pytest.fixture
def bodies() -> type[Bodies]:
    return Bodies


@pytest.fixture
def chunks() -> type[Chunks]:
    return Chunks


@pytest.fixture
def read_job(router: respx.MockRouter, ssl_context: ssl.SSLContext) -> Iterator[ReadJob]:
    """Parse a job body (valid fields, with overrides) the way `exports.get` does."""
    with httpx.Client(verify=ssl_context) as http:
        client = CompanyEnrich(API_KEY, http_client=http, clock=ManualClock())
        route = router.get(Api.job_url)

        def read(**fields: Any) -> ExportJob:
            route.respond(200, json=Bodies.job(**fields))
            return client.exports.get(JOB_ID)

        yield read


@pytest.fixture(autouse=True)
def _fresh_request_budgets() -> Iterator[None]:
    # Real-clock clients share one budget per key for the whole process: without
    # this, one test's requests (or a low max_requests_per_minute) would make the
    # tests after it wait in real time.
    yield
    reset_request_budgets()
