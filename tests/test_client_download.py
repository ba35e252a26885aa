"""exports.download(): atomic files, where the key may go, and recovering from storage errors."""

from __future__ import annotations

import os
import stat
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from companyenrich_export import (
    APIConnectionError,
    APIStatusError,
    CompanyEnrichError,
    ExportFailedError,
    ExportJob,
    ExportNotReadyError,
    IncompleteDownloadError,
    InternalServerError,
    JobStatus,
)

pytestmark = pytest.mark.anyio

CSV = b"id,name\n1,Acme\n2,Beta\n"


def _job(api, *, status: JobStatus = JobStatus.COMPLETED, **fields: object) -> ExportJob:
    values: dict[str, object] = {
        "job_id": UUID(api.job_id),
        "status": status,
        "requested_count": 2,
        "total_matching": 2,
        "exported_count": 2,
        "credits_charged": 2,
        "created_at": datetime(2026, 2, 17, tzinfo=UTC),
        "results_url": api.storage_url if status is JobStatus.COMPLETED else None,
    }
    values.update(fields)
    return ExportJob(**values)  # type: ignore[arg-type]


def _leftovers(folder: Path) -> list[str]:
    """Temporary files a download may have left behind."""
    return sorted(p.name for p in folder.iterdir() if p.name.endswith(".part"))


async def test_streams_the_file_through_a_temporary_file_beside_it(api, router, chunks, tmp_path):
    router.get(api.storage_url).respond(
        200,
        stream=chunks([b"id,name\n", b"1,Acme\n", b"2,Beta\n"]),
        headers={"Content-Length": str(len(CSV))},
    )
    dest = tmp_path / "companies.csv"
    progress: list[tuple[int, int | None]] = []

    def on_progress(received: int, total: int | None) -> None:
        progress.append((received, total))
        # Mid-download: the bytes go to a hidden temporary file in the same folder
        # (so the final rename is atomic), and nothing exists yet under the real name.
        assert not dest.exists()
        assert len(_leftovers(tmp_path)) == 1
        assert _leftovers(tmp_path)[0].startswith(".companies.csv.")

    path = await api.exports.download(_job(api), dest, on_progress=on_progress)

    assert path == dest
    assert dest.read_bytes() == CSV
    assert progress == [(8, 22), (15, 22), (22, 22)]
    assert _leftovers(tmp_path) == []


async def test_progress_total_is_none_without_content_length(api, router, chunks, tmp_path):
    router.get(api.storage_url).respond(200, stream=chunks([b"ab", b"cd"]))
    progress: list[tuple[int, int | None]] = []

    await api.exports.download(
        _job(api), tmp_path / "x.csv", on_progress=lambda n, t: progress.append((n, t))
    )

    assert progress == [(2, None), (4, None)]


async def test_a_new_file_gets_the_usual_permissions_not_the_temporary_files(
    api, router, tmp_path
) -> None:
    router.get(api.storage_url).respond(200, content=CSV)
    umask = os.umask(0o022)
    os.umask(umask)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    # mkstemp makes 0600 files; a download is a file like any other the user writes.
    assert stat.S_IMODE(path.stat().st_mode) == 0o666 & ~umask


async def test_a_replaced_file_keeps_its_permissions(api, router, tmp_path) -> None:
    router.get(api.storage_url).respond(200, content=CSV)
    dest = tmp_path / "out.csv"
    dest.write_bytes(b"old")
    dest.chmod(0o640)

    await api.exports.download(_job(api), dest)

    assert dest.read_bytes() == CSV
    assert stat.S_IMODE(dest.stat().st_mode) == 0o640


async def test_download_by_job_id_fetches_the_job_first(api, router, tmp_path) -> None:
    job_route = router.get(api.job_url).respond(200, json=api.bodies.job())
    storage = router.get(api.storage_url).respond(200, content=CSV)

    path = await api.exports.download(api.job_id, tmp_path / "out.csv")

    assert path.read_bytes() == CSV
    assert (job_route.call_count, storage.call_count) == (1, 1)


