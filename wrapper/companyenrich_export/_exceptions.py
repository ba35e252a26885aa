"""Every error the client raises, under one base class.

    CompanyEnrichError
    ├── APIConnectionError            the request never got an HTTP answer
    │   ├── APITimeoutError
    │   └── IncompleteDownloadError   the results file ended early
    ├── APIStatusError                the server answered with an error status
    │   ├── BadRequestError           400
    │   ├── AuthenticationError       401
    │   ├── PaymentRequiredError      402
    │   ├── NotFoundError             404
    │   ├── UnprocessableEntityError  422
    │   ├── RateLimitError            429
    │   └── InternalServerError       5xx
    ├── ResponseValidationError       a 2xx body that breaks the contract
    ├── ExportFailedError             the job ended `failed`
    ├── ExportNotReadyError           download asked of an unfinished job
    ├── WaitTimeoutError              wait() passed its deadline
    └── ResultsFileError              a results file that cannot be read as records
        ├── UnsupportedResultsFormatError   a format this library does not read
        └── MalformedResultsError           a format it reads, with broken content

Messages are built from what the server said and never from request headers,
so the API key cannot end up in one. Invalid arguments raise the built-in
`ValueError`/`TypeError` before any request is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any

import httpx

if TYPE_CHECKING:
    from ._models import ExportJob

__all__ = [
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AuthenticationError",
    "BadRequestError",
    "CompanyEnrichError",
    "ExportFailedError",
    "ExportNotReadyError",
    "IncompleteDownloadError",
    "InternalServerError",
    "MalformedResultsError",
    "NotFoundError",
    "PaymentRequiredError",
    "RateLimitError",
    "ResponseValidationError",
    "ResultsFileError",
    "UnprocessableEntityError",
    "UnsupportedResultsFormatError",
    "WaitTimeoutError",
]

# How much of a body an exception keeps for its message; the whole body stays on `.body`.
_MESSAGE_BODY_LIMIT = 200


class CompanyEnrichError(Exception):
    """Base class of every error this package raises on purpose."""

    def __init__(self, message: str) -> None:
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"


class APIConnectionError(CompanyEnrichError):
    """No HTTP answer: DNS, refused or dropped connection, TLS, protocol error.

    `never_sent` is True when the connection was never established, so the
    server cannot have acted on the request (what makes a POST safe to retry).
    """

    def __init__(
        self,
        message: str = "Connection error.",
        *,
        request: httpx.Request,
        never_sent: bool = False,
    ) -> None:
        super().__init__(message)
        self.request = request
        self.never_sent = never_sent


class APITimeoutError(APIConnectionError):
    """The request took longer than its timeout."""

    def __init__(self, *, request: httpx.Request, never_sent: bool = False) -> None:
        super().__init__("Request timed out.", request=request, never_sent=never_sent)


class IncompleteDownloadError(APIConnectionError):
    """The results file ended before the size the server announced."""

    def __init__(self, *, request: httpx.Request, received: int, expected: int) -> None:
        super().__init__(
            f"Download ended after {received} of {expected} bytes.",
            request=request,
        )
        self.received = received
        self.expected = expected


class APIStatusError(CompanyEnrichError):
    """The server answered with an error status.

    The RFC 9457 problem-details members are parsed when the body has them
    (either content type); `body` keeps the raw text whatever it was.
    """

    status_code: int

    def __init__(
        self, message: str, *, response: httpx.Response, retry_after: float | None = None
    ) -> None:
        super().__init__(message)
        self.response = response
        # Seconds the server asked us to wait (Retry-After), on a 429 or a 503.
        self.retry_after = retry_after
        self.status_code = response.status_code
        self.headers = response.headers
        self.body = response.text
        self.problem: Mapping[str, Any] = _problem_members(self.body)
        self.title: str | None = _optional_str(self.problem.get("title"))
        self.detail: str | None = _optional_str(self.problem.get("detail"))
        self.type: str | None = _optional_str(self.problem.get("type"))
        self.instance: str | None = _optional_str(self.problem.get("instance"))
        errors = self.problem.get("errors")
        self.errors: Mapping[str, Any] = errors if isinstance(errors, Mapping) else {}

    @property
    def request_id(self) -> str | None:
        """A trace id, if the server sent one, for support requests."""
        for key in ("traceId", "trace_id", "requestId", "request_id"):
            value = self.problem.get(key)
            if isinstance(value, str):
                return value
        header = self.headers.get("x-request-id")
        return header if isinstance(header, str) else None


class BadRequestError(APIStatusError):
    status_code = 400


class AuthenticationError(APIStatusError):
    status_code = 401


class PaymentRequiredError(APIStatusError):
    status_code = 402


class NotFoundError(APIStatusError):
    status_code = 404


class UnprocessableEntityError(APIStatusError):
    status_code = 422


class RateLimitError(APIStatusError):
    """429. `retry_after` is the server's requested wait in seconds, when it said one."""

    status_code = 429


class InternalServerError(APIStatusError):
    """Any 5xx. `retry_after` is set when the server said when to come back (a 503)."""


