"""The values users get back, and the strict reading of response bodies into them.

Bodies are read by the generated models (which know the spec's structure:
required keys, the status enum) and then checked for what those models let
through: integers that are strings or booleans, dates left as raw text,
naive timestamps. Anything off becomes `ResponseValidationError` with the
raw body, never a bare `KeyError`, `ValueError` or `RecursionError`.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any, TypeVar, cast
from urllib.parse import urlsplit
from uuid import UUID

import attrs
import httpx

from companyenrich_export._core._redact import redact_secret, redact_secret_in_json, redact_url
from companyenrich_export._exceptions import ResponseValidationError, describe_body
from companyenrich_export._jobs._preflight import CreditHeaders, ExportEstimate
from companyenrich_export_api.models import CreatedExportJob as _GeneratedCreatedJob
from companyenrich_export_api.models import ExportJob as _GeneratedJob
from companyenrich_export_api.models import ExportJobPage as _GeneratedPage
from companyenrich_export_api.models import ExportJobSummary as _GeneratedSummary
from companyenrich_export_api.models import JobStatus
from companyenrich_export_api.types import Unset

__all__ = [
    "CreatedExportJob",
    "ExportJob",
    "ExportJobPage",
    "ExportJobSummary",
    "ExportResult",
    "JSONFields",
    "JobStatus",
    "PageOf",
    "coerce_job_id",
    "one_line",
]

_STR_MESSAGE_CHARS = 120
TERMINAL_STATUSES = frozenset({JobStatus.COMPLETED, JobStatus.FAILED})
_INT32_MAX = 2**31 - 1
_CANONICAL_UUID = re.compile(r"[0-9a-fA-F]{8}-(?:[0-9a-fA-F]{4}-){3}[0-9a-fA-F]{12}")


def coerce_job_id(job_id: object) -> UUID:
    """A job id as a UUID, or ValueError before anything is sent.

    Only a `UUID` or the canonical 36-character text form is accepted: the
    `uuid` module also takes braces, `urn:uuid:` prefixes and missing
    dashes, and a path built from any of those is not one we documented.
    """
    if isinstance(job_id, UUID):
        return job_id
    if isinstance(job_id, str) and _CANONICAL_UUID.fullmatch(job_id):
        return UUID(job_id)
    # ExportJob and friends carry their id; accept them where an id is wanted.
    carried = getattr(job_id, "job_id", None)
    if isinstance(carried, UUID):
        return carried
    shown = repr(job_id) if len(repr(job_id)) <= 60 else repr(job_id)[:57] + "..."
    raise ValueError(
        f"job_id must be a UUID or its 36-character string form, got {shown}",
    )


def _redacted_url(url: str | None) -> str | None:
    # A pre-signed results URL is a credential to the file, and userinfo is
    # one to the host: keep both out of reprs, logs and the CLI's views.
    return None if url is None else redact_url(url)


class JSONFields:
    """`to_dict()` and `to_json()` for every job value: the API's field names, JSON types.

    Written once for every kind's values (ids and timestamps as text, a
    status as its value, nested values and tuples as dicts and lists).
    Machine output keeps the whole pre-signed link (`str()` and `repr()`
    hide it): scripts need it to fetch the file.
    """

    __slots__ = ()

    def to_dict(self) -> dict[str, Any]:
        fields = attrs.fields(cast(Any, type(self)))
        return {field.name: _json_value(getattr(self, field.name)) for field in fields}

    def to_json(self, *, indent: int | None = None) -> str:
        return json.dumps(self.to_dict(), indent=indent)


class PageOf(JSONFields):
    """What every kind's page of a list shares: where it is, and a short `str()`."""

    __slots__ = ()
    items: tuple[object, ...]
    page: int
    total_pages: int
    total_items: int

    @property
    def has_next(self) -> bool:
        return self.page < self.total_pages

    def __str__(self) -> str:
        return (
            f"page {self.page}/{self.total_pages}: {len(self.items)} of {self.total_items:,} jobs"
        )