async def test_storage_request_has_no_key_and_no_api_headers(api, router, tmp_path) -> None:
    storage = router.get(api.storage_url).respond(200, content=CSV)

    await api.exports.download(_job(api), tmp_path / "out.csv")

    headers = storage.calls.last.request.headers
    assert "Authorization" not in headers
    assert headers["User-Agent"].startswith("companyenrich-export-python/")


# --- incomplete and failed transfers ------------------------------------------------


async def test_body_shorter_than_content_length_is_an_incomplete_download(
    make_api, router, tmp_path
) -> None:
    api = make_api(max_retries=0)
    router.get(api.storage_url).respond(200, content=b"abc", headers={"Content-Length": "10"})
    dest = tmp_path / "out.csv"

    with pytest.raises(IncompleteDownloadError) as caught:
        await api.exports.download(_job(api), dest)

    assert (caught.value.received, caught.value.expected) == (3, 10)
    assert not dest.exists()
    assert _leftovers(tmp_path) == []


async def test_connection_dropped_mid_body_is_an_incomplete_download(
    make_api, router, chunks, tmp_path
) -> None:
    api = make_api(max_retries=0)
    dropped = chunks([b"abc"], fail=httpx.RemoteProtocolError("peer closed connection"))
    router.get(api.storage_url).respond(200, stream=dropped, headers={"Content-Length": "10"})

    with pytest.raises(IncompleteDownloadError):
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert list(tmp_path.iterdir()) == []


async def test_retry_after_a_dropped_body_starts_from_the_first_byte(
    api, router, chunks, tmp_path
) -> None:
    broken = httpx.Response(200, stream=chunks([b"id,na"], fail=httpx.ReadError("reset")))
    router.get(api.storage_url).mock(side_effect=[broken, httpx.Response(200, content=CSV)])
    dest = tmp_path / "out.csv"

    await api.exports.download(_job(api), dest)

    # No "id,na" prefix left over from the first attempt.
    assert dest.read_bytes() == CSV
    assert api.clock.sleeps == [0.5]


async def test_storage_5xx_is_retried(api, router, tmp_path) -> None:
    storage = router.get(api.storage_url).mock(
        side_effect=[httpx.Response(503, text="busy"), httpx.Response(200, content=CSV)]
    )

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CSV
    assert storage.call_count == 2
    assert api.clock.sleeps == [0.5]


async def test_storage_5xx_gives_up_after_max_retries(api, router, tmp_path) -> None:
    storage = router.get(api.storage_url).respond(502, text="<html>bad gateway</html>")

    with pytest.raises(InternalServerError) as caught:
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert caught.value.body == "<html>bad gateway</html>"
    assert storage.call_count == 3
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    "failure",
    [httpx.Response(500), httpx.ConnectError("refused")],
    ids=["500", "connect-error"],
)
async def test_failure_leaves_an_existing_file_untouched(
    make_api, router, tmp_path, failure
) -> None:
    api = make_api(max_retries=0)
    router.get(api.storage_url).mock(side_effect=[failure])
    dest = tmp_path / "out.csv"
    dest.write_bytes(b"yesterday's export")

    with pytest.raises(CompanyEnrichError):
        await api.exports.download(_job(api), dest)

    assert dest.read_bytes() == b"yesterday's export"
    assert _leftovers(tmp_path) == []


async def test_success_replaces_an_existing_file(api, router, tmp_path) -> None:
    router.get(api.storage_url).respond(200, content=CSV)
    dest = tmp_path / "out.csv"
    dest.write_bytes(b"yesterday's export")

    await api.exports.download(_job(api), dest)

    assert dest.read_bytes() == CSV
    assert _leftovers(tmp_path) == []


# --- where the key goes ---------------------------------------------------------------


