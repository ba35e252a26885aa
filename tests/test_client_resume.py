"""A dropped download goes on where it stopped: Range + If-Range, 206 appended, 200 restarted.

The storage server here is a small function behind respx that serves a file
the way S3 does (ETag or Last-Modified, Range, If-Range) and drops the
first connection after `drop_at` bytes. Every test runs with both clients.
"""

from __future__ import annotations

import hashlib
import io
import os
from collections.abc import Callable
from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from companyenrich_export import APIConnectionError, CompanyEnrichError, ExportJob, JobStatus
from companyenrich_export.testing import FakeCompanyEnrich, Fault

pytestmark = pytest.mark.anyio

# Every offset distinguishable: each 32-byte block is the SHA-256 of its own
# number, so bytes saved at the wrong place, twice or not at all can never
# compare equal to the file (one byte repeated 300,000 times could).
CONTENT = b"".join(hashlib.sha256(b"%d" % block).digest() for block in range(300_000 // 32))
BIG = CONTENT * 8  # 2.4 MB: more than one write batch reaches a writer before the drop


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


class Storage:
    """One results file, served with ranges; the first answer breaks after `drop_at` bytes."""

    def __init__(self, chunks, versions: list[bytes], drop_at: int, **validators: str) -> None:
        self._chunks = chunks
        self._versions = versions  # the file's content for each answer, in order
        self._drop_at = drop_at
        self._validators = validators  # etag= and/or last_modified=, for every version
        self.requests: list[httpx.Request] = []
        self.bytes_sent = 0

    def _headers(self, content: bytes, version: int) -> dict[str, str]:
        headers = {}
        if "etag" in self._validators:
            headers["etag"] = self._validators["etag"].replace("N", str(version))
        if "last_modified" in self._validators:
            headers["last-modified"] = self._validators["last_modified"]
        return headers

    def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        number = len(self.requests) - 1
        content = self._versions[min(number, len(self._versions) - 1)]
        headers = self._headers(content, min(number, len(self._versions) - 1))
        asked = request.headers.get("range")
        same_file = request.headers.get("if-range") in (
            headers.get("etag"),
            headers.get("last-modified"),
        )
        if asked is not None and same_file:
            start = int(asked.removeprefix("bytes=").removesuffix("-"))
            rest = content[start:]
            self.bytes_sent += len(rest)
            headers["content-range"] = f"bytes {start}-{len(content) - 1}/{len(content)}"
            return httpx.Response(206, headers=headers, content=rest)
        headers["content-length"] = str(len(content))
        if number == 0:
            sent = content[: self._drop_at]
            self.bytes_sent += len(sent)
            broken = self._chunks([sent], fail=httpx.RemoteProtocolError("peer closed"))
            return httpx.Response(200, headers=headers, stream=broken)
        self.bytes_sent += len(content)
        return httpx.Response(200, headers=headers, content=content)


@pytest.fixture
def storage(api, router, chunks) -> Callable[..., Storage]:
    def serve(versions: list[bytes], drop_at: int, **validators: str) -> Storage:
        served = Storage(chunks, versions, drop_at, **validators)
        router.get(api.storage_url).mock(side_effect=served)
        return served

    return serve


@pytest.mark.parametrize("drop_at", [1, 4_095, 65_536, 150_001, len(CONTENT) - 1])
async def test_a_dropped_download_resumes_where_it_stopped(api, storage, tmp_path, drop_at) -> None:
    served = storage([CONTENT], drop_at, etag='"v1"')

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    first, second = served.requests
    assert "range" not in first.headers
    assert second.headers["range"] == f"bytes={drop_at}-"
    assert second.headers["if-range"] == '"v1"'
    # Nothing received before the drop is fetched again.
    assert served.bytes_sent == len(CONTENT)
    assert [p.name for p in tmp_path.iterdir()] == ["out.csv"]


async def test_last_modified_is_the_validator_without_a_strong_etag(api, storage, tmp_path) -> None:
    stamp = "Tue, 17 Feb 2026 02:05:41 GMT"
    served = storage([CONTENT], 1_000, etag='W/"weak"', last_modified=stamp)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    assert served.requests[1].headers["if-range"] == stamp
    assert served.bytes_sent == len(CONTENT)


async def test_a_changed_file_is_downloaded_again_from_the_start(api, storage, tmp_path) -> None:
    changed = CONTENT[::-1]
    served = storage([CONTENT, changed], 10_000, etag='"vN"')

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == changed
    assert served.requests[1].headers["if-range"] == '"v0"'
    assert served.bytes_sent == 10_000 + len(changed)


async def test_without_a_validator_a_retry_starts_over(api, storage, tmp_path) -> None:
    served = storage([CONTENT], 10_000)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    assert "range" not in served.requests[1].headers
    assert served.bytes_sent == 10_000 + len(CONTENT)


async def test_a_writer_gets_every_byte_exactly_once_across_a_drop(api, storage) -> None:
    served = storage([BIG], 2_000_000, etag='"v1"')
    sink = io.BytesIO()

    written = await api.exports.download_to(_job(api), sink)

    assert written == len(BIG)
    assert sink.getvalue() == BIG
    assert served.requests[1].headers["range"] == "bytes=2000000-"


async def test_a_writer_cannot_start_over_once_bytes_reached_it(api, storage) -> None:
    storage([BIG, BIG[::-1]], 2_000_000, etag='"vN"')
    sink = io.BytesIO()

    with pytest.raises(CompanyEnrichError, match="cannot be taken back"):
        await api.exports.download_to(_job(api), sink)

    assert BIG.startswith(sink.getvalue())
    assert 0 < len(sink.getvalue()) <= 2_000_000


async def test_a_partial_answer_for_other_bytes_is_refused(api, router, chunks, tmp_path) -> None:
    broken = chunks([CONTENT[:500]], fail=httpx.RemoteProtocolError("peer closed"))
    router.get(api.storage_url).mock(
        side_effect=[
            httpx.Response(
                200, headers={"etag": '"v1"', "content-length": str(len(CONTENT))}, stream=broken
            ),
            httpx.Response(
                206,
                headers={"etag": '"v1"', "content-range": f"bytes 0-99/{len(CONTENT)}"},
                content=CONTENT[:100],
            ),
        ]
    )

    with pytest.raises(CompanyEnrichError, match="not the rest from byte 500"):
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert list(tmp_path.iterdir()) == []


def test_the_fake_storage_resumes_a_truncated_download(tmp_path) -> None:
    from companyenrich_export import CompanyEnrich
    from companyenrich_export.testing import ManualClock

    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key="test-key", clock=clock)
    job_id = fake.add_job(requested_count=5, rows=1_000)
    fake.complete_now(job_id)
    fake.inject(Fault.truncated_download(0.4))
    with CompanyEnrich(
        api_key="test-key", http_client=httpx.Client(transport=fake.transport()), clock=clock
    ) as client:
        path = client.exports.download(job_id, tmp_path / "out.csv")
        expected = httpx.Client(transport=fake.transport()).get(
            client.exports.get(job_id).results_url or ""
        )

    assert path.read_bytes() == expected.content
    storage_statuses = [entry.status for entry in fake.request_log if entry.route == "storage"]
    assert storage_statuses[:2] == [200, 206]


# --- a later download() goes on from what an earlier one left ------------------------


def _left_behind(tmp_path) -> list[str]:
    return sorted(path.name for path in tmp_path.iterdir())


async def test_a_later_call_resumes_what_a_network_failure_left(
    make_api, storage, tmp_path
) -> None:
    api = make_api(max_retries=0)
    served = storage([CONTENT], 123_456, etag='"v1"')

    with pytest.raises(APIConnectionError):
        await api.exports.download(_job(api), tmp_path / "out.csv")

    partial = f".out.csv.{api.job_id}.part"
    assert _left_behind(tmp_path) == [partial, partial + ".json"]
    assert (tmp_path / partial).read_bytes() == CONTENT[:123_456]

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    assert served.requests[1].headers["range"] == "bytes=123456-"
    assert served.requests[1].headers["if-range"] == '"v1"'
    assert served.bytes_sent == len(CONTENT)
    assert _left_behind(tmp_path) == ["out.csv"]


async def test_a_later_call_starts_over_when_the_file_changed(make_api, storage, tmp_path) -> None:
    api = make_api(max_retries=0)
    changed = CONTENT[::-1]
    storage([CONTENT, changed], 50_000, etag='"vN"')

    with pytest.raises(APIConnectionError):
        await api.exports.download(_job(api), tmp_path / "out.csv")
    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == changed
    assert _left_behind(tmp_path) == ["out.csv"]


async def test_a_partial_with_an_unreadable_state_is_not_trusted(
    make_api, storage, tmp_path
) -> None:
    api = make_api(max_retries=0)
    served = storage([CONTENT], 50_000, etag='"v1"')
    with pytest.raises(APIConnectionError):
        await api.exports.download(_job(api), tmp_path / "out.csv")
    (tmp_path / f".out.csv.{api.job_id}.part.json").write_text('{"validator": ["not", "text"]}')

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    assert "range" not in served.requests[1].headers
    assert _left_behind(tmp_path) == ["out.csv"]


async def test_an_interrupted_download_leaves_nothing(make_api, storage, tmp_path) -> None:
    api = make_api(max_retries=0)
    storage([CONTENT], len(CONTENT) - 1, etag='"v1"')

    def stop(received: int, total: int | None) -> None:
        raise KeyboardInterrupt

    with pytest.raises(KeyboardInterrupt):
        await api.exports.download(_job(api), tmp_path / "out.csv", on_progress=stop)

    assert _left_behind(tmp_path) == []


def test_the_content_tells_every_offset_apart() -> None:
    blocks = [CONTENT[start : start + 32] for start in range(0, len(CONTENT), 32)]
    assert len(set(blocks)) == len(blocks) == len(CONTENT) // 32
    assert CONTENT[1:] != CONTENT[:-1]


# --- both ends of a 206, and whose version it is --------------------------------------


def _resumed_answer(chunks, status: int, **headers: str):
    """A first answer that drops after 500 bytes (validator "v1"), then `status` with `headers`."""
    broken = chunks([CONTENT[:500]], fail=httpx.RemoteProtocolError("peer closed"))
    first = httpx.Response(
        200, headers={"etag": '"v1"', "content-length": str(len(CONTENT))}, stream=broken
    )
    return first, headers


@pytest.mark.parametrize(
    ("content_range", "body"),
    [
        # The whole file again, labelled as a resume: the first byte is wrong.
        (f"bytes 0-{len(CONTENT) - 1}/{len(CONTENT)}", CONTENT),
        # The right start but not to the end: the last byte is wrong.
        (f"bytes 500-{len(CONTENT) - 2}/{len(CONTENT)}", CONTENT[500:-1]),
        # The right bytes of a file of another size.
        (f"bytes 500-{len(CONTENT)}/{len(CONTENT) + 1}", CONTENT[500:] + b"x"),
    ],
    ids=["first-byte", "last-byte", "total"],
)
async def test_a_206_must_cover_exactly_the_rest_of_the_same_file(
    api, router, chunks, tmp_path, content_range, body
) -> None:
    first, _ = _resumed_answer(chunks, 206)
    router.get(api.storage_url).mock(
        side_effect=[
            first,
            httpx.Response(
                206, headers={"etag": '"v1"', "content-range": content_range}, content=body
            ),
        ]
    )

    with pytest.raises(CompanyEnrichError, match="not the rest from byte 500"):
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert list(tmp_path.iterdir()) == []


async def test_a_206_of_another_version_starts_over_instead_of_mixing(
    api, router, chunks, tmp_path
) -> None:
    # A proxy that ignores If-Range: it answers the range from the new file.
    changed = CONTENT[::-1]
    first, _ = _resumed_answer(chunks, 206)
    route = router.get(api.storage_url).mock(
        side_effect=[
            first,
            httpx.Response(
                206,
                headers={
                    "etag": '"v2"',
                    "content-range": f"bytes 500-{len(changed) - 1}/{len(changed)}",
                },
                content=changed[500:],
            ),
            httpx.Response(200, headers={"etag": '"v2"'}, content=changed),
        ]
    )

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == changed
    third = route.calls[2].request
    assert "range" not in third.headers
    assert list(tmp_path.iterdir()) == [path]


async def test_a_206_of_another_version_is_refused_once_a_writer_has_bytes(
    api, router, chunks
) -> None:
    dropped_at = 2_000_000  # past a write batch: bytes have reached the writer
    broken = chunks([BIG[:dropped_at]], fail=httpx.RemoteProtocolError("peer closed"))
    changed = BIG[::-1]
    router.get(api.storage_url).mock(
        side_effect=[
            httpx.Response(
                200, headers={"etag": '"v1"', "content-length": str(len(BIG))}, stream=broken
            ),
            httpx.Response(
                206,
                headers={
                    "etag": '"v2"',
                    "content-range": f"bytes {dropped_at}-{len(BIG) - 1}/{len(BIG)}",
                },
                content=changed[dropped_at:],
            ),
        ]
    )
    sink = io.BytesIO()

    with pytest.raises(CompanyEnrichError, match="another version of the file"):
        await api.exports.download_to(_job(api), sink)

    # What the writer got is the first version's start, nothing of the second.
    assert 0 < len(sink.getvalue()) <= dropped_at
    assert BIG.startswith(sink.getvalue())


async def test_a_416_on_a_kept_part_restarts_cleanly(make_api, router, chunks, tmp_path) -> None:
    api = make_api(max_retries=0)
    first, _ = _resumed_answer(chunks, 206)
    route = router.get(api.storage_url).mock(
        side_effect=[
            first,
            httpx.Response(416, headers={"content-range": f"bytes */{len(CONTENT)}"}),
            httpx.Response(200, headers={"etag": '"v1"'}, content=CONTENT),
        ]
    )
    with pytest.raises(APIConnectionError):
        await api.exports.download(_job(api), tmp_path / "out.csv")
    assert (tmp_path / f".out.csv.{api.job_id}.part").read_bytes() == CONTENT[:500]

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CONTENT
    assert route.calls[1].request.headers["range"] == "bytes=500-"
    assert "range" not in route.calls[2].request.headers
    assert _left_behind(tmp_path) == ["out.csv"]


# --- durability -------------------------------------------------------------------------


async def test_the_file_is_flushed_to_disk_before_it_gets_its_name(
    api, storage, tmp_path, monkeypatch
) -> None:
    storage([CONTENT], len(CONTENT), etag='"v1"')
    events: list[tuple[str, str]] = []
    real_fsync, real_replace = os.fsync, os.replace

    def fsync(descriptor: int) -> None:
        events.append(("fsync", os.readlink(f"/proc/self/fd/{descriptor}")))
        real_fsync(descriptor)

    def replace(source, target) -> None:
        events.append(("replace", os.fspath(target)))
        real_replace(source, target)

    monkeypatch.setattr(os, "fsync", fsync)
    monkeypatch.setattr(os, "replace", replace)
    dest = tmp_path / "out.csv"

    await api.exports.download(_job(api), dest)

    published = events.index(("replace", str(dest)))
    part = str(tmp_path / f".out.csv.{api.job_id}.part")
    assert ("fsync", part) in events[:published]
    assert dest.read_bytes() == CONTENT
