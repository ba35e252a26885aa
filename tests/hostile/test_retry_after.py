"""A Retry-After that asks for no wait, or is not a number, cannot make retries a burst.

Honoured: a positive number of ASCII digits (a fraction tolerated) or a
future HTTP date. Everything else falls back to the backoff (0.5 s, 1 s
with jitter pinned to 0); the sleeps are read off the ManualClock.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest

from companyenrich_export import InternalServerError, RateLimitError
from companyenrich_export.testing import ManualClock

from _hostile import JOB_ID, job_body

pytestmark = pytest.mark.anyio

BACKOFF = [0.5, 1.0]
CLOCK_START = ManualClock().utcnow()
NOT_A_WAIT = {
    "negative": "-5",
    "zero": "0",
    "past-date": format_datetime(CLOCK_START - timedelta(seconds=30), usegmt=True),
    "date-now": format_datetime(CLOCK_START, usegmt=True),
    "underscore": "1_000",
    "arabic-indic-digits": "\u0661\u0662",
    "fullwidth-digits": "\uff13",
    "nan": "nan",
    "inf": "inf",
    "exponent": "5e1",
    "plus-sign": "+5",
    "hex": "0x10",
    "prose": "in a while",
    "non-ascii-date": format_datetime(CLOCK_START + timedelta(seconds=30), usegmt=True).replace(
        "1", "\u0661"
    ),
}


def _answers(*responses: httpx.Response) -> httpx.MockTransport:
    queue = list(responses)
    return httpx.MockTransport(lambda request: queue.pop(0))


@pytest.mark.parametrize("status", [503, 429])
@pytest.mark.parametrize("header", list(NOT_A_WAIT.values()), ids=list(NOT_A_WAIT))
async def test_a_retry_after_that_is_no_wait_falls_back_to_backoff(
    make_client, status: int, header: str
) -> None:
    clock = ManualClock()
    # Bytes as they come off the wire: httpx decodes them as UTF-8 when they are not ASCII.
    raw = [(b"Retry-After", header.encode())]
    busy = [httpx.Response(status, headers=raw) for _ in range(3)]
    client = make_client(transport=_answers(*busy), clock=clock)

    with pytest.raises(RateLimitError if status == 429 else InternalServerError) as caught:
        await client.exports.get(JOB_ID)

    assert clock.sleeps == BACKOFF
    assert caught.value.retry_after is None


@pytest.mark.parametrize(
    ("header", "seconds"),
    [
        ("7", 7.0),
        ("2.5", 2.5),
        (" 3 ", 3.0),
        ("007", 7.0),
        (format_datetime(CLOCK_START + timedelta(seconds=12), usegmt=True), 12.0),
    ],
    ids=["digits", "fraction", "spaces", "leading-zeros", "future-date"],
)
async def test_a_positive_retry_after_is_honoured_exactly(
    make_client, header: str, seconds: float
) -> None:
    clock = ManualClock()
    transport = _answers(
        httpx.Response(503, headers={"Retry-After": header}),
        httpx.Response(200, json=job_body()),
    )
    client = make_client(transport=transport, clock=clock)

    await client.exports.get(JOB_ID)

    assert clock.sleeps == [seconds]


async def test_thousands_of_digits_mean_too_long_a_wait_not_a_crash(make_client) -> None:
    clock = ManualClock()
    transport = _answers(httpx.Response(429, headers={"Retry-After": "9" * 5_000}))
    client = make_client(transport=transport, clock=clock)

    with pytest.raises(RateLimitError) as caught:
        await client.exports.get(JOB_ID)

    # More than the 60 s the client will sleep: raised at once, with the figure.
    assert clock.sleeps == []
    assert caught.value.retry_after is not None
    assert caught.value.retry_after > 60


async def test_a_negative_retry_after_while_waiting_does_not_shorten_the_poll(
    make_client,
) -> None:
    clock = ManualClock()
    transport = _answers(
        httpx.Response(200, json=job_body(), headers={"Retry-After": "-5"}),
        httpx.Response(200, json=job_body(status="failed", error_message="x")),
    )
    client = make_client(transport=transport, clock=clock)

    with pytest.raises(Exception, match="failed"):
        await client.exports.wait(JOB_ID, poll_interval=2.0)

    assert clock.sleeps == [2.0]
