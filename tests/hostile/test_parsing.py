"""Reading a response raises only CompanyEnrichError subclasses, whatever the body or its encoding.

Deep nesting, a body that claims gzip and is not, timestamps at the edge of
what `datetime` holds, another job's body, counts at and past the int32
bounds: each is either read correctly or reported as the typed error it is.
"""

from __future__ import annotations

import io
import json
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APIStatusError,
    CompanyEnrichError,
    ExportJob,
    InternalServerError,
    JobStatus,
    NotFoundError,
    ResponseValidationError,
)
from companyenrich_export._cli._output import format_job, format_jobs_table

from _hostile import (
    JOB_ID,
    OTHER_JOB_ID,
    Connection,
    RawRequest,
    completed_body,
    job_body,
    nested,
    reply,
)

pytestmark = pytest.mark.anyio

DEEP = 100_000


def answering(status: int, content: bytes, **headers: str) -> httpx.MockTransport:
    """An in-process transport giving every request the same answer."""
    return httpx.MockTransport(
        lambda request: httpx.Response(status, content=content, headers=headers)
    )


def serving(data: bytes) -> Callable[[RawRequest, Connection], None]:
    def script(request: RawRequest, connection: Connection) -> None:
        connection.send(data)

    return script


# --- nesting -----------------------------------------------------------------------------


@pytest.mark.parametrize("depth", [1_000, DEEP])
async def test_a_success_body_nested_thousands_deep_is_a_validation_error(
    make_client, depth: int
) -> None:
    client = make_client(transport=answering(200, nested(depth)))

    with pytest.raises(ResponseValidationError, match="nested too deeply"):
        await client.exports.get(JOB_ID)


@pytest.mark.parametrize("operation", ["list_page", "create"])
async def test_every_operation_reports_deep_nesting_as_a_validation_error(
    make_client, operation: str
) -> None:
    client = make_client(transport=answering(200, nested(DEEP)))
    calls = {
        "list_page": lambda: client.exports.list_page(),
        "create": lambda: client.exports.create(count=1, search={"countries": ["DE"]}),
    }

    with pytest.raises(ResponseValidationError):
        await calls[operation]()


async def test_a_deep_value_inside_a_valid_job_is_a_validation_error(make_client) -> None:
    # Valid at the top, with a member nested past the recursion limit.
    body = json.dumps(job_body(error_message="x"))[:-1] + ', "extra": ' + "[" * DEEP + "]" * DEEP
    client = make_client(transport=answering(200, (body + "}").encode()))

    with pytest.raises(ResponseValidationError):
        await client.exports.get(JOB_ID)


@pytest.mark.parametrize("status", [404, 500])
async def test_an_error_body_nested_thousands_deep_keeps_its_class(
    make_client, status: int
) -> None:
    client = make_client(
        transport=answering(status, nested(DEEP), **{"content-type": "application/problem+json"})
    )

    with pytest.raises(APIStatusError) as caught:
        await client.exports.get(JOB_ID)

    error = caught.value
    assert type(error) is (NotFoundError if status == 404 else InternalServerError)
    assert error.problem == {}
    assert (error.title, error.detail) == (None, None)
    assert len(str(error)) < 400


async def test_a_problem_nested_too_deep_to_walk_safely_is_dropped(make_client) -> None:
    # Parses, but 40 levels is more than any problem document needs.
    body = b'{"title": "x", "nest": ' + b"[" * 40 + b"]" * 40 + b"}"
    client = make_client(transport=answering(404, body))

    with pytest.raises(NotFoundError) as caught:
        await client.exports.get(JOB_ID)

    assert caught.value.problem == {}


# --- a body that is not what its Content-Encoding says -----------------------------------


async def test_gzip_claimed_over_plain_json_is_a_validation_error(hostile, make_client) -> None:
    body = json.dumps(job_body()).encode()
    server = hostile(
        serving(
            reply(200, body, [("Content-Type", "application/json"), ("Content-Encoding", "gzip")])
        )
    )
    client = make_client(base_url=server.url)

    with pytest.raises(ResponseValidationError):
        await client.exports.get(JOB_ID)


