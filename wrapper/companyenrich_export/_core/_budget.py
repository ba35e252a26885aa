"""One request budget per API key and origin, shared by everything in the process.

CompanyEnrich allows about 500 requests a minute (per IP, says the vendor;
the key is the closest thing a client can see). Every client built with the
same key for the same API origin, in any thread or event loop, draws on one
`RequestBudget`, so a triggerer running 200 clients, or 1,000 `wait()`s in
one loop, stays under the limit together.

The rule is a sliding window: a request is sent only when fewer than the
allowed number were sent in the 60 seconds before it, refused ones included.
So no 60-second window ever holds more than the limit (a token bucket that
starts full and refills could send twice the limit in one window). The
server counts a request when it arrives, somewhere between our send and its
answer, and latency varies (a first request's TLS handshake, a slow hop): a
request therefore holds its place from the moment it is sent until 60 s
after its answer (`done()`), so however late an early request arrived and
however early a later one, the server never sees more than the limit.

It adapts: a 429 halves the allowance and a `Retry-After` on it pauses every
request on the budget (the whole key is limited, not the one call); an
`x-ratelimit-remaining` lower than our own count says someone else shares the
limit (another process on the same key), and the allowance shrinks to match.
Each answer that is not a 429 gives one request back, up to the limit.

Time is the client's `Clock`, so waiting for the budget costs nothing in tests
driven by `ManualClock`. State sits behind a `threading.Lock` held only for a
few arithmetic steps, never across a sleep or an `await`, so sync threads and
async tasks share it safely. Written for this rather than taken from a library
(see README, Dependencies): none of pyrate-limiter, aiolimiter or limits offers
one limiter for threads and event loops together driven by an injectable clock.
"""

from __future__ import annotations

import hashlib
import hmac
import math
import os
import threading
import weakref
from collections import deque
from collections.abc import Mapping
from typing import Final

from companyenrich_export._core._clock import Clock, SystemClock

__all__ = [
    "DEFAULT_MAX_REQUESTS_PER_MINUTE",
    "WINDOW_SECONDS",
    "RequestBudget",
    "budget_for",
    "check_requests_per_minute",
    "key_digest",
    "reset_request_budgets",
]

DEFAULT_MAX_REQUESTS_PER_MINUTE: Final = 500
WINDOW_SECONDS: Final = 60.0
# A request is sent this long after the window frees a slot, so that rounding
# in a clock's arithmetic cannot put it a hair inside the previous window.
_MARGIN: Final = 0.001
# When every place is held by a request still waiting for its answer, how
# often to look again (the answer's time is what frees the place).
_IN_FLIGHT_RECHECK: Final = 0.05
# The allowance never drops below this share of the limit: a server that keeps
# answering 429 slows us down, it cannot stop us for good.
_FLOOR_SHARE: Final = 0.1
# Longest pause a Retry-After imposes on the whole budget (the same cap as the
# retry policy's: an hour-long header is an answer, not a reason to stall).
_MAX_PAUSE: Final = 60.0

# Never the key itself: a keyed digest, with a secret of this process only.
_SALT: Final = os.urandom(16)


