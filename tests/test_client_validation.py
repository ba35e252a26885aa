"""2xx bodies that break the contract raise ResponseValidationError, never a bare KeyError."""

from __future__ import annotations

import json
from typing import Any

import pytest

from companyenrich_export import ResponseValidationError

pytestmark = pytest.mark.anyio

REQUIRED_JOB_FIELDS = [
    "job_id",
    "status",
    "requested_count",
    "total_matching",
    "exported_count",
    "credits_charged",
    "created_at",
]

# (override, what the message must mention); each breaks exactly one rule of the spec.
# None: the message is the generated model's own (it does not name the field).
BAD_JOB_FIELDS: list[tuple[dict[str, Any], str | None]] = [
    ({"requested_count": "10"}, "requested_count"),
    ({"exported_count": True}, "exported_count"),
    ({"credits_charged": 1.5}, "credits_charged"),
    ({"total_matching": -1}, "total_matching"),
    ({"total_matching": 2**31}, "total_matching"),
    ({"status": "cancelled"}, "cancelled"),
    ({"job_id": "not-a-uuid"}, None),
    ({"created_at": "yesterday"}, None),
    ({"created_at": None}, None),
    ({"started_at": "not-a-date"}, "started_at"),
    ({"completed_at": "2026-13-45T99:00:00Z"}, "completed_at"),
    ({"completed_at": 1771293843}, "completed_at"),
    ({"results_url": "/relative/file.csv"}, "results_url"),
    ({"results_url": "ftp://files.example/x.csv"}, "results_url"),
    ({"results_url": "https:///no-host.csv"}, "results_url"),
    ({"results_url": 42}, "results_url"),
    ({"error_message": ["boom"]}, "error_message"),
]


def _assert_validation_error(error: ResponseValidationError, raw: str) -> None:
    assert error.body == raw
    assert error.response is not None
    assert error.response.status_code == 200
    # It is not one of the built-ins a caller might catch by mistake.
    assert not isinstance(error, KeyError | ValueError | TypeError)


@pytest.mark.parametrize(
    "raw",
    ["{not json", "", "[]", '"completed"', "null", "42"],
    ids=["invalid", "empty", "array", "string", "null", "number"],
)
async def test_body_that_is_not_a_json_object(api, router, raw: str) -> None:
    route = router.get(api.job_url).respond(200, text=raw)

    with pytest.raises(ResponseValidationError) as caught:
        await api.exports.get(api.job_id)

    _assert_validation_error(caught.value, raw)
    # A broken body is not a transient error: no retry.
    assert route.call_count == 1


@pytest.mark.parametrize("field", REQUIRED_JOB_FIELDS)
async def test_missing_required_field(api, router, field: str) -> None:
    body = api.bodies.job()
    del body[field]
    raw = json.dumps(body)
    router.get(api.job_url).respond(200, text=raw)

    with pytest.raises(ResponseValidationError, match=field) as caught:
        await api.exports.get(api.job_id)

    _assert_validation_error(caught.value, raw)


@pytest.mark.parametrize(
    ("override", "mentioned"), BAD_JOB_FIELDS, ids=[repr(o) for o, _ in BAD_JOB_FIELDS]
)
async def test_wrong_value_in_a_job(
    api, router, override: dict[str, Any], mentioned: str | None
) -> None:
    raw = json.dumps(api.bodies.job(**override))
    router.get(api.job_url).respond(200, text=raw)

    with pytest.raises(ResponseValidationError, match=mentioned) as caught:
        await api.exports.get(api.job_id)

    _assert_validation_error(caught.value, raw)
    assert "breaks the API contract" in str(caught.value)


async def test_unknown_members_are_allowed(api, router) -> None:
    # The vendor adds fields over time; that is not drift.
    router.get(api.job_url).respond(200, json=api.bodies.job(region="eu", tags=["a"]))

    job = await api.exports.get(api.job_id)

    assert job.job_id.hex == api.job_id.replace("-", "")


@pytest.mark.parametrize(
    "body",
    [
        {"job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6", "requested_count": 1},
        {
            "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "requested_count": "1",
            "total_matching": 1,
            "estimated_credits": 1,
        },
        {
            "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "status": "queued",
            "requested_count": 1,
            "total_matching": 1,
            "estimated_credits": 1,
        },
    ],
    ids=["missing-fields", "string-count", "unknown-status"],
)
async def test_broken_created_job(api, router, body: dict[str, Any]) -> None:
    raw = json.dumps(body)
    router.post(api.create_url).respond(200, text=raw)

    with pytest.raises(ResponseValidationError) as caught:
        await api.exports.create(count=1, search={"query": "x"})

    _assert_validation_error(caught.value, raw)


@pytest.mark.parametrize(
    "page",
    [
        {"items": {}, "page": 1, "totalPages": 1, "totalItems": 0},
        {"items": [], "page": 0, "totalPages": 1, "totalItems": 0},
        {"items": [], "page": 1, "totalPages": "1", "totalItems": 0},
        {"items": [], "page": 1, "totalItems": 0},
        {"items": [{"job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6"}], "page": 1,
         "totalPages": 1, "totalItems": 1},
        {"items": ["x"], "page": 1, "totalPages": 1, "totalItems": 1},
    ],
    ids=["items-object", "page-zero", "string-total", "missing-total", "bad-item", "item-string"],
)  # fmt: skip
async def test_broken_page(api, router, page: dict[str, Any]) -> None:
    raw = json.dumps(page)
    router.get(api.list_url).respond(200, text=raw)

    with pytest.raises(ResponseValidationError) as caught:
        await api.exports.list_page()

    _assert_validation_error(caught.value, raw)