def one_line(message: str) -> str:
    """A server's message as one short line: `on_progress=print` stays readable."""
    text = " ".join("".join(c if c.isprintable() else " " for c in message).split())
    if len(text) > _STR_MESSAGE_CHARS:
        text = text[: _STR_MESSAGE_CHARS - 3] + "..."
    return text


@attrs.frozen(kw_only=True)
class ExportJobSummary(JSONFields):
    """A job as the list endpoint returns it (no results URL or error message)."""

    job_id: UUID
    status: JobStatus
    requested_count: int
    total_matching: int
    exported_count: int
    credits_charged: int
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def is_terminal(self) -> bool:
        """True once the job is `completed` or `failed`: it will not change again."""
        return self.status in TERMINAL_STATUSES

    @property
    def progress(self) -> float | None:
        """Exported over requested, from 0.0 to 1.0; None when nothing was requested."""
        if self.requested_count <= 0:
            return None
        return min(self.exported_count / self.requested_count, 1.0)

    def __str__(self) -> str:
        percent = f"{self.progress:.0%}" if self.progress is not None else "-"
        return (
            f"export {self.job_id} {self.status.value}: "
            f"{self.exported_count:,}/{self.requested_count:,} exported ({percent})"
        )


@attrs.frozen(kw_only=True)
class ExportJob(ExportJobSummary):
    """The full state of one export job, as the status endpoint returns it."""

    results_url: str | None = attrs.field(default=None, repr=lambda url: repr(_redacted_url(url)))
    error_message: str | None = None

    def __str__(self) -> str:
        text = super().__str__()
        if self.error_message is None:
            return text
        return f"{text}: {one_line(self.error_message)}"


@attrs.frozen(kw_only=True)
class CreatedExportJob(JSONFields):
    """What creating an export returns; follow it with `exports.wait(created.job_id)`."""

    job_id: UUID
    status: JobStatus
    requested_count: int
    total_matching: int
    estimated_credits: int

    def __str__(self) -> str:
        return (
            f"export {self.job_id} {self.status.value}: {self.requested_count:,} requested "
            f"of {self.total_matching:,} matching, ~{self.estimated_credits:,} credits"
        )


@attrs.frozen(kw_only=True)
class ExportResult(JSONFields):
    """What `exports.run()` returns: the finished job and where its file is."""

    job: ExportJob
    path: Path
    credits: CreditHeaders | None = None
    """The credit headers of the last API answer that had them (None: none did)."""
    estimate: ExportEstimate | None = None
    """The pre-flight estimate, when `run(max_credits=..., preflight=True)` made one."""

    def to_dict(self) -> dict[str, Any]:
        """`{"job": job.to_dict(), "path": "..."}`."""
        return {"job": self.job.to_dict(), "path": str(self.path)}

    def __str__(self) -> str:
        return f"{self.job} -> {self.path}"


@attrs.frozen(kw_only=True)
class ExportJobPage(PageOf):
    """One page of the caller's jobs."""

    items: tuple[ExportJobSummary, ...]
    page: int
    total_pages: int
    total_items: int


def _json_value(value: object) -> object:
    if isinstance(value, JSONFields):
        return value.to_dict()
    if isinstance(value, tuple | list):
        return [_json_value(item) for item in value]
    if isinstance(value, UUID | Path):
        return str(value)
    if isinstance(value, datetime):
        return value.isoformat()
    if isinstance(value, JobStatus):
        return value.value
    return value


# --- reading bodies -----------------------------------------------------------------

_DATE_FIELDS = ("created_at", "started_at", "completed_at")
_TIMESTAMP_CHARACTERS = re.compile(r"[0-9tzTZ:.+\- ]*")
T = TypeVar("T")


class _Invalid(Exception):
    """A contract breach found while converting; becomes ResponseValidationError."""


def _count(name: str, value: object) -> int:
    # bool is an int subclass and "10" passes the generated model untouched.
    if type(value) is not int:
        raise _Invalid(f"{name} must be an integer, got {type(value).__name__}")
    if not 0 <= value <= _INT32_MAX:
        raise _Invalid(f"{name} must be between 0 and {_INT32_MAX}, got {value}")
    return value


