"""The API key and URL credentials never show, whatever the server or the transport says.

"Show" means anywhere a person or a log could read it: str(), repr(), the
args, a printed traceback (chained exceptions included), a pickle, `.body`,
`.problem`, `.headers`, log lines.
"""

from __future__ import annotations

import json
import logging
from datetime import UTC, datetime
from urllib.parse import quote
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APIConnectionError,
    APIStatusError,
    AsyncCompanyEnrich,
    CompanyEnrich,
    ExportJob,
    InternalServerError,
    JobStatus,
    ResponseValidationError,
    UnprocessableEntityError,
)
from companyenrich_export._cli._output import format_job

from _hostile import (
    JOB_ID,
    KEY,
    Connection,
    RawRequest,
    Script,
    completed_body,
    reply,
    secret_forms,
    texts_of,
)

pytestmark = pytest.mark.anyio

CLIENTS = [CompanyEnrich, AsyncCompanyEnrich]


def assert_hidden(texts: list[str], *secrets: str) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret!r} shown in: {text[:300]!r}"


# --- the key is checked before it can reach a header --------------------------------


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
@pytest.mark.parametrize(
    "odd", ["\v", "\f", "\x00", "\t", " ", "\n", "\x7f", "é", "\u200b"], ids=repr
)
def test_a_key_with_anything_but_visible_ascii_is_refused_at_construction(
    cls: type[CompanyEnrich | AsyncCompanyEnrich], odd: str
) -> None:
    key = f"sk-live-{odd}SECRET123"

    with pytest.raises(ValueError, match="visible ASCII") as caught:
        cls(api_key=key)

    assert_hidden([str(caught.value), repr(caught.value)], key, "SECRET123")


def test_a_bad_key_from_the_environment_is_refused_too(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("COMPANYENRICH_API_KEY", "sk-live-SECRET123\n")

    with pytest.raises(ValueError, match="COMPANYENRICH_API_KEY") as caught:
        CompanyEnrich()

    assert "SECRET123" not in str(caught.value)


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
def test_base_url_credentials_are_refused_without_being_shown(
    cls: type[CompanyEnrich | AsyncCompanyEnrich],
) -> None:
    # httpx would turn them into Basic auth, replacing the Bearer key on every request.
    with pytest.raises(ValueError, match="credentials") as caught:
        cls(api_key=KEY, base_url="https://proxyuser:hunter2@api.companyenrich.com")

    assert "hunter2" not in str(caught.value)


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
def test_an_invalid_base_url_is_not_quoted_with_its_credentials(
    cls: type[CompanyEnrich | AsyncCompanyEnrich],
) -> None:
    with pytest.raises(ValueError, match="base_url") as caught:
        cls(api_key=KEY, base_url="ftp://proxyuser:hunter2@api.example/?sig=s3cr3t")

    assert_hidden([str(caught.value)], "hunter2", "s3cr3t")


# --- transport errors ------------------------------------------------------------------


def _h11_refusal(request: httpx.Request) -> httpx.Response:
    # What h11 says of a header value it refuses: the value, quoted as bytes.
    raise httpx.LocalProtocolError(f"Illegal header value b'Bearer {KEY}'")


async def test_a_transport_error_quoting_a_header_carries_no_key(
    make_client, caplog: pytest.LogCaptureFixture
) -> None:
    caplog.set_level(logging.DEBUG)
    client = make_client(transport=httpx.MockTransport(_h11_refusal))

    with pytest.raises(APIConnectionError) as caught:
        await client.exports.get(JOB_ID)

    assert_hidden([*texts_of(caught.value), caplog.text], *secret_forms(KEY))


async def test_a_download_transport_error_quoting_a_header_carries_no_key(
    make_client, tmp_path
) -> None:
    # A results link on the API's own origin is fetched with the key.
    client = make_client(transport=httpx.MockTransport(_h11_refusal))
    job = ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url="https://api.companyenrich.com/files/results.csv",
    )

    with pytest.raises(APIConnectionError) as caught:
        await client.exports.download(job, tmp_path / "never-written.csv")

    assert_hidden(texts_of(caught.value), *secret_forms(KEY))


# --- a server that echoes the Authorization header back ----------------------------------


def _echoing(status: int) -> Script:
    """A problem document quoting the request's Authorization header every way it can."""

    def script(request: RawRequest, connection: Connection) -> None:
        auth = request.headers.get("authorization", "")
        escaped = "".join(f"\\u{ord(char):04x}" for char in auth)
        members = {
            "type": "https://example.test/problems/echo",
            "title": f"Refused {auth}",
            "status": status,
            "detail": f"The header was {auth}",
            "instance": "/echo?auth=" + quote(auth, safe=""),
            "errors": {"authorization": [f"not accepted: {auth}"]},
        }
        raw = json.dumps(members)[:-1] + f', "escaped": "{escaped}"}}'
        connection.send(
            reply(
                status,
                raw.encode(),
                [("Content-Type", "application/problem+json"), ("X-Echo", auth)],
            )
        )

    return script