@pytest.mark.parametrize(("status", "expected"), [(404, NotFoundError), (500, InternalServerError)])
async def test_gzip_claimed_over_a_plain_error_body_keeps_the_status_class(
    hostile, make_client, status: int, expected: type[APIStatusError]
) -> None:
    body = json.dumps({"title": "Nope", "status": status}).encode()
    server = hostile(
        serving(
            reply(
                status,
                body,
                [("Content-Type", "application/problem+json"), ("Content-Encoding", "gzip")],
            )
        )
    )
    client = make_client(base_url=server.url)

    with pytest.raises(APIStatusError) as caught:
        await client.exports.get(JOB_ID)

    assert type(caught.value) is expected
    assert caught.value.status_code == status


async def test_an_unknown_content_encoding_is_not_a_crash(hostile, make_client) -> None:
    body = json.dumps(job_body()).encode()
    server = hostile(
        serving(
            reply(200, body, [("Content-Type", "application/json"), ("Content-Encoding", "br9")])
        )
    )
    client = make_client(base_url=server.url)

    # httpx ignores encodings it does not know: the body is read as it is.
    job = await client.exports.get(JOB_ID)

    assert job.job_id == UUID(JOB_ID)


# --- timestamps at the edges of datetime -------------------------------------------------

UNREPRESENTABLE = [
    "0001-01-01T00:00:00+01:00",
    "0001-01-01T00:59:59+01:00",
    "9999-12-31T23:00:00-05:00",
    "9999-12-31T23:59:59.999999-00:01",
]
EDGE_BUT_FINE = [
    "0001-01-01T00:00:00Z",
    "0001-01-01T00:00:00-05:00",
    "0001-01-01T01:00:00+01:00",
    "9999-12-31T23:59:59.999999Z",
    "9999-12-31T23:59:59+05:00",
]


@pytest.mark.parametrize("field", ["created_at", "started_at", "completed_at"])
@pytest.mark.parametrize("stamp", UNREPRESENTABLE)
async def test_a_timestamp_outside_the_utc_range_is_a_validation_error(
    make_client, field: str, stamp: str
) -> None:
    body = json.dumps(completed_body("https://s.example/r.csv", **{field: stamp})).encode()
    client = make_client(transport=answering(200, body))

    with pytest.raises(ResponseValidationError, match=field):
        await client.exports.get(JOB_ID)


@pytest.mark.parametrize("stamp", EDGE_BUT_FINE)
async def test_an_edge_timestamp_that_exists_in_utc_is_read_and_shown(
    make_client, stamp: str
) -> None:
    fields = {"created_at": stamp, "started_at": stamp, "completed_at": stamp}
    body = json.dumps(completed_body("https://s.example/r.csv", **fields)).encode()
    client = make_client(transport=answering(200, body))

    job = await client.exports.get(JOB_ID)

    assert job.created_at == datetime.fromisoformat(stamp.replace("Z", "+00:00"))
    # Every way the CLI shows a job works on it (none may raise OverflowError).
    shown = format_job(job)
    assert job.created_at.astimezone(UTC).strftime("%Y-%m-%d") in shown
    assert json.loads(job.to_json())["created_at"] == job.created_at.isoformat()
    for interactive in (False, True):
        table = io.StringIO()
        format_jobs_table([job], table, interactive=interactive)
        assert job.created_at.astimezone(UTC).strftime("%Y-%m-%d") in table.getvalue()


# --- a body for another job --------------------------------------------------------------


async def test_get_refuses_a_body_for_another_job(make_client) -> None:
    body = json.dumps(job_body(job_id=OTHER_JOB_ID)).encode()
    client = make_client(transport=answering(200, body))

    with pytest.raises(ResponseValidationError, match=OTHER_JOB_ID) as caught:
        await client.exports.get(JOB_ID)

    assert JOB_ID in str(caught.value)


async def test_wait_refuses_a_body_for_another_job(make_client) -> None:
    body = json.dumps(completed_body("https://s.example/r.csv", job_id=OTHER_JOB_ID)).encode()
    client = make_client(transport=answering(200, body))

    with pytest.raises(ResponseValidationError, match=OTHER_JOB_ID):
        await client.exports.wait(JOB_ID, timeout=60)


