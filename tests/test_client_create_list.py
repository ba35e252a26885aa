"""exports.create(), list(), list_page() and run()."""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest

from companyenrich_export import (
    CreatedExportJob,
    ExportJobPage,
    ExportJobSummary,
    ExportResult,
    JobStatus,
)

pytestmark = pytest.mark.anyio

SEARCH = {"query": "fintech", "countries": ["DE", "FR"]}
SIMILAR = {"domains": ["stripe.com", "adyen.com"], "minScore": 0.5}
ELEVEN_DOMAINS = [f"seed{i}.com" for i in range(11)]


# --- create: validation before any request ------------------------------------------------

INVALID_CREATE: list[tuple[dict[str, Any], type[Exception], str]] = [
    ({"count": True, "search": SEARCH}, TypeError, "count"),
    ({"count": "10", "search": SEARCH}, TypeError, "count"),
    ({"count": 10.0, "search": SEARCH}, TypeError, "count"),
    ({"count": None, "search": SEARCH}, TypeError, "count"),
    ({"count": 0, "search": SEARCH}, ValueError, "count"),
    ({"count": -1, "search": SEARCH}, ValueError, "count"),
    ({"count": 50_001, "search": SEARCH}, ValueError, "count"),
    ({"count": 10}, ValueError, "exactly one"),
    ({"count": 10, "search": SEARCH, "similar": SIMILAR}, ValueError, "exactly one"),
    ({"count": 10, "similar": {}}, ValueError, "domains"),
    ({"count": 10, "similar": {"domains": []}}, ValueError, "domains"),
    ({"count": 10, "similar": {"domains": "stripe.com"}}, ValueError, "domains"),
    ({"count": 10, "similar": {"domains": ELEVEN_DOMAINS}}, ValueError, "domains"),
    ({"count": 10, "similar": {"domains": ["ok.com", ""]}}, ValueError, "domains"),
    ({"count": 10, "search": SEARCH, "webhook_url": "not a url"}, ValueError, "webhook_url"),
    ({"count": 10, "search": SEARCH, "webhook_url": "ftp://h.example"}, ValueError, "webhook_url"),
    ({"count": 10, "search": SEARCH, "webhook_url": "/relative/hook"}, ValueError, "webhook_url"),
    ({"count": 10, "search": SEARCH, "webhook_url": "https://[::1"}, ValueError, "webhook_url"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kwargs", "error", "mentioned"),
    INVALID_CREATE,
    ids=[f"{i}-{sorted(kwargs)}" for i, (kwargs, _, _) in enumerate(INVALID_CREATE)],
)
async def test_create_validates_before_any_request(api, router, kwargs, error, mentioned) -> None:
    # Creating costs credits: a mistake must not reach the server.
    with pytest.raises(error, match=mentioned):
        await api.exports.create(**kwargs)
    assert router.calls.call_count == 0


@pytest.mark.parametrize("count", [1, 50_000])
async def test_create_accepts_the_count_bounds(api, router, count: int) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())

    await api.exports.create(count=count, search=SEARCH)

    assert json.loads(route.calls.last.request.content)["count"] == count


async def test_create_sends_the_search_untouched(api, router) -> None:
    # Under the opt-out, unknown filter keys pass through: the vendor's filter may
    # evolve faster than the spec (without it they are refused: tests/test_filters.py).
    search = {
        "semanticQuery": "B2B payments",
        "countries": ["DE"],
        "foundedYear": {"min": 2010, "max": 2020},
        "exclude": {"countries": ["US"]},
        "brandNewFilter": {"anything": [1, 2]},
    }
    route = router.post(api.create_url).respond(200, json=api.bodies.created())

    await api.exports.create(
        count=25,
        search=search,
        webhook_url="https://hooks.example/done",
        allow_unknown_filters=True,
    )

    request = route.calls.last.request
    assert request.method == "POST"
    assert request.headers["Content-Type"] == "application/json"
    assert request.headers["Authorization"] == f"Bearer {api.key}"
    assert json.loads(request.content) == {
        "count": 25,
        "search": search,
        "webhook_url": "https://hooks.example/done",
    }


async def test_create_with_similar_sends_no_search_key(api, router) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())

    await api.exports.create(count=5, similar={**SIMILAR, "domains": ("stripe.com",)})

    body = json.loads(route.calls.last.request.content)
    assert body == {"count": 5, "similar": {"domains": ["stripe.com"], "minScore": 0.5}}


async def test_create_with_search_sends_no_similar_or_webhook_key(api, router) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())

    await api.exports.create(count=5, search=SEARCH)

    assert json.loads(route.calls.last.request.content) == {"count": 5, "search": SEARCH}


async def test_create_returns_the_created_job(api, router) -> None:
    router.post(api.create_url).respond(
        200, json=api.bodies.created(status="processing", estimated_credits=42)
    )

    created = await api.exports.create(count=42, search=SEARCH)

    assert isinstance(created, CreatedExportJob)
    assert str(created.job_id) == api.job_id
    assert created.status is JobStatus.PROCESSING
    assert (created.requested_count, created.total_matching, created.estimated_credits) == (
        100,
        2345,
        42,
    )


async def test_created_job_without_status_is_pending(api, router) -> None:
    # The vendor's own example omits it.
    body = api.bodies.created()
    del body["status"]
    router.post(api.create_url).respond(200, json=body)

    created = await api.exports.create(count=1, search=SEARCH)

    assert created.status is JobStatus.PENDING


# --- list -----------------------------------------------------------------------------------


def _summaries(api, count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        api.bodies.summary(job_id=f"00000000-0000-0000-0000-{n:012d}")
        for n in range(start, start + count)
    ]