def _timestamp(name: str, value: object, *, nullable: bool) -> datetime | None:
    if value is None or isinstance(value, Unset):
        if nullable:
            return None
        raise _Invalid(f"{name} is required")
    if not isinstance(value, datetime):
        # The generated model hands back an unparseable nullable date as raw text.
        raise _Invalid(f"{name} is not an ISO 8601 date-time: {value!r}")
    # RFC 3339 wants an offset; servers that drop it mean UTC.
    stamp = value if value.tzinfo is not None else value.replace(tzinfo=UTC)
    try:
        # 0001-01-01T00:00+01:00 parses, but is in year 0 in UTC: showing it
        # (in UTC, or comparing it) would raise OverflowError far from here.
        stamp.astimezone(UTC)
    except OverflowError:
        raise _Invalid(
            f"{name} is outside the years 1 to 9999 in UTC: {value.isoformat()}"
        ) from None
    return stamp


def _optional_text(name: str, value: object) -> str | None:
    if value is None or isinstance(value, Unset):
        return None
    if not isinstance(value, str):
        raise _Invalid(f"{name} must be a string or null, got {type(value).__name__}")
    return value


def _results_url(value: object) -> str | None:
    url = _optional_text("results_url", value)
    if url is None:
        return None
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise _Invalid(f"results_url must be an absolute http(s) URL, got {redact_url(url)!r}")
    # A URL has no spaces or control characters; these would reach terminals.
    if any(not char.isprintable() or char.isspace() for char in url):
        raise _Invalid(f"results_url holds spaces or control characters: {redact_url(url)!r}")
    return url


def _normalise_dates(data: dict[str, Any]) -> dict[str, Any]:
    # Python 3.11's fromisoformat rejects RFC 3339's lowercase `t` and `z`. Only
    # what could be a timestamp is changed: anything else is refused as sent,
    # and the error quoting it can then find the key in it (not in capitals).
    for key in _DATE_FIELDS:
        value = data.get(key)
        if isinstance(value, str) and _TIMESTAMP_CHARACTERS.fullmatch(value):
            data[key] = value.upper()
    return data


def _summary_fields(job: _GeneratedSummary | _GeneratedJob) -> dict[str, Any]:
    if not isinstance(job.job_id, UUID):
        raise _Invalid("job_id must be a UUID")
    return {
        "job_id": job.job_id,
        "status": job.status,
        "requested_count": _count("requested_count", job.requested_count),
        "total_matching": _count("total_matching", job.total_matching),
        "exported_count": _count("exported_count", job.exported_count),
        "credits_charged": _count("credits_charged", job.credits_charged),
        "created_at": _timestamp("created_at", job.created_at, nullable=False),
        "started_at": _timestamp("started_at", job.started_at, nullable=True),
        "completed_at": _timestamp("completed_at", job.completed_at, nullable=True),
    }


def _to_job(data: dict[str, Any]) -> ExportJob:
    job = _GeneratedJob.from_dict(_normalise_dates(data))
    return ExportJob(
        **_summary_fields(job),
        results_url=_results_url(job.results_url),
        error_message=_optional_text("error_message", job.error_message),
    )


def _to_summary(data: dict[str, Any]) -> ExportJobSummary:
    return ExportJobSummary(**_summary_fields(_GeneratedSummary.from_dict(_normalise_dates(data))))


def _to_created(data: dict[str, Any]) -> CreatedExportJob:
    created = _GeneratedCreatedJob.from_dict(data)
    status = created.status
    return CreatedExportJob(
        job_id=created.job_id,
        # The vendor's example omits it; a job that was just created is pending.
        status=JobStatus.PENDING if isinstance(status, Unset) else status,
        requested_count=_count("requested_count", created.requested_count),
        total_matching=_count("total_matching", created.total_matching),
        estimated_credits=_count("estimated_credits", created.estimated_credits),
    )