class ResponseValidationError(CompanyEnrichError):
    """A successful response whose body breaks the documented contract.

    Raised for invalid JSON, a missing required field, a value of the wrong
    type or an unknown status. The message says what was wrong and `body`
    keeps the raw text, so contract drift can be reported precisely.
    """

    def __init__(self, message: str, *, response: httpx.Response | None, body: str) -> None:
        super().__init__(message)
        self.response = response
        self.body = body


class ExportFailedError(CompanyEnrichError):
    """The export job ended in `failed`; `job.error_message` says why, if the API did."""

    def __init__(self, job: ExportJob) -> None:
        reason = job.error_message or "no reason given"
        super().__init__(f"Export job {job.job_id} failed: {reason}")
        self.job = job
        self.error_message = job.error_message


class ExportNotReadyError(CompanyEnrichError):
    """A download was asked of a job that has not completed (use `wait()` first)."""

    def __init__(self, job: ExportJob) -> None:
        super().__init__(
            f"Export job {job.job_id} is {job.status.value}, not completed: "
            "wait for it before downloading."
        )
        self.job = job


class WaitTimeoutError(CompanyEnrichError):
    """wait() reached its deadline; `job` is the last state seen (None if none was)."""

    def __init__(self, job_id: object, timeout: float, job: ExportJob | None) -> None:
        state = f" (last seen {job.status.value})" if job is not None else ""
        super().__init__(f"Export job {job_id} did not finish within {timeout:g} s{state}.")
        self.job = job
        self.timeout = timeout


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _problem_members(body: str) -> Mapping[str, Any]:
    try:
        parsed = json.loads(body)
    except ValueError:
        return {}
    return parsed if isinstance(parsed, dict) else {}


_STATUS_CLASSES: dict[int, type[APIStatusError]] = {
    cls.status_code: cls
    for cls in (
        BadRequestError,
        AuthenticationError,
        PaymentRequiredError,
        NotFoundError,
        UnprocessableEntityError,
    )
}


def status_error(response: httpx.Response, *, retry_after: float | None) -> APIStatusError:
    """The exception for an error response, with a one-line message a person can act on."""
    problem = _problem_members(response.text)
    title = _optional_str(problem.get("title")) or response.reason_phrase or "Error"
    detail = _optional_str(problem.get("detail"))
    if not problem and response.text.strip():
        detail = response.text.strip()[:_MESSAGE_BODY_LIMIT]
    message = f"{response.status_code} {title}" + (f": {detail}" if detail else "")
    if response.status_code == 429:
        return RateLimitError(message, response=response, retry_after=retry_after)
    if response.status_code >= 500:
        return InternalServerError(message, response=response, retry_after=retry_after)
    cls = _STATUS_CLASSES.get(response.status_code, APIStatusError)
    return cls(message, response=response)


def describe_body(body: str) -> str:
    """A short, single-line excerpt of a body for error messages."""
    flat = " ".join(body.split())
    if len(flat) > _MESSAGE_BODY_LIMIT:
        return flat[:_MESSAGE_BODY_LIMIT] + "…"
    return flat


class ResultsFileError(CompanyEnrichError):
    """A results file that cannot be read as records (see the two subclasses)."""


class UnsupportedResultsFormatError(ResultsFileError):
    """The results file is in a format this library cannot read.

    Raised before any record is read (before the body is downloaded, when
    the headers already say so). The message and the attributes say what
    was seen: `content_type`, `content_encoding` and `name` (the file name,
    or the last segment of the URL path; never its query).
    """

    def __init__(
        self,
        reason: str,
        *,
        content_type: str | None,
        content_encoding: str | None,
        name: str | None,
    ) -> None:
        seen = ", ".join(
            f"{label} {_clip(value)!r}"
            for label, value in (
                ("Content-Type", content_type),
                ("Content-Encoding", content_encoding),
                ("name", name),
            )
            if value
        )
        super().__init__(
            f"Cannot read the results file ({seen or 'no Content-Type, no name'}): {reason}. "
            "Readable: CSV, JSON (an array of records) and JSON Lines, each optionally gzipped."
        )
        self.content_type = content_type
        self.content_encoding = content_encoding
        self.name = name


class MalformedResultsError(ResultsFileError):
    """The results file's content breaks its own format.

    `format` is what it was read as (`csv`, `json`, `jsonl`, `gzip`);
    `record` the 1-based number of the record being read when it broke;
    `offset` the position in the (decompressed) bytes, when known.
    """

    def __init__(
        self, message: str, *, format: str, record: int | None = None, offset: int | None = None
    ) -> None:
        where = [
            f"record {record}" if record is not None else "",
            f"byte {offset:,}" if offset is not None else "",
        ]
        located = ", ".join(part for part in where if part)
        super().__init__(
            f"Malformed {format} results file{f' ({located})' if located else ''}: {message}"
        )
        self.format = format
        self.record = record
        self.offset = offset


def _clip(text: str, limit: int = 120) -> str:
    return text if len(text) <= limit else text[:limit] + "…"
