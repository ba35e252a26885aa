"""Error responses become typed exceptions carrying everything the server said."""

from __future__ import annotations

import json

import httpx
import pytest

import companyenrich_export
from companyenrich_export import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CompanyEnrichError,
    InternalServerError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    UnprocessableEntityError,
)

pytestmark = pytest.mark.anyio

EXPECTED_CLASS = {
    400: BadRequestError,
    401: AuthenticationError,
    402: PaymentRequiredError,
    404: NotFoundError,
    422: UnprocessableEntityError,
    429: RateLimitError,
    500: InternalServerError,
    502: InternalServerError,
    503: InternalServerError,
}
CONTENT_TYPES = ["application/json", "application/problem+json"]


@pytest.mark.parametrize("content_type", CONTENT_TYPES)
@pytest.mark.parametrize("status", sorted(EXPECTED_CLASS))
async def test_error_status_maps_to_its_class_with_problem_details(
    make_api, router, status: int, content_type: str
) -> None:
    # No retries: the class and attributes of the first answer are under test.
    api = make_api(max_retries=0)
    problem = api.bodies.problem(status, traceId="trace-1")
    raw = json.dumps(problem)
    router.get(api.job_url).respond(
        status,
        content=raw.encode(),
        headers={"Content-Type": content_type, "X-Request-Id": "req-42"},
    )

    with pytest.raises(APIStatusError) as caught:
        await api.exports.get(api.job_id)

    error = caught.value
    assert type(error) is EXPECTED_CLASS[status]
    assert error.status_code == status
    assert error.title == f"Title {status}"
    assert error.detail == f"Detail {status}"
    assert error.type == f"https://docs.companyenrich.com/problems/{status}"
    assert error.instance == f"/companies/search/async/{api.job_id}"
    assert error.body == raw
    assert error.headers["x-request-id"] == "req-42"
    assert error.request_id == "trace-1"
    assert f"{status} Title {status}: Detail {status}" in str(error)


@pytest.mark.parametrize("status", sorted(EXPECTED_CLASS))
async def test_non_json_error_body_still_gives_the_right_class(
    make_api, router, status: int
) -> None:
    # Gateways answer HTML; the class must come from the status alone.
    api = make_api(max_retries=0)
    router.get(api.job_url).respond(
        status, text="<html>upstream trouble</html>", headers={"Content-Type": "text/html"}
    )

    with pytest.raises(APIStatusError) as caught:
        await api.exports.get(api.job_id)

    error = caught.value
    assert type(error) is EXPECTED_CLASS[status]
    assert error.status_code == status
    assert error.body == "<html>upstream trouble</html>"
    assert (error.title, error.detail, error.type, error.instance) == (None, None, None, None)
    assert "upstream trouble" in str(error)


async def test_validation_errors_map_is_kept(make_api, router) -> None:
    api = make_api(max_retries=0)
    problem = api.bodies.problem(422, errors={"count": ["must be at most 50000"]})
    router.post(api.create_url).respond(422, json=problem)

    with pytest.raises(UnprocessableEntityError) as caught:
        await api.exports.create(count=10, search={"query": "x"})

    assert caught.value.errors == {"count": ["must be at most 50000"]}


async def test_undocumented_status_is_a_plain_api_status_error(make_api, router) -> None:
    api = make_api(max_retries=0)
    router.get(api.job_url).respond(403, json=api.bodies.problem(403))

    with pytest.raises(APIStatusError) as caught:
        await api.exports.get(api.job_id)

    assert type(caught.value) is APIStatusError
    assert caught.value.status_code == 403


@pytest.mark.parametrize(
    ("exception", "expected"),
    [
        (httpx.ConnectError("refused"), APIConnectionError),
        (httpx.ReadError("reset"), APIConnectionError),
        (httpx.ReadTimeout("slow"), APITimeoutError),
        (httpx.ConnectTimeout("slow"), APITimeoutError),
    ],
    ids=["connect", "read", "read-timeout", "connect-timeout"],
)
async def test_transport_failures_become_connection_errors(
    make_api, router, exception: Exception, expected: type[APIConnectionError]
) -> None:
    api = make_api(max_retries=0)
    router.get(api.job_url).mock(side_effect=exception)

    with pytest.raises(APIConnectionError) as caught:
        await api.exports.get(api.job_id)

    assert type(caught.value) is expected
    assert caught.value.request.url == api.job_url


def test_every_error_class_is_importable_from_the_package() -> None:
    names = [
        "CompanyEnrichError",
        "APIConnectionError",
        "APITimeoutError",
        "IncompleteDownloadError",
        "APIStatusError",
        "BadRequestError",
        "AuthenticationError",
        "PaymentRequiredError",
        "NotFoundError",
        "UnprocessableEntityError",
        "RateLimitError",
        "InternalServerError",
        "ResponseValidationError",
        "ExportFailedError",
        "ExportNotReadyError",
        "WaitTimeoutError",
    ]
    for name in names:
        assert name in companyenrich_export.__all__
        cls = getattr(companyenrich_export, name)
        # One base class catches everything the client raises on purpose.
        assert issubclass(cls, CompanyEnrichError)


@pytest.mark.parametrize("status", sorted(EXPECTED_CLASS))
async def test_error_messages_never_contain_the_key(
    make_api, router, caplog: pytest.LogCaptureFixture, status: int
) -> None:
    caplog.set_level("DEBUG")
    api = make_api()
    router.get(api.job_url).respond(status, json=api.bodies.problem(status))

    with pytest.raises(APIStatusError) as caught:
        await api.exports.get(api.job_id)

    error = caught.value
    for text in (str(error), repr(error), error.message, caplog.text):
        assert api.key not in text
        assert "SECRET123" not in text
