"""Bulk enrichment jobs and the account-wide job list: their values and strict reading.

The same rules as `_models` (whose helpers these reuse): the generated
models check the spec's structure, then every count, date and URL is
checked for what they let through, and anything off is a
`ResponseValidationError` carrying the raw body, never a bare `KeyError`,
`ValueError` or `RecursionError`.

What the vendor leaves undocumented stays open here: the bulk list's items
need only `job_id` and `status` (the rest may be missing), and an account
job's `type` is any non-empty text (only `bulk_enrichment` is documented).
"""

from __future__ import annotations

from collections.abc import Callable
from datetime import datetime
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import attrs
import httpx

from companyenrich_export._jobs._models import (
    TERMINAL_STATUSES,
    JSONFields,
    PageOf,
    _count,
    _describe,
    _Invalid,
    _normalise_dates,
    _optional_text,
    _read,
    _redacted_url,
    _results_url,
    _same_job,
    _timestamp,
    one_line,
)
from companyenrich_export_api.models import AccountJob as _GeneratedAccountJob
from companyenrich_export_api.models import AccountJobPage as _GeneratedAccountPage
from companyenrich_export_api.models import BulkEnrichmentJob as _GeneratedEnrichmentJob
from companyenrich_export_api.models import BulkEnrichmentJobListItem as _GeneratedListItem
from companyenrich_export_api.models import BulkEnrichmentJobPage as _GeneratedEnrichmentPage
from companyenrich_export_api.models import (
    CreatedBulkEnrichmentJob as _GeneratedCreatedEnrichment,
)
from companyenrich_export_api.models import JobStatus
from companyenrich_export_api.types import Unset

__all__ = [
    "BULK_ENRICHMENT_TYPE",
    "AccountJob",
    "AccountJobPage",
    "CreatedEnrichmentJob",
    "EnrichmentJob",
    "EnrichmentJobPage",
    "EnrichmentJobSummary",
    "EnrichmentResult",
    "parse_account_job",
    "parse_account_page",
    "parse_enrichment_created",
    "parse_enrichment_job",
    "parse_enrichment_page",
]

# The one `type` value of the account-wide list that the vendor documents.
BULK_ENRICHMENT_TYPE = "bulk_enrichment"

T = TypeVar("T")


@attrs.frozen(kw_only=True)
class EnrichmentJob(JSONFields):
    """The full state of one bulk enrichment job, as its status endpoint returns it."""

    job_id: UUID
    status: JobStatus
    total_domains: int
    success_count: int
    failed_count: int
    credits_charged: int
    created_at: datetime
    started_at: datetime | None = None
    completed_at: datetime | None = None
    results_url: str | None = attrs.field(default=None, repr=lambda url: repr(_redacted_url(url)))
    error_message: str | None = None

    @property
    def is_terminal(self) -> bool:
        """True once the job is `completed` or `failed`: it will not change again."""
        return self.status in TERMINAL_STATUSES

    @property
    def progress(self) -> float | None:
        """Domains done (enriched or failed) over all, 0.0 to 1.0; None for no domains."""
        if self.total_domains <= 0:
            return None
        return min((self.success_count + self.failed_count) / self.total_domains, 1.0)

    def __str__(self) -> str:
        percent = f"{self.progress:.0%}" if self.progress is not None else "-"
        done = self.success_count + self.failed_count
        text = (
            f"bulk enrichment {self.job_id} {self.status.value}: "
            f"{done:,}/{self.total_domains:,} domains done ({percent}), "
            f"{self.failed_count:,} failed"
        )
        if self.error_message is None:
            return text
        return f"{text}: {one_line(self.error_message)}"


@attrs.frozen(kw_only=True)
class EnrichmentResult(JSONFields):
    """What `enrichments.run()` returns: its jobs, in order, and the one file joining them."""

    jobs: tuple[EnrichmentJob, ...]
    path: Path

    @property
    def success_count(self) -> int:
        return sum(job.success_count for job in self.jobs)

    @property
    def failed_count(self) -> int:
        return sum(job.failed_count for job in self.jobs)

    def __str__(self) -> str:
        return (
            f"{len(self.jobs)} bulk enrichment job(s): {self.success_count:,} enriched, "
            f"{self.failed_count:,} failed -> {self.path}"
        )


@attrs.frozen(kw_only=True)
class EnrichmentJobSummary(JSONFields):
    """A job of the bulk enrichment list, whose schema is undocumented.

    Only `job_id` and `status` are sure to be there; any other field the
    server left out is None. `enrichments.get(job_id)` has the rest.
    """

    job_id: UUID
    status: JobStatus
    total_domains: int | None = None
    success_count: int | None = None
    failed_count: int | None = None
    credits_charged: int | None = None
    created_at: datetime | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    def __str__(self) -> str:
        return f"bulk enrichment {self.job_id} {self.status.value}"


