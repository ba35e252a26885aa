"""Property-based: the client reads exactly the bodies openapi.yaml allows.

Valid bodies are drawn from the spec's own ExportJob schema (by
hypothesis-jsonschema), so a field added to the spec but not to the client,
or a type the client reads differently, shows up here. Invalid bodies are
valid ones broken in one way each: the client must answer every one with
ResponseValidationError and nothing else.
"""

from __future__ import annotations

import json
from datetime import UTC, datetime
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema

import companyenrich_export as ce

from _spec import component_schema

# Some 30 property tests drawing from the spec's schemas: seconds of work together.
pytestmark = pytest.mark.slow

JOB_SCHEMA = component_schema("ExportJob")
REQUIRED = tuple(JOB_SCHEMA["required"])
STATUSES = tuple(JOB_SCHEMA["$defs"]["JobStatus"]["enum"])
COUNTS = ("requested_count", "total_matching", "exported_count", "credits_charged")
NULLABLE_DATES = ("started_at", "completed_at")
# Deferred: made on first draw, so a test process that runs none of these skips it.
valid_jobs = st.deferred(
    lambda: from_schema(JOB_SCHEMA, custom_formats={"uuid": st.uuids().map(str)})
)


def _fetch(body: bytes, job_id: str = "3fa85f64-5717-4562-b3fc-2c963f66afa6") -> ce.ExportJob:
    """What client.exports.get(job_id) makes of `body` served as a 200."""
    with _serve(body, "GET") as client:
        return client.exports.get(job_id)


def _instant(text: str) -> datetime:
    # Independent of the client's reading: RFC 3339 with Z or an offset.
    parsed = datetime.fromisoformat(text.upper().replace("Z", "+00:00"))
    return parsed if parsed.tzinfo else parsed.replace(tzinfo=UTC)


@given(valid_jobs)
def test_every_valid_body_parses_field_by_field(body: dict[str, Any]) -> None:
    # Asked for the job the body describes: an answer about another job is refused.
    job = _fetch(json.dumps(body).encode(), job_id=body["job_id"])
    assert job.job_id == UUID(body["job_id"])
    assert job.status.value == body["status"]
    for name in COUNTS:
        assert getattr(job, name) == body[name], name
    assert job.created_at == _instant(body["created_at"])
    for name in NULLABLE_DATES:
        expected = body.get(name)
        assert getattr(job, name) == (None if expected is None else _instant(expected)), name
    assert job.results_url == body.get("results_url")
    assert job.error_message == body.get("error_message")
    for stamp in (job.created_at, job.started_at, job.completed_at):
        assert stamp is None or stamp.tzinfo is not None


def _wrong_values_for(field: str) -> st.SearchStrategy[Any]:
    not_text = st.one_of(st.integers(), st.booleans(), st.lists(st.integers(), max_size=2))
    garbage_text = st.text(min_size=1).filter(lambda s: not _is_datetime(s))
    by_field: dict[str, st.SearchStrategy[Any]] = {
        "job_id": st.one_of(not_text, st.just("not-a-uuid"), st.none()),
        "status": st.one_of(not_text, st.none()),
        "created_at": st.one_of(not_text, garbage_text, st.none()),
        "started_at": st.one_of(not_text, garbage_text),
        "completed_at": st.one_of(not_text, garbage_text),
        "results_url": st.one_of(not_text, st.just("ftp://files.example.com/x"), st.just("x.csv")),
        "error_message": not_text,
    }
    numbers_as_other_types = st.one_of(
        st.integers().map(str),
        st.booleans(),
        st.floats(allow_nan=False).filter(lambda f: not f.is_integer()),
        st.none(),
        st.integers(max_value=-1),
        st.integers(min_value=2**31),
    )
    return by_field.get(field, numbers_as_other_types)


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text.upper())
    except ValueError:
        return False
    return True


def _assert_rejected(body: bytes) -> None:
    with pytest.raises(ce.ResponseValidationError) as caught:
        _fetch(body)
    assert caught.value.body == body.decode()