@pytest.mark.parametrize(
    ("results_url", "with_key"),
    [
        ("https://exports.example-storage.com/r/job.csv?sig=1", False),
        ("https://api.companyenrich.com/files/job.csv", True),
        ("https://API.CompanyEnrich.com/files/job.csv", True),
        ("https://api.companyenrich.com:443/files/job.csv", True),
        ("http://api.companyenrich.com/files/job.csv", False),
        ("https://api.companyenrich.com:8443/files/job.csv", False),
        ("https://api.companyenrich.com.evil.example/files/job.csv", False),
        ("https://files.api.companyenrich.com/job.csv", False),
    ],
    ids=[
        "storage",
        "api-origin",
        "api-origin-uppercase",
        "api-origin-explicit-port",
        "other-scheme",
        "other-port",
        "suffix-host",
        "subdomain",
    ],
)
async def test_key_is_sent_only_to_the_api_origin(
    api, router, tmp_path, results_url: str, with_key: bool
) -> None:
    route = router.get(results_url).respond(200, content=CSV)

    await api.exports.download(_job(api, results_url=results_url), tmp_path / "out.csv")

    headers = route.calls.last.request.headers
    if with_key:
        assert headers["Authorization"] == f"Bearer {api.key}"
    else:
        assert "Authorization" not in headers


async def test_redirect_from_storage_to_another_host_carries_no_key(api, router, tmp_path):
    first = router.get(api.storage_url).respond(
        302, headers={"Location": "https://cdn.example.net/real.csv"}
    )
    second = router.get("https://cdn.example.net/real.csv").respond(200, content=CSV)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CSV
    assert "Authorization" not in first.calls.last.request.headers
    assert "Authorization" not in second.calls.last.request.headers


@pytest.mark.parametrize(
    "location",
    ["/files/real.csv", "https://api.companyenrich.com/files/real.csv"],
    ids=["relative", "absolute"],
)
async def test_key_is_not_forwarded_along_a_redirect_even_to_the_api_origin(
    api, router, tmp_path, location: str
) -> None:
    results_url = f"{api.base_url}/files/job.csv"
    first = router.get(results_url).respond(302, headers={"Location": location})
    second = router.get(f"{api.base_url}/files/real.csv").respond(200, content=CSV)

    await api.exports.download(_job(api, results_url=results_url), tmp_path / "out.csv")

    assert first.calls.last.request.headers["Authorization"] == f"Bearer {api.key}"
    assert "Authorization" not in second.calls.last.request.headers


async def test_a_redirect_body_is_never_read(make_api, router, chunks, tmp_path) -> None:
    # A redirect's body is closed unread: a hostile one (endless, or broken) costs nothing.
    api = make_api(max_retries=0)
    broken = chunks([b"moved"], fail=httpx.ReadError("reset"))
    router.get(api.storage_url).respond(
        302, stream=broken, headers={"Location": "https://cdn.example.net/real.csv"}
    )
    router.get("https://cdn.example.net/real.csv").respond(200, content=b"a,b\n1,2\n")

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == b"a,b\n1,2\n"


async def test_redirect_loop_is_cut_off(api, router, tmp_path) -> None:
    route = router.get(api.storage_url).respond(302, headers={"Location": api.storage_url})

    with pytest.raises(CompanyEnrichError, match="redirects"):
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert route.call_count == 6
    assert list(tmp_path.iterdir()) == []


# --- jobs that cannot be downloaded -------------------------------------------------------


@pytest.mark.parametrize("status", [JobStatus.PENDING, JobStatus.PROCESSING, JobStatus.COMPLETING])
async def test_unfinished_job_is_not_ready(api, router, tmp_path, status: JobStatus) -> None:
    with pytest.raises(ExportNotReadyError) as caught:
        await api.exports.download(_job(api, status=status), tmp_path / "out.csv")

    assert caught.value.job.status is status
    assert router.calls.call_count == 0


async def test_unfinished_job_by_id_is_not_ready_and_storage_is_not_asked(
    api, router, tmp_path
) -> None:
    router.get(api.job_url).respond(200, json=api.bodies.pending())
    storage = router.get(api.storage_url).respond(200, content=CSV)

    with pytest.raises(ExportNotReadyError):
        await api.exports.download(api.job_id, tmp_path / "out.csv")

    assert storage.call_count == 0


async def test_completed_job_without_results_url_is_not_ready(api, router, tmp_path) -> None:
    with pytest.raises(ExportNotReadyError):
        await api.exports.download(_job(api, results_url=None), tmp_path / "out.csv")
    assert router.calls.call_count == 0


