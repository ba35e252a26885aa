"""Every public error pickles to the same class with the same public fields, and no key.

Errors cross process boundaries: ProcessPoolExecutor, pytest-xdist and Celery
pickle them. Each case is made the way users meet it, by a real client call
(through an in-process transport) wherever one raises it, so the request
behind it really carried `Authorization: Bearer <key>`. The cases are
module-level functions so a spawned worker process can make them too.
"""

from __future__ import annotations

import multiprocessing
import os
import pickle
import tempfile
from collections.abc import Callable
from concurrent.futures import ProcessPoolExecutor
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import attrs
import httpx
import pytest

import companyenrich_export
from companyenrich_export import (
    AccountLimitError,
    APIConnectionError,
    APIStatusError,
    CompanyEnrich,
    CompanyEnrichError,
    CreditLimitError,
    DownloadInProgressError,
    DownloadTimeoutError,
    ExportEstimate,
    ExportJob,
    InsufficientCreditsError,
    JobFailedError,
    JobNotReadyError,
    JobStatus,
    PreflightRefusal,
    ResultsFileError,
    RetryPolicy,
    RowReader,
)
from companyenrich_export._core._redact import redact_url
from companyenrich_export.testing import ManualClock

KEY = "sk-pickle-9Hq3TzW"
JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
BASE_URL = "https://api.companyenrich.com"
STORAGE_URL = f"https://exports.example-storage.com/r/{JOB_ID}.csv?X-Amz-Signature=s1gn4ture"


def _problem(status: int, **extra: Any) -> dict[str, Any]:
    return {
        "type": f"https://docs.companyenrich.com/problems/{status}",
        "title": f"Title {status}",
        "status": status,
        "detail": f"Detail {status}",
        "instance": f"/companies/search/async/{JOB_ID}",
        "traceId": "trace-7",
        **extra,
    }


def _job(**fields: Any) -> dict[str, Any]:
    body = {
        "job_id": JOB_ID,
        "status": "pending",
        "requested_count": 10,
        "total_matching": 20,
        "exported_count": 0,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03Z",
        "started_at": None,
        "completed_at": None,
        "results_url": None,
        "error_message": None,
    }
    body.update(fields)
    return body


def _enrichment(**fields: Any) -> dict[str, Any]:
    body = {
        "job_id": JOB_ID,
        "status": "pending",
        "total_domains": 3,
        "success_count": 0,
        "failed_count": 0,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03Z",
        "error_message": "the enrichment service stopped",
    }
    body.update(fields)
    return body


def _answer(request: httpx.Request) -> httpx.Response:
    """The API for these cases: the job id's first group picks the answer."""
    cookie = {"Set-Cookie": "session=abc123; HttpOnly", "X-Request-Id": "req-1"}
    if request.url.host == "exports.example-storage.com":
        # Promises 100 bytes, delivers 3.
        return httpx.Response(
            200, headers={"Content-Length": "100"}, stream=httpx.ByteStream(b"abc")
        )
    status = int(request.headers.get("x-case-status", "200"))
    if status == 599:
        raise httpx.ConnectError("connection refused")
    if status == 598:
        raise httpx.ReadTimeout("timed out")
    if status == 200 and request.url.path.startswith("/companies/enrich/bulk/"):
        return httpx.Response(200, json=_enrichment(status=request.headers["x-case-job-status"]))
    if status == 200:
        return httpx.Response(200, json=_job(status=request.headers["x-case-job-status"]))
    if status == 299:
        return httpx.Response(200, json=_job(status="no-such-status"))
    extra: dict[str, Any] = {}
    if status == 422:
        extra["errors"] = {"count": ["must be at most 50000"]}
    headers = {**cookie, "Content-Type": "application/problem+json"}
    if status in (429, 503):
        headers["Retry-After"] = "61"
    return httpx.Response(status, json=_problem(status, **extra), headers=headers)


def _client(status: int, job_status: str = "pending") -> CompanyEnrich:
    http = httpx.Client(
        transport=httpx.MockTransport(_answer),
        headers={"x-case-status": str(status), "x-case-job-status": job_status},
    )
    return CompanyEnrich(
        api_key=KEY,
        http_client=http,
        clock=ManualClock(),
        retry_policy=RetryPolicy(max_retries=0),
    )


_ESTIMATE = ExportEstimate(count=500, matching=800_000, credits_remaining=300, async_limit=50_000)


def _raised(call: Callable[[], object]) -> CompanyEnrichError:
    try:
        call()
    except CompanyEnrichError as error:
        return error
    raise AssertionError("nothing was raised")


def _done_job(results_url: str = STORAGE_URL) -> ExportJob:
    return ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=10,
        total_matching=20,
        exported_count=10,
        credits_charged=10,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=results_url,
    )


