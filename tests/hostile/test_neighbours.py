"""Downloads that meet: two at once, a planted link, another user's file, a FIFO.

A results server here serves a file in two halves and holds the second one
until the test says so (an Event, never a sleep), so a second download can
be started while the first is surely mid-way. The first download's lock is
taken before its request is sent: once the server has the request, the
scratch file is held. Threads, asyncio tasks and real processes.
"""

from __future__ import annotations

import hashlib
import json
import multiprocessing
import os
import threading
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

import anyio
import anyio.to_thread
import pytest

from companyenrich_export import (
    APIConnectionError,
    CompanyEnrich,
    DownloadInProgressError,
    ExportJob,
    JobStatus,
)

from _hostile import JOB_ID, KEY, OTHER_JOB_ID, Connection, RawRequest, by_path, head

pytestmark = pytest.mark.anyio

# Every offset distinguishable (see test_client_resume.py).
CONTENT = b"".join(hashlib.sha256(b"%d" % block).digest() for block in range(8192))
OTHER = CONTENT[::-1]
# Generous: a loaded machine may take seconds to start a process.
PATIENCE = 60.0


class Gate:
    """A results file served in two halves; the second waits for `go`. `asked`: a request came."""

    def __init__(self, content: bytes) -> None:
        self.content = content
        self.asked = threading.Event()
        self.go = threading.Event()

    def __call__(self, request: RawRequest, connection: Connection) -> None:
        half = len(self.content) // 2
        headers = [("ETag", '"v1"'), ("Content-Type", "text/csv")]
        connection.send(head(200, headers, length=len(self.content)) + self.content[:half])
        self.asked.set()
        self.go.wait(PATIENCE)
        connection.send(self.content[half:])


