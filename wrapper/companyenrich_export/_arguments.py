"""Checking what a caller passed, before anything is sent.

Every public operation calls these first, so a bad argument is a
`ValueError`/`TypeError` with no request made and no credit spent.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx

from companyenrich_export_api.models import CreateExportRequest

from ._exceptions import ExportFailedError, ExportNotReadyError
from ._files import resolve_destination
from ._models import ExportJob, JobStatus, coerce_job_id
from ._operations import MAX_EXPORT_COUNT, MAX_SIMILAR_DOMAINS
from ._requests import ClientConfig
from ._timing import MIN_POLL_INTERVAL, PollSchedule

__all__ = [
    "ByteProgressCallback",
    "JobRef",
    "ProgressCallback",
    "Timeout",
    "check_dest_folder",
    "create_body",
    "job_id_of",
    "job_status",
    "per_request_timeout",
    "poll_schedule",
    "positive_int",
    "require_results",
    "wait_timeout",
]

Timeout = float | httpx.Timeout | None
ProgressCallback = Callable[[ExportJob], object]
ByteProgressCallback = Callable[[int, int | None], object]
JobRef = UUID | str | ExportJob


def _positive_seconds(name: str, value: object) -> float:
    # ValueError for a wrong type too: a timeout of "60" or True is a bad value to the caller.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    if not 0 < value < float("inf"):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def per_request_timeout(config: ClientConfig, timeout: object) -> httpx.Timeout:
    """A method's `timeout=` (per HTTP request), or the client's default."""
    if timeout is None:
        return config.timeout
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(_positive_seconds("timeout", timeout))


def wait_timeout(timeout: object) -> float:
    """`wait()`'s deadline, in seconds from now."""
    return _positive_seconds("timeout", timeout)


def poll_schedule(poll_interval: object, default: PollSchedule) -> PollSchedule:
    if poll_interval is None:
        return default
    if isinstance(poll_interval, PollSchedule):
        return poll_interval
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, int | float):
        raise TypeError(
            f"poll_interval must be seconds or a PollSchedule, got {type(poll_interval).__name__}"
        )
    seconds = _positive_seconds("poll_interval", poll_interval)
    if seconds < MIN_POLL_INTERVAL:
        raise ValueError(
            f"poll_interval must be at least {MIN_POLL_INTERVAL} s, got {poll_interval!r}"
        )
    return PollSchedule.fixed(seconds)


def positive_int(name: str, value: object, *, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if not 1 <= value <= maximum:
        raise ValueError(f"{name} must be between 1 and {maximum:,}, got {value:,}")
    return value


def job_status(value: JobStatus | str | None) -> JobStatus | None:
    if value is None:
        return None
    try:
        return JobStatus(value)
    except ValueError:
        allowed = ", ".join(status.value for status in JobStatus)
        raise ValueError(f"status must be one of {allowed}; got {value!r}") from None


def job_id_of(job: JobRef) -> UUID:
    return job.job_id if isinstance(job, ExportJob) else coerce_job_id(job)


def create_body(
    *,
    count: object,
    search: Mapping[str, Any] | None,
    similar: Mapping[str, Any] | None,
    webhook_url: str | None,
) -> CreateExportRequest:
    positive_int("count", count, maximum=MAX_EXPORT_COUNT)
    if (search is None) == (similar is None):
        raise ValueError("Give exactly one of search= or similar=.")
    query = search if search is not None else similar
    if not isinstance(query, Mapping):
        raise TypeError(f"search/similar must be a mapping, got {type(query).__name__}")
    if similar is not None:
        domains = similar.get("domains")
        if (
            not isinstance(domains, list | tuple)
            or not 1 <= len(domains) <= MAX_SIMILAR_DOMAINS
            or not all(isinstance(domain, str) and domain for domain in domains)
        ):
            raise ValueError(
                f"similar['domains'] must list 1 to {MAX_SIMILAR_DOMAINS} domain names."
            )
    if webhook_url is not None:
        try:
            url = httpx.URL(webhook_url)
        except httpx.InvalidURL:
            raise ValueError(f"webhook_url is not a valid URL: {webhook_url!r}") from None
        if url.scheme not in ("http", "https") or not url.host:
            raise ValueError(f"webhook_url must be an absolute http(s) URL, got {webhook_url!r}")
    body: dict[str, Any] = {"count": count}
    if search is not None:
        body["search"] = dict(search)
    if similar is not None:
        body["similar"] = {**similar, "domains": list(similar["domains"])}
    if webhook_url is not None:
        body["webhook_url"] = webhook_url
    return CreateExportRequest.from_dict(body)


def require_results(job: ExportJob) -> str:
    """The job's results link; ExportFailedError or ExportNotReadyError when there is none."""
    if job.status is JobStatus.FAILED:
        raise ExportFailedError(job)
    if job.status is not JobStatus.COMPLETED or not job.results_url:
        raise ExportNotReadyError(job)
    return job.results_url


def check_dest_folder(dest: str | os.PathLike[str]) -> Path:
    """Fail before spending credits or waiting on an export that could not be saved."""
    return resolve_destination(dest, results_url="", fallback="export.csv")
