"""The async client's cap on requests in flight (`RequestSlots`).

httpx's pool rescans its whole queue on every connection event; a thousand
concurrent `wait()`s would spend seconds of CPU there. The client queues
past `MAX_IN_FLIGHT` itself. These tests use a transport with no pool of its
own, so the only limit on concurrency is ours.
"""

from __future__ import annotations

import json
from uuid import uuid4

import anyio
import anyio.lowlevel
import httpx
import pytest

from companyenrich_export import APITimeoutError, AsyncCompanyEnrich
from companyenrich_export._core._backends import MAX_IN_FLIGHT
from companyenrich_export._core._backends import AsyncRequestSlots as RequestSlots
from companyenrich_export.testing import ManualClock

pytestmark = pytest.mark.anyio
# Held requests never finish if the cap is broken: fail, don't hang.
BOUND = 10.0


def _job(job_id: str) -> dict[str, object]:
    return {
        "job_id": job_id,
        "status": "pending",
        "requested_count": 1,
        "total_matching": 1,
        "exported_count": 0,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03Z",
    }


class HoldingTransport(httpx.AsyncBaseTransport):
    """Holds every request until released, counting how many are inside at once."""

    def __init__(self, hold_until: int) -> None:
        self.inside = 0
        self.peak = 0
        self.calls = 0
        self._hold_until = hold_until
        self.full = anyio.Event()
        self.release = anyio.Event()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        self.calls += 1
        self.inside += 1
        self.peak = max(self.peak, self.inside)
        if self.inside >= self._hold_until:
            self.full.set()
        await self.release.wait()
        self.inside -= 1
        job_id = request.url.path.rsplit("/", 1)[1]
        return httpx.Response(200, content=json.dumps(_job(job_id)).encode())


async def test_at_most_max_in_flight_requests_reach_the_transport() -> None:
    with anyio.fail_after(BOUND):
        await _fan_out_past_the_cap()


async def _fan_out_past_the_cap() -> None:
    extra = 25
    transport = HoldingTransport(hold_until=MAX_IN_FLIGHT)
    http = httpx.AsyncClient(transport=transport)
    async with AsyncCompanyEnrich(api_key="k", http_client=http, clock=ManualClock()) as client:
        seen: list[str] = []

        async def fetch() -> None:
            job = await client.exports.get(uuid4())
            seen.append(str(job.job_id))

        async with anyio.create_task_group() as tasks:
            for _ in range(MAX_IN_FLIGHT + extra):
                tasks.start_soon(fetch)
            await transport.full.wait()
            # Give the queued ones every chance to slip past the cap before releasing.
            for _ in range(50):
                await anyio.lowlevel.checkpoint()
            assert transport.inside == MAX_IN_FLIGHT
            transport.release.set()
    await http.aclose()
    assert transport.peak == MAX_IN_FLIGHT
    assert transport.calls == len(seen) == MAX_IN_FLIGHT + extra


async def test_waiting_for_a_slot_past_the_pool_timeout_raises_pool_timeout() -> None:
    slots = RequestSlots(1)
    request = httpx.Request("GET", "https://api.companyenrich.com/x")
    request.extensions["timeout"] = httpx.Timeout(5.0, pool=0.01).as_dict()
    await slots.acquire(request)
    with pytest.raises(httpx.PoolTimeout):
        await slots.acquire(request)
    slots.release()
    await slots.acquire(request)  # the freed slot is usable again


async def test_a_free_slot_is_taken_whatever_the_pool_timeout() -> None:
    # The pool timeout bounds waiting for a slot, not the event loop's scheduling:
    # measured from before a checkpoint, a busy loop used to fail a request for
    # which a slot was free (the occasional failure of the test below).
    slots = RequestSlots(2)
    request = httpx.Request("GET", "https://api.companyenrich.com/x")
    request.extensions["timeout"] = httpx.Timeout(5.0, pool=1e-9).as_dict()
    await slots.acquire(request)
    await slots.acquire(request)
    with pytest.raises(httpx.PoolTimeout):
        await slots.acquire(request)


async def test_a_slot_wait_that_times_out_is_an_api_timeout_error() -> None:
    with anyio.fail_after(BOUND):
        await _one_past_a_full_house()


async def _one_past_a_full_house() -> None:
    transport = HoldingTransport(hold_until=MAX_IN_FLIGHT)
    http = httpx.AsyncClient(transport=transport)
    async with (
        AsyncCompanyEnrich(
            api_key="k",
            http_client=http,
            clock=ManualClock(),
            max_retries=0,
            timeout=httpx.Timeout(5.0, pool=0.05),
        ) as client,
        anyio.create_task_group() as tasks,
    ):
        for _ in range(MAX_IN_FLIGHT):
            tasks.start_soon(client.exports.get, uuid4())
        await transport.full.wait()
        with pytest.raises(APITimeoutError):
            await client.exports.get(uuid4())
        transport.release.set()
    await http.aclose()
    assert transport.calls == MAX_IN_FLIGHT