async def test_download_by_id_never_fetches_another_jobs_file(make_client, tmp_path) -> None:
    fetched: list[str] = []

    def answer(request: httpx.Request) -> httpx.Response:
        fetched.append(request.url.path)
        if request.url.host == "s.example":
            return httpx.Response(200, content=b"someone else's data\n")
        return httpx.Response(
            200, json=completed_body("https://s.example/other.csv", job_id=OTHER_JOB_ID)
        )

    client = make_client(transport=httpx.MockTransport(answer))

    with pytest.raises(ResponseValidationError):
        await client.exports.download(JOB_ID, tmp_path / "out.csv")

    assert fetched == [f"/companies/search/async/{JOB_ID}"]
    assert list(tmp_path.iterdir()) == []


# --- counts: non-negative int32 ------------------------------------------------------------

COUNTS = ["requested_count", "total_matching", "exported_count", "credits_charged"]
INT32_MAX = 2**31 - 1


@pytest.mark.parametrize("field", COUNTS)
@pytest.mark.parametrize(
    ("value", "accepted"),
    [(0, True), (INT32_MAX, True), (-1, False), (-(2**31), False), (2**31, False)],
    ids=["zero", "int32-max", "minus-one", "int32-min", "int32-max-plus-one"],
)
async def test_counts_are_non_negative_int32(
    make_client, field: str, value: int, accepted: bool
) -> None:
    body = json.dumps(completed_body("https://s.example/r.csv", **{field: value})).encode()
    client = make_client(transport=answering(200, body))

    if accepted:
        job = await client.exports.get(JOB_ID)
        assert getattr(job, field) == value
    else:
        with pytest.raises(ResponseValidationError, match=field):
            await client.exports.get(JOB_ID)


@pytest.mark.parametrize("field", COUNTS)
@pytest.mark.parametrize("value", [-1, -(2**31), 2**31])
async def test_counts_out_of_range_are_refused_in_list_items_too(
    make_client, field: str, value: int
) -> None:
    item = completed_body("https://s.example/r.csv", **{field: value})
    del item["results_url"], item["error_message"]
    page = {"items": [item], "page": 1, "totalPages": 1, "totalItems": 1}
    client = make_client(transport=answering(200, json.dumps(page).encode()))

    with pytest.raises(ResponseValidationError, match=field):
        await client.exports.list_page()


# --- whatever the generated models trip on -----------------------------------------------


@pytest.mark.parametrize(
    "fields",
    [
        {"status": {"not": "hashable"}},
        {"status": ["completed"]},
        {"job_id": {"a": 1}},
        {"created_at": ["2026-02-17T02:04:03Z"]},
        {"created_at": "2026-02-17T02:04:03" + "0" * 100_000},
        {"results_url": {"href": "https://s.example"}},
        {"requested_count": "100"},
        {"requested_count": 1.5},
        {"requested_count": True},
    ],
    ids=lambda fields: next(iter(fields)),
)
async def test_odd_values_are_validation_errors_never_raw_exceptions(
    make_client, fields: dict[str, object]
) -> None:
    body = json.dumps({**completed_body("https://s.example/r.csv"), **fields}).encode()
    client = make_client(transport=answering(200, body))

    with pytest.raises(CompanyEnrichError) as caught:
        await client.exports.get(JOB_ID)

    assert type(caught.value) is ResponseValidationError


async def test_a_number_of_thousands_of_digits_is_a_validation_error(make_client) -> None:
    # json.loads refuses integers past 4,300 digits with a ValueError of its own.
    raw = json.dumps(job_body())[:-1] + ', "requested_count": 1' + "0" * 5_000 + "}"
    client = make_client(transport=answering(200, raw.encode()))

    with pytest.raises(ResponseValidationError):
        await client.exports.get(JOB_ID)


async def test_a_not_ready_message_for_a_completed_job_without_a_link_says_so(
    make_client, tmp_path
) -> None:
    from companyenrich_export import ExportNotReadyError

    job = ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
    )
    client = make_client(transport=answering(500, b""))

    with pytest.raises(ExportNotReadyError) as caught:
        await client.exports.download(job, tmp_path / "out.csv")

    message = str(caught.value)
    assert "no results link" in message
    assert "not completed" not in message
