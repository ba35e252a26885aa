"""The last leaks: the key in escaped forms and chained causes, a link's signature echoed by
storage, and results hosts that cannot be looked up. Library (sync and async) and CLI.
"""

from __future__ import annotations

import json
import logging
import os
import subprocess
import sys
import traceback
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import pytest

from companyenrich_export import (
    APIConnectionError,
    APIStatusError,
    CompanyEnrichError,
    ExportJob,
    JobStatus,
    ResultsLinkError,
)
from companyenrich_export._core._redact import RedactingFilter, redact_text

from _hostile import (
    JOB_ID,
    JOB_PATH,
    Connection,
    RawRequest,
    by_path,
    completed_body,
    reply,
    texts_of,
)

pytestmark = pytest.mark.anyio

# Visible ASCII, so a valid key; the backslash and quote make every escaped form differ.
ODD_KEY = "sk-odd\\key'with\"quotes-77Xq"
SIGNATURE = "s1gn4ture-Zq8"
SUBPROCESS_DEADLINE = 60


def _escaped_forms(secret: str) -> list[str]:
    return [
        secret,
        secret.replace("\\", "\\\\"),
        repr(secret)[1:-1],
        repr(secret.encode())[2:-1],
        json.dumps(secret)[1:-1],
        secret[7:],  # the tail stays recognisable in any quoting
    ]


def _assert_hidden(texts: list[str], *secrets: str) -> None:
    for text in texts:
        for secret in secrets:
            assert secret not in text, f"{secret!r} shown in {text[:300]!r}"


def _header_echo(request: RawRequest, connection: Connection) -> None:
    # A header line without a colon, quoting the Authorization header: h11 refuses
    # it and quotes the line, as a bytes repr, in its error.
    auth = request.headers.get("authorization", "")
    connection.send(f"HTTP/1.1 200 OK\r\nX-Echo {auth}\r\n\r\n".encode())


def _everything_shown(error: BaseException) -> list[str]:
    shown = texts_of(error)
    cause = error.__cause__
    while cause is not None:
        shown += [str(cause), repr(cause)]
        cause = cause.__cause__
    return shown


async def test_a_key_echoed_escaped_in_a_malformed_header_is_never_shown(
    hostile, make_client
) -> None:
    server = hostile(_header_echo)
    client = make_client(base_url=server.url, api_key=ODD_KEY, max_retries=0)

    with pytest.raises(APIConnectionError) as caught:
        await client.exports.get(JOB_ID)

    _assert_hidden(_everything_shown(caught.value), *_escaped_forms(ODD_KEY))
    # Nothing chained that carries it (a traceback and logger.exception print causes).
    printed = "".join(traceback.format_exception(caught.value))
    _assert_hidden([printed], *_escaped_forms(ODD_KEY))


def test_the_one_redaction_takes_every_escaped_form_and_link_secrets() -> None:
    text = " | ".join(
        [*_escaped_forms(ODD_KEY)[:5], f"https://u:pw@h.example/r.csv?X-Signature={SIGNATURE}"]
    )
    redacted = redact_text(text, [ODD_KEY])
    _assert_hidden([redacted], *_escaped_forms(ODD_KEY), SIGNATURE, "pw@")
    assert redacted.count("[redacted]") == 5
    assert "https://h.example/r.csv?<redacted>" in redacted
    assert redact_text(redacted, [ODD_KEY]) == redacted  # twice is once


def test_a_log_record_passes_the_same_redaction() -> None:
    record = logging.LogRecord(
        "companyenrich_export", logging.INFO, __file__, 1, "sent %s to %s", None, None
    )
    record.args = (ODD_KEY, f"https://h.example/r.csv?sig={SIGNATURE}")

    RedactingFilter([ODD_KEY]).filter(record)

    assert record.getMessage() == "sent [redacted] to https://h.example/r.csv?<redacted>"


def _completed(results_url: str) -> ExportJob:
    return ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=results_url,
    )


def _storage_echoing_the_link(request: RawRequest, connection: Connection) -> None:
    body = {
        "title": "Bad Request",
        "detail": f"Signature mismatch for http://storage.example{request.target}",
    }
    connection.send(reply(400, json.dumps(body).encode(), [("Content-Type", "application/json")]))