def _shown_by(error: APIStatusError) -> list[str]:
    return [
        *texts_of(error),
        error.body,
        json.dumps(error.problem),
        repr(list(error.headers.multi_items())),
        str(error.detail),
        str(error.title),
    ]


@pytest.mark.parametrize(
    ("status", "expected"),
    [(400, APIStatusError), (422, UnprocessableEntityError), (503, InternalServerError)],
)
async def test_a_key_echoed_into_an_error_body_is_redacted_everywhere(
    hostile, make_client, status: int, expected: type[APIStatusError]
) -> None:
    server = hostile(_echoing(status))
    client = make_client(base_url=server.url)

    with pytest.raises(APIStatusError) as caught:
        await client.exports.get(JOB_ID)

    error = caught.value
    assert isinstance(error, expected)
    assert error.status_code == status
    assert_hidden(_shown_by(error), *secret_forms(KEY))
    # Redacted, not dropped: the rest of what the server said is still there.
    assert error.detail == "The header was Bearer [redacted]"
    assert error.problem["escaped"] == "Bearer [redacted]"


async def test_a_key_echoed_into_a_create_error_is_redacted(hostile, make_client) -> None:
    server = hostile(_echoing(422))
    client = make_client(base_url=server.url)

    with pytest.raises(UnprocessableEntityError) as caught:
        await client.exports.create(count=1, search={"countries": ["DE"]})

    assert_hidden(_shown_by(caught.value), *secret_forms(KEY))
    assert "authorization: not accepted: Bearer [redacted]" in str(caught.value)


def _echoing_success(request: RawRequest, connection: Connection) -> None:
    auth = request.headers.get("authorization", "")
    connection.send(reply(200, f"Authorization: {auth}".encode(), [("Content-Type", "text/plain")]))


@pytest.mark.parametrize("operation", ["get", "list_page", "create"])
async def test_a_key_echoed_into_a_success_body_is_redacted(
    hostile, make_client, operation: str
) -> None:
    server = hostile(_echoing_success)
    client = make_client(base_url=server.url)
    calls = {
        "get": lambda: client.exports.get(JOB_ID),
        "list_page": lambda: client.exports.list_page(),
        "create": lambda: client.exports.create(count=1, search={"countries": ["DE"]}),
    }

    with pytest.raises(ResponseValidationError) as caught:
        await calls[operation]()

    assert_hidden([*texts_of(caught.value), caught.value.body], *secret_forms(KEY))
    assert "Authorization: Bearer [redacted]" in caught.value.body


# --- URL credentials and signatures ------------------------------------------------------

LINK = "https://linkuser:hunter2@exports.example-storage.com/r/job.csv?X-Amz-Signature=s3cr3t#frag"


def test_job_repr_and_the_cli_view_hide_link_credentials_and_signature() -> None:
    job = ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=LINK,
    )

    shown = [repr(job), str(job), format_job(job)]

    assert_hidden(shown, "linkuser", "hunter2", "s3cr3t", "frag")
    assert "exports.example-storage.com/r/job.csv" in repr(job)


@pytest.mark.parametrize("cls", CLIENTS, ids=["sync", "async"])
def test_client_and_exports_reprs_show_the_base_url_only(
    cls: type[CompanyEnrich | AsyncCompanyEnrich],
) -> None:
    client = cls(api_key=KEY, base_url="https://api.example.test/mount")

    shown = [repr(client), str(client), repr(client.exports)]

    assert_hidden(shown, *secret_forms(KEY))
    assert "https://api.example.test/mount" in repr(client)
    assert "https://api.example.test/mount" in repr(client.exports)


@pytest.mark.parametrize(
    "link",
    [
        "ftp://linkuser:hunter2@exports.example/r.csv?sig=s3cr3t",
        "https://linkuser:hunter2@exports.example/r\x1b[2J.csv?sig=s3cr3t",
        "https://linkuser:hunter2@exports.example/r .csv?sig=s3cr3t",
    ],
    ids=["not-http", "escape-sequence", "space"],
)
async def test_an_invalid_results_link_is_reported_without_its_credentials(
    make_client, link: str
) -> None:
    body = json.dumps(completed_body(link)).encode()
    client = make_client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    )

    with pytest.raises(ResponseValidationError, match="results_url") as caught:
        await client.exports.get(JOB_ID)

    assert_hidden([str(caught.value), repr(caught.value)], "hunter2", "s3cr3t", "\x1b")


async def test_a_body_excerpt_in_a_message_has_its_links_redacted(make_client) -> None:
    body = b"<html>moved to https://u:hunter2@exports.example/r.csv?sig=s3cr3t</html>"
    client = make_client(
        transport=httpx.MockTransport(lambda request: httpx.Response(200, content=body))
    )

    with pytest.raises(ResponseValidationError, match="not JSON") as caught:
        await client.exports.get(JOB_ID)

    assert_hidden([str(caught.value)], "hunter2", "s3cr3t")
    assert "https://exports.example/r.csv?<redacted>" in str(caught.value)
    # The raw body is kept whole for the report to the vendor.
    assert caught.value.body == body.decode()
