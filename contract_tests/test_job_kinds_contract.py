"""Bulk enrichment and the account-wide job list: the fake, the spec and the client agree.

* Every answer the fake gives on the five new operations (each documented
  status, both problem media types) validates against openapi.yaml.
* The respx matrix: every documented error status of every new operation
  becomes its own error class through the request and parser a kind uses.
* Bodies drawn from the spec's schemas parse field by field; broken ones
  raise ResponseValidationError and nothing else.
* Generated job ids reach the seeded jobs of both new GET paths.
"""

from __future__ import annotations

import json
from collections import Counter
from collections.abc import Callable
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
import respx
import schemathesis
from _schemathesis_support import (
    ACCOUNT_JOB_PATH,
    BULK_JOB_PATH,
    SeededFake,
    for_the_fake,
    load_schema,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from schemathesis.generation.case import Case
from schemathesis.python import asgi

import companyenrich_export as ce
from companyenrich_export._core import _operations
from companyenrich_export._core._operations import ApiRequest
from companyenrich_export._jobs import _enrichment_models, _kinds
from companyenrich_export.testing import FakeCompanyEnrich, Fault, ManualClock

from _spec import SPEC_PATH, component_schema, documented_statuses

API_KEY = "test-key"
BASE_URL = "https://api.companyenrich.com"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
JOB_ID = UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
SCHEMA = schemathesis.openapi.from_path(SPEC_PATH)

# (spec path, method, the request the client builds for it)
OPERATIONS: dict[str, tuple[str, str, ApiRequest]] = {
    "createBulkEnrichmentJob": (
        "/companies/enrich/bulk",
        "post",
        _operations.create_bulk_enrichment(_kinds.enrichment_body(domains=["stripe.com"])),
    ),
    "getBulkEnrichmentJob": (
        "/companies/enrich/bulk/{jobId}",
        "get",
        _operations.get_bulk_enrichment(JOB_ID),
    ),
    "listBulkEnrichmentJobs": (
        "/companies/enrich/bulk/jobs",
        "get",
        _operations.list_bulk_enrichments(page=1, page_size=20, status=None),
    ),
    "listAccountJobs": (
        "/jobs",
        "get",
        _operations.list_account_jobs(page=1, page_size=20, status=None, job_type=None),
    ),
    "getAccountJob": ("/jobs/{jobId}", "get", _operations.get_account_job(JOB_ID)),
}
ERROR_CLASSES: dict[int, type[ce.APIStatusError]] = {
    400: ce.BadRequestError,
    401: ce.AuthenticationError,
    402: ce.PaymentRequiredError,
    404: ce.NotFoundError,
    422: ce.UnprocessableEntityError,
    429: ce.RateLimitError,
}


# --- the fake's answers match the spec ------------------------------------------------


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeCompanyEnrich:
    return FakeCompanyEnrich(API_KEY, clock=clock, seed=21)


def _call(
    fake: FakeCompanyEnrich,
    method: str,
    url: str,
    *,
    auth: dict[str, str] | None = AUTH,
    accept: str | None = None,
    **kwargs: Any,
) -> httpx.Response:
    headers = dict(auth or {})
    if accept is not None:
        headers["accept"] = accept
    with httpx.Client(base_url=fake.base_url, transport=fake.transport()) as client:
        return client.request(method, url, headers=headers, **kwargs)


def _matches(path: str, method: str, response: httpx.Response) -> httpx.Response:
    assert response.status_code in documented_statuses(path, method.lower()), response.text
    SCHEMA[path][method.upper()].validate_response(response)
    return response


@pytest.mark.parametrize("accept", [None, "application/json", "application/problem+json"])
def test_every_bulk_answer_of_the_fake_matches_the_spec(
    fake: FakeCompanyEnrich, clock: ManualClock, accept: str | None
) -> None:
    create, get, jobs = "/companies/enrich/bulk", BULK_JOB_PATH, "/companies/enrich/bulk/jobs"
    created = _matches(
        create,
        "post",
        _call(fake, "POST", create, json={"domains": ["Stripe.com", "a.test"]}, accept=accept),
    ).json()
    assert created["total_domains"] == 2
    job_id = created["job_id"]
    for seconds in (0.0, 1.5, 3.0, 5.0):
        clock.advance(seconds)
        _matches(get, "get", _call(fake, "GET", f"{create}/{job_id}", accept=accept))
        _matches(jobs, "get", _call(fake, "GET", jobs, accept=accept))
    assert fake.status(job_id) == "completed"
    for body, status in (
        ({"domains": []}, 422),
        ({"domains": [""]}, 422),
        ({"domains": ["a.com"] * 10_001}, 422),
        ({"domains": "a.com"}, 400),
        ({"domains": [1]}, 400),
        ({}, 400),
        ({"domains": ["a.com"], "webhook_url": "ftp://x"}, 422),
    ):
        answer = _call(fake, "POST", create, json=body, accept=accept)
        assert answer.status_code == status, body
        _matches(create, "post", answer)
    for url, status in ((f"{create}/{UNKNOWN_ID}", 404), (f"{create}/nope", 400)):
        answer = _call(fake, "GET", url, accept=accept)
        assert answer.status_code == status
        _matches(get, "get", answer)
    answer = _call(fake, "GET", jobs, params={"status": "done"}, accept=accept)
    assert answer.status_code == 400
    _matches(jobs, "get", answer)
    _matches(jobs, "get", _call(fake, "GET", jobs, auth=None, accept=accept))


@pytest.mark.parametrize("accept", [None, "application/problem+json"])
def test_every_account_list_answer_of_the_fake_matches_the_spec(
    fake: FakeCompanyEnrich, clock: ManualClock, accept: str | None
) -> None:
    export = fake.add_job(requested_count=5)
    enrichment = fake.add_enrichment_job(["stripe.com"])
    fake.add_enrichment_job(owner_key="someone-else")
    fake.fail_now(export, "broken")
    page = _matches("/jobs", "get", _call(fake, "GET", "/jobs", accept=accept)).json()
    assert [item["id"] for item in page["items"]] == [str(enrichment), str(export)]
    assert {item["type"] for item in page["items"]} == {"bulk_enrichment", "company_export"}
    only = _call(fake, "GET", "/jobs", params={"type": "bulk_enrichment"}, accept=accept)
    assert [item["id"] for item in _matches("/jobs", "get", only).json()["items"]] == [
        str(enrichment)
    ]
    failed = _call(fake, "GET", "/jobs", params={"status": "failed"}, accept=accept).json()
    assert [item["error_message"] for item in failed["items"]] == ["broken"]
    for job_id in (export, enrichment):
        one = _matches(ACCOUNT_JOB_PATH, "get", _call(fake, "GET", f"/jobs/{job_id}"))
        assert one.json()["id"] == str(job_id)
    for url, status in ((f"/jobs/{UNKNOWN_ID}", 404), ("/jobs/nope", 400)):
        answer = _call(fake, "GET", url, accept=accept)
        assert answer.status_code == status
        _matches(ACCOUNT_JOB_PATH, "get", answer)
    for params in ({"type": ""}, {"pageSize": "101"}, {"type": ["a", "b"]}):
        answer = _call(fake, "GET", "/jobs", params=params, accept=accept)
        assert answer.status_code == 400, params
        _matches("/jobs", "get", answer)


@pytest.mark.parametrize("operation", sorted(OPERATIONS))
def test_an_injected_rate_limit_on_every_new_operation_is_documented(
    fake: FakeCompanyEnrich, operation: str
) -> None:
    path, method, request = OPERATIONS[operation]
    fake.inject(Fault.rate_limit(retry_after="3"))
    answer = _call(fake, request.method, request.path, params=request.params, json=request.json)
    assert answer.status_code == 429
    _matches(path, method, answer)


def test_results_of_a_bulk_job_are_company_records_of_its_domains(
    fake: FakeCompanyEnrich, clock: ManualClock
) -> None:
    domains = ["stripe.com", "example.test", "openai.com", "not a domain", "github.com"]
    job_id = fake.add_enrichment_job(domains, pending_for=0, processing_for=10, completing_for=1)
    clock.advance(4)
    midway = fake.job_body(job_id)
    assert (midway["status"], midway["success_count"], midway["failed_count"]) == (
        "processing",
        1,
        1,
    )
    clock.advance(7)
    done = fake.job_body(job_id)
    assert done["status"] == "completed"
    assert (done["success_count"], done["failed_count"], done["credits_charged"]) == (3, 2, 3)
    records = list(fake.enrichment_records(job_id))
    assert [record["domain"] for record in records] == ["stripe.com", "openai.com", "github.com"]
    assert all(record["name"] and record["location"] for record in records)
    with httpx.Client(transport=fake.transport()) as storage:
        served = storage.get(done["results_url"])
    assert served.status_code == 200
    assert served.text.count("\r\n") == 1 + 3  # a header and one row per enriched domain


# --- the respx matrix: documented statuses to error classes ---------------------------


def _send(request: ApiRequest) -> bytes:
    """The request sent the way the client sends every call; the successful body."""
    with ce.CompanyEnrich(api_key="sk-contract-SECRET-42", base_url=BASE_URL, max_retries=0) as c:
        return c.jobs._http.call(request, timeout=httpx.Timeout(5.0)).body


def test_every_new_operation_documents_the_error_statuses_we_have_classes_for() -> None:
    for path, method, _ in OPERATIONS.values():
        documented = [s for s in documented_statuses(path, method) if s >= 400]
        assert set(documented) <= set(ERROR_CLASSES), (path, documented)
        assert {400, 401, 402, 422, 429} <= set(documented), path


@pytest.mark.parametrize("content_type", ["application/json", "application/problem+json"])
@pytest.mark.parametrize(
    ("operation", "status"),
    [
        (operation, status)
        for operation, (path, method, _) in sorted(OPERATIONS.items())
        for status in documented_statuses(path, method)
        if status >= 400
    ],
)
def test_each_documented_error_raises_its_class(
    operation: str, status: int, content_type: str
) -> None:
    _, _, request = OPERATIONS[operation]
    problem = {"title": f"Title {status}", "status": status, "detail": "no", "traceId": "t-1"}
    with respx.mock(base_url=BASE_URL) as api:
        api.route(method=request.method, path=request.path).respond(
            status, content=json.dumps(problem).encode(), headers={"content-type": content_type}
        )
        with pytest.raises(ce.APIStatusError) as caught:
            _send(request)
    assert type(caught.value) is ERROR_CLASSES[status]
    assert caught.value.title == f"Title {status}"
    assert "sk-contract-SECRET-42" not in str(caught.value) + repr(caught.value)


def test_the_client_sends_what_the_spec_says() -> None:
    sent: list[httpx.Request] = []
    with (
        respx.mock(base_url=BASE_URL) as api,
        ce.CompanyEnrich(api_key="k", base_url=BASE_URL, max_retries=0) as client,
    ):
        api.get("/jobs").mock(side_effect=lambda r: sent.append(r) or httpx.Response(404))
        with pytest.raises(ce.NotFoundError):
            client.jobs.list_page(2, page_size=50, status="failed", type="bulk_enrichment")
    assert dict(sent[0].url.params) == {
        "page": "2",
        "pageSize": "50",
        "status": "failed",
        "type": "bulk_enrichment",
    }
    body = _kinds.enrichment_body(domains=[" HTTPS://www.Stripe.com/x ", "stripe.com", "b.io"])
    create = _operations.create_bulk_enrichment(body)
    assert (create.method, create.path, create.json) == (
        "POST",
        "/companies/enrich/bulk",
        {"domains": ["stripe.com", "b.io"]},
    )


# --- bodies from the spec's schemas ------------------------------------------------

uuids = {"uuid": st.uuids().map(str)}
# The profile's examples (conftest.py).
contract_settings = settings(
    suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.filter_too_much]
)