# These run once per field: a quarter of the profile's examples each.
few_examples = settings(max_examples=settings.default.max_examples // 4)


@pytest.mark.parametrize("field", REQUIRED)
@few_examples
@given(body=valid_jobs)
def test_a_body_missing_a_required_field_is_rejected(field: str, body: dict[str, Any]) -> None:
    del body[field]
    _assert_rejected(json.dumps(body).encode())


@pytest.mark.parametrize("field", [*REQUIRED, *NULLABLE_DATES, "results_url", "error_message"])
@few_examples
@given(body=valid_jobs, data=st.data())
def test_a_field_of_the_wrong_type_is_rejected(
    field: str, body: dict[str, Any], data: st.DataObject
) -> None:
    body[field] = data.draw(_wrong_values_for(field), label=field)
    _assert_rejected(json.dumps(body).encode())


@given(body=valid_jobs, status=st.text().filter(lambda s: s not in STATUSES))
def test_an_unknown_status_is_rejected(body: dict[str, Any], status: str) -> None:
    body["status"] = status
    _assert_rejected(json.dumps(body).encode())


@few_examples
@given(body=valid_jobs, data=st.data())
def test_a_body_that_is_not_a_json_object_is_rejected(
    body: dict[str, Any], data: st.DataObject
) -> None:
    text = json.dumps(body)
    broken = data.draw(
        st.sampled_from(
            [text[: len(text) // 2], text + "}", "<html>", "", json.dumps([body]), "42"]
        )
    )
    _assert_rejected(broken.encode())


# --- the create and list endpoints' bodies --------------------------------------------

CREATED_SCHEMA = component_schema("CreatedExportJob")
PAGE_SCHEMA = component_schema("ExportJobPage")
uuids = {"uuid": st.uuids().map(str)}
valid_created = st.deferred(lambda: from_schema(CREATED_SCHEMA, custom_formats=uuids))
# Pages of a few items: enough to check each one is read, cheap to generate.
valid_pages = st.deferred(
    lambda: from_schema(
        {
            **PAGE_SCHEMA,
            "properties": {
                **PAGE_SCHEMA["properties"],
                "items": {**PAGE_SCHEMA["properties"]["items"], "maxItems": 3},
            },
        },
        custom_formats=uuids,
    )
)


def _serve(body: bytes, method: str) -> ce.CompanyEnrich:
    def answer(request: httpx.Request) -> httpx.Response:
        assert request.method == method
        return httpx.Response(200, content=body, headers={"content-type": "application/json"})

    http = httpx.Client(transport=httpx.MockTransport(answer))
    return ce.CompanyEnrich(api_key="k", http_client=http, max_retries=0)


def _create_from(body: bytes) -> ce.CreatedExportJob:
    with _serve(body, "POST") as client:
        return client.exports.create(count=1, search={"query": "x"})


def _page_from(body: bytes) -> ce.ExportJobPage:
    with _serve(body, "GET") as client:
        return client.exports.list_page()


@given(valid_created)
def test_every_valid_created_body_parses_field_by_field(body: dict[str, Any]) -> None:
    created = _create_from(json.dumps(body).encode())
    assert created.job_id == UUID(body["job_id"])
    # The vendor's example omits `status`: a job just created is pending.
    assert created.status.value == body.get("status", "pending")
    for name in ("requested_count", "total_matching", "estimated_credits"):
        assert getattr(created, name) == body[name], name


@given(valid_pages)
def test_every_valid_page_parses_item_by_item(body: dict[str, Any]) -> None:
    page = _page_from(json.dumps(body).encode())
    assert (page.page, page.total_pages, page.total_items) == (
        body["page"],
        body["totalPages"],
        body["totalItems"],
    )
    assert len(page.items) == len(body["items"])
    for item, raw in zip(page.items, body["items"], strict=True):
        assert item.job_id == UUID(raw["job_id"])
        assert item.status.value == raw["status"]
        assert item.exported_count == raw["exported_count"]
        assert item.created_at == _instant(raw["created_at"])


@pytest.mark.parametrize("field", CREATED_SCHEMA["required"])
@few_examples
@given(body=valid_created)
def test_a_created_body_missing_a_required_field_is_rejected(
    field: str, body: dict[str, Any]
) -> None:
    del body[field]
    with pytest.raises(ce.ResponseValidationError):
        _create_from(json.dumps(body).encode())


@pytest.mark.parametrize("field", PAGE_SCHEMA["required"])
@few_examples
@given(body=valid_pages)
def test_a_page_missing_a_required_field_is_rejected(field: str, body: dict[str, Any]) -> None:
    del body[field]
    with pytest.raises(ce.ResponseValidationError):
        _page_from(json.dumps(body).encode())


@few_examples
@given(body=valid_pages.filter(lambda page: page["items"]), data=st.data())
def test_a_page_with_a_broken_item_is_rejected(body: dict[str, Any], data: st.DataObject) -> None:
    index = data.draw(st.integers(0, len(body["items"]) - 1), label="item")
    field = data.draw(st.sampled_from(REQUIRED), label="field")
    del body["items"][index][field]
    with pytest.raises(ce.ResponseValidationError, match=rf"items\[{index}\]|{field}"):
        _page_from(json.dumps(body).encode())
