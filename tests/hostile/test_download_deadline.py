"""`timeout=` on the calls that move results is a wall-clock bound on the whole call.

A storage server sending one byte a second never trips httpx's per-read
timeout; `download`, `download_to` and `iter_rows` still end within their
`timeout=` plus DEADLINE_GRACE (2 s), with DownloadTimeoutError. One more
second is slack for a loaded machine. Real time on purpose (a few seconds a
case): the point is what a real clock shows.
"""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
import time
from collections.abc import Callable
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APITimeoutError,
    DownloadTimeoutError,
    ExportJob,
    JobStatus,
    SystemClock,
)
from companyenrich_export._core._deadline import DEADLINE_GRACE

from _hostile import (
    JOB_ID,
    JOB_PATH,
    KEY,
    Connection,
    RawRequest,
    Script,
    by_path,
    completed_body,
    head,
    reply,
)

pytestmark = [pytest.mark.anyio, pytest.mark.slow]

TIMEOUT = 1.0
SLACK = 1.0
CSV = b"domain,name\n" + b"".join(b"c%d.example,Company %d\n" % (n, n) for n in range(200))
# The server stops trickling after this long, so a client that does not keep
# its deadline still ends (and fails the test) in bounded time.
TRICKLE_BUDGET = TIMEOUT + DEADLINE_GRACE + SLACK + 3.0


def _trickled(part: str) -> Script:
    response_head = head(200, [("Content-Type", "text/csv"), ("ETag", '"v1"')], length=len(CSV))

    def script(request: RawRequest, connection: Connection) -> None:
        if part == "body":
            connection.send(response_head + CSV[:40])
            connection.trickle(CSV[40:], every=0.25, budget=TRICKLE_BUDGET)
        elif part == "stall":
            connection.send(response_head + CSV[:40])
            connection.trickle(b"", every=0.25, budget=0)
            connection.trickle(b"\x00" * 100, every=TRICKLE_BUDGET, budget=TRICKLE_BUDGET)
        else:
            connection.trickle(response_head + CSV, every=0.25, budget=TRICKLE_BUDGET)

    return script


def completed(results_url: str) -> ExportJob:
    return ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=200,
        total_matching=200,
        exported_count=200,
        credits_charged=200,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=results_url,
    )


async def _rows(client: Any, job: ExportJob) -> list[Any]:
    rows = client.exports.iter_rows(job, timeout=TIMEOUT)
    if client.is_async:
        return [row async for row in await rows]
    return list(await rows)


CALLS: dict[str, Callable[[Any, ExportJob, Path], Any]] = {
    "download": lambda client, job, folder: client.exports.download(
        job, folder / "out.csv", timeout=TIMEOUT
    ),
    "download_to": lambda client, job, folder: client.exports.download_to(
        job, io.BytesIO(), timeout=TIMEOUT
    ),
    "iter_rows": lambda client, job, folder: _rows(client, job),
}


@pytest.mark.parametrize("part", ["body", "headers", "stall"])
@pytest.mark.parametrize("call", sorted(CALLS))
async def test_a_results_call_keeps_its_deadline_against_a_trickling_server(
    hostile, make_client, tmp_path: Path, call: str, part: str
) -> None:
    server = hostile(by_path({"/r.csv": _trickled(part)}))
    client = make_client(base_url=server.url, clock=SystemClock(), max_retries=0)

    started = time.monotonic()
    with pytest.raises(DownloadTimeoutError) as caught:
        await CALLS[call](client, completed(f"{server.url}/r.csv"), tmp_path)
    elapsed = time.monotonic() - started

    assert elapsed <= TIMEOUT + DEADLINE_GRACE + SLACK, f"took {elapsed:.1f} s"
    assert elapsed >= TIMEOUT - 0.1  # the deadline, not an early give-up
    assert isinstance(caught.value, APITimeoutError)
    assert caught.value.timeout == TIMEOUT
    assert f"within the deadline of {TIMEOUT:g} s" in str(caught.value)
    # download() cleans up as for any network failure: nothing but a resumable part.
    assert all(name.startswith(".out.csv.") for name in os.listdir(tmp_path))