# One folder per process: a download's scratch file is locked, and the parent
# and a worker process make the same cases at the same time. Removed when the
# process exits (the object's finalizer), not left in /tmp by every run.
_SCRATCH_FOLDER = tempfile.TemporaryDirectory(
    prefix="companyenrich-pickling-", ignore_cleanup_errors=True
)
_SCRATCH = _SCRATCH_FOLDER.name


def _scratch(name: str) -> str:
    # Never written: the download fails before its temporary file is renamed.
    return os.path.join(_SCRATCH, name)


def _status_case(status: int) -> Callable[[], CompanyEnrichError]:
    return lambda: _raised(lambda: _client(status).exports.get(JOB_ID))


def _read_a_cut_json_file() -> None:
    reader = RowReader(content_type="application/json", name="results.json")
    list(reader.feed(b'[{"id": 1}, {"id"'))
    reader.close()


CASES: dict[str, Callable[[], CompanyEnrichError]] = {
    "BadRequestError": _status_case(400),
    "AuthenticationError": _status_case(401),
    "PaymentRequiredError": _status_case(402),
    "NotFoundError": _status_case(404),
    "UnprocessableEntityError": _status_case(422),
    "RateLimitError": _status_case(429),
    "InternalServerError": _status_case(503),
    "APIStatusError": _status_case(403),
    "APIConnectionError": _status_case(599),
    "APITimeoutError": _status_case(598),
    "ResponseValidationError": _status_case(299),
    "IncompleteDownloadError": lambda: _raised(
        lambda: _client(200).exports.download(_done_job(), _scratch("never-complete.csv"))
    ),
    "ExportFailedError": lambda: _raised(
        lambda: _client(200, "failed").exports.wait(JOB_ID, timeout=60)
    ),
    "ExportNotReadyError": lambda: _raised(
        lambda: _client(200, "processing").exports.download(JOB_ID, _scratch("never.csv"))
    ),
    "EnrichmentFailedError": lambda: _raised(
        lambda: _client(200, "failed").enrichments.wait(JOB_ID, timeout=60)
    ),
    "EnrichmentNotReadyError": lambda: _raised(
        lambda: _client(200, "processing").enrichments.download(JOB_ID, _scratch("never.csv"))
    ),
    "JobFailedError": lambda: JobFailedError(
        attrs.evolve(_done_job(""), status=JobStatus.FAILED, error_message="out of credits")
    ),
    "JobNotReadyError": lambda: JobNotReadyError(_done_job(results_url="")),
    "WaitTimeoutError": lambda: _raised(
        lambda: _client(200, "processing").exports.wait(JOB_ID, timeout=5)
    ),
    "DownloadTimeoutError": lambda: DownloadTimeoutError(
        request=httpx.Request("GET", STORAGE_URL), timeout=5.0, received=3
    ),
    "DownloadInProgressError": lambda: DownloadInProgressError("/srv/exports/busy.csv"),
    "ResultsLinkError": lambda: _raised(
        lambda: _client(200).exports.download(
            _done_job("http://xn--zz.example/r.csv?sig=s1gn4ture"), _scratch("never-link.csv")
        )
    ),
    "JobsTimeoutError": lambda: _raised(
        lambda: list(_client(200, "processing").exports.as_completed([JOB_ID], timeout=5))
    ),
    "CompanyEnrichError": lambda: CompanyEnrichError("More than 5 redirects fetching the results."),
    # Pre-flight refusals carry the estimate they were made from.
    "CreditLimitError": lambda: CreditLimitError(_ESTIMATE, 100),
    "InsufficientCreditsError": lambda: InsufficientCreditsError(_ESTIMATE),
    "AccountLimitError": lambda: AccountLimitError(
        ExportEstimate(count=5_000, matching=9_000, credits_remaining=50_000, async_limit=1_000)
    ),
    "PreflightRefusal": lambda: PreflightRefusal("Export not created: not confirmed.", _ESTIMATE),
    "UnsupportedResultsFormatError": lambda: _raised(
        lambda: RowReader(content_type="text/html; charset=utf-8", name="results.html")
    ),
    "MalformedResultsError": lambda: _raised(_read_a_cut_json_file),
    "ResultsFileError": lambda: ResultsFileError("A results file that cannot be read."),
}

PUBLIC_FIELDS = (
    "message",
    "args",
    "status_code",
    "body",
    "problem",
    "title",
    "detail",
    "type",
    "instance",
    "errors",
    "retry_after",
    "request_id",
    "never_sent",
    "received",
    "expected",
    "job",
    "job_id",
    "error_message",
    "timeout",
    "content_type",
    "content_encoding",
    "name",
    "format",
    "record",
    "offset",
    "estimate",
    "max_credits",
    "limit",
    "path",
)


