"""What an error takes from a response: bounded, one line, field errors shown, no key.

Unit tests of `status_error` and the redaction helpers (no client); the
same promises end to end, against hostile servers, are in tests/hostile/.
"""

from __future__ import annotations

import json
import sys
from datetime import UTC, datetime
from urllib.parse import quote
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APIStatusError,
    ExportFailedError,
    ExportJob,
    ExportNotReadyError,
    JobStatus,
    ResponseValidationError,
    UnprocessableEntityError,
)
from companyenrich_export._core._redact import (
    clip,
    redact_secret,
    redact_secret_in_json,
    redact_url,
    terminal_safe,
)
from companyenrich_export._exceptions import MAX_ERROR_BODY, status_error

KEY = "sk-live-SECRET123"
REQUEST = httpx.Request(
    "GET", "https://api.companyenrich.com/x", headers={"Authorization": f"Bearer {KEY}"}
)


def _response(status: int, body: bytes | str, **headers: str) -> httpx.Response:
    content = body.encode() if isinstance(body, str) else body
    return httpx.Response(status, content=content, headers=headers, request=REQUEST)


def _problem(status: int, **members: object) -> str:
    return json.dumps({"title": "Title", "status": status, **members})


# --- the message ---------------------------------------------------------------------------


def test_a_422_message_lists_the_field_errors() -> None:
    body = json.dumps(
        {
            "title": "Unprocessable Entity",
            "status": 422,
            "detail": "One or more validation errors occurred.",
            "errors": {"search.countries[0]": ["must be an ISO 3166-1 alpha-2 code"]},
        }
    )

    error = status_error(_response(422, body), retry_after=None)

    assert type(error) is UnprocessableEntityError
    assert str(error) == (
        "422 Unprocessable Entity: One or more validation errors occurred. "
        "(search.countries[0]: must be an ISO 3166-1 alpha-2 code)"
    )
    assert error.errors == {"search.countries[0]": ["must be an ISO 3166-1 alpha-2 code"]}


def test_only_the_first_three_field_errors_are_in_the_message() -> None:
    errors = {"a": ["one", "two"], "b": "three", "c": ["four"], "d": ["five"], "e": [7, None]}

    error = status_error(_response(400, _problem(400, errors=errors)), retry_after=None)

    assert str(error) == "400 Title (a: one; a: two; b: three; and 2 more)"
    assert error.errors == errors


def test_the_detail_is_clipped_to_one_line_of_300_characters() -> None:
    detail = "word " * 10_000

    error = status_error(_response(400, _problem(400, detail=detail)), retry_after=None)

    shown = str(error).removeprefix("400 Title: ")
    assert len(shown) == 300
    assert shown.endswith("…")
    assert error.detail == detail


def test_server_text_cannot_draw_on_a_terminal() -> None:
    detail = "bad\x1b[2J\x1b]0;owned\x07\r\nnext line\ttab"
    error = status_error(
        _response(400, _problem(400, title="T\x1b[31mitle", detail=detail)), retry_after=None
    )

    message = str(error)
    assert "\x1b" not in message
    assert "\x07" not in message
    assert "\n" not in message
    assert "\r" not in message
    assert "next line tab" in message


def test_a_huge_non_json_body_gives_a_short_message_and_a_bounded_body() -> None:
    body = "<html>" + "x" * (3 * MAX_ERROR_BODY)

    error = status_error(_response(502, body), retry_after=None)

    assert str(error).startswith("502 Bad Gateway: <html>xxx")
    assert len(str(error)) < 400
    assert len(error.body) == MAX_ERROR_BODY


def test_a_body_read_by_the_caller_is_used_and_capped() -> None:
    # A streamed response the core read only the start of.
    response = httpx.Response(500, request=REQUEST, stream=httpx.ByteStream(b""))
    partial = json.dumps({"title": "Oops", "detail": "partial"}).encode()

    error = status_error(response, retry_after=3.0, body=partial)

    assert str(error) == "500 Oops: partial"
    assert error.retry_after == 3.0
    assert error.body == partial.decode()


