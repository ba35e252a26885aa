"""exports.wait(): the poll schedule, the deadline, progress callbacks and errors on the way.

Jobs change state with the ManualClock: `_job_at` answers from a timeline
keyed by the client's own clock, so the schedule decides what is seen.
"""

from __future__ import annotations

from collections.abc import Callable
from typing import Any

import httpx
import pytest

from companyenrich_export import (
    AuthenticationError,
    ExportFailedError,
    ExportJob,
    JobStatus,
    NotFoundError,
    PollSchedule,
    WaitTimeoutError,
)

pytestmark = pytest.mark.anyio


def _job_at(api, done_at: float, **final: Any) -> Callable[[httpx.Request], httpx.Response]:
    """Pending until the client's clock reaches `done_at`, then completed (or `final`)."""

    def answer(request: httpx.Request) -> httpx.Response:
        if api.clock.monotonic() < done_at:
            return httpx.Response(200, json=api.bodies.pending())
        return httpx.Response(200, json=api.bodies.job(**final))

    return answer


async def test_polls_until_completed_and_returns_the_job(api, router) -> None:
    route = router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(200, json=api.bodies.pending()),
            httpx.Response(200, json=api.bodies.pending(status="processing")),
            httpx.Response(200, json=api.bodies.job()),
        ]
    )

    job = await api.exports.wait(api.job_id)

    assert job.status is JobStatus.COMPLETED
    assert job.results_url == api.storage_url
    assert route.call_count == 3
    assert api.clock.sleeps == [1.0, 1.0]


async def test_failed_job_raises_export_failed_error(api, router) -> None:
    failed = api.bodies.job(status="failed", results_url=None, error_message="quota exceeded")
    router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(200, json=api.bodies.pending()),
            httpx.Response(200, json=failed),
        ]
    )

    with pytest.raises(ExportFailedError, match="quota exceeded") as caught:
        await api.exports.wait(api.job_id)

    assert caught.value.job.status is JobStatus.FAILED
    assert caught.value.error_message == "quota exceeded"


async def test_sleeps_follow_the_default_poll_schedule(api, router) -> None:
    # 1 s while the job is young, then 10% of the time waited so far.
    router.get(api.job_url).mock(side_effect=_job_at(api, done_at=15.0))

    await api.exports.wait(api.job_id)

    assert api.clock.sleeps == pytest.approx([1.0] * 11 + [1.1, 1.21, 1.331, 1.4641])


async def test_default_poll_interval_is_capped_at_30_seconds(api, router) -> None:
    router.get(api.job_url).mock(side_effect=_job_at(api, done_at=1000.0))

    await api.exports.wait(api.job_id)

    assert max(api.clock.sleeps) == 30.0
    assert api.clock.sleeps[-5:] == [30.0] * 5
    # A long export costs a few dozen requests, not one a second (1,000 here).
    assert len(api.clock.sleeps) < 100


async def test_custom_poll_schedule(make_api, router) -> None:
    api = make_api(poll_schedule=PollSchedule(initial=5.0, ratio=0.5, maximum=12.0))
    router.get(api.job_url).mock(side_effect=_job_at(api, done_at=50.0))

    await api.exports.wait(api.job_id)

    assert api.clock.sleeps == [5.0, 5.0, 5.0, 7.5, 11.25, 12.0, 12.0]


@pytest.mark.parametrize(
    "poll_interval", [3.0, PollSchedule.fixed(3.0)], ids=["seconds", "PollSchedule"]
)
async def test_fixed_poll_interval(api, router, poll_interval) -> None:
    router.get(api.job_url).mock(side_effect=_job_at(api, done_at=10.0))

    await api.exports.wait(api.job_id, poll_interval=poll_interval)

    assert api.clock.sleeps == [3.0, 3.0, 3.0, 3.0]


async def test_next_sleep_is_never_shorter_than_the_servers_retry_after(api, router) -> None:
    slow_down = httpx.Response(200, json=api.bodies.pending(), headers={"Retry-After": "7"})
    router.get(api.job_url).mock(
        side_effect=[slow_down, httpx.Response(200, json=api.bodies.job())]
    )

    await api.exports.wait(api.job_id)

    assert api.clock.sleeps == [7.0]


async def test_retry_after_shorter_than_the_schedule_does_not_shorten_it(api, router) -> None:
    hint = httpx.Response(200, json=api.bodies.pending(), headers={"Retry-After": "0.2"})
    router.get(api.job_url).mock(side_effect=[hint, httpx.Response(200, json=api.bodies.job())])

    await api.exports.wait(api.job_id, poll_interval=2.0)

    assert api.clock.sleeps == [2.0]


# --- the deadline -----------------------------------------------------------------------


async def test_deadline_raises_wait_timeout_exactly_at_the_timeout(api, router) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.pending())

    with pytest.raises(WaitTimeoutError) as caught:
        await api.exports.wait(api.job_id, timeout=10.0, poll_interval=3.0)

    # The last sleep is cut short to land on the deadline, where one last look is taken.
    assert api.clock.sleeps == [3.0, 3.0, 3.0, 1.0]
    assert api.clock.monotonic() == 10.0
    assert route.call_count == 5
    assert caught.value.timeout == 10.0
    assert caught.value.job is not None
    assert caught.value.job.status is JobStatus.PENDING


