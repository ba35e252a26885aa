"""exports.get(): the typed job, which job ids are accepted, and per-request timeouts."""

from __future__ import annotations

from datetime import UTC, datetime
from uuid import UUID

import httpx
import pytest

from companyenrich_export import ExportJob, JobStatus

pytestmark = pytest.mark.anyio


async def test_get_returns_a_typed_job(api, router) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    job = await api.exports.get(api.job_id)

    assert route.call_count == 1
    assert route.calls.last.request.method == "GET"
    assert isinstance(job, ExportJob)
    assert job.job_id == UUID(api.job_id)
    assert job.status is JobStatus.COMPLETED
    assert job.created_at == datetime(2026, 2, 17, 2, 4, 3, 743000, tzinfo=UTC)
    assert job.results_url == api.storage_url
    assert (job.requested_count, job.exported_count) == (100, 100)


# --- job ids ------------------------------------------------------------------


@pytest.mark.parametrize(
    "job_id",
    [
        "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "3FA85F64-5717-4562-B3FC-2C963F66AFA6",
        UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
    ],
    ids=["lower", "upper", "uuid"],
)
async def test_job_id_accepts_a_uuid_or_its_canonical_string(api, router, job_id) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(job_id)

    # Whatever the spelling, the path is the canonical lowercase form.
    assert route.call_count == 1


async def test_job_id_accepts_an_export_job(api, router) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.job())
    job = await api.exports.get(api.job_id)

    again = await api.exports.get(job)

    assert again == job
    assert route.call_count == 2


BAD_JOB_IDS = [
    "../../me",
    "3fa85f64-5717-4562-b3fc-2c963f66afa6/x",
    "{3fa85f64-5717-4562-b3fc-2c963f66afa6}",
    "urn:uuid:3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "3fa85f6457174562b3fc2c963f66afa6",
    " 3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "",
    12345,
    None,
]


@pytest.mark.parametrize("job_id", BAD_JOB_IDS)
@pytest.mark.parametrize("method", ["get", "wait", "download"])
async def test_bad_job_id_is_refused_before_any_request(
    api, router, tmp_path, method: str, job_id: object
) -> None:
    # A path built from these could reach another endpoint ('../../me') or an
    # undocumented spelling; nothing may be sent.
    args: tuple[object, ...] = (job_id, tmp_path) if method == "download" else (job_id,)
    with pytest.raises(ValueError, match="job_id"):
        await getattr(api.exports, method)(*args)
    assert router.calls.call_count == 0


# --- timeouts -------------------------------------------------------------------


def _timeout_of(route) -> dict[str, float]:
    timeout: dict[str, float] = route.calls.last.request.extensions["timeout"]
    return timeout


async def test_default_timeout_is_30s_read_10s_connect(api, router) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id)

    assert _timeout_of(route) == {"connect": 10.0, "read": 30.0, "write": 30.0, "pool": 30.0}


async def test_client_timeout_applies_to_every_request(make_api, router) -> None:
    api = make_api(timeout=4.0)
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id)

    assert _timeout_of(route) == {"connect": 4.0, "read": 4.0, "write": 4.0, "pool": 4.0}


@pytest.mark.parametrize(
    ("timeout", "expected"),
    [
        (2.5, {"connect": 2.5, "read": 2.5, "write": 2.5, "pool": 2.5}),
        (httpx.Timeout(9.0, connect=1.0), {"connect": 1.0, "read": 9.0, "write": 9.0, "pool": 9.0}),
    ],
    ids=["seconds", "httpx.Timeout"],
)
async def test_per_call_timeout_reaches_the_request(api, router, timeout, expected) -> None:
    route = router.get(api.job_url).respond(200, json=api.bodies.job())

    await api.exports.get(api.job_id, timeout=timeout)

    assert _timeout_of(route) == expected


async def test_per_call_timeout_reaches_create_list_and_download(api, router, tmp_path) -> None:
    create = router.post(api.create_url).respond(200, json=api.bodies.created())
    listing = router.get(api.list_url).respond(200, json=api.bodies.page([]))
    storage = router.get(api.storage_url).respond(200, content=b"a\n")
    job = ExportJob(
        job_id=UUID(api.job_id),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
        results_url=api.storage_url,
    )

    await api.exports.create(count=1, search={"query": "x"}, timeout=3.0)
    await api.exports.list_page(timeout=3.0)
    await api.exports.download(job, tmp_path / "out.csv", timeout=3.0)

    for route in (create, listing, storage):
        assert _timeout_of(route)["read"] == 3.0


@pytest.mark.parametrize("timeout", [0, -1, "5", True, float("nan")])
async def test_invalid_per_call_timeout_is_refused_before_any_request(api, router, timeout) -> None:
    with pytest.raises(ValueError, match="timeout"):
        await api.exports.get(api.job_id, timeout=timeout)
    assert router.calls.call_count == 0


@pytest.mark.parametrize("timeout", [0, -1, "5", True, float("nan")])
def test_invalid_client_timeout_is_refused(timeout) -> None:
    from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich

    for cls in (CompanyEnrich, AsyncCompanyEnrich):
        with pytest.raises(ValueError, match="timeout"):
            cls("k", timeout=timeout)