async def test_a_link_echoed_by_storage_keeps_its_signature_out_of_the_error(
    hostile, make_client, tmp_path: Path
) -> None:
    server = hostile(by_path({"/r.csv": _storage_echoing_the_link}))
    client = make_client(base_url=server.url)
    job = _completed(f"{server.url}/r.csv?X-Signature={SIGNATURE}")

    with pytest.raises(APIStatusError) as caught:
        await client.exports.download(job, tmp_path / "out.csv")

    assert caught.value.status_code == 400
    _assert_hidden(_everything_shown(caught.value), SIGNATURE)
    assert "http://storage.example/r.csv?<redacted>" in str(caught.value)


async def _all_rows(client, job: ExportJob) -> list[object]:  # type: ignore[no-untyped-def]
    rows = await client.exports.iter_rows(job)
    if client.is_async:
        return [row async for row in rows]
    return list(rows)


HOSTILE_HOSTS = ["http://⒈.com/r.csv", "http://xn--zz.example/r.csv", "http://a..b/r.csv"]
HOSTILE_HOSTS.append(f"http://{'a' * 64}.example/r.csv")


@pytest.mark.parametrize("link", HOSTILE_HOSTS, ids=["dotted-digit", "bad-a-label", "empty", "64"])
async def test_a_results_host_that_cannot_be_looked_up_is_a_typed_error(
    make_client, tmp_path: Path, link: str
) -> None:
    client = make_client()

    with pytest.raises(ResultsLinkError) as caught:
        await client.exports.download(_completed(link), tmp_path / "out.csv")
    with pytest.raises(ResultsLinkError):
        await _all_rows(client, _completed(link))

    assert isinstance(caught.value, CompanyEnrichError)
    assert os.listdir(tmp_path) == []


# --- the CLI ----------------------------------------------------------------------------


def _cli(*args: str, key: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COMPANY")}
    env["COMPANYENRICH_API_KEY"] = key
    return subprocess.run(  # noqa: S603 - this interpreter running our own CLI
        [sys.executable, "-m", "companyenrich_export", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=SUBPROCESS_DEADLINE,
        check=False,
    )


def _api_with_results_at(link: str):  # type: ignore[no-untyped-def]
    def job(request: RawRequest, connection: Connection) -> None:
        body = json.dumps(completed_body(link)).encode()
        connection.send(reply(200, body, [("Content-Type", "application/json")]))

    return job


@pytest.mark.slow
@pytest.mark.parametrize("link", HOSTILE_HOSTS, ids=["dotted-digit", "bad-a-label", "empty", "64"])
def test_the_cli_reports_a_hostile_results_host_with_exit_3(
    hostile, tmp_path: Path, link: str
) -> None:
    server = hostile(by_path({JOB_PATH: _api_with_results_at(link)}))

    result = _cli(
        "--base-url", server.url, "download", JOB_ID, str(tmp_path / "x.csv"), key="k" * 8
    )

    # 3: the API's answer is at fault. Not 2 (nothing sent) nor 70 (a bug).
    assert result.returncode == 3, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert errors == ["error: The results link is not a valid URL."]
    assert "Traceback" not in result.stderr


@pytest.mark.slow
def test_the_cli_debug_lines_show_neither_the_key_nor_a_signature(hostile, tmp_path: Path) -> None:
    server = hostile(
        by_path(
            {
                JOB_PATH: lambda request, connection: _api_with_results_at(
                    f"{server.url}/r.csv?X-Signature={SIGNATURE}"
                )(request, connection),
                "/r.csv": _storage_echoing_the_link,
            }
        )
    )

    result = _cli(
        "--base-url",
        server.url,
        "download",
        JOB_ID,
        str(tmp_path / "x.csv"),
        "--debug",
        key="sk-debug-key-9Yt2",
    )

    assert result.returncode == 3, result.stderr
    assert any(line.startswith("debug: ") for line in result.stderr.splitlines())
    _assert_hidden([result.stderr, result.stdout], SIGNATURE, "sk-debug-key-9Yt2")


@pytest.mark.slow
def test_the_cli_line_hides_an_escaped_key_echoed_in_a_header(hostile) -> None:
    server = hostile(_header_echo)

    result = _cli("--base-url", server.url, "get", JOB_ID, "--debug", key=ODD_KEY)

    assert result.returncode == 3, result.stderr
    _assert_hidden([result.stderr, result.stdout], *_escaped_forms(ODD_KEY))