def test_an_unread_streamed_response_still_gives_the_class() -> None:
    response = httpx.Response(404, request=REQUEST, stream=httpx.ByteStream(b"never read"))

    error = status_error(response, retry_after=None)

    assert error.status_code == 404
    assert error.body == ""
    assert str(error) == "404 Not Found"


@pytest.mark.parametrize("depth", [40, 1_000, 100_000])
def test_a_nested_problem_is_dropped_not_a_crash(depth: int) -> None:
    body = '{"title": "x", "n": ' + "[" * depth + "]" * depth + "}"

    error = status_error(_response(400, body), retry_after=None)

    assert error.problem == {}
    assert error.title is None


def test_a_non_ascii_header_value_is_kept_not_a_crash() -> None:
    response = httpx.Response(
        503, headers=[(b"Retry-After", "\u0661\u0662".encode()), (b"X-Note", b"caf\xc3\xa9")]
    )

    error = status_error(response, retry_after=None)

    assert error.headers["x-note"] == "café"


# --- the key ---------------------------------------------------------------------------------


def test_the_key_is_redacted_from_everything_taken_from_the_body() -> None:
    escaped = "".join(f"\\u{ord(char):04x}" for char in KEY)
    body = (
        json.dumps({"title": f"No {KEY}", "detail": f"got Bearer {KEY}", "errors": {KEY: [KEY]}})[
            :-1
        ]
        + f', "escaped": "{escaped}"}}'
    )
    response = _response(
        401, body, **{"X-Echo": f"Bearer {KEY}", "Set-Cookie": "s=1", "Content-Type": "x/y"}
    )

    error = status_error(response, retry_after=None, secret=KEY)

    for text in (
        str(error),
        repr(error),
        error.body,
        json.dumps(error.problem),
        str(error.headers),
    ):
        assert KEY not in text
    assert error.detail == "got Bearer [redacted]"
    assert error.problem["escaped"] == "[redacted]"
    assert error.headers["x-echo"] == "Bearer [redacted]"
    assert "set-cookie" not in error.headers


def test_the_key_is_redacted_from_a_validation_error() -> None:
    error = ResponseValidationError(
        f"status {KEY!r} is unknown", response=None, body=f"Bearer {KEY}", secret=KEY
    )
    assert KEY not in str(error)
    assert error.body == "Bearer [redacted]"


def test_a_message_given_to_a_status_error_is_redacted_too() -> None:
    error = APIStatusError(f"echo {KEY}", response=_response(418, ""), secret=KEY)
    assert str(error) == "echo [redacted]"


@pytest.mark.parametrize(
    "quoted",
    [
        "sk-x'y\"z\\w",  # both quotes and a backslash: every quoting escapes something
        "plain-key-123",
    ],
)
def test_every_quoted_form_of_a_key_is_redacted(quoted: str) -> None:
    forms = [
        quoted,
        json.dumps(quoted)[1:-1],
        repr(quoted)[1:-1],
        repr(quoted.encode())[2:-1],
        quote(quoted, safe=""),
    ]
    for form in forms:
        assert redact_secret(f"<{form}>", quoted) == "<[redacted]>", form


def test_a_short_secret_is_left_alone() -> None:
    # Replacing every "ab" would garble messages for no protection.
    assert redact_secret("table abc", "ab") == "table abc"
    assert redact_secret("anything", None) == "anything"


def test_named_members_alone_lose_the_key_and_ids_and_links_stay_as_sent() -> None:
    # A short test key occurs in links and dates: only the server's words change.
    job = {
        "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "results_url": "https://storage.test/exports/test.csv?sig=test",
        "error_message": f"test failed ({quote('test', safe='')})",
        "items": [{"title": "a test", "test": "test"}, ["test"], 7, None],
    }

    assert redact_secret_in_json(job, "test", {"error_message", "title"}) is job
    assert job == {
        "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "results_url": "https://storage.test/exports/test.csv?sig=test",
        "error_message": "[redacted] failed ([redacted])",
        "items": [{"title": "a [redacted]", "test": "test"}, ["test"], 7, None],
    }
    assert redact_secret_in_json("test", "test", {"title"}) == "test"


