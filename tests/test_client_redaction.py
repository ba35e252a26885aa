"""The API key never shows: not in reprs, messages or logs. Logs say what happened instead."""

from __future__ import annotations

import json
import logging
import pickle
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APIStatusError,
    CompanyEnrichError,
    ExportFailedError,
    ExportJob,
    ExportNotReadyError,
    JobStatus,
    ResponseValidationError,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio

LOGGER = "companyenrich_export"


# The key as a server might echo it in a job's text; the body writes its `-`
# as JSON's \u002d, so only the decoded text holds the key.
ECHOED_KEY = "asked with Bearer sk-live-SECRET123 (sk-live-SECRET123)"


def _echoing(body: dict[str, object]) -> bytes:
    return json.dumps(body).replace("sk-live", "sk\\u002dlive").encode()


def _assert_no_secret(*texts: str) -> None:
    for text in texts:
        assert "sk-live-SECRET123" not in text
        assert "SECRET123" not in text


async def test_reprs_never_show_the_key(api) -> None:
    client = api.client
    # The config is internal, but it is what holds the key: its repr must hide it too.
    config = client._config
    texts = [repr(client), str(client), repr(client.exports), repr(config), str(config)]

    _assert_no_secret(*texts)
    assert "api.companyenrich.com" in repr(client)
    assert "api_key" not in repr(config)


async def test_exception_reprs_never_show_the_key(make_api, router) -> None:
    api = make_api(max_retries=0)
    router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(401, json={"title": "Unauthorized", "detail": "bad key"}),
            httpx.ConnectError("refused"),
            httpx.Response(200, json=api.bodies.pending()),
        ]
    )
    errors: list[CompanyEnrichError] = []
    for _ in range(2):
        with pytest.raises(CompanyEnrichError) as caught:
            await api.exports.get(api.job_id, timeout=1.0)
        errors.append(caught.value)
    job = await api.exports.get(api.job_id)
    errors += [
        ExportNotReadyError(job),
        ExportFailedError(job),
        WaitTimeoutError(job.job_id, 5, job),
    ]

    for error in errors:
        _assert_no_secret(str(error), repr(error), repr(error.args))


async def test_job_repr_never_shows_the_key_or_the_signature(api, router) -> None:
    signed = f"{api.base_url}/files/job.csv?token=sk-live-SECRET123"
    router.get(api.job_url).respond(200, json=api.bodies.job(results_url=signed))

    job = await api.exports.get(api.job_id)

    _assert_no_secret(repr(job), str(job))


async def test_a_failed_job_echoing_the_key_never_shows_or_pickles_it(
    api, router, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    failed = api.bodies.job(status="failed", results_url=None, error_message=ECHOED_KEY)
    router.get(api.job_url).respond(200, content=_echoing(failed))

    job = await api.exports.get(api.job_id)
    with pytest.raises(ExportFailedError) as caught:
        await api.exports.wait(api.job_id)

    error = caught.value
    assert job.error_message == "asked with Bearer [redacted] ([redacted])"
    assert error.error_message == job.error_message
    assert error.job.error_message == job.error_message
    assert str(error) == f"Export job {api.job_id} failed: {job.error_message}"
    _assert_no_secret(repr(job), str(error), repr(error), caplog.text)
    assert b"SECRET123" not in pickle.dumps(error)


@pytest.mark.parametrize("field", ["created_at", "started_at", "completed_at"])
async def test_a_date_echoing_the_key_is_refused_without_it_in_any_case(
    api, router, field: str
) -> None:
    # Dates are upper-cased for fromisoformat: the key must not come out in capitals.
    router.get(api.job_url).respond(200, json=api.bodies.job(**{field: "sk-live-SECRET123"}))

    with pytest.raises(ResponseValidationError) as caught:
        await api.exports.get(api.job_id)

    for text in (str(caught.value), caught.value.body):
        assert "secret123" not in text.lower()


async def test_requests_are_logged_with_method_path_status_and_attempt(
    api, router, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    router.get(api.job_url).mock(
        side_effect=[httpx.Response(503), httpx.Response(200, json=api.bodies.job())]
    )

    await api.exports.get(api.job_id)

    ours = [r for r in caplog.records if r.name == LOGGER]
    messages = [r.getMessage() for r in ours]
    path = f"/companies/search/async/{api.job_id}"
    assert f"GET {path} -> 503 (attempt 1)" in messages
    assert f"GET {path} failed (503); retry 1 of 2 in 0.50 s" in messages
    assert f"GET {path} -> 200 (attempt 2)" in messages
    # Retries are worth seeing at INFO; every response only at DEBUG.
    levels = {r.getMessage(): r.levelno for r in ours}
    assert levels[f"GET {path} failed (503); retry 1 of 2 in 0.50 s"] == logging.INFO
    assert levels[f"GET {path} -> 200 (attempt 2)"] == logging.DEBUG
    _assert_no_secret(caplog.text)


async def test_transport_failures_are_logged_by_exception_name(
    api, router, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG, logger=LOGGER)
    router.post(api.create_url).mock(
        side_effect=[httpx.ConnectError("refused"), httpx.Response(200, json=api.bodies.created())]
    )

    await api.exports.create(count=1, search={"query": "x"})

    assert "POST /companies/search/async failed (ConnectError); retry 1 of 2" in caplog.text
    _assert_no_secret(caplog.text)


async def test_nothing_logged_anywhere_contains_the_key(
    api, router, tmp_path, caplog: pytest.LogCaptureFixture
) -> None:
    # Every logger (httpx's included), at DEBUG, through a whole failing-then-working run.
    caplog.set_level(logging.DEBUG)
    fresh = "https://exports.example-storage.com/r/job.csv?sig=fresh"
    router.post(api.create_url).mock(
        side_effect=[httpx.Response(429), httpx.Response(200, json=api.bodies.created())]
    )
    router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, json=api.bodies.job()),
            httpx.Response(200, json=api.bodies.job(results_url=fresh)),
        ]
    )
    router.get(api.storage_url).respond(403)
    router.get(fresh).respond(200, content=b"x\n")

    # create: 429 then retried; wait: 503 then retried; download: link refused, refreshed.
    result = await api.exports.run(count=1, search={"query": "x"}, dest=tmp_path / "out.csv")

    assert result.path.read_bytes() == b"x\n"
    assert "retry 1 of 2" in caplog.text
    assert "refused (403); refreshing it" in caplog.text
    _assert_no_secret(caplog.text)
    # The pre-signed link is a credential too: we log only its path. (httpx's own
    # "HTTP Request:" INFO line does print full URLs; that logger is the caller's to tune.)
    ours = "\n".join(r.getMessage() for r in caplog.records if r.name == LOGGER)
    assert "refused (403)" in ours
    assert "sig=" not in ours
    assert "X-Signature" not in ours


def test_status_error_repr_is_its_message() -> None:
    request = httpx.Request(
        "GET",
        "https://api.companyenrich.com/x",
        headers={"Authorization": "Bearer sk-live-SECRET123"},
    )
    error = APIStatusError("418 Teapot", response=httpx.Response(418, request=request))

    assert repr(error) == "APIStatusError('418 Teapot')"


def test_job_built_by_hand_hides_its_signature() -> None:
    job = ExportJob(
        job_id=UUID(int=7),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        results_url="https://s.example/a.csv?X-Amz-Signature=SECRET123",
    )
    _assert_no_secret(repr(job))
