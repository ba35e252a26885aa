"""RetryPolicy, PollSchedule and Retry-After parsing, as pure functions (no client, no HTTP)."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta
from email.utils import format_datetime

import httpx
import pytest

from companyenrich_export import (
    APIConnectionError,
    APITimeoutError,
    AuthenticationError,
    InternalServerError,
    PollSchedule,
    RateLimitError,
    RetryPolicy,
)
from companyenrich_export._core._timing import parse_retry_after

NOW = datetime(2026, 2, 17, 2, 4, 3, tzinfo=UTC)
REQUEST = httpx.Request("GET", "https://api.companyenrich.com/x")


def _response(status: int) -> httpx.Response:
    return httpx.Response(status, request=REQUEST)


# --- PollSchedule ---------------------------------------------------------------------------


def test_poll_schedule_defaults() -> None:
    schedule = PollSchedule()
    assert (schedule.initial, schedule.ratio, schedule.maximum) == (1.0, 0.1, 30.0)


@pytest.mark.parametrize(
    ("waited", "interval"),
    [(0, 1.0), (5, 1.0), (10, 1.0), (25, 2.5), (120, 12.0), (300, 30.0), (3600, 30.0)],
)
def test_poll_interval_is_ten_percent_of_the_wait_between_1_and_30_s(
    waited: float, interval: float
) -> None:
    assert PollSchedule().interval(waited) == pytest.approx(interval)


def test_fixed_poll_schedule() -> None:
    schedule = PollSchedule.fixed(4.0)
    assert [schedule.interval(w) for w in (0, 10, 1000)] == [4.0, 4.0, 4.0]


@pytest.mark.parametrize("kwargs", [{"initial": 0}, {"initial": -1}, {"ratio": -0.1}])
def test_poll_schedule_rejects_nonsense(kwargs) -> None:
    with pytest.raises(ValueError, match=next(iter(kwargs))):
        PollSchedule(**kwargs)


# --- RetryPolicy ------------------------------------------------------------------------------


def test_retry_policy_defaults() -> None:
    policy = RetryPolicy()
    assert (policy.max_retries, policy.initial_backoff, policy.max_backoff) == (2, 0.5, 8.0)
    assert policy.max_retry_after == 60.0


@pytest.mark.parametrize(
    ("jitter", "expected"),
    [(0.0, [0.5, 1.0, 2.0, 4.0, 8.0, 8.0]), (1.0, [0.375, 0.75, 1.5, 3.0, 6.0, 6.0])],
)
def test_backoff_doubles_up_to_the_cap(jitter: float, expected: list[float]) -> None:
    policy = RetryPolicy(max_retries=10, jitter=lambda: jitter)
    assert [policy.backoff(n) for n in range(6)] == expected


def test_delay_gives_up_after_max_retries() -> None:
    policy = RetryPolicy(max_retries=2, jitter=lambda: 0.0)
    error = InternalServerError("503", response=_response(503))
    assert [policy.delay(n, error, idempotent=True) for n in range(3)] == [0.5, 1.0, None]


@pytest.mark.parametrize(
    ("error", "idempotent", "retried"),
    [
        (InternalServerError("500", response=_response(500)), True, True),
        (InternalServerError("500", response=_response(500)), False, False),
        (APIConnectionError(request=REQUEST, never_sent=True), False, True),
        (APIConnectionError(request=REQUEST, never_sent=False), False, False),
        (APITimeoutError(request=REQUEST), True, True),
        (APITimeoutError(request=REQUEST), False, False),
        (RateLimitError("429", response=_response(429), retry_after=None), False, True),
        (AuthenticationError("401", response=_response(401)), True, False),
    ],
    ids=[
        "5xx-get",
        "5xx-post",
        "never-sent-post",
        "sent-post",
        "timeout-get",
        "timeout-post",
        "429-post",
        "401",
    ],
)
def test_what_is_retried(error, idempotent: bool, retried: bool) -> None:
    policy = RetryPolicy(jitter=lambda: 0.0)
    assert (policy.delay(0, error, idempotent=idempotent) is not None) is retried


@pytest.mark.parametrize(
    ("retry_after", "delay"), [(0.0, 0.0), (7.0, 7.0), (60.0, 60.0), (60.5, None)]
)
def test_rate_limit_delay_is_the_servers_retry_after_up_to_the_limit(
    retry_after: float, delay: float | None
) -> None:
    policy = RetryPolicy(jitter=lambda: 0.0)
    error = RateLimitError("429", response=_response(429), retry_after=retry_after)
    assert policy.delay(0, error, idempotent=True) == delay


# --- Retry-After ---------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        (" 2.5 ", 2.5),
        ("0", None),
        ("-3", None),
        (format_datetime(NOW + timedelta(seconds=12), usegmt=True), 12.0),
        (format_datetime(NOW - timedelta(seconds=12), usegmt=True), None),
        ("Tue, 17 Feb 2026 02:05:03 GMT", 60.0),
        (None, None),
        ("", None),
        ("soon", None),
        ("nan", None),
        ("Tue, 17 Feb 2026 02:05:03", None),
        # Only a positive count of ASCII digits: what float() and int() also take is not one.
        ("1_000", None),
        ("\u0661\u0662", None),
        ("\uff13", None),
        ("inf", None),
        ("-inf", None),
        ("+5", None),
        ("5e1", None),
        ("0x10", None),
        ("1.", None),
        (".5", None),
        ("007", 7.0),
        ("9" * 5_000, 1e9),
    ],
)
def test_parse_retry_after(header: str | None, seconds: float | None) -> None:
    assert parse_retry_after(header, now=lambda: NOW) == seconds
