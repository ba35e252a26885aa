"""Every error the client raises, under one base class.

    CompanyEnrichError
    ├── APIConnectionError            the request never got an HTTP answer
    │   ├── APITimeoutError
    │   │   └── DownloadTimeoutError  a download passed its `timeout=` deadline
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
    ├── ResultsLinkError              a results link that cannot be fetched (bad host)
    ├── DownloadInProgressError       another download of the job to that place runs
    ├── WaitTimeoutError              wait() passed its deadline
    ├── PreflightRefusal              create/run refused on cost before sending it
    │   ├── CreditLimitError          the estimate is above max_credits
    │   ├── InsufficientCreditsError  the estimate is above the account's balance
    │   └── AccountLimitError         count is above the account's async search limit
    └── ResultsFileError              a results file that cannot be read as records
        ├── UnsupportedResultsFormatError   a format this library does not read
        └── MalformedResultsError           a format it reads, with broken content

Messages are built from what the server said, never from request headers,
and the configured API key is redacted from everything taken from a response
(message, `.body`, `.problem`, `.headers`, and a job's own words, its
`error_message`, `title` and an account job's `type`, before the job is
built) whatever the server echoes back.
Server text in a message is one line, without control characters, and
clipped. Every error pickles (for process pools, pytest-xdist, Celery) to the
same class with the same public fields; the pickle carries stand-ins for the
request and response (method, redacted URL, status, safe headers) and so no
Authorization header. Invalid arguments raise the built-in
`ValueError`/`TypeError` before any request is sent.
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import TYPE_CHECKING, Any, Generic, NamedTuple, TypeVar

import httpx

from companyenrich_export._core._bodies import MAX_API_BODY
from companyenrich_export._core._redact import (
    bare_url,
    clip,
    redact_secret,
    redact_text,
    redact_urls_in,
)
from companyenrich_export._jobs._protocols import JobState

if TYPE_CHECKING:
    from companyenrich_export._jobs._models import ExportJob
    from companyenrich_export._jobs._preflight import ExportEstimate

_JobT = TypeVar("_JobT", bound=JobState)

__all__ = [
    "MAX_ERROR_BODY",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AccountLimitError",
    "AuthenticationError",
    "BadRequestError",
    "CompanyEnrichError",
    "CreditLimitError",
    "DownloadInProgressError",
    "DownloadTimeoutError",
    "EnrichmentFailedError",
    "EnrichmentNotReadyError",
    "ExportFailedError",
    "ExportNotReadyError",
    "IncompleteDownloadError",
    "InsufficientCreditsError",
    "InternalServerError",
    "JobFailedError",
    "JobNotReadyError",
    "MalformedResultsError",
    "NotFoundError",
    "PaymentRequiredError",
    "PreflightRefusal",
    "RateLimitError",
    "ResponseValidationError",
    "ResultsFileError",
    "ResultsLinkError",
    "UnprocessableEntityError",
    "UnsupportedResultsFormatError",
    "WaitTimeoutError",
    "describe_body",
    "status_error",
]

# The most of a body an error keeps (characters; read no more bytes than this).
# A problem document is a few hundred bytes: a megabyte is only ever a hostile
# or broken server, and everything past it is dropped. One limit with what the
# client reads of any API answer (_core/_bodies.py).
MAX_ERROR_BODY = MAX_API_BODY
# How much server text a message shows; the rest stays on `.body` / `.problem`.
_BODY_EXCERPT_LIMIT = 200
_TITLE_LIMIT = 100
_DETAIL_LIMIT = 300
_FIELD_NAME_LIMIT = 80
_FIELD_MESSAGE_LIMIT = 150
_FIELD_ERRORS_SHOWN = 3
_MAX_PROBLEM_DEPTH = 32
# Never copied from a response onto an error: credentials, whoever sent them.
_HIDDEN_HEADERS = frozenset({"authorization", "proxy-authorization", "cookie", "set-cookie"})


class CompanyEnrichError(Exception):
    """Base class of every error this package raises on purpose."""

    def __init__(self, message: str) -> None:
        # One rule for every message: a URL in it keeps no userinfo or query (a
        # pre-signed link's signature is a credential), whoever built the text.
        message = redact_urls_in(message)
        super().__init__(message)
        self.message = message

    def __repr__(self) -> str:
        return f"{type(self).__name__}({self.message!r})"

    def __reduce__(self) -> tuple[Any, ...]:
        # The default (class, args) calls __init__ with the message alone, which
        # most subclasses cannot take; and `request` carries the Authorization header.
        # A response's headers may echo the key: a stand-in carries only the
        # error's own `headers`, which had it redacted when the error was made.
        cleaned = getattr(self, "headers", None)
        headers = cleaned if isinstance(cleaned, httpx.Headers) else httpx.Headers()
        state = {name: _portable(value, headers) for name, value in vars(self).items()}
        return (_restore, (type(self), self.args, state))


class APIConnectionError(CompanyEnrichError):
    """No HTTP answer: DNS, refused or dropped connection, TLS, protocol error.

    `never_sent` is True when the connection was never established, so the
    server cannot have acted on the request (what makes a POST safe to retry).
    `secret` (the API key) is redacted from the message if it is in it.
    """

    def __init__(
        self,
        message: str = "Connection error.",
        *,
        request: httpx.Request,
        never_sent: bool = False,
        secret: str | None = None,
    ) -> None:
        super().__init__(redact_secret(message, secret))
        self.request = request
        self.never_sent = never_sent


class APITimeoutError(APIConnectionError):
    """The request took longer than its timeout."""

    def __init__(self, *, request: httpx.Request, never_sent: bool = False) -> None:
        super().__init__("Request timed out.", request=request, never_sent=never_sent)


class DownloadTimeoutError(APITimeoutError):
    """A download (or `iter_rows`) passed its wall-clock deadline, `timeout=` seconds.

    An APITimeoutError: like a dropped connection, what `download()` had
    received stays beside the destination for the next call to go on from.
    """

    def __init__(self, *, request: httpx.Request, timeout: float, received: int) -> None:
        APIConnectionError.__init__(
            self,
            f"The results did not arrive within the deadline of {timeout:g} s "
            f"({received:,} bytes received).",
            request=request,
        )
        self.timeout = timeout
        self.received = received


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
    (either content type); `body` keeps the text, up to `MAX_ERROR_BODY`.
    Without a `message`, one is made from the status, the problem's title,
    detail (clipped) and first field errors. `secret` (the API key) is
    redacted from the body before anything is taken from it. `body` is what
    was read of the response, when the caller read it (capped) itself.
    """

    status_code: int

    def __init__(
        self,
        message: str | None = None,
        *,
        response: httpx.Response,
        retry_after: float | None = None,
        secret: str | None = None,
        body: bytes | str | None = None,
    ) -> None:
        text = _error_text(response, body, secret)
        problem = _problem_members(text, secret)
        if message is None:
            message = _status_message(response, text, problem)
        super().__init__(redact_secret(message, secret))
        self.response = response
        # Seconds the server asked us to wait (Retry-After), on a 429 or a 503.
        self.retry_after = retry_after
        self.status_code = response.status_code
        self.headers = _visible_headers(response.headers, secret)
        self.body = text
        self.problem: Mapping[str, Any] = problem
        self.title: str | None = _optional_str(problem.get("title"))
        self.detail: str | None = _optional_str(problem.get("detail"))
        self.type: str | None = _optional_str(problem.get("type"))
        self.instance: str | None = _optional_str(problem.get("instance"))
        errors = problem.get("errors")
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
    type, an unknown status or a job other than the one asked for. The
    message says what was wrong and `body` keeps the text (up to
    `MAX_ERROR_BODY`), so contract drift can be reported precisely. `secret`
    (the API key) is redacted from both.
    """

    def __init__(
        self,
        message: str,
        *,
        response: httpx.Response | None,
        body: str,
        secret: str | None = None,
    ) -> None:
        super().__init__(redact_secret(message, secret))
        self.response = response
        self.body = redact_secret(body[:MAX_ERROR_BODY], secret)


class JobFailedError(CompanyEnrichError):
    """A job of any kind ended in `failed`; `job.error_message` says why, if the API did.

    Each kind raises its own subclass (`ExportFailedError`,
    `EnrichmentFailedError`); catch this one for any kind.
    """

    noun = "Job"

    def __init__(self, job: JobState) -> None:
        reason = clip(job.error_message, _DETAIL_LIMIT) if job.error_message else ""
        super().__init__(f"{self.noun} job {job.job_id} failed: {reason or 'no reason given'}")
        self.job = job
        self.error_message = job.error_message


class ExportFailedError(JobFailedError):
    """The export job ended in `failed`; `job.error_message` says why, if the API did."""

    noun = "Export"
    job: ExportJob


class EnrichmentFailedError(JobFailedError):
    """The bulk enrichment job ended in `failed`; `job.error_message` says why, if it did."""

    noun = "Bulk enrichment"


class JobNotReadyError(CompanyEnrichError):
    """A download was asked of a job that has not completed (use `wait()` first)."""

    noun = "Job"

    def __init__(self, job: JobState) -> None:
        if job.status.value == "completed":
            message = (
                f"{self.noun} job {job.job_id} is completed but the API gave no results link; "
                "fetch the job again for one."
            )
        else:
            message = (
                f"{self.noun} job {job.job_id} is {job.status.value}, not completed: "
                "wait for it before downloading."
            )
        super().__init__(message)
        self.job = job


class ExportNotReadyError(JobNotReadyError):
    """A download was asked of an export that has not completed (use `wait()` first)."""

    noun = "Export"
    job: ExportJob


class EnrichmentNotReadyError(JobNotReadyError):
    """A download was asked of a bulk enrichment that has not completed (`wait()` first)."""

    noun = "Bulk enrichment"


class ResultsLinkError(CompanyEnrichError):
    """The results link (or a redirect from it) is not a URL that can be fetched.

    An invalid host name (`http://⒈.com/`, `xn--zz.example`, an empty or
    64-character label), a malformed URL, a redirect loop: the server's
    answer is at fault, never the caller's arguments.
    """


class DownloadInProgressError(CompanyEnrichError):
    """Another download of the same export to the same place holds its scratch file.

    Two downloads never share a partial file: the second one raises this
    (`.path` is the destination) rather than corrupt the first one's.
    """

    def __init__(self, path: object) -> None:
        super().__init__(
            f"Another download of this export to {path} is in progress; "
            "wait for it to finish (or stop it) and try again."
        )
        self.path = path


class WaitTimeoutError(CompanyEnrichError, Generic[_JobT]):
    """wait() reached its deadline; `job` is the last state seen (None if none was)."""

    def __init__(
        self, job_id: object, timeout: float, job: _JobT | None, *, noun: str = "Export"
    ) -> None:
        state = f" (last seen {job.status.value})" if job is not None else ""
        super().__init__(f"{noun} job {job_id} did not finish within {timeout:g} s{state}.")
        self.job_id = job_id
        self.job = job
        self.timeout = timeout


class PreflightRefusal(CompanyEnrichError):
    """An export refused before it was created, for what it would cost: nothing was sent.

    `estimate` is what the free pre-flight calls found (count, matching,
    credits, balance, the account's limit).
    """

    def __init__(self, message: str, estimate: ExportEstimate) -> None:
        super().__init__(message)
        self.estimate = estimate


class CreditLimitError(PreflightRefusal):
    """The export would cost more than `max_credits`."""

    def __init__(self, estimate: ExportEstimate, max_credits: int) -> None:
        super().__init__(
            f"Export not created: it would cost about {estimate.credits:,} credits "
            f"({estimate.exported:,} of {estimate.matching:,} matching companies), "
            f"above max_credits={max_credits:,}.",
            estimate,
        )
        self.max_credits = max_credits


class InsufficientCreditsError(PreflightRefusal):
    """The export would cost more credits than the account has left."""

    def __init__(self, estimate: ExportEstimate) -> None:
        super().__init__(
            f"Export not created: it would cost about {estimate.credits:,} credits and the "
            f"account has {estimate.credits_remaining:,} left.",
            estimate,
        )


class AccountLimitError(PreflightRefusal):
    """`count` is above the account's companySearchAsyncLimit (the most one export may ask)."""

    def __init__(self, estimate: ExportEstimate) -> None:
        super().__init__(
            f"Export not created: count={estimate.count:,} is above this account's "
            f"companySearchAsyncLimit of {estimate.async_limit:,} companies per export.",
            estimate,
        )
        self.limit = estimate.async_limit


# --- reading error bodies ------------------------------------------------------------


class _TooDeep(Exception):
    pass


def _optional_str(value: object) -> str | None:
    return value if isinstance(value, str) else None


def _error_text(response: httpx.Response, body: bytes | str | None, secret: str | None) -> str:
    if body is None:
        try:
            text = response.text
        # Not read (a stream), or not decodable: the status alone still gives the class.
        except Exception:
            text = ""
    elif isinstance(body, bytes):
        text = _decode(body[: MAX_ERROR_BODY * 4], response)
    else:
        text = body
    # The key and links' secrets (a storage server echoing the pre-signed URL).
    return redact_text(text[:MAX_ERROR_BODY], (secret,))


def _decode(body: bytes, response: httpx.Response) -> str:
    try:
        return body.decode(response.encoding or "utf-8", "replace")
    except LookupError:
        return body.decode("utf-8", "replace")


def _problem_members(text: str, secret: str | None) -> Mapping[str, Any]:
    if not text.lstrip().startswith("{"):
        return {}
    try:
        parsed = json.loads(text)
    # RecursionError: a body nested a thousand levels deep.
    except (ValueError, RecursionError):
        return {}
    if not isinstance(parsed, dict):
        return {}
    try:
        cleaned = _cleaned(parsed, secret, depth=0)
    except _TooDeep:
        return {}
    assert isinstance(cleaned, dict)
    return cleaned


def _cleaned(value: object, secret: str | None, *, depth: int) -> object:
    """`value` with the secret out of every string (JSON may spell it with \\u escapes).

    Nesting is bounded, so nothing that walks a problem later (pickle, a
    logger, a JSON dump) can run out of stack on it.
    """
    if depth > _MAX_PROBLEM_DEPTH:
        raise _TooDeep
    if isinstance(value, str):
        return redact_text(value, (secret,))
    if isinstance(value, dict):
        return {
            redact_secret(key, secret): _cleaned(item, secret, depth=depth + 1)
            for key, item in value.items()
        }
    if isinstance(value, list):
        return [_cleaned(item, secret, depth=depth + 1) for item in value]
    return value


def _visible_headers(headers: httpx.Headers, secret: str | None) -> httpx.Headers:
    # Re-encoded as they were decoded: a server may send UTF-8 or Latin-1 values.
    return httpx.Headers(
        [
            (name, redact_secret(value, secret))
            for name, value in headers.multi_items()
            if name.lower() not in _HIDDEN_HEADERS
        ],
        encoding=headers.encoding,
    )


def _status_message(response: httpx.Response, text: str, problem: Mapping[str, Any]) -> str:
    """`422 Title: detail (field: message; field: message)`, each part clipped."""
    title = _optional_str(problem.get("title")) or response.reason_phrase or "Error"
    detail = _optional_str(problem.get("detail"))
    if not problem and text.strip():
        detail = text
    message = f"{response.status_code} {clip(title, _TITLE_LIMIT)}"
    if detail and detail.strip():
        message += f": {clip(detail, _DETAIL_LIMIT)}"
    fields = _field_errors(problem.get("errors"))
    if fields:
        message += f" ({fields})"
    return message


def _field_errors(errors: object) -> str:
    if not isinstance(errors, Mapping):
        return ""
    shown: list[str] = []
    total = 0
    for field, messages in errors.items():
        texts = [messages] if isinstance(messages, str) else messages
        if not isinstance(texts, list):
            continue
        for text in texts:
            if not isinstance(text, str):
                continue
            total += 1
            if len(shown) < _FIELD_ERRORS_SHOWN:
                name = clip(str(field), _FIELD_NAME_LIMIT)
                shown.append(f"{name}: {clip(text, _FIELD_MESSAGE_LIMIT)}")
    if total > len(shown):
        shown.append(f"and {total - len(shown)} more")
    return "; ".join(shown)


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


def status_error(
    response: httpx.Response,
    *,
    retry_after: float | None,
    secret: str | None = None,
    body: bytes | str | None = None,
) -> APIStatusError:
    """The exception for an error response, with a one-line message a person can act on.

    `secret` is the API key, to be redacted from whatever the server sent
    back; `body` is what was read of a streamed response (default: its text).
    """
    if response.status_code == 429:
        return RateLimitError(response=response, retry_after=retry_after, secret=secret, body=body)
    if response.status_code >= 500:
        return InternalServerError(
            response=response, retry_after=retry_after, secret=secret, body=body
        )
    cls = _STATUS_CLASSES.get(response.status_code, APIStatusError)
    return cls(response=response, secret=secret, body=body)


def describe_body(body: str) -> str:
    """A short, single-line excerpt of a body for error messages, its URLs redacted."""
    window = 4 * _BODY_EXCERPT_LIMIT
    excerpt = redact_urls_in(body[:window])
    if len(body) > window:
        excerpt += " …"
    return clip(excerpt, _BODY_EXCERPT_LIMIT)


# --- pickling ------------------------------------------------------------------------


class _RequestStandIn(NamedTuple):
    method: str
    url: str


class _HeadersStandIn(NamedTuple):
    items: list[tuple[str, str]]
    encoding: str


class _ResponseStandIn(NamedTuple):
    status_code: int
    headers: _HeadersStandIn
    request: _RequestStandIn | None


def _request_stand_in(request: httpx.Request) -> _RequestStandIn:
    # Scheme, host, port and path: no userinfo, no query (a link's signature).
    return _RequestStandIn(request.method, bare_url(request.url))


def _portable(value: object, response_headers: httpx.Headers) -> object:
    if isinstance(value, httpx.Request):
        return _request_stand_in(value)
    if isinstance(value, httpx.Response):
        try:
            request: _RequestStandIn | None = _request_stand_in(value.request)
        except RuntimeError:  # a response built without a request
            request = None
        return _ResponseStandIn(value.status_code, _headers_stand_in(response_headers), request)
    if isinstance(value, httpx.Headers):
        return _headers_stand_in(value)
    return value


def _headers_stand_in(headers: httpx.Headers) -> _HeadersStandIn:
    return _HeadersStandIn(_visible_headers(headers, None).multi_items(), headers.encoding)


def _rebuilt(value: object) -> object:
    if isinstance(value, _RequestStandIn):
        return httpx.Request(value.method, value.url)
    if isinstance(value, _ResponseStandIn):
        request = None if value.request is None else httpx.Request(*value.request)
        headers = httpx.Headers(value.headers.items, encoding=value.headers.encoding)
        return httpx.Response(value.status_code, headers=headers, request=request)
    if isinstance(value, _HeadersStandIn):
        return httpx.Headers(value.items, encoding=value.encoding)
    return value


def _restore(
    cls: type[CompanyEnrichError], args: tuple[Any, ...], state: dict[str, Any]
) -> CompanyEnrichError:
    error = cls.__new__(cls, *args)
    error.args = args
    vars(error).update({name: _rebuilt(value) for name, value in state.items()})
    return error


# --- reading results files as records ---------------------------------------------


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
            f"{label} {clip(value, 120)!r}"
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
