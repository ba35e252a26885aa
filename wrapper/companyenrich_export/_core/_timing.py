"""How long to wait: retry backoff, Retry-After, and the wait() poll schedule.

Pure functions of their inputs (the jitter source and the clock are passed
in), so the schedules can be tested exactly and shared by the sync and async
clients.
"""

from __future__ import annotations

import math
import random
import re
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

import attrs

from companyenrich_export._exceptions import (
    APIConnectionError,
    CompanyEnrichError,
    InternalServerError,
    RateLimitError,
)

__all__ = [
    "DEFAULT_WAIT_TIMEOUT",
    "MIN_POLL_INTERVAL",
    "PollSchedule",
    "RetryPolicy",
    "parse_retry_after",
    "positive_seconds",
]

# The shortest interval wait() polls at: a job takes seconds to minutes, and a
# smaller interval only floods the API (1e-9 would be thousands of requests a second).
MIN_POLL_INTERVAL = 0.5
# How long wait() waits for a job by default (every kind, the CLI and Airflow alike).
DEFAULT_WAIT_TIMEOUT = 30 * 60.0
_DELTA_SECONDS = re.compile(r"[0-9]+(?:\.[0-9]+)?")
_MAX_DELTA_DIGITS = 9
_FOREVER = 1e9


def positive_seconds(name: str, value: object) -> float:
    """`value` as seconds when it is a finite number above zero; ValueError otherwise.

    The one rule for every timeout, deadline and interval a caller passes (the
    library, the CLI's flags, the Airflow operators). A wrong type is a
    ValueError too: a timeout of "60" or True is a bad value to the caller.
    """
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    if not 0 < value < math.inf:
        raise ValueError(f"{name} must be a positive number of seconds, got {value!r}")
    return float(value)


def parse_retry_after(value: str | None, *, now: Callable[[], datetime]) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date.

    Honoured only when it asks for a positive wait: ASCII digits (a fraction
    is tolerated, though RFC 9110 has none) or a date in the future. Anything
    else (absent, negative, `0`, a past date, `1_000`, non-ASCII digits,
    NaN, prose) is None, and the retry falls back to backoff: a header must
    not be able to turn retries into an immediate burst. `now` is called only
    for the date form: reading the clock on every response is wasted work.
    """
    if value is None:
        return None
    text = value.strip(" \t")
    if not text or not text.isascii():
        return None
    if _DELTA_SECONDS.fullmatch(text):
        whole = text.partition(".")[0]
        # Past 10^9 s (31 years) the exact figure no longer matters, and int()
        # refuses over 4,300 digits: anything that long waits "too long".
        seconds = float(text) if len(whole) <= _MAX_DELTA_DIGITS else _FOREVER
        return seconds if seconds > 0 else None
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        return None
    seconds = (when - now()).total_seconds()
    return seconds if seconds > 0 else None


@attrs.frozen(kw_only=True)
class RetryPolicy:
    """When and how long to retry a failed request.

    Retried: connection errors, timeouts, 429 and 5xx, at most `max_retries`
    times, with exponential backoff (`initial_backoff` doubling up to
    `max_backoff`) less up to 25% random jitter, so clients that failed
    together do not retry together. A Retry-After on a 429 or a 5xx (a 503
    during maintenance) is honoured exactly, unless it exceeds
    `max_retry_after`: then the error is raised at once rather than
    sleeping for an hour.

    Requests that are not idempotent (creating an export) are retried only
    when the server cannot have acted on them: the connection was never
    made, or the answer was 429.
    """

    max_retries: int = attrs.field(default=2, validator=attrs.validators.ge(0))
    initial_backoff: float = 0.5
    max_backoff: float = 8.0
    max_retry_after: float = 60.0
    jitter: Callable[[], float] = attrs.field(default=random.random, repr=False, eq=False)

    def backoff(self, retry_number: int) -> float:
        """Seconds before retry number `retry_number` (0-based), jitter included."""
        base = min(self.initial_backoff * 2.0**retry_number, self.max_backoff)
        return base * (1.0 - 0.25 * self.jitter())

    def delay(
        self, retry_number: int, error: CompanyEnrichError, *, idempotent: bool
    ) -> float | None:
        """Seconds to sleep before retrying after `error`, or None to give up now."""
        if retry_number >= self.max_retries or not _retryable(error, idempotent=idempotent):
            return None
        if (
            isinstance(error, RateLimitError | InternalServerError)
            and error.retry_after is not None
        ):
            if error.retry_after > self.max_retry_after:
                return None
            return error.retry_after
        return self.backoff(retry_number)


def _retryable(error: CompanyEnrichError, *, idempotent: bool) -> bool:
    if isinstance(error, RateLimitError):
        return True
    if idempotent:
        return isinstance(error, APIConnectionError | InternalServerError)
    # Only a connection that never opened proves a POST was not received.
    return isinstance(error, APIConnectionError) and error.never_sent


@attrs.frozen(kw_only=True)
class PollSchedule:
    """Intervals between status checks in `wait()`.

    The interval is `ratio` of the time waited so far, kept between
    `initial` and `maximum`. A job is therefore noticed at most about 10%
    of its age after it finishes (plus `initial`), while a 20-minute export
    costs a few dozen requests instead of the 1,200 of one-second polling.
    A server's Retry-After always lengthens the next interval.
    """

    initial: float = attrs.field(default=1.0)
    ratio: float = attrs.field(default=0.1)
    maximum: float = attrs.field(default=30.0)

    @initial.validator
    def _check_initial(self, _: object, value: object) -> None:
        if not _seconds("poll interval (PollSchedule initial)", value) >= MIN_POLL_INTERVAL:
            raise ValueError(
                f"poll interval (PollSchedule initial) must be at least "
                f"{MIN_POLL_INTERVAL:g} seconds, got {value!r}"
            )

    @ratio.validator
    def _check_ratio(self, _: object, value: object) -> None:
        if not _seconds("PollSchedule ratio", value) >= 0:
            raise ValueError(f"PollSchedule ratio must be 0 or more, got {value!r}")

    @maximum.validator
    def _check_maximum(self, _: object, value: object) -> None:
        # Below `initial` it would undercut the floor the initial interval keeps.
        if not _seconds("PollSchedule maximum", value) >= self.initial:
            raise ValueError(
                f"PollSchedule maximum must be at least its initial interval "
                f"({self.initial:g} s), got {value!r}"
            )

    @classmethod
    def fixed(cls, seconds: float) -> PollSchedule:
        return cls(initial=seconds, ratio=0.0, maximum=seconds)

    def interval(self, waited: float) -> float:
        return min(self.maximum, max(self.initial, self.ratio * waited))


def _seconds(name: str, value: object) -> float:
    # bool is an int, and `poll_interval=True` is a mistake, not one second.
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise TypeError(f"{name} must be a number of seconds, got {type(value).__name__}")
    if not math.isfinite(value):
        raise ValueError(f"{name} must be a finite number of seconds, got {value!r}")
    return float(value)
