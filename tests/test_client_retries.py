"""Which failures are retried, how often, and how long the client sleeps in between.

Every test runs on a ManualClock, whose `sleeps` list records each pause
exactly; with jitter pinned (0.0 or 1.0) the backoff is fully determined.
"""

from __future__ import annotations

from datetime import timedelta
from email.utils import format_datetime

import httpx
import pytest

from companyenrich_export import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    InternalServerError,
    RateLimitError,
    RetryPolicy,
)

pytestmark = pytest.mark.anyio


def _failure(kind: str | int) -> httpx.Response | Exception:
    if kind == "connect":
        return httpx.ConnectError("connection refused")
    if kind == "read-timeout":
        return httpx.ReadTimeout("timed out")
    assert isinstance(kind, int)
    return httpx.Response(kind, json={"title": "nope"})


RETRIED = [
    ("connect", APIConnectionError),
    ("read-timeout", APITimeoutError),
    (429, RateLimitError),
    (500, InternalServerError),
    (502, InternalServerError),
    (503, InternalServerError),
]


@pytest.mark.parametrize(("kind", "error"), RETRIED, ids=[str(k) for k, _ in RETRIED])
async def test_transient_failure_is_retried_max_retries_times_then_raised(
    api, router, kind, error
) -> None:
    route = router.get(api.job_url).mock(side_effect=[_failure(kind) for _ in range(3)])

    with pytest.raises(error) as caught:
        await api.exports.get(api.job_id)

    assert type(caught.value) is error
    # max_retries defaults to 2: one try and two retries.
    assert route.call_count == 3
    assert api.clock.sleeps == [0.5, 1.0]


@pytest.mark.parametrize(("kind", "error"), RETRIED, ids=[str(k) for k, _ in RETRIED])
async def test_transient_failure_then_success_returns_the_job(api, router, kind, error) -> None:
    ok = httpx.Response(200, json=api.bodies.job())
    route = router.get(api.job_url).mock(side_effect=[_failure(kind), ok])

    job = await api.exports.get(api.job_id)

    assert job.status.value == "completed"
    assert route.call_count == 2
    assert api.clock.sleeps == [0.5]


@pytest.mark.parametrize("status", [400, 401, 402, 404, 422])
async def test_client_errors_are_never_retried(api, router, status: int) -> None:
    route = router.get(api.job_url).respond(status, json={"title": "no"})

    with pytest.raises(APIStatusError):
        await api.exports.get(api.job_id)

    assert route.call_count == 1
    assert api.clock.sleeps == []


async def test_max_retries_zero_means_one_attempt(make_api, router) -> None:
    api = make_api(max_retries=0)
    route = router.get(api.job_url).respond(503)

    with pytest.raises(InternalServerError):
        await api.exports.get(api.job_id)

    assert route.call_count == 1
    assert api.clock.sleeps == []


async def test_max_retries_shorthand_sets_the_number_of_retries(make_api, router) -> None:
    api = make_api(max_retries=4)
    route = router.get(api.job_url).respond(503)

    with pytest.raises(InternalServerError):
        await api.exports.get(api.job_id)

    assert route.call_count == 5
    assert len(api.clock.sleeps) == 4


# --- backoff ------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("jitter", "sleeps"),
    [(0.0, [0.5, 1.0]), (1.0, [0.375, 0.75]), (0.5, [0.4375, 0.875])],
)
async def test_backoff_doubles_less_up_to_25_percent_jitter(
    make_api, router, jitter: float, sleeps: list[float]
) -> None:
    api = make_api(retry_policy=RetryPolicy(jitter=lambda: jitter))
    router.get(api.job_url).respond(503)

    with pytest.raises(InternalServerError):
        await api.exports.get(api.job_id)

    assert api.clock.sleeps == sleeps


async def test_backoff_is_capped_at_max_backoff(make_api, router) -> None:
    policy = RetryPolicy(max_retries=5, initial_backoff=1.0, max_backoff=3.0, jitter=lambda: 0.0)
    api = make_api(retry_policy=policy)
    router.get(api.job_url).respond(503)

    with pytest.raises(InternalServerError):
        await api.exports.get(api.job_id)

    assert api.clock.sleeps == [1.0, 2.0, 3.0, 3.0, 3.0]


async def test_default_jitter_stays_within_25_percent(make_api, router) -> None:
    # The real random source: every sleep between 75% and 100% of the backoff.
    api = make_api(retry_policy=RetryPolicy(max_retries=3))
    router.get(api.job_url).respond(503)

    with pytest.raises(InternalServerError):
        await api.exports.get(api.job_id)

    for sleep, base in zip(api.clock.sleeps, [0.5, 1.0, 2.0], strict=True):
        assert 0.75 * base <= sleep <= base


# --- Retry-After --------------------------------------------------------------------


async def test_retry_after_seconds_is_honoured_exactly(api, router) -> None:
    busy = httpx.Response(429, headers={"Retry-After": "7"})
    ok = httpx.Response(200, json=api.bodies.job())
    router.get(api.job_url).mock(side_effect=[busy, ok])

    await api.exports.get(api.job_id)

    assert api.clock.sleeps == [7.0]


