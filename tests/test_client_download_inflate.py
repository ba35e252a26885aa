"""A gzip body saved under a plain name ends as the plain file; bounded; resumable.

Served compressed (`Content-Encoding: gzip`, or a gzip object behind a
`.csv` link), `download(job, "companies.csv")` saves CSV that pandas reads;
`decompress=False` keeps the bytes as served under `companies.csv.gz`. A
bomb is refused with a typed error and nothing left, and an existing file
is untouched. Every test runs with both clients.
"""

from __future__ import annotations

import gzip
import random
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from companyenrich_export import ExportJob, JobStatus, MalformedResultsError
from companyenrich_export._results import _inflate

pytestmark = pytest.mark.anyio

CSV = b"domain,name\r\n" + b"".join(
    f"c{i}.example,Company {random.Random(i).random()}\r\n".encode() for i in range(20_000)
)
WIRE = gzip.compress(CSV, mtime=0)


def _job(api) -> ExportJob:
    return ExportJob(
        job_id=UUID(api.job_id),
        status=JobStatus.COMPLETED,
        requested_count=2,
        total_matching=2,
        exported_count=2,
        credits_charged=2,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=api.storage_url,
    )


def _serve(router, api, body: bytes, **headers: str) -> None:
    # A stream, not `content=`: httpx would decode a gzip-encoded `content` at once.
    router.get(api.storage_url).mock(
        side_effect=lambda request: httpx.Response(
            200,
            headers={**headers, "content-length": str(len(body))},
            stream=httpx.ByteStream(body),
        )
    )


def _names(folder: Path) -> list[str]:
    return sorted(path.name for path in folder.iterdir())


@pytest.mark.parametrize("declared", [True, False], ids=["content-encoding", "undeclared"])
async def test_gzip_under_a_csv_name_is_saved_as_plain_csv(api, router, tmp_path, declared) -> None:
    headers = {"content-type": "text/csv"}
    if declared:
        headers["content-encoding"] = "gzip"
    _serve(router, api, WIRE, **headers)

    path = await api.exports.download(_job(api), tmp_path / "companies.csv")

    assert path == tmp_path / "companies.csv"
    assert path.read_bytes() == CSV
    assert _names(tmp_path) == ["companies.csv"]


async def test_decompress_false_keeps_it_compressed_and_says_so_in_the_name(
    api, router, tmp_path
) -> None:
    _serve(router, api, WIRE, **{"content-encoding": "gzip"})

    path = await api.exports.download(_job(api), tmp_path / "companies.csv", decompress=False)

    assert path == tmp_path / "companies.csv.gz"
    assert path.read_bytes() == WIRE
    assert _names(tmp_path) == ["companies.csv.gz"]


async def test_a_gz_name_keeps_the_bytes_unless_decompress_is_true(api, router, tmp_path) -> None:
    _serve(router, api, WIRE, **{"content-encoding": "gzip"})

    kept = await api.exports.download(_job(api), tmp_path / "a.csv.gz")
    inflated = await api.exports.download(_job(api), tmp_path / "b.csv.gz", decompress=True)

    assert kept.read_bytes() == WIRE
    assert inflated == tmp_path / "b.csv.gz"
    assert inflated.read_bytes() == CSV


async def test_plain_bytes_are_saved_as_served_whatever_decompress_says(
    api, router, tmp_path
) -> None:
    # (A body that claims gzip and is not: tests/hostile/test_downloads.py, over a socket.)
    _serve(router, api, CSV, **{"content-type": "application/gzip"})

    path = await api.exports.download(_job(api), tmp_path / "out.csv", decompress=True)

    assert path.read_bytes() == CSV
    assert _names(tmp_path) == ["out.csv"]


async def test_a_bomb_is_refused_and_leaves_the_old_file_alone(
    api, router, tmp_path, monkeypatch
) -> None:
    monkeypatch.setattr(_inflate, "MIN_CAP_BYTES", 64 * 1024)
    bomb = gzip.compress(b"\0" * (8 * 1024 * 1024), mtime=0)  # ~8 KiB inflating 1000 times
    assert len(bomb) * 50 > 64 * 1024  # the ratio is the cap here, not the floor
    _serve(router, api, bomb, **{"content-encoding": "gzip"})
    old = tmp_path / "out.csv"
    old.write_bytes(b"yesterday\n")

    with pytest.raises(MalformedResultsError) as caught:
        await api.exports.download(_job(api), old)

    assert str(caught.value) == (
        f"Malformed gzip results file: it inflates to more than {len(bomb) * 50:,} bytes from "
        f"{len(bomb):,} (over 50 times): not saved; download with decompress=False to keep "
        "it compressed"
    )
    assert old.read_bytes() == b"yesterday\n"
    assert _names(tmp_path) == ["out.csv"]


async def test_a_truncated_gzip_body_is_a_typed_error_with_nothing_left(
    api, router, tmp_path
) -> None:
    _serve(router, api, WIRE[: len(WIRE) // 2], **{"content-encoding": "gzip"})

    with pytest.raises(MalformedResultsError, match="ends early"):
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert _names(tmp_path) == []


async def test_several_gzip_members_and_zero_padding_inflate_as_one_file(
    api, router, tmp_path
) -> None:
    half = len(CSV) // 2
    body = gzip.compress(CSV[:half], mtime=0) + gzip.compress(CSV[half:], mtime=0) + b"\0" * 512
    _serve(router, api, body)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CSV


@pytest.mark.parametrize("drop_at", [1, len(WIRE) // 2, len(WIRE) - 1])
async def test_a_dropped_gzip_download_resumes_on_the_raw_bytes_then_inflates(
    api, router, chunks, tmp_path, drop_at
) -> None:
    requests: list[httpx.Request] = []

    def answer(request: httpx.Request) -> httpx.Response:
        requests.append(request)
        # No Content-Encoding: respx would decode the 206's slice of gzip and fail.
        # The magic bytes say gzip; the Range logic does not look at the encoding.
        headers = {"etag": '"v1"', "content-type": "application/gzip"}
        if "range" in request.headers:
            start = int(request.headers["range"].removeprefix("bytes=").removesuffix("-"))
            headers["content-range"] = f"bytes {start}-{len(WIRE) - 1}/{len(WIRE)}"
            headers["content-length"] = str(len(WIRE) - start)
            return httpx.Response(206, headers=headers, stream=httpx.ByteStream(WIRE[start:]))
        headers["content-length"] = str(len(WIRE))
        broken = chunks([WIRE[:drop_at]], fail=httpx.RemoteProtocolError("peer closed"))
        return httpx.Response(200, headers=headers, stream=broken)

    router.get(api.storage_url).mock(side_effect=answer)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CSV
    assert [r.headers.get("range") for r in requests] == [None, f"bytes={drop_at}-"]
    assert _names(tmp_path) == ["out.csv"]