@attrs.frozen(kw_only=True)
class CreatedEnrichmentJob(JSONFields):
    """What creating a bulk enrichment returns: the job, and what it may cost at most."""

    job_id: UUID
    status: JobStatus
    total_domains: int
    estimated_credits: int

    def __str__(self) -> str:
        return (
            f"bulk enrichment {self.job_id} {self.status.value}: "
            f"{self.total_domains:,} domains, at most {self.estimated_credits:,} credits"
        )


@attrs.frozen(kw_only=True)
class EnrichmentJobPage(PageOf):
    """One page of the caller's bulk enrichment jobs."""

    items: tuple[EnrichmentJobSummary, ...]
    page: int
    total_pages: int
    total_items: int


@attrs.frozen(kw_only=True)
class AccountJob(JSONFields):
    """A job of any kind, as the account-wide list (`/jobs`) shows it.

    `type` is the vendor's open string (`bulk_enrichment`, ...). There are no
    counts or results link here: follow the job with its kind's own `get`.
    `job_id` is `id` under the name every other job value uses.
    """

    id: UUID
    type: str
    status: JobStatus
    created_at: datetime
    title: str | None = None
    started_at: datetime | None = None
    completed_at: datetime | None = None
    credits_charged: int | None = None
    error_message: str | None = None

    @property
    def job_id(self) -> UUID:
        return self.id

    @property
    def is_terminal(self) -> bool:
        return self.status in TERMINAL_STATUSES

    def __str__(self) -> str:
        # `type` is the server's open string: printable characters only, one line.
        return f"{one_line(self.type)} {self.id} {self.status.value}"


@attrs.frozen(kw_only=True)
class AccountJobPage(PageOf):
    """One page of the account's jobs, of every kind."""

    items: tuple[AccountJob, ...]
    page: int
    total_pages: int
    total_items: int


# --- reading bodies -----------------------------------------------------------------


def _optional_count(name: str, value: object) -> int | None:
    return None if value is None or isinstance(value, Unset) else _count(name, value)


def _uuid_text(data: dict[str, Any], name: str) -> dict[str, Any]:
    # The generated from_dict would call UUID(None) and say nothing about which field.
    if name in data and not isinstance(data[name], str):
        raise _Invalid(f"{name} must be a UUID string, got {type(data[name]).__name__}")
    return data


def _uuid(name: str, value: object) -> UUID:
    if not isinstance(value, UUID):
        raise _Invalid(f"{name} must be a UUID")
    return value


def _to_enrichment_job(data: dict[str, Any]) -> EnrichmentJob:
    job = _GeneratedEnrichmentJob.from_dict(_normalise_dates(_uuid_text(data, "job_id")))
    return EnrichmentJob(
        job_id=_uuid("job_id", job.job_id),
        status=job.status,
        total_domains=_count("total_domains", job.total_domains),
        success_count=_count("success_count", job.success_count),
        failed_count=_count("failed_count", job.failed_count),
        credits_charged=_count("credits_charged", job.credits_charged),
        created_at=_required_timestamp("created_at", job.created_at),
        started_at=_timestamp("started_at", job.started_at, nullable=True),
        completed_at=_timestamp("completed_at", job.completed_at, nullable=True),
        results_url=_results_url(job.results_url),
        error_message=_optional_text("error_message", job.error_message),
    )


def _required_timestamp(name: str, value: object) -> datetime:
    stamp = _timestamp(name, value, nullable=False)
    if stamp is None:  # unreachable: nullable=False raises first; this narrows the type
        raise _Invalid(f"{name} is required")
    return stamp


def _to_enrichment_summary(data: dict[str, Any]) -> EnrichmentJobSummary:
    item = _GeneratedListItem.from_dict(_normalise_dates(_uuid_text(data, "job_id")))
    if isinstance(item.job_id, Unset):
        raise _Invalid("job_id is required to follow a job")
    if isinstance(item.status, Unset):
        raise _Invalid("status is required")
    return EnrichmentJobSummary(
        job_id=_uuid("job_id", item.job_id),
        status=item.status,
        total_domains=_optional_count("total_domains", item.total_domains),
        success_count=_optional_count("success_count", item.success_count),
        failed_count=_optional_count("failed_count", item.failed_count),
        credits_charged=_optional_count("credits_charged", item.credits_charged),
        created_at=_timestamp("created_at", item.created_at, nullable=True),
        started_at=_timestamp("started_at", item.started_at, nullable=True),
        completed_at=_timestamp("completed_at", item.completed_at, nullable=True),
    )