async def test_retry_after_on_a_503_is_honoured_too(api, router) -> None:
    # Maintenance windows answer 503 with a Retry-After; backoff would come back too soon.
    down = httpx.Response(503, headers={"Retry-After": "9"})
    ok = httpx.Response(200, json=api.bodies.job())
    router.get(api.job_url).mock(side_effect=[down, ok])

    await api.exports.get(api.job_id)

    assert api.clock.sleeps == [9.0]


async def test_a_503_asking_for_too_long_a_wait_raises_at_once(api, router) -> None:
    route = router.get(api.job_url).respond(503, headers={"Retry-After": "3600"})

    with pytest.raises(InternalServerError) as caught:
        await api.exports.get(api.job_id)

    assert caught.value.retry_after == 3600.0
    assert route.call_count == 1
    assert api.clock.sleeps == []


async def test_retry_after_http_date_is_honoured_exactly(api, router) -> None:
    # The date is relative to the client's clock, not the machine's.
    when = api.clock.utcnow() + timedelta(seconds=12)
    busy = httpx.Response(429, headers={"Retry-After": format_datetime(when, usegmt=True)})
    ok = httpx.Response(200, json=api.bodies.job())
    router.get(api.job_url).mock(side_effect=[busy, ok])

    await api.exports.get(api.job_id)

    assert api.clock.sleeps == [12.0]


async def test_retry_after_date_in_the_past_falls_back_to_backoff(api, router) -> None:
    # A past date is no reason to retry at once: that is how retry bursts happen.
    when = api.clock.utcnow() - timedelta(seconds=30)
    busy = httpx.Response(429, headers={"Retry-After": format_datetime(when, usegmt=True)})
    ok = httpx.Response(200, json=api.bodies.job())
    router.get(api.job_url).mock(side_effect=[busy, ok])

    await api.exports.get(api.job_id)

    assert api.clock.sleeps == [0.5]


async def test_retry_after_above_the_limit_raises_at_once(api, router) -> None:
    # Sleeping an hour inside a library call is worse than telling the caller.
    route = router.get(api.job_url).respond(429, headers={"Retry-After": "61"})

    with pytest.raises(RateLimitError) as caught:
        await api.exports.get(api.job_id)

    assert caught.value.retry_after == 61.0
    assert route.call_count == 1
    assert api.clock.sleeps == []


async def test_retry_after_at_the_limit_is_still_waited(api, router) -> None:
    busy = httpx.Response(429, headers={"Retry-After": "60"})
    ok = httpx.Response(200, json=api.bodies.job())
    router.get(api.job_url).mock(side_effect=[busy, ok])

    await api.exports.get(api.job_id)

    assert api.clock.sleeps == [60.0]


@pytest.mark.parametrize("header", [None, "soon", ""])
async def test_absent_or_unreadable_retry_after_falls_back_to_backoff(
    api, router, header: str | None
) -> None:
    headers = {} if header is None else {"Retry-After": header}
    busy = httpx.Response(429, headers=headers)
    ok = httpx.Response(200, json=api.bodies.job())
    router.get(api.job_url).mock(side_effect=[busy, ok])

    await api.exports.get(api.job_id)

    assert api.clock.sleeps == [0.5]


async def test_rate_limit_error_carries_retry_after_when_retries_run_out(api, router) -> None:
    router.get(api.job_url).respond(429, headers={"Retry-After": "2"})

    with pytest.raises(RateLimitError) as caught:
        await api.exports.get(api.job_id)

    assert caught.value.retry_after == 2.0
    assert api.clock.sleeps == [2.0, 2.0]


# --- create is not idempotent ---------------------------------------------------------


@pytest.mark.parametrize(
    ("failure", "error"),
    [
        (httpx.Response(500), InternalServerError),
        (httpx.Response(503), InternalServerError),
        (httpx.ReadTimeout("lost answer"), APITimeoutError),
        (httpx.ReadError("connection reset"), APIConnectionError),
    ],
    ids=["500", "503", "read-timeout", "read-error"],
)
async def test_create_is_not_retried_when_the_server_may_have_acted(
    api, router, failure, error
) -> None:
    # The job may exist already: a retry could create (and charge for) a second one.
    route = router.post(api.create_url).mock(side_effect=[failure, httpx.Response(500)])

    with pytest.raises(error):
        await api.exports.create(count=10, search={"query": "x"})

    assert route.call_count == 1
    assert api.clock.sleeps == []


@pytest.mark.parametrize(
    "failure",
    [
        httpx.ConnectError("refused"),
        httpx.ConnectTimeout("no route"),
        httpx.Response(429, headers={"Retry-After": "3"}),
    ],
    ids=["connect-error", "connect-timeout", "429"],
)
async def test_create_is_retried_when_the_server_cannot_have_acted(api, router, failure) -> None:
    created = httpx.Response(200, json=api.bodies.created())
    route = router.post(api.create_url).mock(side_effect=[failure, created])

    job = await api.exports.create(count=10, search={"query": "x"})

    assert str(job.job_id) == api.job_id
    assert route.call_count == 2
    # Both attempts carried the same body.
    assert route.calls[0].request.content == route.calls[1].request.content
