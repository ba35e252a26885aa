"""The client against every documented answer of GET /companies/search/async/{jobId}.

The statuses come from openapi.yaml, so a status added there without a
matching error class fails here; respx plays the API.
"""

from __future__ import annotations

import json
from typing import Any
from uuid import UUID

import httpx
import pytest
import respx

import companyenrich_export as ce

from _spec import GET_JOB_PATH, documented_statuses, seed_example_response

BASE_URL = "https://api.companyenrich.com"
API_KEY = "sk-contract-SECRET-42"
JOB_ID = UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
ROUTE = f"/companies/search/async/{JOB_ID}"

ERROR_CLASSES: dict[int, type[ce.APIStatusError]] = {
    400: ce.BadRequestError,
    401: ce.AuthenticationError,
    402: ce.PaymentRequiredError,
    404: ce.NotFoundError,
    422: ce.UnprocessableEntityError,
    429: ce.RateLimitError,
}
PROBLEM_CONTENT_TYPES = ("application/json", "application/problem+json")


def _client() -> ce.CompanyEnrich:
    # No retries: each test sees exactly the answer it staged.
    return ce.CompanyEnrich(api_key=API_KEY, base_url=BASE_URL, max_retries=0)


def _problem(status: int) -> dict[str, Any]:
    return {
        "type": f"https://docs.companyenrich.com/problems/{status}",
        "title": f"Title {status}",
        "status": status,
        "detail": f"Detail for {status}",
        "instance": ROUTE,
        "traceId": "00-abc-01",
    }


def test_every_documented_error_status_has_its_own_class() -> None:
    documented = [s for s in documented_statuses(GET_JOB_PATH, "get") if s >= 400]
    assert documented == sorted(ERROR_CLASSES), "spec and error classes disagree"


@pytest.mark.parametrize("content_type", PROBLEM_CONTENT_TYPES)
@pytest.mark.parametrize("status", sorted(ERROR_CLASSES))
def test_error_status_raises_its_class_with_problem_details(status: int, content_type: str) -> None:
    problem = _problem(status)
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        api.get(ROUTE).respond(
            status,
            content=json.dumps(problem).encode(),
            headers={"content-type": content_type, "x-request-id": "req-1"},
        )
        with pytest.raises(ce.APIStatusError) as caught:
            client.exports.get(JOB_ID)
    error = caught.value
    assert type(error) is ERROR_CLASSES[status]
    assert error.status_code == status
    assert (error.title, error.detail, error.type, error.instance) == (
        problem["title"],
        problem["detail"],
        problem["type"],
        problem["instance"],
    )
    assert error.problem["traceId"] == "00-abc-01"
    assert error.request_id == "00-abc-01"
    assert json.loads(error.body) == problem
    assert error.headers["x-request-id"] == "req-1"
    assert f"{status} Title {status}: Detail for {status}" == str(error)
    assert API_KEY not in str(error) + repr(error)


@pytest.mark.parametrize("status", sorted(ERROR_CLASSES))
def test_error_status_without_a_json_body_still_gets_its_class(status: int) -> None:
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        api.get(ROUTE).respond(status, text="<html>gateway says no</html>")
        with pytest.raises(ERROR_CLASSES[status]) as caught:
            client.exports.get(JOB_ID)
    assert caught.value.title is None
    assert caught.value.body == "<html>gateway says no</html>"
    assert "gateway says no" in str(caught.value)


def test_rate_limit_carries_retry_after() -> None:
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        api.get(ROUTE).respond(429, json=_problem(429), headers={"Retry-After": "12"})
        with pytest.raises(ce.RateLimitError) as caught:
            client.exports.get(JOB_ID)
    assert caught.value.retry_after == 12.0


def test_a_200_returns_the_job_with_every_field() -> None:
    body = {
        **seed_example_response(),
        "status": "completed",
        "requested_count": 100,
        "total_matching": 2345,
        "exported_count": 100,
        "credits_charged": 100,
        "results_url": "https://exports.example.com/3fa85f64.csv?sig=abc",
        "error_message": None,
    }
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        route = api.get(ROUTE).respond(200, json=body)
        job = client.exports.get(str(JOB_ID))
    sent = route.calls.last.request
    assert sent.headers["authorization"] == f"Bearer {API_KEY}"
    assert sent.headers["accept"] == "application/json"
    assert job.job_id == JOB_ID
    assert job.status is ce.JobStatus.COMPLETED
    assert (job.requested_count, job.total_matching, job.exported_count, job.credits_charged) == (
        100,
        2345,
        100,
        100,
    )
    assert job.created_at.isoformat() == "2026-02-17T02:04:03.743000+00:00"
    assert job.results_url == body["results_url"]
    assert job.is_terminal
    assert job.progress == 1.0


def test_the_vendors_own_example_is_reported_as_drift_for_its_missing_status() -> None:
    # The page's example omits `status`, which openapi.yaml requires (see its
    # ExportJob description); the client says so instead of guessing.
    example = seed_example_response()
    assert "status" not in example
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        api.get(ROUTE).respond(200, json=example)
        with pytest.raises(ce.ResponseValidationError) as caught:
            client.exports.get(JOB_ID)
    assert "missing required field 'status'" in str(caught.value)
    assert json.loads(caught.value.body) == example


def test_the_vendors_example_with_a_status_parses_except_its_placeholder_url() -> None:
    # "string" is the page's placeholder for results_url; it is not a URL a
    # download could use, so it is reported, and a real one is accepted.
    example = {**seed_example_response(), "status": "completed"}
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        route = api.get(ROUTE)
        route.respond(200, json=example)
        with pytest.raises(ce.ResponseValidationError, match="results_url"):
            client.exports.get(JOB_ID)
        route.respond(200, json={**example, "results_url": "https://files.example.com/a.csv"})
        job = client.exports.get(JOB_ID)
    assert job.error_message == "string"
    assert job.started_at == job.created_at == job.completed_at


def test_problem_json_is_what_the_accept_header_allows() -> None:
    accepted = {"application/json", "application/problem+json"}
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        route = api.get(ROUTE).respond(404, json=_problem(404))
        with pytest.raises(ce.NotFoundError):
            client.exports.get(JOB_ID)
    assert route.calls.last.request.headers["accept"] in accepted


def test_the_request_path_is_the_spec_path_with_the_job_id() -> None:
    with respx.mock(base_url=BASE_URL, assert_all_called=True) as api, _client() as client:
        api.get(url=httpx.URL(BASE_URL + ROUTE)).respond(404, json=_problem(404))
        with pytest.raises(ce.NotFoundError):
            client.exports.get(JOB_ID)