def _to_page(data: dict[str, Any]) -> ExportJobPage:
    page = _GeneratedPage.from_dict({**data, "items": []})
    items = data["items"]
    if not isinstance(items, list):
        raise _Invalid("items must be an array")
    summaries: list[ExportJobSummary] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Invalid(f"items[{index}] must be an object")
        try:
            summaries.append(_to_summary(item))
        except _Invalid as exc:
            raise _Invalid(f"items[{index}]: {exc}") from None
    page_number = _count("page", page.page)
    if page_number < 1:
        raise _Invalid("page must be at least 1")
    return ExportJobPage(
        items=tuple(summaries),
        page=page_number,
        total_pages=_count("totalPages", page.total_pages),
        total_items=_count("totalItems", page.total_items),
    )


def _describe(exc: BaseException) -> str:
    if isinstance(exc, KeyError):
        return f"missing required field {exc.args[0]!r}"
    if isinstance(exc, RecursionError):
        return "the body is nested too deeply"
    return str(exc) or type(exc).__name__


def _text(body: str | bytes, response: httpx.Response | None) -> str:
    """The body as text, for an error's message and `.body` (only on failure)."""
    # JSON is UTF-8 (RFC 8259); the response itself may be a stream already closed.
    return body if isinstance(body, str) else body.decode("utf-8", "replace")


# The members of a job (any kind, and its list items) that hold the server's own
# words, the spec's free-text strings (and an account job's `type`, kept as sent
# when it is not one the spec names): shown, logged, pickled and printed by the
# CLI, so the key is taken out of them before a model keeps them.
_SERVER_WORDS = frozenset({"error_message", "title", "type"})


def _read(
    build: Callable[[dict[str, Any]], T],
    body: str | bytes,
    response: httpx.Response | None,
    what: str,
    secret: str | None,
) -> T:
    def invalid(message: str) -> ResponseValidationError:
        return ResponseValidationError(
            message, response=response, body=_text(body, response), secret=secret
        )

    # JSON is UTF-8 (RFC 8259), and json.loads detects it from the bytes: decoding
    # through `response.text` first would parse the Content-Type on every call.
    try:
        data = json.loads(body)
    except RecursionError:
        raise invalid(f"{what}: the body is nested too deeply to be an API answer") from None
    except ValueError:
        excerpt = describe_body(redact_secret(_text(body, response), secret))
        raise invalid(f"{what}: the body is not JSON: {excerpt!r}") from None
    if not isinstance(data, dict):
        raise invalid(f"{what}: expected a JSON object, got {type(data).__name__}")
    redact_secret_in_json(data, secret, _SERVER_WORDS)
    try:
        return build(data)
    # The generated from_dict raises whatever the bad value provokes (KeyError,
    # TypeError, ValueError, RecursionError on a deep value...): all are drift.
    # MemoryError is not: it says nothing about the body.
    except MemoryError:
        raise
    except Exception as exc:
        raise invalid(f"{what} breaks the API contract: {_describe(exc)}") from None


def parse_job(
    body: str | bytes,
    response: httpx.Response | None = None,
    *,
    expected_job_id: UUID | None = None,
    secret: str | None = None,
) -> ExportJob:
    """A job from a status body; one for another job than `expected_job_id` is drift."""
    job = _read(_to_job, body, response, "export job", secret)
    _same_job(job.job_id, expected_job_id, "export job", body, response, secret)
    return job


def _same_job(
    found: UUID,
    expected: UUID | None,
    what: str,
    body: str | bytes,
    response: httpx.Response | None,
    secret: str | None,
) -> None:
    # An answer about another job is refused: following it would show, or
    # download, somebody else's results.
    if expected is not None and found != expected:
        raise ResponseValidationError(
            f"{what}: asked for job {expected}, the API answered with job {found}",
            response=response,
            body=_text(body, response),
            secret=secret,
        )


def parse_created(
    body: str | bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> CreatedExportJob:
    return _read(_to_created, body, response, "created export job", secret)


def parse_page(
    body: str | bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> ExportJobPage:
    return _read(_to_page, body, response, "export job page", secret)