async def test_failed_job_raises_export_failed_error(api, router, tmp_path) -> None:
    failed = _job(api, status=JobStatus.FAILED, error_message="search timed out")

    with pytest.raises(ExportFailedError, match="search timed out"):
        await api.exports.download(failed, tmp_path / "out.csv")

    assert router.calls.call_count == 0


# --- expired links ---------------------------------------------------------------------------


@pytest.mark.parametrize("refusal", [403, 404])
async def test_expired_link_is_refreshed_once(api, router, tmp_path, refusal: int) -> None:
    fresh_url = "https://exports.example-storage.com/r/job.csv?sig=fresh"
    stale = router.get(api.storage_url).respond(
        refusal, text="<Error><Code>AccessDenied</Code></Error>"
    )
    job_route = router.get(api.job_url).respond(200, json=api.bodies.job(results_url=fresh_url))
    fresh = router.get(fresh_url).respond(200, content=CSV)

    path = await api.exports.download(_job(api), tmp_path / "out.csv")

    assert path.read_bytes() == CSV
    assert (stale.call_count, job_route.call_count, fresh.call_count) == (1, 1, 1)
    # The refresh is an API call: it carries the key; storage calls do not.
    assert job_route.calls.last.request.headers["Authorization"] == f"Bearer {api.key}"
    assert "Authorization" not in fresh.calls.last.request.headers


async def test_second_refusal_raises_api_status_error(api, router, tmp_path) -> None:
    fresh_url = "https://exports.example-storage.com/r/job.csv?sig=fresh"
    router.get(api.storage_url).respond(403, text="expired")
    # One answer only: a client that kept refreshing would fail here instead of looping.
    job_route = router.get(api.job_url).mock(
        side_effect=[httpx.Response(200, json=api.bodies.job(results_url=fresh_url))]
    )
    router.get(fresh_url).respond(403, text="still expired")

    with pytest.raises(APIStatusError) as caught:
        await api.exports.download(_job(api), tmp_path / "out.csv")

    assert caught.value.status_code == 403
    assert caught.value.body == "still expired"
    assert job_route.call_count == 1
    assert list(tmp_path.iterdir()) == []


async def test_refreshed_job_that_is_no_longer_completed_stops_the_download(
    api, router, tmp_path
) -> None:
    router.get(api.storage_url).respond(403)
    failed = api.bodies.job(status="failed", results_url=None, error_message="purged")
    router.get(api.job_url).respond(200, json=failed)

    with pytest.raises(ExportFailedError, match="purged"):
        await api.exports.download(_job(api), tmp_path / "out.csv")


# --- destinations -------------------------------------------------------------------------------


async def test_directory_destination_takes_the_file_name_from_the_url(api, router, tmp_path):
    router.get(api.storage_url).respond(200, content=CSV)

    path = await api.exports.download(_job(api), tmp_path)

    assert path == tmp_path / f"{api.job_id}.csv"
    assert path.read_bytes() == CSV


@pytest.mark.parametrize(
    "results_url",
    [
        "https://s.example/",
        "https://s.example/..",
        "https://s.example/a/%2E%2E",
        "https://s.example/.env",
    ],
)
async def test_unusable_url_file_name_falls_back_to_the_job_id(
    api, router, tmp_path, results_url: str
) -> None:
    router.get(results_url).respond(200, content=CSV)

    path = await api.exports.download(_job(api, results_url=results_url), tmp_path)

    assert path == tmp_path / f"{api.job_id}.csv"


@pytest.mark.parametrize("by_id", [False, True], ids=["job", "job-id"])
async def test_missing_parent_folder_is_refused_before_any_request(
    api, router, tmp_path, by_id: bool
) -> None:
    router.get(api.job_url).respond(200, json=api.bodies.job())
    job = api.job_id if by_id else _job(api)

    with pytest.raises(ValueError, match="does not exist"):
        await api.exports.download(job, tmp_path / "missing" / "out.csv")

    assert router.calls.call_count == 0


async def test_connection_error_to_storage_is_typed(make_api, router, tmp_path) -> None:
    api = make_api(max_retries=0)
    router.get(api.storage_url).mock(side_effect=httpx.ConnectError("refused"))

    with pytest.raises(APIConnectionError):
        await api.exports.download(_job(api), tmp_path / "out.csv")
