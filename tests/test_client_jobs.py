"""client.jobs: the account-wide list (`/jobs`) and one job (`/jobs/{jobId}`), sync and async."""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator
from typing import Any
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    AccountJob,
    AccountJobPage,
    JobStatus,
    NotFoundError,
    ResponseValidationError,
)

pytestmark = pytest.mark.anyio

JOBS_URL = "https://api.companyenrich.com/jobs"


def _item(number: int = 0, **fields: Any) -> dict[str, Any]:
    body: dict[str, Any] = {
        "id": str(UUID(int=number)),
        "type": "bulk_enrichment",
        "status": "completed",
        "title": f"Bulk enrichment of {number} domains",
        "created_at": "2026-02-17T02:04:03.743Z",
        "started_at": "2026-02-17T02:04:05.120Z",
        "completed_at": "2026-02-17T02:05:41.004Z",
        "credits_charged": 12,
        "error_message": None,
    }
    body.update(fields)
    return body


def _page(items: list[dict[str, Any]], *, page: int = 1, total_pages: int = 1) -> httpx.Response:
    return httpx.Response(
        200, json={"items": items, "page": page, "totalPages": total_pages, "totalItems": 9}
    )


async def _call(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def _each(iterator: Any) -> AsyncIterator[Any]:
    if hasattr(iterator, "__aiter__"):
        async for item in iterator:
            yield item
    else:
        for item in iterator:
            yield item


async def test_an_account_job_echoing_the_key_keeps_ids_and_dates_as_sent(api) -> None:
    echoed = _item(7, status="failed", title="Export for sk-live-SECRET123")
    echoed["error_message"] = "key sk-live-SECRET123 is over quota"
    # An undocumented type is kept as sent, so it is the server's words too.
    echoed["type"] = "sk-live-SECRET123"
    api.router.get(JOBS_URL).mock(return_value=_page([echoed]))

    (job,) = [job async for job in _each(api.client.jobs.list())]

    assert job.title == "Export for [redacted]"
    assert job.error_message == "key [redacted] is over quota"
    assert job.type == "[redacted]"
    assert job.id == UUID(int=7)
    assert "SECRET123" not in repr(job)


async def test_list_pages_lazily_with_the_filters_it_was_given(api) -> None:
    route = api.router.get(JOBS_URL).mock(
        side_effect=[
            _page([_item(0), _item(1, type="company_export")], page=1, total_pages=2),
            _page([_item(2, status="failed", error_message="boom")], page=2, total_pages=2),
        ]
    )
    jobs = _each(api.client.jobs.list(type="bulk_enrichment", status="completed", page_size=2))
    assert route.call_count == 0  # nothing before iterating
    first = await anext(jobs)
    assert route.call_count == 1
    rest = [job async for job in jobs]
    assert route.call_count == 2
    assert [job.id.int for job in (first, *rest)] == [0, 1, 2]
    assert all(isinstance(job, AccountJob) for job in (first, *rest))
    # An undocumented type is kept as the server wrote it, not refused.
    assert rest[0].type == "company_export"
    assert rest[1].error_message == "boom"
    assert rest[1].status is JobStatus.FAILED
    params = [dict(call.request.url.params) for call in route.calls]
    assert params == [
        {"page": "1", "pageSize": "2", "status": "completed", "type": "bulk_enrichment"},
        {"page": "2", "pageSize": "2", "status": "completed", "type": "bulk_enrichment"},
    ]


async def test_list_stops_on_a_repeated_page(api) -> None:
    route = api.router.get(JOBS_URL).mock(
        side_effect=lambda request: _page([_item(0)], page=1, total_pages=3)
    )
    jobs = [job async for job in _each(api.client.jobs.list())]
    assert [job.id.int for job in jobs] == [0]
    assert route.call_count == 2


async def test_list_page_reads_one_page(api) -> None:
    api.router.get(JOBS_URL).mock(return_value=_page([_item(3)], page=4, total_pages=5))
    page = await _call(api.client.jobs.list_page(4))
    assert isinstance(page, AccountJobPage)
    assert (page.page, page.total_pages, page.total_items, page.has_next) == (4, 5, 9, True)
    assert page.items[0].title == "Bulk enrichment of 3 domains"
    assert page.items[0].credits_charged == 12


@pytest.mark.parametrize(
    ("kwargs", "error", "mentioned"),
    [
        ({"status": "done"}, ValueError, "status"),
        ({"type": ""}, ValueError, "type"),
        ({"type": "bulk\nenrichment"}, ValueError, "type"),
        ({"type": 3}, TypeError, "type"),
        ({"page_size": 0}, ValueError, "page_size"),
        ({"page_size": 101}, ValueError, "page_size"),
        ({"timeout": -1}, ValueError, "timeout"),
    ],
)
async def test_list_checks_its_arguments_before_any_request(api, kwargs, error, mentioned) -> None:
    with pytest.raises(error, match=mentioned):
        api.client.jobs.list(**kwargs)
    with pytest.raises(error, match=mentioned):
        await _call(api.client.jobs.list_page(1, **kwargs))
    assert api.router.calls.call_count == 0


async def test_get_reads_one_job_of_any_kind(api) -> None:
    job_id = UUID(int=7)
    route = api.router.get(f"{JOBS_URL}/{job_id}").respond(
        200, json=_item(7, type="people_export", title=None, credits_charged=None)
    )
    job = await _call(api.client.jobs.get(str(job_id)))
    assert (job.id, job.job_id, job.type, job.title, job.credits_charged) == (
        job_id,
        job_id,
        "people_export",
        None,
        None,
    )
    assert route.calls.last.request.headers["authorization"] == f"Bearer {api.key}"
    # The job itself is a job reference too.
    again = await _call(api.client.jobs.get(job))
    assert again == job


async def test_get_refuses_a_bad_id_and_an_answer_about_another_job(api) -> None:
    with pytest.raises(ValueError, match="job_id"):
        await _call(api.client.jobs.get("not-a-uuid"))
    assert api.router.calls.call_count == 0
    job_id = UUID(int=7)
    api.router.get(f"{JOBS_URL}/{job_id}").respond(200, json=_item(8))
    with pytest.raises(ResponseValidationError, match="asked for job"):
        await _call(api.client.jobs.get(job_id))


async def test_get_of_a_missing_job_is_not_found(api) -> None:
    job_id = UUID(int=9)
    api.router.get(f"{JOBS_URL}/{job_id}").respond(404, json={"title": "Not Found"})
    with pytest.raises(NotFoundError):
        await _call(api.client.jobs.get(job_id))


@pytest.mark.parametrize(
    ("fields", "mentioned"),
    [
        ({"id": None}, "id"),
        ({"type": ""}, "type"),
        ({"type": 5}, "type"),
        ({"status": "done"}, "done"),
        ({"credits_charged": -1}, "credits_charged"),
        ({"credits_charged": "3"}, "credits_charged"),
        ({"created_at": "yesterday"}, "'yesterday'"),  # quoted as sent
        ({"title": 5}, "title"),
    ],
)
async def test_a_broken_item_is_a_response_validation_error(api, fields, mentioned) -> None:
    api.router.get(JOBS_URL).mock(return_value=_page([_item(0), _item(1, **fields)]))
    with pytest.raises(ResponseValidationError, match=mentioned) as caught:
        await _call(api.client.jobs.list_page())
    assert "items[1]" in str(caught.value)
    assert api.key not in str(caught.value)


async def test_repr_names_the_host_only(api) -> None:
    assert repr(api.client.jobs).endswith("(base_url='https://api.companyenrich.com')")
