"""Checking what a caller passed, before anything is sent.

Every public operation calls these first, so a bad argument is a
`ValueError`/`TypeError` with no request made and no credit spent.
"""

from __future__ import annotations

import warnings
from collections.abc import Callable, Mapping
from typing import Any

import httpx

from companyenrich_export._core._operations import MAX_EXPORT_COUNT
from companyenrich_export._core._requests import ClientConfig
from companyenrich_export._core._timing import MIN_POLL_INTERVAL, PollSchedule, positive_seconds
from companyenrich_export._jobs._filter_check import FilterKind, checked_filter
from companyenrich_export._jobs._models import ExportJob, JobStatus
from companyenrich_export._jobs._webhook import is_webhook_url
from companyenrich_export_api.models import CreateExportRequest
from companyenrich_export_api.types import UNSET

__all__ = [
    "ByteProgressCallback",
    "ProgressCallback",
    "Timeout",
    "check_webhook_url",
    "count_query",
    "create_body",
    "job_status",
    "max_credits_of",
    "per_request_timeout",
    "poll_schedule",
    "positive_int",
    "results_timeouts",
    "wait_timeout",
]

Timeout = float | httpx.Timeout | None
ProgressCallback = Callable[[ExportJob], object]
ByteProgressCallback = Callable[[int, int | None], object]


def per_request_timeout(config: ClientConfig, timeout: object) -> httpx.Timeout:
    """A method's `timeout=` (per HTTP request), or the client's default."""
    if timeout is None:
        return config.timeout
    if isinstance(timeout, httpx.Timeout):
        return timeout
    return httpx.Timeout(positive_seconds("timeout", timeout))


def results_timeouts(
    config: ClientConfig, timeout: object, request_timeout: object
) -> tuple[httpx.Timeout, float | None]:
    """`download`/`download_to`/`iter_rows`' timeouts: (per request, whole-call deadline).

    `timeout=` is the whole call's wall-clock deadline (None: none), as for
    `wait()`; `request_timeout=` each HTTP request's. Before, `timeout=` was
    the per-request timeout here: an `httpx.Timeout` passed as `timeout=`
    can only mean that, so it still does, with a DeprecationWarning.
    """
    if isinstance(timeout, httpx.Timeout):
        warnings.warn(
            "timeout= is now the whole call's deadline in seconds; pass an httpx.Timeout "
            "(the per-request timeout) as request_timeout= instead",
            DeprecationWarning,
            stacklevel=3,
        )
        if request_timeout is None:
            request_timeout = timeout
        timeout = None
    per_request = per_request_timeout(config, request_timeout)
    if timeout is None:
        return per_request, None
    return per_request, positive_seconds("timeout", timeout)


def wait_timeout(timeout: object) -> float:
    """`wait()`'s deadline, in seconds from now."""
    return positive_seconds("timeout", timeout)


def poll_schedule(poll_interval: object, default: PollSchedule) -> PollSchedule:
    if poll_interval is None:
        return default
    if isinstance(poll_interval, PollSchedule):
        return poll_interval
    if isinstance(poll_interval, bool) or not isinstance(poll_interval, int | float):
        raise TypeError(
            f"poll_interval must be seconds or a PollSchedule, got {type(poll_interval).__name__}"
        )
    seconds = positive_seconds("poll_interval", poll_interval)
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


def create_body(
    *,
    count: object,
    search: Mapping[str, Any] | None,
    similar: Mapping[str, Any] | None,
    webhook_url: str | None,
    allow_unknown_filters: bool = False,
) -> CreateExportRequest:
    """The create request's body, every part checked: what would spend credits on a typo fails."""
    checked_count = positive_int("count", count, maximum=MAX_EXPORT_COUNT)
    if (search is None) == (similar is None):
        raise ValueError("Give exactly one of search= or similar=.")
    kind: FilterKind = "search" if search is not None else "similar"
    query = checked_filter(
        kind, search if search is not None else similar, allow_unknown=allow_unknown_filters
    )
    check_webhook_url(webhook_url)
    body = CreateExportRequest(
        count=checked_count, webhook_url=UNSET if webhook_url is None else webhook_url
    )
    # The filter goes in as checked, not through the generated model, which
    # would reorder it and drop fields sent under allow_unknown_filters.
    body.additional_properties[kind] = query
    return body


def check_webhook_url(webhook_url: object) -> str | None:
    """A create call's `webhook_url`, or ValueError: the spec's rule for every job kind."""
    if webhook_url is not None and not (
        isinstance(webhook_url, str) and is_webhook_url(webhook_url)
    ):
        raise ValueError(
            "webhook_url must be an absolute http(s) URL with a host name or IPv4 address "
            f"(RFC 3986: ASCII only, other characters percent-encoded), got {webhook_url!r}"
        )
    return webhook_url


def count_query(
    search: Mapping[str, Any] | None,
    similar: Mapping[str, Any] | None,
    *,
    allow_unknown_filters: bool = False,
) -> tuple[Mapping[str, Any] | None, Mapping[str, Any] | None]:
    """(search, similar) for a count, exactly one given, checked as create checks it."""
    if (search is None) == (similar is None):
        raise ValueError("Give exactly one of search= or similar=.")
    kind: FilterKind = "search" if search is not None else "similar"
    query = checked_filter(
        kind, search if search is not None else similar, allow_unknown=allow_unknown_filters
    )
    return (query, None) if kind == "search" else (None, query)


def max_credits_of(value: object) -> int | None:
    """`max_credits=`: None (no ceiling) or a whole number of credits, 0 or more."""
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"max_credits must be an int or None, got {type(value).__name__}")
    if value < 0:
        raise ValueError(f"max_credits must be 0 or more, got {value:,}")
    return value