def _small_pages(name: str) -> dict[str, Any]:
    schema = component_schema(name)
    items = {**schema["properties"]["items"], "maxItems": 3}
    return {**schema, "properties": {**schema["properties"], "items": items}}


def _instant(text: str) -> datetime:
    parsed = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


PARSERS: dict[str, tuple[dict[str, Any], Callable[[bytes], Any]]] = {
    "BulkEnrichmentJob": (
        component_schema("BulkEnrichmentJob"),
        lambda body: _enrichment_models.parse_enrichment_job(body),
    ),
    "CreatedBulkEnrichmentJob": (
        component_schema("CreatedBulkEnrichmentJob"),
        lambda body: _enrichment_models.parse_enrichment_created(body),
    ),
    "BulkEnrichmentJobPage": (
        _small_pages("BulkEnrichmentJobPage"),
        lambda body: _enrichment_models.parse_enrichment_page(body),
    ),
    "AccountJob": (
        component_schema("AccountJob"),
        lambda body: _enrichment_models.parse_account_job(body),
    ),
    "AccountJobPage": (
        _small_pages("AccountJobPage"),
        lambda body: _enrichment_models.parse_account_page(body),
    ),
}


def test_a_valid_enrichment_job_parses_field_by_field() -> None:
    @contract_settings
    @given(from_schema(component_schema("BulkEnrichmentJob"), custom_formats=uuids))
    def check(body: dict[str, Any]) -> None:
        job = _enrichment_models.parse_enrichment_job(
            json.dumps(body).encode(), expected_job_id=UUID(body["job_id"])
        )
        assert job.status.value == body["status"]
        for name in ("total_domains", "success_count", "failed_count", "credits_charged"):
            assert getattr(job, name) == body[name], name
        assert job.created_at == _instant(body["created_at"])
        assert job.results_url == body.get("results_url")
        assert job.error_message == body.get("error_message")

    check()