def _to_enrichment_created(data: dict[str, Any]) -> CreatedEnrichmentJob:
    created = _GeneratedCreatedEnrichment.from_dict(_uuid_text(data, "job_id"))
    status = created.status
    return CreatedEnrichmentJob(
        job_id=_uuid("job_id", created.job_id),
        # As for exports: a job that was just created is pending when the answer omits it.
        status=JobStatus.PENDING if isinstance(status, Unset) else status,
        total_domains=_count("total_domains", created.total_domains),
        estimated_credits=_count("estimated_credits", created.estimated_credits),
    )


def _job_type(value: object) -> str:
    if not isinstance(value, str) or not value:
        raise _Invalid("type must be a non-empty string")
    return value


def _to_account_job(data: dict[str, Any]) -> AccountJob:
    job = _GeneratedAccountJob.from_dict(_normalise_dates(_uuid_text(data, "id")))
    return AccountJob(
        id=_uuid("id", job.id),
        type=_job_type(job.type_),
        status=job.status,
        title=_optional_text("title", job.title),
        created_at=_required_timestamp("created_at", job.created_at),
        started_at=_timestamp("started_at", job.started_at, nullable=True),
        completed_at=_timestamp("completed_at", job.completed_at, nullable=True),
        credits_charged=_optional_count("credits_charged", job.credits_charged),
        error_message=_optional_text("error_message", job.error_message),
    )


def _items(data: dict[str, Any], read: Callable[[dict[str, Any]], T]) -> tuple[T, ...]:
    items = data["items"]
    if not isinstance(items, list):
        raise _Invalid("items must be an array")
    read_items: list[T] = []
    for index, item in enumerate(items):
        if not isinstance(item, dict):
            raise _Invalid(f"items[{index}] must be an object")
        try:
            read_items.append(read(item))
        except MemoryError:
            raise
        # As in `_read`: whatever the generated from_dict raises on a bad value is drift,
        # named here with the item it is in.
        except Exception as exc:
            raise _Invalid(f"items[{index}]: {_describe(exc)}") from None
    return tuple(read_items)


def _envelope(page: int, total_pages: int, total_items: int) -> dict[str, int]:
    number = _count("page", page)
    if number < 1:
        raise _Invalid("page must be at least 1")
    return {
        "page": number,
        "total_pages": _count("totalPages", total_pages),
        "total_items": _count("totalItems", total_items),
    }


def _to_enrichment_page(data: dict[str, Any]) -> EnrichmentJobPage:
    # The envelope through the generated model (required keys), the items by hand.
    page = _GeneratedEnrichmentPage.from_dict({**data, "items": []})
    return EnrichmentJobPage(
        items=_items(data, _to_enrichment_summary),
        **_envelope(page.page, page.total_pages, page.total_items),
    )


def _to_account_page(data: dict[str, Any]) -> AccountJobPage:
    page = _GeneratedAccountPage.from_dict({**data, "items": []})
    return AccountJobPage(
        items=_items(data, _to_account_job),
        **_envelope(page.page, page.total_pages, page.total_items),
    )


def parse_enrichment_job(
    body: str | bytes,
    response: httpx.Response | None = None,
    *,
    expected_job_id: UUID | None = None,
    secret: str | None = None,
) -> EnrichmentJob:
    """A bulk enrichment job from a status body; another job than `expected_job_id` is drift."""
    what = "bulk enrichment job"
    job = _read(_to_enrichment_job, body, response, what, secret)
    _same_job(job.job_id, expected_job_id, what, body, response, secret)
    return job


def parse_enrichment_created(
    body: str | bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> CreatedEnrichmentJob:
    return _read(_to_enrichment_created, body, response, "created bulk enrichment job", secret)


def parse_enrichment_page(
    body: str | bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> EnrichmentJobPage:
    return _read(_to_enrichment_page, body, response, "bulk enrichment job page", secret)


def parse_account_job(
    body: str | bytes,
    response: httpx.Response | None = None,
    *,
    expected_job_id: UUID | None = None,
    secret: str | None = None,
) -> AccountJob:
    """An account job from `/jobs/{jobId}`; another job than `expected_job_id` is drift."""
    what = "account job"
    job = _read(_to_account_job, body, response, what, secret)
    _same_job(job.id, expected_job_id, what, body, response, secret)
    return job


def parse_account_page(
    body: str | bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> AccountJobPage:
    return _read(_to_account_page, body, response, "account job page", secret)