async def test_deadline_with_the_default_schedule_is_not_overshot(api, router) -> None:
    router.get(api.job_url).respond(200, json=api.bodies.pending())

    with pytest.raises(WaitTimeoutError):
        await api.exports.wait(api.job_id, timeout=20.0)

    assert api.clock.monotonic() == pytest.approx(20.0, abs=1e-9)
    assert sum(api.clock.sleeps) == pytest.approx(20.0, abs=1e-9)


async def test_retry_that_would_sleep_past_the_deadline_ends_the_wait(api, router) -> None:
    # Backoff 0.5 fits in the 1.2 s budget, the next (1.0) would not.
    route = router.get(api.job_url).respond(503)

    with pytest.raises(WaitTimeoutError) as caught:
        await api.exports.wait(api.job_id, timeout=1.2)

    assert api.clock.sleeps == [0.5]
    assert api.clock.monotonic() <= 1.2
    assert route.call_count == 2
    assert caught.value.job is None


async def test_polls_never_wait_on_the_network_past_the_deadline(api, router) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.pending())

    with pytest.raises(WaitTimeoutError):
        await api.exports.wait(api.job_id, timeout=5.0, poll_interval=2.0, request_timeout=30.0)

    read_timeouts = [call.request.extensions["timeout"]["read"] for call in route.calls]
    # 5 s left, then 3, then 1: but the last look at the deadline still gets 2 s to answer.
    assert read_timeouts == [5.0, 3.0, 2.0, 2.0]


async def test_a_request_timing_out_at_the_deadline_is_a_wait_timeout(make_api, router) -> None:
    # No retries: the timeout itself, not a retry's sleep, reaches the deadline.
    api = make_api(max_retries=0)

    def hang(request: httpx.Request) -> httpx.Response:
        api.clock.advance(2.0)  # the request used up its (capped) read timeout
        raise httpx.ReadTimeout("no answer", request=request)

    router.get(api.job_url).mock(
        side_effect=[httpx.Response(200, json=api.bodies.pending()), hang, hang, hang]
    )

    with pytest.raises(WaitTimeoutError) as caught:
        await api.exports.wait(api.job_id, timeout=2.0, poll_interval=1.0)

    assert caught.value.job is not None
    assert caught.value.job.status is JobStatus.PENDING
    assert caught.value.__cause__ is not None


async def test_on_progress_gets_each_new_snapshot_once(api, router) -> None:
    pending = api.bodies.pending()
    halfway = api.bodies.pending(status="processing", exported_count=50)
    done = api.bodies.job()
    router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(200, json=body) for body in (pending, pending, halfway, halfway, done)
        ]
    )
    seen: list[ExportJob] = []

    await api.exports.wait(api.job_id, on_progress=seen.append)

    assert [(job.status.value, job.exported_count) for job in seen] == [
        ("pending", 0),
        ("processing", 50),
        ("completed", 100),
    ]


async def test_transient_errors_while_waiting_are_retried(api, router) -> None:
    route = router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(503),
            httpx.Response(200, json=api.bodies.pending()),
            httpx.ConnectError("blip"),
            httpx.Response(200, json=api.bodies.job()),
        ]
    )

    job = await api.exports.wait(api.job_id)

    assert job.status is JobStatus.COMPLETED
    assert route.call_count == 4
    # backoff, poll interval, backoff.
    assert api.clock.sleeps == [0.5, 1.0, 0.5]


@pytest.mark.parametrize(("status", "error"), [(401, AuthenticationError), (404, NotFoundError)])
async def test_permanent_errors_end_the_wait_at_once(api, router, status, error) -> None:
    route = router.get(api.job_url).respond(status, json={"title": "no"})

    with pytest.raises(error):
        await api.exports.wait(api.job_id)

    assert route.call_count == 1
    assert api.clock.sleeps == []


async def test_accepts_an_export_job_as_the_job_id(api, router) -> None:
    route = router.get(api.job_url).mock(
        side_effect=[
            httpx.Response(200, json=api.bodies.pending()),
            httpx.Response(200, json=api.bodies.job()),
        ]
    )
    pending = await api.exports.get(api.job_id)

    job = await api.exports.wait(pending)

    assert job.status is JobStatus.COMPLETED
    assert route.call_count == 2


async def test_already_completed_job_returns_without_sleeping(api, router) -> None:
    router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.wait(api.job_id)

    assert api.clock.sleeps == []


@pytest.mark.parametrize(
    "kwargs",
    [
        {"timeout": 0},
        {"timeout": -5},
        {"timeout": float("nan")},
        {"timeout": "60"},
        {"poll_interval": 0},
        {"poll_interval": -1.0},
        {"request_timeout": 0},
    ],
    ids=lambda kwargs: repr(kwargs),
)
async def test_bad_arguments_are_refused_before_any_request(api, router, kwargs) -> None:
    with pytest.raises(ValueError, match=r"timeout|poll_interval"):
        await api.exports.wait(api.job_id, **kwargs)
    assert router.calls.call_count == 0