def test_a_valid_account_job_parses_field_by_field() -> None:
    @contract_settings
    @given(from_schema(component_schema("AccountJob"), custom_formats=uuids))
    def check(body: dict[str, Any]) -> None:
        job = _enrichment_models.parse_account_job(json.dumps(body).encode())
        assert job.id == job.job_id == UUID(body["id"])
        assert job.type == body["type"]
        assert job.status.value == body["status"]
        assert job.title == body.get("title")
        assert job.credits_charged == body.get("credits_charged")
        assert job.created_at == _instant(body["created_at"])

    check()


@pytest.mark.slow
@pytest.mark.parametrize("name", sorted(PARSERS))
def test_bodies_from_the_schema_parse_or_raise_only_response_validation_error(name: str) -> None:
    schema, parse = PARSERS[name]
    outcomes: Counter[str] = Counter()

    @contract_settings
    @given(body=from_schema(schema, custom_formats=uuids), data=st.data())
    def check(body: dict[str, Any], data: st.DataObject) -> None:
        # As drawn (valid by the spec), or with one member broken or removed.
        damage = data.draw(st.sampled_from(["none", "drop", "garble", "text"]), label="damage")
        keys = sorted(body)
        if damage != "none" and keys:
            key = data.draw(st.sampled_from(keys), label="key")
            if damage == "drop":
                del body[key]
            else:
                body[key] = data.draw(
                    st.one_of(st.text(), st.integers(), st.booleans(), st.none(), st.just([{}]))
                )
        raw = json.dumps(body).encode() if damage != "text" else json.dumps(body).encode()[:-1]
        try:
            parse(raw)
        except ce.ResponseValidationError:
            outcomes["refused"] += 1
        else:
            outcomes["parsed"] += 1

    check()
    assert outcomes["parsed"] > 0, outcomes
    assert outcomes["refused"] > 0, outcomes


