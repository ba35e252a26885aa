"""Every kind of answer the fake gives is one the spec documents, in shape and type.

Each response is checked three ways: its status is documented for the
operation, its media type is documented for that status, and its body
validates against the documented schema (schemathesis `validate_response`).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any

import httpx
import pytest
import schemathesis
import yaml
from hypothesis import given
from hypothesis import strategies as st
from schemathesis.core.failures import FailureGroup

from companyenrich_export.testing import FakeCompanyEnrich, Fault, ManualClock

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
API_KEY = "test-key"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
CREATE = ("/companies/search/async", "POST")
LIST = ("/companies/search/async/jobs", "GET")
GET = ("/companies/search/async/{jobId}", "GET")
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
ACCEPTS = [None, "application/json", "application/problem+json", "*/*"]


@functools.cache
def _schema() -> Any:
    # Loaded on first use, not at import: every pytest-xdist worker imports this module.
    return schemathesis.openapi.from_path(SPEC_PATH)


RAW: dict[str, Any] = yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)


def documented_response(operation: tuple[str, str], status: int) -> dict[str, Any]:
    path, method = operation
    responses = RAW["paths"][path][method.lower()]["responses"]
    assert str(status) in responses, f"{status} is not documented for {method} {path}"
    response: dict[str, Any] = responses[str(status)]
    if "$ref" in response:
        response = RAW["components"]["responses"][response["$ref"].rsplit("/", 1)[1]]
    return response


def assert_matches_spec(operation: tuple[str, str], response: httpx.Response) -> httpx.Response:
    documented = documented_response(operation, response.status_code)
    media_type = response.headers["content-type"].split(";")[0].strip()
    assert media_type in documented.get("content", {}), (
        f"{media_type} is not documented for {response.status_code}"
    )
    for name in documented.get("headers", {}):
        value = response.headers.get(name)
        assert value is None or isinstance(value, str)
    path, method = operation
    _schema()[path][method].validate_response(response)  # raises on a schema violation
    return response


def call(
    fake: FakeCompanyEnrich,
    method: str,
    url: str,
    *,
    accept: str | None = None,
    auth: dict[str, str] | None = AUTH,
    **kwargs: Any,
) -> httpx.Response:
    headers = {**(auth or {}), **kwargs.pop("headers", {})}
    with httpx.Client(base_url=fake.base_url, transport=fake.transport()) as client:
        client.headers.pop("accept")
        if accept is not None:
            headers["accept"] = accept
        return client.request(method, url, headers=headers, **kwargs)


def get_job(fake: FakeCompanyEnrich, job_id: object, **kwargs: Any) -> httpx.Response:
    return call(fake, "GET", f"/companies/search/async/{job_id}", **kwargs)


# --- the status endpoint ---------------------------------------------------------

# Job settings, and the status each has 10 seconds after creation.
STATES: dict[str, tuple[dict[str, Any], str]] = {
    "pending": ({"pending_for": 60}, "pending"),
    "processing": ({"pending_for": 0, "processing_for": 60}, "processing"),
    "completing": ({"pending_for": 0, "processing_for": 0, "completing_for": 60}, "completing"),
    "completed": ({"pending_for": 0, "processing_for": 0, "completing_for": 0}, "completed"),
    "failed": ({"fail_with": "The search backend timed out.", "fail_after": 0}, "failed"),
    "short": ({"requested_count": 500, "total_matching": 7, "processing_for": 0}, "completed"),
    "empty": ({"requested_count": 0, "total_matching": 0}, "completed"),
}


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize("state", list(STATES))
def test_job_in_every_state(
    fake: FakeCompanyEnrich, clock: ManualClock, state: str, accept: str | None
) -> None:
    settings, expected = STATES[state]
    job_id = fake.add_job(**settings)
    clock.advance(10)
    response = assert_matches_spec(GET, get_job(fake, job_id, accept=accept))
    assert response.status_code == 200
    body = response.json()
    assert len(body) == 11
    assert body["status"] == expected


def test_the_spec_example_job(fake: FakeCompanyEnrich) -> None:
    job_id = fake.add_job(
        job_id="3fa85f64-5717-4562-b3fc-2c963f66afa6", pending_for=0, processing_for=0
    )
    fake.complete_now(job_id)
    assert_matches_spec(GET, get_job(fake, job_id))


@pytest.mark.parametrize("accept", ACCEPTS)
@pytest.mark.parametrize(
    ("setup", "status"),
    [
        (lambda fake: "not-a-uuid", 400),
        (lambda fake: UNKNOWN_ID, 404),
        (lambda fake: fake.add_job(owner_key="someone-else"), 404),
    ],
)
def test_job_errors(
    fake: FakeCompanyEnrich,
    setup: Callable[[FakeCompanyEnrich], object],
    status: int,
    accept: str | None,
) -> None:
    response = assert_matches_spec(GET, get_job(fake, setup(fake), accept=accept))
    assert response.status_code == status


@pytest.mark.parametrize("operation", [CREATE, LIST, GET])
@pytest.mark.parametrize("auth", [None, {"Authorization": "Bearer nope"}])
@pytest.mark.parametrize("accept", ACCEPTS)
def test_unauthorized_everywhere(
    fake: FakeCompanyEnrich,
    operation: tuple[str, str],
    auth: dict[str, str] | None,
    accept: str | None,
) -> None:
    path, method = operation
    url = path.replace("{jobId}", UNKNOWN_ID)
    response = call(fake, method, url, accept=accept, auth=auth or {}, json={"count": 1})
    assert assert_matches_spec(operation, response).status_code == 401


@pytest.mark.parametrize("operation", [CREATE, LIST, GET])
@pytest.mark.parametrize(
    "fault",
    [
        Fault.rate_limit("2"),
        Fault.rate_limit(datetime(2026, 2, 17, 3, 0, tzinfo=UTC)),
        Fault.rate_limit(None),
        Fault.problem(402, "Not enough credits."),
        Fault.problem(422, "Unprocessable."),
    ],
)
@pytest.mark.parametrize("accept", ["application/json", "application/problem+json"])
def test_injected_documented_errors(
    fake: FakeCompanyEnrich, operation: tuple[str, str], fault: Fault, accept: str
) -> None:
    path, method = operation
    fake.inject(fault)
    url = path.replace("{jobId}", UNKNOWN_ID)
    response = call(fake, method, url, accept=accept, json={"count": 1, "search": {}})
    assert assert_matches_spec(operation, response).status_code == fault.status
    assert response.headers["content-type"].startswith(accept)


# --- create --------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "status"),
    [
        ({"count": 10, "search": {"query": "robotics", "countries": ["DE"]}}, 200),
        (
            {
                "count": 3,
                "similar": {"domains": ["stripe.com"]},
                "webhook_url": "https://h.example",
            },
            200,
        ),
        ({"count": 50_000, "search": {}}, 200),
        ({"count": "ten", "search": {}}, 400),
        ([], 400),
        ({"count": 1, "search": {}, "similar": {"domains": ["a.com"]}}, 422),
        ({"count": 0, "search": {}}, 422),
    ],
)
@pytest.mark.parametrize("accept", ACCEPTS)
def test_create(fake: FakeCompanyEnrich, body: object, status: int, accept: str | None) -> None:
    response = call(fake, "POST", CREATE[0], accept=accept, json=body)
    assert assert_matches_spec(CREATE, response).status_code == status


def test_create_with_a_body_that_is_not_json(fake: FakeCompanyEnrich) -> None:
    response = call(
        fake, "POST", CREATE[0], content=b"{", headers={"content-type": "application/json"}
    )
    assert assert_matches_spec(CREATE, response).status_code == 400


# --- list ----------------------------------------------------------------------


@pytest.fixture
def many_jobs(fake: FakeCompanyEnrich, clock: ManualClock) -> FakeCompanyEnrich:
    for index in range(23):
        settings, _ = list(STATES.values())[index % len(STATES)]
        fake.add_job(**settings)
        clock.advance(1)
    fake.add_job(owner_key="someone-else")
    return fake


@pytest.mark.parametrize(
    "query",
    [
        {},
        {"page": 1, "pageSize": 10},
        {"page": 3, "pageSize": 10},
        {"page": 9, "pageSize": 10},
        {"pageSize": 100},
        {"pageSize": 1, "page": 23},
        *(
            {"status": status}
            for status in ("pending", "processing", "completing", "completed", "failed")
        ),
    ],
)
def test_list_pages(many_jobs: FakeCompanyEnrich, query: dict[str, object]) -> None:
    response = assert_matches_spec(LIST, call(many_jobs, "GET", LIST[0], params=query))
    assert response.status_code == 200
    for item in response.json()["items"]:
        assert len(item) == 9


@pytest.mark.parametrize("query", ["page=0", "pageSize=500", "status=done", "page=x"])
@pytest.mark.parametrize("accept", ACCEPTS)
def test_list_rejections(fake: FakeCompanyEnrich, query: str, accept: str | None) -> None:
    response = call(fake, "GET", f"{LIST[0]}?{query}", accept=accept)
    assert assert_matches_spec(LIST, response).status_code == 400


# --- any job, any moment ------------------------------------------------------------


@given(
    requested=st.integers(0, 50_000),
    matching=st.integers(0, 2**31 - 1),
    durations=st.tuples(*[st.floats(0, 100, allow_nan=False)] * 3),
    failure=st.none() | st.tuples(st.text(min_size=1, max_size=40), st.floats(0, 200)),
    elapsed=st.floats(0, 400, allow_nan=False),
    accept=st.sampled_from(ACCEPTS),
)
def test_any_job_at_any_moment(
    requested: int,
    matching: int,
    durations: tuple[float, float, float],
    failure: tuple[str, float] | None,
    elapsed: float,
    accept: str | None,
) -> None:
    clock = ManualClock()
    fake = FakeCompanyEnrich(API_KEY, clock=clock)
    job_id = fake.add_job(
        requested_count=requested,
        total_matching=matching,
        pending_for=durations[0],
        processing_for=durations[1],
        completing_for=durations[2],
        fail_with=failure[0] if failure else None,
        fail_after=failure[1] if failure else None,
    )
    clock.advance(elapsed)
    body = assert_matches_spec(GET, get_job(fake, job_id, accept=accept)).json()
    assert 0 <= body["exported_count"] <= min(requested, matching)
    assert body["credits_charged"] in (0, body["exported_count"])
    assert (body["results_url"] is not None) == (body["status"] == "completed")
    listed = assert_matches_spec(LIST, call(fake, "GET", LIST[0], accept=accept)).json()
    assert listed["items"][0]["status"] == body["status"]


# --- the checker itself can fail ------------------------------------------------------


@pytest.mark.parametrize(
    ("fault", "complaint"),
    [
        (Fault.malformed(b"{}", status=404, content_type="application/problem+json"), None),
        (Fault.malformed(b'{"job_id": "x"}'), "violates schema"),
        (Fault.malformed(b"[]", status=404, content_type="application/problem+json"), "violates"),
        (Fault.malformed(b"{}", status=503), "not documented"),
        (Fault.malformed(b"<html/>", status=404, content_type="text/html"), "not documented"),
    ],
)
def test_the_checker_catches_drift(
    fake: FakeCompanyEnrich, fault: Fault, complaint: str | None
) -> None:
    fake.inject(fault)
    response = get_job(fake, UNKNOWN_ID)
    if complaint is None:
        assert_matches_spec(GET, response)
        return
    # schemathesis raises one failure bare, several as a (Base)ExceptionGroup.
    with pytest.raises((AssertionError, FailureGroup)) as raised:
        assert_matches_spec(GET, response)
    assert complaint in str(raised.value) + "".join(
        str(inner) for inner in getattr(raised.value, "exceptions", ())
    )
