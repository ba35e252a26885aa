"""exports.iter_rows(): the results as records, straight from the link, sync and async.

The fake serves its realistic records in every format; what `iter_rows`
yields must be exactly the records it made, whatever the format, and a drop
mid-file must neither lose nor repeat a record.
"""

from __future__ import annotations

import inspect
from collections.abc import AsyncIterator, Iterator
from typing import Any

import httpx
import pytest

from companyenrich_export import (
    AsyncCompanyEnrich,
    CompanyEnrich,
    CompanyEnrichError,
    UnsupportedResultsFormatError,
)
from companyenrich_export.testing import RESULTS_FORMATS, FakeCompanyEnrich, Fault, ManualClock

from _rows_expect import expected_rows

pytestmark = pytest.mark.anyio

KEY = "test-key"


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


async def _collect(rows: Iterator[Any] | AsyncIterator[Any]) -> list[Any]:
    if inspect.isasyncgen(rows) or hasattr(rows, "__anext__"):
        return [row async for row in rows]  # type: ignore[union-attr]
    return list(rows)  # type: ignore[arg-type]


def _client(flavour: str, fake: FakeCompanyEnrich, clock: ManualClock) -> Any:
    if flavour == "async":
        return AsyncCompanyEnrich(
            api_key=KEY, http_client=httpx.AsyncClient(transport=fake.transport()), clock=clock
        )
    return CompanyEnrich(
        api_key=KEY, http_client=httpx.Client(transport=fake.transport()), clock=clock
    )


@pytest.fixture(params=["sync", "async"])
def flavour(request: pytest.FixtureRequest) -> str:
    return str(request.param)


def _done_job(fake: FakeCompanyEnrich, rows: int, results_format: str) -> Any:
    job_id = fake.add_job(requested_count=rows, rows=rows, results_format=results_format)
    fake.complete_now(job_id)
    return job_id


@pytest.mark.parametrize("results_format", RESULTS_FORMATS)
async def test_every_format_yields_exactly_the_records_the_fake_made(
    flavour: str, results_format: str
) -> None:
    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock)
    job_id = _done_job(fake, 120, results_format)
    client = _client(flavour, fake, clock)

    rows = await _collect(client.exports.iter_rows(job_id))

    assert rows == expected_rows(fake.results_file(job_id))
    assert len(rows) == 120
    assert isinstance(rows[0]["location"], dict)  # nested, whatever the format


@pytest.mark.parametrize("results_format", ["csv", "jsonl+gzip", "json"])
async def test_a_drop_mid_file_neither_loses_nor_repeats_a_record(
    flavour: str, results_format: str
) -> None:
    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock)
    job_id = _done_job(fake, 400, results_format)
    fake.inject(Fault.truncated_download(0.37))
    client = _client(flavour, fake, clock)

    rows = await _collect(client.exports.iter_rows(job_id))

    assert rows == expected_rows(fake.results_file(job_id))
    storage = [entry.status for entry in fake.request_log if entry.route == "storage"]
    assert storage[:2] == [200, 206]


async def test_a_file_that_changes_mid_read_is_refused(flavour: str) -> None:
    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock)
    job_id = _done_job(fake, 400, "jsonl")
    original = list(fake.results_file(job_id).records())
    fake.inject(Fault.truncated_download(0.5))
    client = _client(flavour, fake, clock)
    rows = client.exports.iter_rows(job_id)
    first = await rows.__anext__() if flavour == "async" else next(rows)
    assert first == original[0]

    # Before the rows reach the drop, the file is replaced: the resume finds another file.
    fake.replace_results(job_id)
    with pytest.raises(CompanyEnrichError, match="changed while its rows"):
        await _collect(rows)


async def test_an_unreadable_format_is_refused_naming_what_was_seen(flavour: str) -> None:
    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock)
    job_id = _done_job(fake, 5, "csv")
    results_url = fake.job_body(job_id)["results_url"]
    client = _client(flavour, fake, clock)

    def served_as_html(request: httpx.Request) -> httpx.Response:
        return httpx.Response(200, headers={"content-type": "text/html"}, content=b"<html>")

    # The same link, answered by a storage that sends HTML.
    transport = httpx.MockTransport(
        lambda request: (
            served_as_html(request) if str(request.url) == results_url else _forward(fake, request)
        )
    )
    if flavour == "async":
        client = AsyncCompanyEnrich(
            api_key=KEY, http_client=httpx.AsyncClient(transport=transport), clock=clock
        )
    else:
        client = CompanyEnrich(
            api_key=KEY, http_client=httpx.Client(transport=transport), clock=clock
        )

    with pytest.raises(UnsupportedResultsFormatError, match="text/html"):
        await _collect(client.exports.iter_rows(job_id))


def _forward(fake: FakeCompanyEnrich, request: httpx.Request) -> httpx.Response:
    with httpx.Client(transport=fake.transport()) as http:
        answer = http.send(request)
        answer.read()
        return httpx.Response(answer.status_code, headers=answer.headers, content=answer.content)


def test_bad_job_ids_are_refused_when_iter_rows_is_called() -> None:
    client = CompanyEnrich(
        api_key=KEY,
        http_client=httpx.Client(
            transport=httpx.MockTransport(lambda request: pytest.fail("nothing may be sent"))
        ),
    )
    with pytest.raises(ValueError, match="job_id"):
        client.exports.iter_rows("not-a-job")