def _list_route(api):
    return api.router.get(api.list_url)


def _pages(api, *pages: httpx.Response):
    """A list route answering `pages` in order."""
    return _list_route(api).mock(side_effect=list(pages))


def _page(api, items, page: int, total_pages: int) -> httpx.Response:
    return httpx.Response(200, json=api.bodies.page(items, page=page, total_pages=total_pages))


async def test_list_fetches_pages_lazily(api) -> None:
    route = _pages(
        api,
        _page(api, _summaries(api, 2), page=1, total_pages=2),
        _page(api, _summaries(api, 1, start=2), page=2, total_pages=2),
    )

    jobs = api.list(page_size=2)
    # Nothing is fetched before iteration starts...
    assert route.call_count == 0
    first = await anext(jobs)
    assert route.call_count == 1
    # ...nor the second page while the first one still has items.
    second = await anext(jobs)
    assert route.call_count == 1
    third = await anext(jobs)
    assert route.call_count == 2
    with pytest.raises(StopAsyncIteration):
        await anext(jobs)

    assert [job.job_id.int for job in (first, second, third)] == [0, 1, 2]
    assert all(isinstance(job, ExportJobSummary) for job in (first, second, third))
    assert [call.request.url.params["page"] for call in route.calls] == ["1", "2"]


async def test_list_stops_at_total_pages(api) -> None:
    route = _pages(api, _page(api, _summaries(api, 2), page=1, total_pages=1))

    jobs = [job async for job in api.list()]

    assert len(jobs) == 2
    assert route.call_count == 1


async def test_list_stops_on_an_empty_page(api) -> None:
    # totalPages says 5, but an empty page means there is nothing more.
    route = _pages(
        api,
        _page(api, _summaries(api, 2), page=1, total_pages=5),
        _page(api, [], page=2, total_pages=5),
    )

    jobs = [job async for job in api.list()]

    assert len(jobs) == 2
    assert route.call_count == 2


async def test_list_stops_on_a_repeated_page_without_duplicates(api) -> None:
    # A server that ignores `page` would otherwise be paged through forever.
    route = _list_route(api).mock(
        side_effect=lambda request: _page(api, _summaries(api, 2), page=1, total_pages=3)
    )

    jobs = [job async for job in api.list()]

    assert [job.job_id.int for job in jobs] == [0, 1]
    assert route.call_count == 2


@pytest.mark.parametrize("status", ["completed", JobStatus.COMPLETED])
async def test_list_sends_status_and_page_size(api, status) -> None:
    route = _pages(api, _page(api, [], page=1, total_pages=0))

    _ = [job async for job in api.list(status=status, page_size=50)]

    params = route.calls.last.request.url.params
    assert dict(params) == {"page": "1", "pageSize": "50", "status": "completed"}


async def test_list_page_returns_one_typed_page(api) -> None:
    route = _pages(api, _page(api, _summaries(api, 3), page=2, total_pages=4))

    page = await api.exports.list_page(2, page_size=3, status="processing")

    assert isinstance(page, ExportJobPage)
    assert (page.page, page.total_pages, page.total_items) == (2, 4, 99)
    assert page.has_next
    assert len(page.items) == 3
    assert all(isinstance(item, ExportJobSummary) for item in page.items)
    assert dict(route.calls.last.request.url.params) == {
        "page": "2",
        "pageSize": "3",
        "status": "processing",
    }


async def test_list_page_without_arguments_sends_the_documented_defaults(api) -> None:
    route = _pages(api, _page(api, [], page=1, total_pages=0))

    await api.exports.list_page()

    assert dict(route.calls.last.request.url.params) == {"page": "1", "pageSize": "20"}


@pytest.mark.parametrize(
    "kwargs",
    [{"status": "cancelled"}, {"page_size": 0}, {"page_size": 101}, {"page_size": "10"}],
    ids=lambda kwargs: repr(kwargs),
)
async def test_list_arguments_are_checked_before_any_request(api, router, kwargs) -> None:
    with pytest.raises((ValueError, TypeError)):
        api.list(**kwargs)
    with pytest.raises((ValueError, TypeError)):
        await api.exports.list_page(**kwargs)
    assert router.calls.call_count == 0


# --- run ---------------------------------------------------------------------------------------


async def test_run_creates_waits_and_downloads(api, router, tmp_path) -> None:
    create = router.post(api.create_url).respond(200, json=api.bodies.created())
    status = router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(200, json=api.bodies.pending()),
            httpx.Response(200, json=api.bodies.job()),
        ]
    )
    storage = router.get(api.storage_url).respond(200, content=b"id\n1\n")
    seen: list[str] = []

    result = await api.exports.run(
        count=100,
        search=SEARCH,
        dest=tmp_path / "out.csv",
        on_progress=lambda job: seen.append(job.status.value),
    )

    assert isinstance(result, ExportResult)
    assert result.job.status is JobStatus.COMPLETED
    assert result.path == tmp_path / "out.csv"
    assert result.path.read_bytes() == b"id\n1\n"
    assert (create.call_count, status.call_count, storage.call_count) == (1, 2, 1)
    assert json.loads(create.calls.last.request.content) == {"count": 100, "search": SEARCH}
    assert seen == ["pending", "completed"]
    assert api.clock.sleeps == [1.0]


async def test_run_checks_the_destination_before_spending_credits(api, router, tmp_path) -> None:
    with pytest.raises(ValueError, match="does not exist"):
        await api.exports.run(count=1, search=SEARCH, dest=tmp_path / "missing" / "out.csv")
    assert router.calls.call_count == 0
