"""exports.download_to(): the results streamed to any writer (what `download JOB -` uses).

Each test runs with the sync and the async client (the `api` fixture).
"""

from __future__ import annotations

import io
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APIConnectionError,
    ExportJob,
    ExportNotReadyError,
    JobStatus,
)

pytestmark = pytest.mark.anyio

CSV = b"id,name\n1,Acme\n2,Beta\n"


def _job(api, *, status: JobStatus = JobStatus.COMPLETED) -> ExportJob:
    return ExportJob(
        job_id=UUID(api.job_id),
        status=status,
        requested_count=2,
        total_matching=2,
        exported_count=2 if status is JobStatus.COMPLETED else 0,
        credits_charged=2 if status is JobStatus.COMPLETED else 0,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=api.storage_url if status is JobStatus.COMPLETED else None,
    )


class Writer:
    """Records each write, so a test sees exactly what went out and in what pieces."""

    def __init__(self) -> None:
        self.chunks: list[bytes] = []

    def write(self, data: bytes) -> int:
        self.chunks.append(bytes(data))
        return len(data)


async def test_streams_to_the_writer_in_bounded_writes_and_counts_them(api, router, chunks) -> None:
    pieces = [bytes([65 + n % 26]) * 700_000 for n in range(5)]  # 3.5 MB in five reads
    body = b"".join(pieces)
    router.get(api.storage_url).respond(
        200, stream=chunks(pieces), headers={"Content-Length": str(len(body))}
    )
    writer = Writer()
    progress: list[tuple[int, int | None]] = []

    written = await api.exports.download_to(
        _job(api), writer, on_progress=lambda n, t: progress.append((n, t))
    )

    assert written == len(body)
    assert b"".join(writer.chunks) == body
    # Read by read here: each is larger than a batch (256 KiB), so none waits for another.
    assert len(writer.chunks) == 5
    assert max(len(chunk) for chunk in writer.chunks) == 700_000
    assert progress == [(700_000 * n, len(body)) for n in range(1, 6)]


async def test_small_reads_are_gathered_and_a_writer_may_keep_what_it_is_given(
    api, router, chunks
) -> None:
    """Batches are copied into one reused buffer: the writer must never get a view of it."""
    pieces = [bytes([65 + n % 26]) * 10_000 for n in range(120)]  # 1.2 MB in 10 kB reads
    body = b"".join(pieces)
    router.get(api.storage_url).respond(
        200, stream=chunks(pieces), headers={"Content-Length": str(len(body))}
    )
    kept: list[object] = []

    class KeepsWhatItIsGiven:
        def write(self, data: bytes) -> int:
            kept.append(data)
            return len(data)

    assert await api.exports.download_to(_job(api), KeepsWhatItIsGiven()) == len(body)

    assert all(isinstance(part, bytes) for part in kept)
    assert b"".join(kept) == body  # type: ignore[arg-type]
    # Batches of 262,144 bytes (WRITE_BATCH) at most: a read that does not fit starts the next.
    assert [len(part) for part in kept] == [260_000] * 4 + [160_000]


async def test_by_job_id_fetches_the_job_first_and_keeps_the_key_off_storage(api, router) -> None:
    job_route = router.get(api.job_url).respond(200, json=api.bodies.job())
    storage = router.get(api.storage_url).respond(200, content=CSV)
    buffer = io.BytesIO()

    assert await api.exports.download_to(api.job_id, buffer) == len(CSV)

    assert buffer.getvalue() == CSV
    assert (job_route.call_count, storage.call_count) == (1, 1)
    assert "Authorization" not in storage.calls.last.request.headers


async def test_a_failure_before_the_first_byte_is_retried(api, router) -> None:
    storage = router.get(api.storage_url).mock(
        side_effect=[httpx.Response(503, text="busy"), httpx.Response(200, content=CSV)]
    )
    buffer = io.BytesIO()

    assert await api.exports.download_to(_job(api), buffer) == len(CSV)

    assert buffer.getvalue() == CSV
    assert storage.call_count == 2
    assert api.clock.sleeps == [0.5]


async def test_an_expired_link_is_refreshed_before_the_first_byte(api, router) -> None:
    fresh_url = "https://exports.example-storage.com/r/job.csv?sig=fresh"
    router.get(api.storage_url).respond(403, text="expired")
    router.get(api.job_url).respond(200, json=api.bodies.job(results_url=fresh_url))
    router.get(fresh_url).respond(200, content=CSV)
    buffer = io.BytesIO()

    await api.exports.download_to(_job(api), buffer)

    assert buffer.getvalue() == CSV


async def test_a_failure_before_any_byte_reached_the_writer_is_retried_from_the_start(
    api, router, chunks
) -> None:
    broken = httpx.Response(200, stream=chunks([b"id,na"], fail=httpx.ReadError("reset")))
    storage = router.get(api.storage_url).mock(
        side_effect=[broken, httpx.Response(200, content=CSV)]
    )
    writer = Writer()

    assert await api.exports.download_to(_job(api), writer) == len(CSV)

    # "id,na" was still gathered here, not written: the writer gets each byte once.
    assert b"".join(writer.chunks) == CSV
    assert storage.call_count == 2


async def test_a_failure_after_bytes_went_out_is_raised_not_retried(api, router, chunks) -> None:
    # No validator (ETag, Last-Modified): the rest cannot be asked for, only all of it.
    delivered = b"x" * (1024 * 1024)
    broken = httpx.Response(200, stream=chunks([delivered, b"tail"], fail=httpx.ReadError("reset")))
    storage = router.get(api.storage_url).mock(
        side_effect=[broken, httpx.Response(200, content=CSV)]
    )
    writer = Writer()

    with pytest.raises(APIConnectionError):
        await api.exports.download_to(_job(api), writer)

    # A retry would send the first MiB twice; the writer has what went out, once.
    assert b"".join(writer.chunks) == delivered
    assert storage.call_count == 1
    assert api.clock.sleeps == []


async def test_a_writer_error_stops_the_download_at_once(api, router, chunks) -> None:
    storage = router.get(api.storage_url).respond(200, stream=chunks([b"a", b"b", b"c"]))

    class Full:
        def __init__(self) -> None:
            self.calls = 0

        def write(self, data: bytes) -> int:
            self.calls += 1
            raise OSError(28, "No space left on device")

    full = Full()
    with pytest.raises(OSError, match="No space left"):
        await api.exports.download_to(_job(api), full)

    assert full.calls == 1
    assert storage.call_count == 1


async def test_bad_arguments_are_refused_before_any_request(api, router) -> None:
    with pytest.raises(TypeError, match="write"):
        await api.exports.download_to(_job(api), object())
    with pytest.raises(ExportNotReadyError):
        await api.exports.download_to(_job(api, status=JobStatus.PROCESSING), io.BytesIO())
    with pytest.raises(ValueError, match="UUID"):
        await api.exports.download_to("not-a-job", io.BytesIO())

    assert router.calls.call_count == 0