class RequestBudget:
    """A sliding 60-second window of send times, adaptive, for one key and origin."""

    def __init__(self, limit: int, clock: Clock) -> None:
        self.limit = check_requests_per_minute(limit)
        self.clock = clock
        self._allowed = float(self.limit)
        # When each answered request got its answer, oldest first.
        self._sent: deque[float] = deque()
        # Requests sent and not answered yet: each holds a place in every window.
        self._in_flight = 0
        self._paused_until = -math.inf
        self._lock = threading.Lock()

    @property
    def allowed(self) -> int:
        """Requests allowed in any 60 s window right now (the limit, or less after a 429)."""
        return max(1, int(self._allowed))

    def lower_limit(self, limit: int) -> None:
        """Share with a client asking for less: the smallest limit wins."""
        with self._lock:
            if limit < self.limit:
                self.limit = limit
                self._allowed = min(self._allowed, float(limit))

    def take(self) -> float:
        """Hold a place for a request sent now and return 0.0, or return the seconds to wait first.

        The caller sleeps that long on the budget's clock and asks again. A
        0.0 must be followed by `done()` once the request is answered or has
        failed, whatever happens (`finally`): until then it holds its place.
        """
        with self._lock:
            now = self.clock.monotonic()
            self._forget_before(now - WINDOW_SECONDS)
            ready = self._paused_until
            allowed = self.allowed
            excess = len(self._sent) + self._in_flight - allowed
            if excess >= 0:
                if excess < len(self._sent):
                    # The place of the `excess`-th oldest answer frees first.
                    ready = max(ready, self._sent[excess] + WINDOW_SECONDS + _MARGIN)
                else:
                    ready = max(ready, now + _IN_FLIGHT_RECHECK)
            # Less than a microsecond away is now: a clock's float sums may fall a hair short.
            if ready - now > 1e-6:
                return ready - now
            self._in_flight += 1
            return 0.0

    def done(self) -> None:
        """The request `take()` let through was answered (or failed): it counts from now."""
        with self._lock:
            self._in_flight = max(0, self._in_flight - 1)
            self._sent.append(self.clock.monotonic())

    def observe(self, status: int, headers: Mapping[str, str], retry_after: float | None) -> None:
        """Adapt to one answer: its status, `x-ratelimit-remaining` and `Retry-After`."""
        remaining = _remaining(headers.get("x-ratelimit-remaining"))
        with self._lock:
            now = self.clock.monotonic()
            floor = max(1.0, self.limit * _FLOOR_SHARE)
            if status == 429:
                self._allowed = max(floor, self._allowed / 2)
                if retry_after is not None:
                    pause = min(retry_after, _MAX_PAUSE)
                    self._paused_until = max(self._paused_until, now + pause)
                return
            self._forget_before(now - WINDOW_SECONDS)
            used = len(self._sent) + self._in_flight
            if remaining is not None and used + remaining < self._allowed:
                # The server counts more than we sent: the limit is shared with others.
                self._allowed = max(floor, float(used + remaining))
            elif self._allowed < self.limit:
                self._allowed = min(float(self.limit), self._allowed + 1)

    def sent_in_window(self) -> int:
        """Requests holding a place now: answered in the last 60 s, or not yet answered."""
        with self._lock:
            self._forget_before(self.clock.monotonic() - WINDOW_SECONDS)
            return len(self._sent) + self._in_flight

    def _forget_before(self, cutoff: float) -> None:
        sent = self._sent
        while sent and sent[0] <= cutoff:
            sent.popleft()

    def __repr__(self) -> str:
        return f"RequestBudget(limit={self.limit}, allowed={self.allowed})"


def check_requests_per_minute(value: object) -> int:
    """A valid `max_requests_per_minute` (a whole number from 1), else TypeError/ValueError."""
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(
            f"max_requests_per_minute must be a whole number or None, got {type(value).__name__}"
        )
    if value < 1:
        raise ValueError(f"max_requests_per_minute must be at least 1 (or None), got {value!r}")
    return value


_lock = threading.Lock()
# Real-time clients all share one budget per key and origin, whatever SystemClock
# instance they hold; a test clock (ManualClock) gets budgets of its own, dropped with it.
_system_budgets: dict[tuple[str, str], RequestBudget] = {}
_clock_budgets: weakref.WeakKeyDictionary[Clock, dict[tuple[str, str], RequestBudget]] = (
    weakref.WeakKeyDictionary()
)


def budget_for(api_key: str, origin: str, clock: Clock, limit: int | None) -> RequestBudget | None:
    """The process's budget for `api_key` at `origin` (made on first use); None when off."""
    if limit is None:
        return None
    key = (key_digest(api_key), origin)
    with _lock:
        if type(clock) is SystemClock:
            budgets = _system_budgets
        else:
            try:
                budgets = _clock_budgets.setdefault(clock, {})
            except TypeError:  # a clock that cannot be weakly referenced: a budget per client
                return RequestBudget(limit, clock)
        budget = budgets.get(key)
        if budget is None:
            budget = budgets[key] = RequestBudget(limit, clock)
            return budget
    budget.lower_limit(limit)
    return budget


def reset_request_budgets() -> None:
    """Forget every real-time budget of this process, as if no request had been sent.

    For test suites: clients on the real clock share budgets for the life of
    the process, so one test's 500 requests (or a client built with a lower
    `max_requests_per_minute`, which then holds for the key) would slow the
    tests after it down in real time. Budgets of a test clock go with it.
    """
    with _lock:
        _system_budgets.clear()


def key_digest(api_key: str) -> str:
    """What registries of this process are keyed by instead of the key (a salted HMAC)."""
    return hmac.new(_SALT, api_key.encode("utf-8"), hashlib.sha256).hexdigest()


def _remaining(value: str | None) -> int | None:
    # Optional and undocumented in form: anything but plain digits is ignored.
    if value is None:
        return None
    text = value.strip()
    if not text.isascii() or not text.isdigit() or len(text) > 9:
        return None
    return int(text)
