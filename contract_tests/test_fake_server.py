"""Behaviour of the fake CompanyEnrich server, through httpx.

Most tests use the in-process transport with a `ManualClock`; a few go over
ASGI and real loopback HTTP (`serve()`), and one runs the command line.
"""

from __future__ import annotations

import csv
import io
import json
import subprocess
import sys
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from typing import Any
from urllib.parse import parse_qs, urlsplit, urlunsplit
from uuid import UUID

import anyio
import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from companyenrich_export._results._record import RECORD_COLUMNS
from companyenrich_export.testing import (
    FakeCompanyEnrich,
    Fault,
    ManualClock,
    serve,
)

API_KEY = "test-key"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXPORTS = "/companies/search/async"
JOBS = "/companies/search/async/jobs"
UNKNOWN_ID = "00000000-0000-4000-8000-000000000000"
SEARCH = {"count": 10, "search": {"semanticQuery": "fintech in Berlin", "countries": ["DE"]}}


def job_path(job_id: object) -> str:
    return f"{EXPORTS}/{job_id}"


def assert_problem(
    response: httpx.Response, status: int, media_type: str = "application/json"
) -> Any:
    assert response.status_code == status
    assert response.headers["content-type"].split(";")[0] == media_type
    body = response.json()
    assert body["status"] == status
    assert {"type", "title", "detail", "instance"} <= body.keys()
    assert API_KEY not in response.text
    return body


def completed_job(fake: FakeCompanyEnrich, **kwargs: Any) -> UUID:
    return fake.add_job(pending_for=0, processing_for=0, completing_for=0, **kwargs)


def drain(response: httpx.Response, into: bytearray) -> None:
    for chunk in response.iter_raw():
        into += chunk


def results_url(api: httpx.Client, job_id: UUID) -> str:
    url = api.get(job_path(job_id)).json()["results_url"]
    assert isinstance(url, str)
    return url


# --- authentication -------------------------------------------------------


OPERATIONS = [("POST", EXPORTS), ("GET", JOBS), ("GET", job_path(UNKNOWN_ID))]


@pytest.mark.parametrize(("method", "path"), OPERATIONS)
@pytest.mark.parametrize(
    "authorization",
    [None, "Bearer wrong-key", f"Basic {API_KEY}", "Bearer", f"bearer  {API_KEY}x"],
)
def test_every_api_route_needs_the_bearer_key(
    anonymous: httpx.Client, method: str, path: str, authorization: str | None
) -> None:
    headers = {} if authorization is None else {"Authorization": authorization}
    response = anonymous.request(method, path, headers=headers, json=SEARCH)
    assert_problem(response, 401)
    assert response.headers["www-authenticate"].startswith("Bearer")


def test_the_key_scheme_is_case_insensitive(anonymous: httpx.Client) -> None:
    assert anonymous.get(JOBS, headers={"Authorization": f"bearer {API_KEY}"}).status_code == 200


