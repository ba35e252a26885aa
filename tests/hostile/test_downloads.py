"""Downloads save exactly the bytes served, through any transport, with honest progress.

A results file is saved as served: a `Content-Encoding: gzip` file is
stored gzipped (its size is the Content-Length), never inflated on the way
(a 1 MB bomb would become 1 GiB on disk). `test_memory_bounds.py` has the
full-size bomb; these are the small, exact versions.
"""

from __future__ import annotations

import gzip
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from companyenrich_export import ExportJob, JobStatus

from _hostile import JOB_ID, Connection, RawRequest, reply

pytestmark = pytest.mark.anyio

CSV = b"domain,name\nacme.example,Acme\nbeta.example,Beta\n" * 50


def completed_job(results_url: str) -> ExportJob:
    return ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=100,
        total_matching=100,
        exported_count=100,
        credits_charged=100,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=results_url,
    )


def leftovers(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("with_length", [True, False], ids=["content-length", "no-length"])
async def test_a_download_through_mock_transport_saves_the_file(
    make_client, tmp_path: Path, with_length: bool
) -> None:
    # MockTransport hands back a response whose body was read already: nothing is
    # left to stream, and "bytes downloaded" stays 0. The file must still be saved.
    headers = {"Content-Type": "text/csv"}
    if not with_length:
        headers["Transfer-Encoding"] = "chunked"

    def answer(request: httpx.Request) -> httpx.Response:
        response = httpx.Response(200, content=CSV, headers=headers)
        if not with_length:
            del response.headers["Content-Length"]
        return response

    client = make_client(transport=httpx.MockTransport(answer))
    progress: list[tuple[int, int | None]] = []

    path = await client.exports.download(
        completed_job("https://exports.example/r.csv"),
        tmp_path / "out.csv",
        on_progress=lambda received, total: progress.append((received, total)),
    )

    assert path.read_bytes() == CSV
    assert leftovers(tmp_path) == ["out.csv"]
    assert progress
    assert progress[-1][0] == len(CSV)


def _served_gzipped(data: bytes) -> tuple[bytes, object]:
    wire = gzip.compress(data, mtime=0)

    def script(request: RawRequest, connection: Connection) -> None:
        connection.send(
            reply(200, wire, [("Content-Type", "text/csv"), ("Content-Encoding", "gzip")])
        )

    return wire, script


async def test_a_gzip_encoded_file_is_saved_as_served(hostile, make_client, tmp_path: Path) -> None:
    wire, script = _served_gzipped(CSV)
    server = hostile(script)
    client = make_client()
    progress: list[tuple[int, int | None]] = []

    path = await client.exports.download(
        completed_job(f"{server.url}/r.csv.gz"),
        tmp_path / "out.csv.gz",
        on_progress=lambda received, total: progress.append((received, total)),
    )

    assert path.read_bytes() == wire
    assert gzip.decompress(path.read_bytes()) == CSV
    assert progress[-1] == (len(wire), len(wire))
    assert all(total is not None and received <= total for received, total in progress)


async def test_a_file_claiming_gzip_that_is_not_is_still_saved_as_served(
    hostile, make_client, tmp_path: Path
) -> None:
    # The client does not inflate, so it has nothing to fail at: the bytes are the file.
    def script(request: RawRequest, connection: Connection) -> None:
        connection.send(
            reply(200, CSV, [("Content-Type", "text/csv"), ("Content-Encoding", "gzip")])
        )

    server = hostile(script)
    client = make_client()

    path = await client.exports.download(completed_job(f"{server.url}/r.csv"), tmp_path / "out.csv")

    assert path.read_bytes() == CSV
    assert leftovers(tmp_path) == ["out.csv"]


async def test_a_download_asks_for_the_file_unencoded(hostile, make_client, tmp_path) -> None:
    # Asking for identity makes a well-behaved storage send the file itself.
    def script(request: RawRequest, connection: Connection) -> None:
        connection.send(reply(200, CSV, [("Content-Type", "text/csv")]))

    server = hostile(script)
    client = make_client()

    await client.exports.download(completed_job(f"{server.url}/r.csv"), tmp_path / "out.csv")

    (request,) = server.requests
    assert request.headers.get("accept-encoding") == "identity"
