"""How long to wait: retry backoff, Retry-After, and the wait() poll schedule.

Pure functions of their inputs (the jitter source and the clock are passed
in), so the schedules can be tested exactly and shared by the sync and async
clients.
"""

from __future__ import annotations

import random
from collections.abc import Callable
from datetime import datetime
from email.utils import parsedate_to_datetime

import attrs

from ._exceptions import (
    APIConnectionError,
    CompanyEnrichError,
    InternalServerError,
    RateLimitError,
)

__all__ = ["PollSchedule", "RetryPolicy", "parse_retry_after"]


def parse_retry_after(value: str | None, *, now: Callable[[], datetime]) -> float | None:
    """Seconds to wait from a Retry-After header: delta-seconds or an HTTP date.

    None when absent or unreadable (a malformed header is not worth failing a
    request over); a date in the past means "now" (0.0). `now` is called only
    for the date form: reading the clock on every response is wasted work.
    """
    if value is None:
        return None
    text = value.strip()
    if not text:
        return None
    try:
        seconds = float(text)
    except ValueError:
        pass
    else:
        return max(seconds, 0.0) if seconds == seconds else None  # NaN check
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError):
        return None
    if when.tzinfo is None:
        return None
    return max((when - now()).total_seconds(), 0.0)


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

    initial: float = attrs.field(default=1.0, validator=attrs.validators.gt(0))
    ratio: float = attrs.field(default=0.1, validator=attrs.validators.ge(0))
    maximum: float = 30.0

    @classmethod
    def fixed(cls, seconds: float) -> PollSchedule:
        return cls(initial=seconds, ratio=0.0, maximum=seconds)

    def interval(self, waited: float) -> float:
        return min(self.maximum, max(self.initial, self.ratio * waited))