def make_case(name: str) -> CompanyEnrichError:
    return CASES[name]()


def raise_case(name: str) -> None:
    """Run in a worker process: raise the case, for the pool to pickle back."""
    raise make_case(name)


def pickle_case(name: str) -> bytes:
    """Run in a worker process: the bytes the pool would carry for this case."""
    return pickle.dumps(make_case(name))


def fields_of(error: BaseException) -> dict[str, Any]:
    fields = {name: getattr(error, name) for name in PUBLIC_FIELDS if hasattr(error, name)}
    if isinstance(error, APIStatusError):
        fields["headers"] = sorted(error.headers.multi_items())
        fields["response.status_code"] = error.response.status_code
    if isinstance(error, APIConnectionError):
        fields["request.method"] = error.request.method
        fields["request.url"] = str(error.request.url).partition("?")[0]
    return fields


def expected_fields(original: BaseException) -> dict[str, Any]:
    fields = fields_of(original)
    if isinstance(original, APIConnectionError):
        # The stand-in request keeps the method and the URL without its query.
        fields["request.url"] = redact_url(original.request.url).partition("?")[0]
    return fields


def public_error_classes() -> list[str]:
    return sorted(
        name
        for name in companyenrich_export.__all__
        if isinstance(getattr(companyenrich_export, name), type)
        and issubclass(getattr(companyenrich_export, name), CompanyEnrichError)
    )


def test_every_public_error_class_has_a_case() -> None:
    assert sorted(CASES) == public_error_classes()


@pytest.mark.parametrize("name", sorted(CASES))
def test_each_case_is_made_as_users_meet_it(name: str) -> None:
    error = make_case(name)
    assert type(error).__name__ == name
    if isinstance(error, APIStatusError | APIConnectionError):
        # Made by a real call: the request behind it carried the key (to the API's
        # own origin; the storage host of a results link never gets it).
        request = error.response.request if isinstance(error, APIStatusError) else error.request
        expected = f"Bearer {KEY}" if request.url.host == "api.companyenrich.com" else None
        assert request.headers.get("authorization") == expected


@pytest.mark.parametrize("name", sorted(CASES))
def test_an_error_pickles_to_the_same_class_and_fields_without_the_key(name: str) -> None:
    error = make_case(name)

    data = pickle.dumps(error)
    restored = pickle.loads(data)  # noqa: S301 - our own bytes

    assert KEY.encode() not in data
    assert b"Bearer" not in data
    assert b"s1gn4ture" not in data
    assert b"session=abc123" not in data
    assert type(restored) is type(error)
    assert fields_of(restored) == expected_fields(error)
    assert str(restored) == str(error)
    assert repr(restored) == repr(error)


def test_a_status_error_keeps_its_headers_but_not_cookies() -> None:
    error = make_case("RateLimitError")
    assert isinstance(error, APIStatusError)

    restored = pickle.loads(pickle.dumps(error))  # noqa: S301 - our own bytes

    assert restored.headers["x-request-id"] == "req-1"
    assert "set-cookie" not in restored.headers
    assert restored.retry_after == 61.0
    assert restored.request_id == "trace-7"
    assert restored.response.request.method == "GET"
    assert "authorization" not in restored.response.request.headers


def test_a_pickled_error_pickles_again() -> None:
    error = make_case("UnprocessableEntityError")
    twice = pickle.loads(pickle.dumps(pickle.loads(pickle.dumps(error))))  # noqa: S301
    assert fields_of(twice) == fields_of(error)


@pytest.fixture(scope="module")
def pool() -> Any:
    # spawn: a fresh interpreter, as on macOS and Windows, and no fork of pytest's threads.
    with ProcessPoolExecutor(max_workers=1, mp_context=multiprocessing.get_context("spawn")) as p:
        yield p


@pytest.mark.slow
def test_errors_raised_in_a_worker_process_reach_the_parent_intact(pool: Any) -> None:
    names = sorted(CASES)
    raised = {name: pool.submit(raise_case, name) for name in names}
    carried = {name: pool.submit(pickle_case, name) for name in names}

    for name in names:
        error = raised[name].exception(timeout=60)
        # Not BrokenProcessPool, not a PicklingError: the error itself.
        assert type(error).__name__ == name, repr(error)
        expected = expected_fields(make_case(name))
        assert fields_of(error) == expected, name
        data = carried[name].result(timeout=60)
        assert KEY.encode() not in data, name
        assert fields_of(pickle.loads(data)) == expected, name  # noqa: S301 - our own bytes