def test_the_api_key_never_shows(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    job_id = completed_job(fake)
    fake.inject(Fault.rate_limit("1"))
    bodies = [
        api.post(EXPORTS, json=SEARCH).text,  # rate limited
        api.post(EXPORTS, json=SEARCH).text,
        api.post(EXPORTS, json={"count": "x"}).text,
        api.get(JOBS).text,
        api.get(job_path(job_id)).text,
        api.get(job_path("nope")).text,
        api.get(results_url(api, job_id)).text,  # the key sent to storage: 400
        api.get(JOBS, params={"api_key": API_KEY}).text,  # the key in a URL
    ]
    assert all(API_KEY not in body for body in bodies)
    assert fake.request_log[-1].carried_api_key
    assert fake.request_log[-1].query == "api_key=<redacted>"
    shown = [repr(fake), str(fake), repr(fake.transport()), repr(fake.jobs), repr(fake.request_log)]
    assert all(API_KEY not in text for text in shown)
    assert "<hidden>" in repr(fake)


# --- the status endpoint -----------------------------------------------------


@pytest.mark.parametrize(
    "job_id",
    [
        "nope",
        "3fa85f6457174562b3fc2c963f66afa6",
        "{3fa85f64-5717-4562-b3fc-2c963f66afa6}",
        "3fa85f64-5717-4562-b3fc-2c963f66afa",
        "3fa85f64-5717-4562-b3fc-2c963f66afa6x",
        "42",
    ],
)
def test_a_malformed_job_id_is_400(api: httpx.Client, job_id: str) -> None:
    body = assert_problem(api.get(job_path(job_id)), 400)
    assert "jobId" in body["errors"]


def test_an_unknown_job_is_404(api: httpx.Client) -> None:
    body = assert_problem(api.get(job_path(UNKNOWN_ID)), 404)
    assert body["instance"] == job_path(UNKNOWN_ID)


def test_another_callers_job_is_404_for_you(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    theirs = fake.add_job(owner_key="their-key")
    assert_problem(api.get(job_path(theirs)), 404)
    fake.add_api_key("their-key")
    response = api.get(job_path(theirs), headers={"Authorization": "Bearer their-key"})
    assert response.status_code == 200
    assert response.json()["job_id"] == str(theirs)


def test_the_status_has_all_eleven_fields(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    job_id = fake.add_job(requested_count=100, total_matching=2345, pending_for=5)
    response = api.get(job_path(job_id))
    assert response.status_code == 200
    assert response.headers["content-type"].split(";")[0] == "application/json"
    assert response.json() == {
        "job_id": str(job_id),
        "status": "pending",
        "requested_count": 100,
        "total_matching": 2345,
        "exported_count": 0,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03.000Z",
        "started_at": None,
        "completed_at": None,
        "results_url": None,
        "error_message": None,
    }


def test_an_uppercase_job_id_finds_the_job(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    job_id = fake.add_job()
    assert api.get(job_path(str(job_id).upper())).json()["job_id"] == str(job_id)


def test_the_jobs_path_is_the_list_not_a_job_id(api: httpx.Client) -> None:
    response = api.get(JOBS)
    assert response.status_code == 200
    assert response.json() == {"items": [], "page": 1, "totalPages": 0, "totalItems": 0}


# --- methods and paths ------------------------------------------------------


@pytest.mark.parametrize(
    ("path", "allowed", "method"),
    [
        (EXPORTS, "POST", "GET"),
        (EXPORTS, "POST", "PUT"),
        (JOBS, "GET", "POST"),
        (JOBS, "GET", "DELETE"),
        (job_path(UNKNOWN_ID), "GET", "PATCH"),
        (job_path(UNKNOWN_ID), "GET", "TRACE"),
        (job_path(UNKNOWN_ID), "GET", "OPTIONS"),
    ],
)
def test_other_methods_are_405_with_allow(
    api: httpx.Client, path: str, allowed: str, method: str
) -> None:
    response = api.request(method, path)
    assert_problem(response, 405)
    assert response.headers["allow"] == allowed


def test_head_is_405_without_a_body(api: httpx.Client) -> None:
    response = api.head(JOBS)
    assert response.status_code == 405
    assert response.headers["allow"] == "GET"
    assert response.content == b""


@pytest.mark.parametrize(
    "path", ["/", "/companies/search", f"{EXPORTS}/", f"{JOBS}/x", f"{EXPORTS}/{UNKNOWN_ID}/x"]
)
def test_unknown_paths_are_404(anonymous: httpx.Client, path: str) -> None:
    assert_problem(anonymous.get(path), 404)


# --- content negotiation ----------------------------------------------------


@pytest.mark.parametrize(
    ("accept", "media_type"),
    [
        (None, "application/json"),
        ("application/json", "application/json"),
        ("application/problem+json", "application/problem+json"),
        ("application/problem+json, application/json;q=0.5", "application/problem+json"),
        ("application/json, application/problem+json", "application/problem+json"),
        ("application/problem+json;q=0.4, application/json", "application/json"),
        ("*/*", "application/json"),
        ("application/*", "application/json"),
        ("text/html, */*;q=0.1", "application/json"),
    ],
)
def test_error_bodies_follow_accept(api: httpx.Client, accept: str | None, media_type: str) -> None:
    headers = {"accept": accept} if accept is not None else {}
    if accept is None:
        # httpx sends `Accept: */*` unless told otherwise.
        api.headers.pop("accept")
    assert_problem(api.get(job_path(UNKNOWN_ID), headers=headers), 404, media_type)


@pytest.mark.parametrize("accept", ["text/html", "application/xml", "", "nonsense", "0", "a/b;q=2"])
def test_an_accept_that_rules_out_json_is_400_in_json(api: httpx.Client, accept: str) -> None:
    body = assert_problem(api.get(JOBS, headers={"accept": accept}), 400, "application/json")
    assert "accept" in body["errors"]


def test_success_bodies_are_json_whatever_the_accept(
    fake: FakeCompanyEnrich, api: httpx.Client
) -> None:
    job_id = fake.add_job()
    response = api.get(job_path(job_id), headers={"accept": "application/problem+json"})
    assert response.status_code == 200
    assert response.headers["content-type"] == "application/json; charset=utf-8"


# --- the job lifecycle --------------------------------------------------------


def test_a_job_moves_through_every_status_with_the_clock(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    job_id = fake.add_job(
        requested_count=100, total_matching=2345, pending_for=2, processing_for=4, completing_for=1
    )
    seen = []
    for elapsed in [0, 1.75, 2, 3, 5.75, 6, 6.75, 7, 100]:
        clock.advance(elapsed - clock.monotonic())
        body = api.get(job_path(job_id)).json()
        seen.append((body["status"], body["exported_count"], body["credits_charged"]))
    assert seen == [
        ("pending", 0, 0),
        ("pending", 0, 0),
        ("processing", 0, 0),
        ("processing", 25, 0),
        ("processing", 93, 0),
        ("completing", 100, 0),
        ("completing", 100, 0),
        ("completed", 100, 100),
        ("completed", 100, 100),
    ]
    assert body["created_at"] == "2026-02-17T02:04:03.000Z"
    assert body["started_at"] == "2026-02-17T02:04:05.000Z"
    assert body["completed_at"] == "2026-02-17T02:04:10.000Z"
    assert body["results_url"] is not None
    assert body["error_message"] is None
    assert clock.sleeps == []  # the fake never sleeps to move a job


def test_timestamps_appear_only_once_reached(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    job_id = fake.add_job(pending_for=1, processing_for=1, completing_for=1)
    clock.advance(1.5)
    body = api.get(job_path(job_id)).json()
    assert body["started_at"] == "2026-02-17T02:04:04.000Z"
    assert body["completed_at"] is None
    assert body["results_url"] is None


def test_a_job_exports_no_more_than_match(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    job_id = completed_job(fake, requested_count=500, total_matching=120)
    body = api.get(job_path(job_id)).json()
    assert (body["exported_count"], body["credits_charged"]) == (120, 120)


def test_a_failing_job_fails_where_processing_would_end(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    job_id = fake.add_job(
        requested_count=10, pending_for=1, processing_for=2, completing_for=1, fail_with="Boom."
    )
    clock.advance(2.75)
    assert api.get(job_path(job_id)).json()["status"] == "processing"
    clock.advance(0.25)
    body = api.get(job_path(job_id)).json()
    assert body["status"] == "failed"
    assert body["error_message"] == "Boom."
    assert body["credits_charged"] == 0
    assert body["results_url"] is None
    assert body["completed_at"] == "2026-02-17T02:04:06.000Z"


def test_fail_after_picks_the_moment(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    job_id = fake.add_job(pending_for=5, fail_with="Quota exceeded.", fail_after=1)
    assert fake.status(job_id) == "pending"
    clock.advance(1)
    body = api.get(job_path(job_id)).json()
    assert (body["status"], body["started_at"], body["exported_count"]) == ("failed", None, 0)


def test_complete_now_and_fail_now(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    done, broken = fake.add_job(pending_for=60), fake.add_job(pending_for=60)
    fake.complete_now(done)
    fake.fail_now(broken, "Cancelled by support.")
    assert api.get(job_path(done)).json()["status"] == "completed"
    body = api.get(job_path(broken)).json()
    assert (body["status"], body["error_message"]) == ("failed", "Cancelled by support.")
    with pytest.raises(ValueError, match="already failed"):
        fake.complete_now(broken)
    fake.complete_now(done)  # already completed: nothing to do
    with pytest.raises(KeyError):
        fake.complete_now(UNKNOWN_ID)


_durations = st.sampled_from([0.0, 0.5, 1.0, 2.0, 5.0])


def _documented_status(
    plan: tuple[float, float, float, float | None], forced: tuple[float, str] | None, at: float
) -> str:
    """`add_job`'s lifecycle, restated: pending, processing, completing, then completed;
    `fail_with` fails it `fail_after` seconds in; `complete_now`/`fail_now` end it early."""
    pending, processing, completing, fails_after = plan
    if forced is not None and at >= forced[0]:
        return forced[1]
    if fails_after is not None and at >= fails_after:
        return "failed"
    if at < pending:
        return "pending"
    if at < pending + processing:
        return "processing"
    return "completing" if at < pending + processing + completing else "completed"


@settings(max_examples=settings.default.max_examples * 2)
@given(
    jobs=st.lists(
        st.tuples(
            st.tuples(
                _durations,
                _durations,
                _durations,
                st.one_of(st.none(), st.sampled_from([0.0, 1.0, 3.0, 20.0])),  # fails after
            ),
            st.one_of(st.none(), st.tuples(_durations, st.sampled_from(["completed", "failed"]))),
            st.integers(1, 50),
            st.booleans(),  # another key's
        ),
        max_size=8,
    ),
    instants=st.lists(_durations, min_size=1, max_size=4),
)
def test_statuses_and_the_credits_left_follow_the_documented_lifecycle(
    jobs: list[tuple[Any, ...]], instants: list[float]
) -> None:
    """Each job's status, and the credits left (summed over every job on each request)."""
    clock = ManualClock()
    fake = FakeCompanyEnrich(API_KEY, clock=clock, credits=10_000)
    planned: dict[UUID, tuple[Any, ...]] = {}
    for plan, forced, count, other in jobs:
        pending, processing, completing, fails_after = plan
        job_id = fake.add_job(
            requested_count=count,
            pending_for=pending,
            processing_for=processing,
            completing_for=completing,
            fail_with=None if fails_after is None else "broke",
            fail_after=fails_after,
            owner_key="someone-else" if other else API_KEY,
        )
        planned[job_id] = (plan, forced, count, other)
    applied: dict[UUID, tuple[float, str]] = {}
    elapsed = 0.0
    for at in sorted({*instants, *(f[0] for _, f, _, _ in jobs if f is not None)}):
        clock.advance(at - elapsed)
        elapsed = at
        for job_id, (plan, forced, _, _) in planned.items():
            due = forced is not None and forced[0] == at and job_id not in applied
            if due and _documented_status(plan, None, at) not in ("completed", "failed"):
                (fake.complete_now if forced[1] == "completed" else fake.fail_now)(job_id)
                applied[job_id] = forced
        now = clock.monotonic()
        charged = 0
        for job_id, (plan, _, count, other) in planned.items():
            status = _documented_status(plan, applied.get(job_id), at)
            assert fake.jobs[job_id].state(now).status == status, (plan, applied.get(job_id), at)
            if status == "completed" and not other:
                charged += count
        assert fake.credits_remaining() == 10_000 - charged


def test_created_jobs_use_the_default_durations(clock: ManualClock) -> None:
    fake = FakeCompanyEnrich(API_KEY, clock=clock, default_durations=(1, 2, 3))
    with httpx.Client(base_url=fake.base_url, transport=fake.transport(), headers=AUTH) as api:
        created = api.post(EXPORTS, json=SEARCH).json()
        statuses = []
        for _ in range(7):
            statuses.append(api.get(job_path(created["job_id"])).json()["status"])
            clock.advance(1)
    assert statuses == [
        "pending", "processing", "processing", "completing", "completing", "completing",
        "completed",
    ]  # fmt: skip


def test_each_get_of_a_completed_job_signs_a_fresh_url(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    job_id = completed_job(fake)
    first = results_url(api, job_id)
    clock.advance(30)
    second = results_url(api, job_id)
    assert first != second
    expires = int(parse_qs(urlsplit(second).query)["expires"][0])
    assert expires == int(clock.utcnow().timestamp()) + 600


# --- create -------------------------------------------------------------------


def test_create_answers_the_new_job(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    response = api.post(EXPORTS, json=SEARCH)
    assert response.status_code == 200
    body = response.json()
    assert body.keys() == {
        "job_id", "status", "requested_count", "total_matching", "estimated_credits"
    }  # fmt: skip
    assert (body["status"], body["requested_count"], body["estimated_credits"]) == (
        "pending",
        10,
        10,
    )
    assert body["total_matching"] >= 10
    assert fake.jobs[UUID(body["job_id"])].request == {
        "count": 10,
        "search": SEARCH["search"],
        "similar": None,
    }
    # Not idempotent: the same body makes another job.
    assert api.post(EXPORTS, json=SEARCH).json()["job_id"] != body["job_id"]


@pytest.mark.parametrize(
    "body",
    [
        {"count": 5, "similar": {"domains": ["stripe.com"]}},
        {"count": 5, "search": {}, "similar": None},
        {"count": 5, "search": None, "similar": {"domains": ["a.com"] * 10, "minScore": 0.5}},
        {"count": 2.0, "search": {"unknownFilter": [1, {"x": None}], "exclude": {"any": "thing"}}},
        {"count": 50_000, "search": {"foundedYear": {"min": 1990}}, "webhook_url": None},
        {"count": 1, "search": {}, "webhook_url": "https://hooks.example.com/export?x=1#y"},
        {"count": 1, "search": {}, "extra": "members are ignored"},
        # Like the real API, the fake ignores filter values it does not know
        # (the client refuses them first): a lower-case country, an
        # undocumented range, a number out of range, an empty list.
        {"count": 1, "search": {"countries": ["DE", "usa"], "employees": ["10-50"]}},
        {"count": 1, "search": {"semanticWeight": 7, "keywords": [], "exclude": {}}},
        {"count": 1, "search": {"query": "a", "semanticQuery": "b", "naicsCode": [1]}},
    ],
)
def test_create_accepts_valid_bodies(api: httpx.Client, body: dict[str, Any]) -> None:
    assert api.post(EXPORTS, json=body).status_code == 200


@pytest.mark.parametrize(
    ("content", "field"),
    [
        (b"{not json", None),
        (b"", None),
        (b'{"count": NaN, "search": {}}', None),
        (b"[1, 2]", None),
        (json.dumps({"search": {}}).encode(), "count"),
        (json.dumps({"count": "10", "search": {}}).encode(), "count"),
        (json.dumps({"count": True, "search": {}}).encode(), "count"),
        (json.dumps({"count": 1.5, "search": {}}).encode(), "count"),
        (json.dumps({"count": 1, "search": "fintech"}).encode(), "search"),
        (json.dumps({"count": 1, "similar": {}}).encode(), "similar.domains"),
        (json.dumps({"count": 1, "search": {"countries": "DE"}}).encode(), "search.countries"),
        (json.dumps({"count": 1, "search": {"foundedYear": {"min": "1990"}}}).encode(), None),
        (
            json.dumps({"count": 1, "similar": {"domains": ["a"], "minScore": "high"}}).encode(),
            None,
        ),
        (json.dumps({"count": 1, "search": {"employees": "11-50"}}).encode(), "search.employees"),
        (
            json.dumps({"count": 1, "search": {"exclude": {"states": ["Bavaria"]}}}).encode(),
            "search.exclude.states[0]",
        ),
        (
            json.dumps({"count": 1, "search": {"workforceSize": [{"min": "5"}]}}).encode(),
            "search.workforceSize[0].min",
        ),
        (json.dumps({"count": 1, "search": {}, "webhook_url": 42}).encode(), "webhook_url"),
    ],
)
def test_create_rejects_malformed_bodies_with_400(
    api: httpx.Client, content: bytes, field: str | None
) -> None:
    response = api.post(EXPORTS, content=content, headers={"content-type": "application/json"})
    body = assert_problem(response, 400)
    if field is not None:
        assert field in body["errors"]


@pytest.mark.parametrize(
    ("body", "field"),
    [
        ({"count": 0, "search": {}}, "count"),
        ({"count": 50_001, "search": {}}, "count"),
        ({"count": 1}, "search"),
        ({"count": 1, "search": None, "similar": None}, "search"),
        ({"count": 1, "search": {}, "similar": {"domains": ["a.com"]}}, "search"),
        ({"count": 1, "similar": {"domains": []}}, "similar.domains"),
        ({"count": 1, "similar": {"domains": ["a.com"] * 11}}, "similar.domains"),
        ({"count": 1, "similar": {"domains": [""]}}, "similar.domains[0]"),
        ({"count": 1, "search": {"foundedYear": {"max": 2**31}}}, "search.foundedYear.max"),
        ({"count": 1, "search": {}, "webhook_url": "not a uri"}, "webhook_url"),
        ({"count": 1, "search": {}, "webhook_url": ""}, "webhook_url"),
        ({"count": 1, "search": {}, "webhook_url": "ftp://files.example.com/x"}, "webhook_url"),
        ({"count": 1, "search": {}, "webhook_url": "https:///no-host"}, "webhook_url"),
        ({"count": 1, "search": {"states": [2**31]}}, "search.states[0]"),
    ],
)
def test_create_rejects_rule_breaking_bodies_with_422(
    api: httpx.Client, body: dict[str, Any], field: str
) -> None:
    problem = assert_problem(api.post(EXPORTS, json=body), 422)
    assert field in problem["errors"]


# --- list -------------------------------------------------------------------


def test_the_list_pages_newest_first(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    created = []
    for _ in range(45):
        created.append(str(fake.add_job()))
        clock.advance(1)
    newest_first = created[::-1]
    pages = [api.get(JOBS, params={"page": page, "pageSize": 20}).json() for page in (1, 2, 3, 4)]
    assert [page["page"] for page in pages] == [1, 2, 3, 4]
    assert {(page["totalPages"], page["totalItems"]) for page in pages} == {(3, 45)}
    listed = [item["job_id"] for page in pages for item in page["items"]]
    assert listed == newest_first
    assert pages[3]["items"] == []
    assert api.get(JOBS).json()["items"][0]["job_id"] == newest_first[0]  # pageSize 20 default
    assert len(api.get(JOBS).json()["items"]) == 20
    item = pages[0]["items"][0]
    assert "results_url" not in item
    assert "error_message" not in item


def test_the_list_filters_by_status_at_request_time(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    slow = fake.add_job(pending_for=10)
    done = completed_job(fake)
    failed = fake.add_job(fail_with="No.", fail_after=0)

    def ids(status: str) -> list[str]:
        return [item["job_id"] for item in api.get(JOBS, params={"status": status}).json()["items"]]

    assert ids("pending") == [str(slow)]
    assert ids("completed") == [str(done)]
    assert ids("failed") == [str(failed)]
    clock.advance(10)
    assert ids("pending") == []
    assert ids("processing") == [str(slow)]


def test_the_list_shows_only_the_callers_jobs(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    mine = fake.add_job()
    fake.add_job(owner_key="their-key")
    page = api.get(JOBS).json()
    assert [item["job_id"] for item in page["items"]] == [str(mine)]
    assert page["totalItems"] == 1


@pytest.mark.parametrize(
    "query",
    [
        "page=0",
        "page=-1",
        "page=abc",
        "page=1.5",
        "page=2147483648",
        "page=",
        "pageSize=0",
        "pageSize=101",
        "pageSize=ten",
        "status=cancelled",
        "status=",
        "page=1&page=2",
    ],
)
def test_a_bad_list_query_is_400(api: httpx.Client, query: str) -> None:
    body = assert_problem(api.get(f"{JOBS}?{query}"), 400)
    assert body["errors"]


def test_unknown_list_parameters_are_ignored(api: httpx.Client) -> None:
    assert api.get(JOBS, params={"sort": "oldest", "pageSize": 100}).status_code == 200


# --- results files --------------------------------------------------------------


def test_the_results_download_without_the_key(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    job_id = completed_job(fake, requested_count=25)
    url = results_url(api, job_id)
    assert urlsplit(url).netloc != urlsplit(fake.base_url).netloc
    response = anonymous.get(url)
    assert response.status_code == 200
    assert response.headers["content-type"] == "text/csv; charset=utf-8"
    assert int(response.headers["content-length"]) == len(response.content)
    rows = list(csv.DictReader(io.StringIO(response.text, newline="")))
    assert len(rows) == 25
    assert list(rows[0]) == list(RECORD_COLUMNS)
    assert all("." in row["domain"] and not row["domain"].endswith(".example") for row in rows)
    assert len({row["domain"] for row in rows}) == 25
    assert anonymous.get(results_url(api, job_id)).content == response.content
    storage = [entry for entry in fake.request_log if entry.route == "storage"]
    assert [(e.has_authorization, e.carried_api_key) for e in storage] == [(False, False)] * 2


def test_storage_rejects_a_request_carrying_authorization(
    fake: FakeCompanyEnrich, api: httpx.Client
) -> None:
    url = results_url(api, completed_job(fake))
    response = api.get(url)  # `api` sends the key everywhere: the leak a client must avoid
    assert response.status_code == 400
    assert b"<Code>InvalidArgument</Code>" in response.content
    last = fake.request_log[-1]
    assert (last.route, last.has_authorization, last.carried_api_key) == ("storage", True, True)


def test_a_results_url_expires_after_url_ttl(clock: ManualClock, anonymous: httpx.Client) -> None:
    fake = FakeCompanyEnrich(API_KEY, clock=clock, url_ttl=60)
    with httpx.Client(base_url=fake.base_url, transport=fake.transport(), headers=AUTH) as api:
        job_id = completed_job(fake)
        url = results_url(api, job_id)
        storage = httpx.Client(transport=fake.transport())
        clock.advance(60)
        assert storage.get(url).status_code == 200
        clock.advance(1)
        expired = storage.get(url)
        assert expired.status_code == 403
        assert b"Request has expired" in expired.content
        # The cure: fetch the job again for a fresh URL.
        assert storage.get(results_url(api, job_id)).status_code == 200


@pytest.mark.parametrize(
    "spoil",
    [
        lambda query: {**query, "signature": ["0" * 64]},
        lambda query: {**query, "expires": [str(int(query["expires"][0]) + 1)]},
        lambda query: {"expires": query["expires"]},
        lambda query: {},
        lambda query: {**query, "expires": ["soon"]},
    ],
)
def test_a_tampered_results_url_is_403(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client, spoil: Any
) -> None:
    url = urlsplit(results_url(api, completed_job(fake)))
    query = spoil(parse_qs(url.query))
    tampered = urlunsplit(url._replace(query="&".join(f"{k}={v[0]}" for k, v in query.items())))
    assert anonymous.get(tampered).status_code == 403


def test_a_results_url_of_a_removed_job_is_404(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    job_id = completed_job(fake)
    url = results_url(api, job_id)
    fake.remove_job(job_id)
    assert anonymous.get(url).status_code == 404
    assert b"NoSuchKey" in anonymous.get(url.replace(".csv", ".zip")).content


def test_storage_serves_ranges_and_head(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    url = results_url(api, completed_job(fake, requested_count=50))
    whole = anonymous.get(url).content
    part = anonymous.get(url, headers={"range": "bytes=100-199"})
    assert (part.status_code, part.content) == (206, whole[100:200])
    assert part.headers["content-range"] == f"bytes 100-199/{len(whole)}"
    tail = anonymous.get(url, headers={"range": "bytes=-10"})
    assert tail.content == whole[-10:]
    resumed = anonymous.get(url, headers={"range": "bytes=1000-", "if-range": part.headers["etag"]})
    assert resumed.content == whole[1000:]
    stale = anonymous.get(url, headers={"range": "bytes=1000-", "if-range": '"other"'})
    assert (stale.status_code, stale.content) == (200, whole)
    beyond = anonymous.get(url, headers={"range": f"bytes={len(whole)}-"})
    assert beyond.status_code == 416
    head = anonymous.head(url)
    assert (head.status_code, head.content) == (200, b"")
    assert head.headers["content-length"] == str(len(whole))
    assert anonymous.post(url).status_code == 405


def test_result_bytes_pads_the_file(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    url = results_url(api, completed_job(fake, requested_count=40, result_bytes=300_000))
    with anonymous.stream("GET", url) as response:
        chunks = list(response.iter_raw())
    assert sum(len(chunk) for chunk in chunks) == 300_000
    assert len(chunks) > 1  # streamed, not one blob
    rows = list(csv.reader(io.StringIO(b"".join(chunks).decode(), newline="")))
    assert len(rows) == 41
    assert {len(row) for row in rows} == {len(RECORD_COLUMNS)}
    # The padding is in each description, so the records stay whole and plausible.
    descriptions = [row[RECORD_COLUMNS.index("description")] for row in rows[1:]]
    assert all(" lorem ipsum" in text for text in descriptions)


def test_rows_overrides_the_row_count(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    url = results_url(api, completed_job(fake, requested_count=40, rows=3))
    assert anonymous.get(url).text.count("\n") == 4


# --- faults -------------------------------------------------------------------


@pytest.mark.parametrize(
    ("retry_after", "header"),
    [
        ("2", "2"),
        (2.0, "2"),
        (datetime(2026, 2, 17, 2, 5, tzinfo=UTC), "Tue, 17 Feb 2026 02:05:00 GMT"),
        ("soon", "soon"),
        (None, None),
    ],
)
def test_rate_limit_fault(
    fake: FakeCompanyEnrich, api: httpx.Client, retry_after: Any, header: str | None
) -> None:
    fake.inject(Fault.rate_limit(retry_after))
    response = api.get(JOBS)
    assert_problem(response, 429)
    assert response.headers.get("retry-after") == header
    if isinstance(retry_after, datetime):
        assert parsedate_to_datetime(response.headers["retry-after"]) == retry_after
    assert api.get(JOBS).status_code == 200  # used up


@pytest.mark.parametrize("status", [500, 502, 503])
def test_server_error_fault(fake: FakeCompanyEnrich, api: httpx.Client, status: int) -> None:
    fake.inject(Fault.server_error(status))
    assert_problem(api.post(EXPORTS, json=SEARCH), status)
    assert fake.jobs == {}  # the request never reached the handler


def test_problem_fault_for_any_status(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    fake.inject(Fault.problem(402, "Not enough credits."))
    body = assert_problem(api.post(EXPORTS, json=SEARCH), 402)
    assert body["detail"] == "Not enough credits."


def test_malformed_fault(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    fake.inject(Fault.malformed())
    response = api.get(JOBS)
    assert (response.status_code, response.content) == (200, b"{not json")
    fake.inject(Fault.malformed(b"<html>Bad gateway</html>", status=502, content_type="text/html"))
    response = api.get(JOBS)
    assert (response.status_code, response.headers["content-type"]) == (502, "text/html")


def test_slow_fault_waits_on_the_clock(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    fake.inject(Fault.slow(3))
    assert api.get(JOBS, timeout=10).status_code == 200
    assert clock.sleeps == [3.0]


def test_slow_fault_beyond_the_read_timeout_times_out(
    fake: FakeCompanyEnrich, api: httpx.Client, clock: ManualClock
) -> None:
    fake.inject(Fault.slow(30))
    with pytest.raises(httpx.ReadTimeout):
        api.post(EXPORTS, json=SEARCH, timeout=5)
    assert clock.sleeps == []
    assert len(fake.jobs) == 1  # the server still made the job


def test_slow_fault_async(fake: FakeCompanyEnrich, clock: ManualClock) -> None:
    async def go() -> int:
        async with httpx.AsyncClient(
            base_url=fake.base_url, transport=fake.transport(), headers=AUTH
        ) as client:
            return (await client.get(JOBS)).status_code

    fake.inject(Fault.slow(2))
    assert anyio.run(go) == 200
    assert clock.sleeps == [2.0]


def test_drop_fault(fake: FakeCompanyEnrich, api: httpx.Client) -> None:
    fake.inject(Fault.drop())
    with pytest.raises(httpx.RemoteProtocolError, match="without sending a response"):
        api.post(EXPORTS, json=SEARCH)
    assert len(fake.jobs) == 1  # handled, only the answer was lost
    assert fake.request_log[-1].fault == "drop"


def test_truncated_download_fault(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    url = results_url(api, completed_job(fake, requested_count=200))
    size = len(anonymous.get(url).content)
    fake.inject(Fault.truncated_download(0.25))
    received = bytearray()
    with anonymous.stream("GET", url) as response:
        assert response.headers["content-length"] == str(size)
        with pytest.raises(httpx.RemoteProtocolError, match="without sending complete"):
            drain(response, received)
    assert len(received) == size // 4
    assert anonymous.get(url).status_code == 200


def test_faults_are_fifo_and_match_their_target(
    fake: FakeCompanyEnrich, api: httpx.Client, anonymous: httpx.Client
) -> None:
    url = results_url(api, completed_job(fake))
    fake.inject(Fault.server_error(503), match="storage")
    fake.inject(Fault.rate_limit("1"), times=2)
    fake.inject(Fault.server_error(500), match="any")
    assert [(f.kind, target, n) for f, target, n in fake.pending_faults] == [
        ("server_error", "storage", 1),
        ("rate_limit", "api", 2),
        ("server_error", "any", 1),
    ]
    assert [api.get(JOBS).status_code for _ in range(3)] == [429, 429, 500]
    assert anonymous.get(url).status_code == 503
    assert anonymous.get(url).status_code == 200
    fake.inject(Fault.drop(), times=5)
    fake.clear_faults()
    assert api.get(JOBS).status_code == 200


def test_fault_arguments_are_checked() -> None:
    with pytest.raises(ValueError, match="5xx"):
        Fault.server_error(404)
    with pytest.raises(ValueError, match="fraction"):
        Fault.truncated_download(1.0)
    with pytest.raises(ValueError, match="negative"):
        Fault.slow(-1)
    with pytest.raises(ValueError, match="times"):
        FakeCompanyEnrich().inject(Fault.drop(), times=0)


# --- the transport's origin check ---------------------------------------------


def test_the_transport_refuses_other_origins(fake: FakeCompanyEnrich) -> None:
    with (
        httpx.Client(transport=fake.transport()) as client,
        pytest.raises(httpx.ConnectError, match="serves"),
    ):
        client.get("https://api.companyenrich.io/companies/search/async/jobs")
    with httpx.Client(transport=fake.transport(check_origin=False)) as client:
        assert client.get("http://testserver/companies/search/async/jobs").status_code == 401


# --- other adapters: ASGI, real HTTP, the command line ---------------------------


def test_over_asgi(fake: FakeCompanyEnrich) -> None:
    job_id = completed_job(fake, requested_count=30)

    async def go() -> tuple[int, str, int]:
        transport = httpx.ASGITransport(app=fake)
        async with httpx.AsyncClient(
            transport=transport, base_url="http://testserver", headers=AUTH
        ) as client:
            body = (await client.get(job_path(job_id))).json()
            url = urlsplit(body["results_url"])
            client.headers.pop("authorization")
            download = await client.get(f"{url.path}?{url.query}")
            fake.inject(Fault.drop())
            with pytest.raises(httpx.RemoteProtocolError):
                await client.get(JOBS)
            return download.status_code, download.text, len(download.content)

    status, text, length = anyio.run(go)
    assert status == 200
    assert text.count("\n") == 31
    assert length > 0


def test_over_real_http(fake: FakeCompanyEnrich, clock: ManualClock) -> None:
    job_id = fake.add_job(requested_count=20, pending_for=1, processing_for=1, completing_for=1)
    before = fake.base_url, fake.storage_base_url
    with serve(fake) as url, httpx.Client(base_url=url, headers=AUTH) as api:
        assert url.startswith("http://127.0.0.1:")
        assert fake.base_url == url
        assert fake.storage_base_url == url.replace("127.0.0.1", "localhost")
        assert api.get(job_path(job_id)).json()["status"] == "pending"
        clock.advance(3)
        results = api.get(job_path(job_id)).json()["results_url"]
        assert results.startswith(fake.storage_base_url + "/_storage/")
        with httpx.Client() as storage:
            assert storage.get(results).text.count("\n") == 21
            assert storage.get(results, headers=AUTH).status_code == 400
            fake.inject(Fault.truncated_download())
            with pytest.raises(httpx.RemoteProtocolError):
                storage.get(results)
        fake.inject(Fault.drop())
        with pytest.raises(httpx.RemoteProtocolError):
            api.get(JOBS)
        trace = api.request("TRACE", EXPORTS)
        assert (trace.status_code, trace.headers["allow"]) == (405, "POST")
        assert api.post(EXPORTS, json=SEARCH).status_code == 200
    assert (fake.base_url, fake.storage_base_url) == before
    hosts = {entry.host.split(":")[0] for entry in fake.request_log if entry.host}
    assert hosts == {"127.0.0.1", "localhost"}
    with pytest.raises(httpx.ConnectError):
        httpx.get(url + JOBS, headers=AUTH)  # shut down


@pytest.mark.slow
def test_the_command_line_serves_until_stopped() -> None:
    process = subprocess.Popen(
        [sys.executable, "-m", "companyenrich_export.testing", "--port", "0", "--api-key", "cli-k"],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        assert url.startswith("http://127.0.0.1:")
        response = httpx.get(url + JOBS, headers={"Authorization": "Bearer cli-k"}, timeout=10)
        assert response.status_code == 200
        assert httpx.get(url + JOBS, timeout=10).status_code == 401
    finally:
        process.terminate()
        _, stderr = process.communicate(timeout=15)
    assert process.returncode == 0
    assert "cli-k" not in stderr