def completed(results_url: str, job_id: str = JOB_ID) -> ExportJob:
    return ExportJob(
        job_id=UUID(job_id),
        status=JobStatus.COMPLETED,
        requested_count=10,
        total_matching=10,
        exported_count=10,
        credits_charged=10,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=results_url,
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


async def _first_holds_while(client: Any, gate: Gate, first: Any, second: Any) -> Any:
    """Run `first()` until the server has its request, then `second()`; then let `first` end."""
    outcome: dict[str, Any] = {}
    if client.is_async:
        async with anyio.create_task_group() as tasks:

            async def run_first() -> None:
                outcome["first"] = await first()

            tasks.start_soon(run_first)
            assert await anyio.to_thread.run_sync(gate.asked.wait, PATIENCE)
            try:
                outcome["second"] = await second()
            except Exception as exc:
                outcome["second"] = exc
            gate.go.set()
        return outcome

    def run_first_sync() -> None:
        outcome["first"] = anyio.run(first)

    thread = threading.Thread(target=run_first_sync)
    thread.start()
    try:
        assert gate.asked.wait(PATIENCE)
        try:
            outcome["second"] = await second()
        except Exception as exc:
            outcome["second"] = exc
    finally:
        gate.go.set()
        thread.join(PATIENCE)
    return outcome


async def test_a_second_download_of_one_job_to_one_place_is_refused_not_shared(
    hostile, make_client, tmp_path: Path
) -> None:
    gate = Gate(CONTENT)
    server = hostile(by_path({"/r.csv": gate}))
    client = make_client(base_url=server.url)
    job = completed(f"{server.url}/r.csv")
    dest = tmp_path / "out.csv"

    outcome = await _first_holds_while(
        client,
        gate,
        lambda: client.exports.download(job, dest),
        lambda: client.exports.download(job, dest),
    )

    assert isinstance(outcome["second"], DownloadInProgressError)
    assert "another download" in str(outcome["second"]).lower()
    assert outcome["first"] == dest
    assert dest.read_bytes() == CONTENT
    assert leftovers(tmp_path) == ["out.csv"]
    assert len(server.requests) == 1  # the second one sent nothing


async def test_two_jobs_with_one_file_name_never_get_one_path(
    hostile, make_client, tmp_path: Path
) -> None:
    # Both links end in results.csv; the first job is mid-way when the second
    # one finishes and takes the name: the first gets its own name, not the
    # other job's file, and neither replaces the other.
    gate = Gate(CONTENT)
    other_gate = Gate(OTHER)
    other_gate.go.set()  # the second job is not held
    server = hostile(by_path({"/a/results.csv": gate, "/b/results.csv": other_gate}))
    client = make_client(base_url=server.url)
    first_job = completed(f"{server.url}/a/results.csv", JOB_ID)
    second_job = completed(f"{server.url}/b/results.csv", OTHER_JOB_ID)

    async def second() -> Path:
        return await client.exports.download(second_job, tmp_path)

    outcome = await _first_holds_while(
        client, gate, lambda: client.exports.download(first_job, tmp_path), second
    )

    assert outcome["second"] == tmp_path / "results.csv"
    assert (tmp_path / "results.csv").read_bytes() == OTHER
    assert outcome["first"] == tmp_path / f"{JOB_ID}.csv"
    assert outcome["first"].read_bytes() == CONTENT
    assert leftovers(tmp_path) == sorted(["results.csv", f"{JOB_ID}.csv"])


def _download_in_a_process(base_url: str, results_url: str, dest: str) -> str:
    with CompanyEnrich(api_key=KEY, base_url=base_url) as client:
        try:
            return str(client.exports.download(completed(results_url), dest))
        except DownloadInProgressError as error:
            return f"refused: {error}"


@pytest.mark.slow
def test_two_processes_downloading_one_job_to_one_place_never_share(
    hostile, tmp_path: Path
) -> None:
    gate = Gate(CONTENT)
    server = hostile(by_path({"/r.csv": gate}))
    dest = str(tmp_path / "out.csv")
    arguments = (server.url, f"{server.url}/r.csv", dest)
    context = multiprocessing.get_context("spawn")
    with context.Pool(1) as pool:
        first = pool.apply_async(_download_in_a_process, arguments)
        assert gate.asked.wait(PATIENCE), "the first process never asked for the file"
        # The first process holds the scratch file; this one, another process, tries too.
        second = _download_in_a_process(*arguments)
        gate.go.set()
        saved = first.get(PATIENCE)

    assert second.startswith("refused: Another download of this export to")
    assert saved == dest
    assert Path(dest).read_bytes() == CONTENT
    assert leftovers(tmp_path) == ["out.csv"]
    assert len(server.requests) == 1


# --- what is planted at the scratch names ------------------------------------------


async def test_a_link_planted_at_the_scratch_name_is_not_followed(
    hostile, make_client, tmp_path: Path
) -> None:
    gate = Gate(CONTENT)
    gate.go.set()
    server = hostile(by_path({"/r.csv": gate}))
    client = make_client(base_url=server.url)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    os.chmod(victim, 0o640)
    (tmp_path / f".out.csv.{JOB_ID}.part").symlink_to(victim)

    with pytest.raises(OSError, match="symbolic link is in the way"):
        await client.exports.download(completed(f"{server.url}/r.csv"), tmp_path / "out.csv")

    assert victim.read_bytes() == b"precious"
    assert oct(victim.stat().st_mode & 0o777) == oct(0o640)
    assert not (tmp_path / "out.csv").exists()
    assert not (tmp_path / "out.csv").is_symlink()
    assert len(server.requests) == 0


async def test_a_scratch_file_of_another_user_is_refused(
    hostile, make_client, tmp_path: Path
) -> None:
    if os.geteuid() != 0:
        pytest.skip("giving a file to another user needs root")  # CI runs as root
    gate = Gate(CONTENT)
    gate.go.set()
    server = hostile(by_path({"/r.csv": gate}))
    client = make_client(base_url=server.url)
    planted = tmp_path / f".out.csv.{JOB_ID}.part"
    planted.write_bytes(b"")
    os.chown(planted, 4242, 4242)

    with pytest.raises(OSError, match="owned by another user"):
        await client.exports.download(completed(f"{server.url}/r.csv"), tmp_path / "out.csv")

    assert not (tmp_path / "out.csv").exists()
    assert planted.stat().st_uid == 4242


def _dropped_after_half(request: RawRequest, connection: Connection) -> None:
    half = len(CONTENT) // 2
    connection.send(head(200, [("ETag", '"v1"')], length=len(CONTENT)) + CONTENT[:half])
    connection.hang_up()


async def test_a_link_planted_at_the_state_name_is_replaced_not_written_through(
    hostile, make_client, tmp_path: Path
) -> None:
    server = hostile(by_path({"/r.csv": _dropped_after_half}))
    client = make_client(base_url=server.url, max_retries=0)
    victim = tmp_path / "victim.txt"
    victim.write_bytes(b"precious")
    state = tmp_path / f".out.csv.{JOB_ID}.part.json"
    state.symlink_to(victim)

    with pytest.raises(APIConnectionError):
        await client.exports.download(completed(f"{server.url}/r.csv"), tmp_path / "out.csv")

    assert victim.read_bytes() == b"precious"
    assert not state.is_symlink()
    assert json.loads(state.read_bytes())["validator"] == '"v1"'  # a file of its own
    assert leftovers(tmp_path) == sorted([state.name, state.name[: -len(".json")], "victim.txt"])


async def test_a_fifo_at_the_state_name_does_not_block_the_download(
    hostile, make_client, tmp_path: Path
) -> None:
    gate = Gate(CONTENT)
    gate.go.set()
    server = hostile(by_path({"/r.csv": gate}))
    client = make_client(base_url=server.url)
    os.mkfifo(tmp_path / f".out.csv.{JOB_ID}.part.json")
    (tmp_path / f".out.csv.{JOB_ID}.part").write_bytes(CONTENT[:100])

    with anyio.fail_after(PATIENCE):
        path = await client.exports.download(completed(f"{server.url}/r.csv"), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    assert "range" not in server.requests[0].headers  # no state read: a fresh start