def test_an_answer_about_another_job_is_refused() -> None:
    body = {
        "job_id": UNKNOWN_ID,
        "status": "pending",
        "total_domains": 1,
        "success_count": 0,
        "failed_count": 0,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03.743Z",
    }
    with pytest.raises(ce.ResponseValidationError, match="asked for job"):
        _enrichment_models.parse_enrichment_job(json.dumps(body), expected_job_id=JOB_ID)
    account = {"id": UNKNOWN_ID, "type": "x", "status": "failed", "created_at": body["created_at"]}
    with pytest.raises(ce.ResponseValidationError, match="asked for job"):
        _enrichment_models.parse_account_job(json.dumps(account), expected_job_id=JOB_ID)


def test_a_bulk_list_item_needs_only_an_id_and_a_status() -> None:
    page = {"items": [{"job_id": UNKNOWN_ID, "status": "processing", "x": 1}], "page": 1}
    parsed = _enrichment_models.parse_enrichment_page(
        json.dumps({**page, "totalPages": 1, "totalItems": 1})
    )
    assert parsed.items[0].total_domains is None
    assert parsed.items[0].status is ce.JobStatus.PROCESSING
    for item in ({"status": "pending"}, {"job_id": UNKNOWN_ID}):
        with pytest.raises(ce.ResponseValidationError, match=r"items\[0\]"):
            _enrichment_models.parse_enrichment_page(
                json.dumps({"items": [item], "page": 1, "totalPages": 1, "totalItems": 1})
            )


# --- schemathesis reaches the seeded jobs of the new GET paths --------------------------

SEEDED = SeededFake()
STEERED = load_schema(SEEDED.fake, SEEDED, max_examples=30, cover_create=False)


@pytest.mark.parametrize("path", [BULK_JOB_PATH, ACCOUNT_JOB_PATH])
def test_generated_job_ids_reach_seeded_jobs_of_both_kinds(path: str) -> None:
    session = for_the_fake(asgi.get_client(SEEDED.fake))
    statuses: Counter[int] = Counter()

    @settings(max_examples=30, derandomize=True, database=None, deadline=None)
    @given(case=STEERED[path]["GET"].as_strategy())
    def run(case: Case) -> None:
        statuses[case.call(session=session).status_code] += 1

    run()
    assert statuses[200] >= 8, statuses
    assert statuses[404] >= 1, statuses
    assert set(statuses) <= {200, 404}, statuses