@pytest.mark.parametrize("splitter", ["\x1b[m", "\x1b]0;x\x07", "\x9b0m", "\x1b\\"])
def test_a_key_split_by_an_escape_sequence_is_redacted_as_a_terminal_shows_it(
    splitter: str,
) -> None:
    job = {"error_message": f"bad sk-li{splitter}ve-key-42 \x1b[1mbold", "title": "plain"}

    redact_secret_in_json(job, "sk-live-key-42", {"error_message", "title"})

    assert job == {"error_message": "bad [redacted] bold", "title": "plain"}
    assert "live-key" not in terminal_safe(str(job["error_message"]))


def test_decoded_json_any_depth_is_redacted_without_recursion() -> None:
    deepest = {"title": "sk-deep-key"}
    data: object = deepest
    for _ in range(5 * sys.getrecursionlimit()):
        data = [{"nested": data}]

    redact_secret_in_json(data, "sk-deep-key", {"title"})

    assert deepest == {"title": "[redacted]"}


def test_decoded_json_is_left_alone_for_a_short_or_absent_key() -> None:
    data = {"title": "ab", "error_message": "table abc"}
    assert redact_secret_in_json(data, "ab", {"title", "error_message"}) == {
        "title": "ab",
        "error_message": "table abc",
    }
    assert redact_secret_in_json(data, None, {"title"}) == {
        "title": "ab",
        "error_message": "table abc",
    }


# --- URLs ------------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("url", "shown"),
    [
        ("https://u:p@host.example/a.csv?sig=1#f", "https://host.example/a.csv?<redacted>"),
        ("https://host.example:8443/a.csv", "https://host.example:8443/a.csv"),
        ("https://token@host.example/a", "https://host.example/a"),
        ("http://[::1]:9/x?y", "http://[::1]:9/x?<redacted>"),
        (httpx.URL("https://u:p@h.example/p?q=1"), "https://h.example/p?<redacted>"),
        ("http://[::1/x", "<unreadable URL>"),
    ],
)
def test_redact_url(url: object, shown: str) -> None:
    assert redact_url(url) == shown


def test_clip() -> None:
    assert clip("a\nb\tc", 10) == "a b c"
    assert clip("x" * 20, 10) == "x" * 9 + "…"
    assert clip(" " * 10_000 + "tail", 10) == "…"
    assert clip("", 5) == ""


# --- the messages of the other errors -------------------------------------------------------


def _job(status: JobStatus, **fields: object) -> ExportJob:
    return ExportJob(
        job_id=UUID(int=7),
        status=status,
        requested_count=1,
        total_matching=1,
        exported_count=0,
        credits_charged=0,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        **fields,  # type: ignore[arg-type]
    )


def test_not_ready_for_a_completed_job_without_a_link_says_so_plainly() -> None:
    message = str(ExportNotReadyError(_job(JobStatus.COMPLETED)))
    assert message == (
        "Export job 00000000-0000-0000-0000-000000000007 is completed but the API gave no "
        "results link; fetch the job again for one."
    )


def test_not_ready_for_a_running_job_names_its_status() -> None:
    message = str(ExportNotReadyError(_job(JobStatus.PROCESSING)))
    assert "is processing, not completed" in message


def test_a_failed_jobs_reason_is_clipped_in_the_message_and_whole_on_the_error() -> None:
    reason = "index down\x1b[2J " + "x" * 1000
    error = ExportFailedError(_job(JobStatus.FAILED, error_message=reason))

    assert "\x1b" not in str(error)
    assert len(str(error)) < 400
    assert error.error_message == reason
