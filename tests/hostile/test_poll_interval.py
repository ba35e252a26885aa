"""`poll_interval` has a floor and a type: no thousands of requests a second, no `True` seconds.

Checked before any request: the transport fails the test if it is called.
"""

from __future__ import annotations

import httpx
import pytest

from companyenrich_export import PollSchedule
from companyenrich_export._core._timing import MIN_POLL_INTERVAL

from _hostile import JOB_ID

pytestmark = pytest.mark.anyio


def _refuse(request: httpx.Request) -> httpx.Response:
    raise AssertionError(f"a request was sent: {request.method} {request.url}")


def test_the_floor_is_half_a_second() -> None:
    assert MIN_POLL_INTERVAL == 0.5


@pytest.mark.parametrize("interval", [1e-9, 0.001, 0.49, float("nan"), float("inf")])
async def test_a_poll_interval_below_the_floor_or_not_finite_is_a_value_error(
    make_client, interval: float
) -> None:
    client = make_client(transport=httpx.MockTransport(_refuse))

    with pytest.raises(ValueError, match="poll"):
        await client.exports.wait(JOB_ID, poll_interval=interval)


@pytest.mark.parametrize("interval", [True, False, "1", [1.0]], ids=repr)
async def test_a_poll_interval_that_is_not_a_number_is_a_type_error(
    make_client, interval: object
) -> None:
    client = make_client(transport=httpx.MockTransport(_refuse))

    with pytest.raises(TypeError, match="poll"):
        await client.exports.wait(JOB_ID, poll_interval=interval)


@pytest.mark.parametrize(
    ("kwargs", "error"),
    [
        ({"initial": 1e-9}, ValueError),
        ({"initial": 0.49}, ValueError),
        ({"initial": True}, TypeError),
        ({"initial": "1"}, TypeError),
        ({"initial": float("nan")}, ValueError),
        ({"ratio": -0.1}, ValueError),
        ({"ratio": True}, TypeError),
        ({"initial": 5.0, "maximum": 1.0}, ValueError),
        ({"maximum": float("inf")}, ValueError),
    ],
    ids=lambda value: repr(value) if isinstance(value, dict) else value.__name__,
)
def test_a_poll_schedule_refuses_what_would_undercut_the_floor(
    kwargs: dict[str, object], error: type[Exception]
) -> None:
    with pytest.raises(error):
        PollSchedule(**kwargs)  # type: ignore[arg-type]


def test_the_floor_itself_is_allowed() -> None:
    assert PollSchedule.fixed(MIN_POLL_INTERVAL).interval(0) == MIN_POLL_INTERVAL
    assert PollSchedule(initial=MIN_POLL_INTERVAL).interval(0) == MIN_POLL_INTERVAL


async def test_a_client_wide_schedule_below_the_floor_is_refused_at_construction(
    make_client,
) -> None:
    with pytest.raises(ValueError, match="poll"):
        make_client(poll_schedule=PollSchedule(initial=0.1))