def test_the_documented_grace_is_two_seconds() -> None:
    assert DEADLINE_GRACE == 2.0


async def test_a_per_request_timeout_passed_as_timeout_still_works_with_a_warning(
    make_client, tmp_path: Path
) -> None:
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, content=CSV)

    client = make_client(transport=httpx.MockTransport(answer))

    with pytest.warns(DeprecationWarning, match="request_timeout="):
        path = await client.exports.download(
            completed("https://exports.example/r.csv"),
            tmp_path / "out.csv",
            timeout=httpx.Timeout(7.0),
        )

    assert path.read_bytes() == CSV
    assert seen[0]["read"] == 7.0


async def test_request_timeout_is_each_requests_and_timeout_caps_it(
    make_client, tmp_path: Path
) -> None:
    seen: list[dict[str, Any]] = []

    def answer(request: httpx.Request) -> httpx.Response:
        seen.append(request.extensions["timeout"])
        return httpx.Response(200, content=CSV)

    client = make_client(transport=httpx.MockTransport(answer))
    job = completed("https://exports.example/r.csv")

    await client.exports.download(job, tmp_path / "a.csv", request_timeout=7.0)
    await client.exports.download(job, tmp_path / "b.csv", request_timeout=7.0, timeout=3.0)

    assert seen[0]["read"] == 7.0
    assert seen[1]["read"] <= 3.0  # no request outlives the call's deadline


@pytest.mark.parametrize("bad", [0, -1, float("inf"), "5", True])
async def test_a_deadline_that_is_not_a_positive_number_is_refused_before_sending(
    make_client, tmp_path: Path, bad: object
) -> None:
    sent: list[httpx.Request] = []
    client = make_client(transport=httpx.MockTransport(lambda r: sent.append(r) or None))

    with pytest.raises(ValueError, match="timeout must be a positive number"):
        await client.exports.download(
            completed("https://exports.example/r.csv"), tmp_path / "out.csv", timeout=bad
        )

    assert sent == []


def test_the_cli_download_keeps_wait_timeout_for_the_whole_command(hostile, tmp_path: Path) -> None:
    # The case: `download --wait-timeout 3 --request-timeout 5` against
    # storage sending a byte at a time ran until killed.
    def job(request: RawRequest, connection: Connection) -> None:
        body = json.dumps(completed_body(f"{server.url}/r.csv")).encode()
        connection.send(reply(200, body, [("Content-Type", "application/json")]))

    server = hostile(by_path({JOB_PATH: job, "/r.csv": _trickled("body")}))
    env = {name: value for name, value in os.environ.items() if not name.startswith("COMPANY")}
    env["COMPANYENRICH_API_KEY"] = KEY
    wait_timeout = 3.0
    command = [sys.executable, "-m", "companyenrich_export", "--base-url", server.url]
    command += ["download", JOB_ID, str(tmp_path / "out.csv"), "--wait-timeout", "3"]
    command += ["--request-timeout", "5"]

    started = time.monotonic()
    result = subprocess.run(  # noqa: S603 - this interpreter running our own CLI
        command, capture_output=True, text=True, env=env, timeout=60, check=False
    )
    elapsed = time.monotonic() - started

    assert result.returncode == 5, result.stderr
    errors = [line for line in result.stderr.splitlines() if line.startswith("error: ")]
    assert len(errors) == 1
    assert errors[0].endswith("(--wait-timeout)")
    # The deadline, its grace, and an interpreter's start on a loaded machine.
    assert elapsed <= wait_timeout + DEADLINE_GRACE + SLACK + 3.0, f"took {elapsed:.1f} s"
    assert not (tmp_path / "out.csv").exists()
