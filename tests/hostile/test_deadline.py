"""wait()'s deadline is a wall-clock bound on the whole call, even against a server that trickles.

httpx's read timeout applies to each socket read, so a server sending one
byte a second never trips it: only a bound on the whole exchange keeps the
promise. The documented grace: the last poll of a wait may take up to 2 s
(its own allowance) past the deadline; one more second is slack for a
loaded machine. Real time on purpose (about 5 s a case): the point is what
a real clock shows.
"""

from __future__ import annotations

import json
import time

import pytest

from companyenrich_export import SystemClock, WaitTimeoutError

from _hostile import JOB_ID, Connection, RawRequest, Script, head, job_body

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

WAIT_TIMEOUT = 1.5
FINAL_POLL_ALLOWANCE = 2.0
SLACK = 1.0
# The server gives up trickling after this long, so a client that does not keep
# its deadline still ends (and fails the test) in bounded time.
TRICKLE_BUDGET = WAIT_TIMEOUT + FINAL_POLL_ALLOWANCE + SLACK + 1.0


def _trickled(part: str) -> Script:
    body = json.dumps(job_body()).encode()
    response_head = head(200, [("Content-Type", "application/json")], length=len(body))

    def script(request: RawRequest, connection: Connection) -> None:
        if part == "body":
            connection.send(response_head)
            connection.trickle(body, every=1.0, budget=TRICKLE_BUDGET)
        else:
            connection.trickle(response_head + body, every=1.0, budget=TRICKLE_BUDGET)

    return script


@pytest.mark.parametrize("part", ["body", "headers"])
async def test_wait_keeps_its_deadline_against_a_server_sending_a_byte_a_second(
    hostile, make_client, part: str
) -> None:
    server = hostile(_trickled(part))
    client = make_client(base_url=server.url, clock=SystemClock(), max_retries=0)

    started = time.monotonic()
    with pytest.raises(WaitTimeoutError) as caught:
        await client.exports.wait(JOB_ID, timeout=WAIT_TIMEOUT)
    elapsed = time.monotonic() - started

    assert elapsed <= WAIT_TIMEOUT + FINAL_POLL_ALLOWANCE + SLACK, f"took {elapsed:.1f} s"
    # Not a timeout error raised early either: the deadline, then the typed error.
    assert elapsed >= WAIT_TIMEOUT - 0.1
    assert caught.value.timeout == WAIT_TIMEOUT
    assert caught.value.job is None  # no whole answer ever arrived
    assert len(server.requests) == 1
