"""The fake's rate limit: the vendor's ~500 requests a minute, per key, opt-in.

    FakeCompanyEnrich(rate_limit=500)                       # 500 a minute, Retry-After sent
    FakeCompanyEnrich(rate_limit=RateLimit(500, retry_after=False))
    python -m companyenrich_export.testing --rate-limit 500/min

A sliding 60-second window of the API requests each key had answered
(storage links are another origin, with no limit here). A request over the
limit gets a problem+json 429; with `retry_after` it says when a slot frees
(whole seconds, rounded up), without it says nothing, since whether the
vendor sends `Retry-After` is unknown. Every API answer to a known key carries
`x-ratelimit-remaining`. Refused requests are not counted: a client that keeps
knocking is refused until the window moves on, as when it waits.

Time is the fake's clock, so a `ManualClock` makes every verdict
deterministic. `counts_per_window()` and `max_in_any_window()` read the
fake's own record of every request's arrival, refused ones included.
"""

from __future__ import annotations

import math
import re
from collections import deque
from collections.abc import Iterable

import attrs

__all__ = ["RateLimit", "RateLimiter", "max_in_any_window"]

WINDOW = 60.0
_SPEC = re.compile(r"\s*([0-9]{1,9})\s*(?:/\s*(s|sec|second|m|min|minute|h|hour))?\s*")
_PER = {
    None: 60.0,
    "s": 1.0,
    "sec": 1.0,
    "second": 1.0,
    "m": 60.0,
    "min": 60.0,
    "minute": 60.0,
    "h": 3600.0,
    "hour": 3600.0,
}


@attrs.frozen
class RateLimit:
    """`requests` per `window` seconds per key; `retry_after`: whether 429s say when to retry."""

    requests: int = attrs.field(validator=attrs.validators.ge(1))
    window: float = attrs.field(default=WINDOW, validator=attrs.validators.gt(0))
    retry_after: bool = True

    @classmethod
    def parse(cls, text: str, *, retry_after: bool = True) -> RateLimit:
        """`500/min`, `10/s`, `1000/hour` or a bare `500` (a minute)."""
        match = _SPEC.fullmatch(text)
        if match is None or int(match.group(1)) < 1:
            raise ValueError(f"rate limit must look like 500/min, 10/s or 1000/hour, got {text!r}")
        return cls(int(match.group(1)), _PER[match.group(2)], retry_after)


class RateLimiter:
    """Verdicts for one fake: per key digest, a window of answered request times."""

    def __init__(self, limit: RateLimit) -> None:
        self.limit = limit
        self._answered: dict[str, deque[float]] = {}

    def admit(self, owner: str, now: float) -> tuple[bool, int, float | None]:
        """(allowed?, remaining after this request, seconds until a slot frees if refused)."""
        window = self._answered.setdefault(owner, deque())
        cutoff = now - self.limit.window
        while window and window[0] <= cutoff:
            window.popleft()
        if len(window) >= self.limit.requests:
            wait = window[len(window) - self.limit.requests] + self.limit.window - now
            return False, 0, max(wait, 0.0)
        window.append(now)
        return True, self.limit.requests - len(window), None

    def retry_after_header(self, wait: float | None) -> list[tuple[str, str]]:
        if not self.limit.retry_after or wait is None:
            return []
        return [("retry-after", str(max(1, math.ceil(wait))))]


def max_in_any_window(times: Iterable[float], window: float = WINDOW) -> int:
    """The most of `times` that fall in any half-open window [t, t + window)."""
    ordered = sorted(times)
    most = 0
    start = 0
    for end, moment in enumerate(ordered):
        while ordered[start] <= moment - window:
            start += 1
        most = max(most, end - start + 1)
    return most
