"""ExportJob and friends: immutable, typed, with the derived properties users rely on."""

from __future__ import annotations

from datetime import UTC, datetime, timedelta, timezone
from uuid import UUID

import attrs
import pytest

from companyenrich_export import ExportJob, ExportJobPage, ExportJobSummary, JobStatus


def _job(**fields: object) -> ExportJob:
    values: dict[str, object] = {
        "job_id": UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "status": JobStatus.PROCESSING,
        "requested_count": 100,
        "total_matching": 500,
        "exported_count": 40,
        "credits_charged": 0,
        "created_at": datetime(2026, 2, 17, tzinfo=UTC),
    }
    values.update(fields)
    return ExportJob(**values)  # type: ignore[arg-type]


def test_job_is_immutable(read_job) -> None:
    job = read_job()
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        job.status = JobStatus.FAILED
    with pytest.raises(attrs.exceptions.FrozenInstanceError):
        job.results_url = "https://elsewhere.example/x.csv"


def test_job_fields_are_typed(read_job) -> None:
    job = read_job()

    assert job.job_id == UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    assert isinstance(job.status, JobStatus)
    assert job.status is JobStatus.COMPLETED
    for stamp in (job.created_at, job.started_at, job.completed_at):
        assert isinstance(stamp, datetime)
        assert stamp.tzinfo is not None
    assert job.completed_at == datetime(2026, 2, 17, 2, 5, 41, 4000, tzinfo=UTC)
    assert (job.requested_count, job.total_matching) == (100, 2345)
    assert (job.exported_count, job.credits_charged) == (100, 100)


def test_null_and_missing_optional_fields_read_alike(read_job) -> None:
    job = read_job(started_at=None, completed_at=None, results_url=None, error_message=None)
    assert (job.started_at, job.completed_at, job.results_url, job.error_message) == (None,) * 4


def test_naive_timestamps_are_read_as_utc(read_job) -> None:
    job = read_job(created_at="2026-02-17T02:04:03", started_at="2026-02-17T02:04:05.5")

    assert job.created_at == datetime(2026, 2, 17, 2, 4, 3, tzinfo=UTC)
    assert job.created_at.utcoffset() == timedelta(0)
    assert job.started_at == datetime(2026, 2, 17, 2, 4, 5, 500000, tzinfo=UTC)


def test_lowercase_t_and_z_are_accepted(read_job) -> None:
    # RFC 3339 allows them; Python 3.11's fromisoformat does not.
    job = read_job(created_at="2026-02-17t02:04:03.743z", completed_at="2026-02-17t02:05:41z")

    assert job.created_at == datetime(2026, 2, 17, 2, 4, 3, 743000, tzinfo=UTC)
    assert job.completed_at == datetime(2026, 2, 17, 2, 5, 41, tzinfo=UTC)


def test_offsets_are_kept(read_job) -> None:
    job = read_job(created_at="2026-02-17T04:04:03+02:00")

    assert job.created_at.utcoffset() == timedelta(hours=2)
    assert job.created_at == datetime(2026, 2, 17, 2, 4, 3, tzinfo=UTC)
    assert job.created_at.tzinfo == timezone(timedelta(hours=2))


@pytest.mark.parametrize(
    ("status", "terminal"),
    [
        (JobStatus.PENDING, False),
        (JobStatus.PROCESSING, False),
        (JobStatus.COMPLETING, False),
        (JobStatus.COMPLETED, True),
        (JobStatus.FAILED, True),
    ],
)
def test_is_terminal(status: JobStatus, terminal: bool) -> None:
    assert _job(status=status).is_terminal is terminal


@pytest.mark.parametrize(
    ("requested", "exported", "progress"),
    [(100, 0, 0.0), (100, 40, 0.4), (100, 100, 1.0), (100, 150, 1.0), (0, 0, None), (0, 5, None)],
)
def test_progress(requested: int, exported: int, progress: float | None) -> None:
    # Capped at 1.0 (a server may over-deliver); undefined when nothing was requested.
    job = _job(requested_count=requested, exported_count=exported)
    assert job.progress == progress


def test_results_url_query_is_redacted_in_repr(read_job) -> None:
    signed = "https://exports.example-storage.com/r/job.csv?X-Signature=abc123&Expires=99"
    job = read_job(results_url=signed)

    # The signature is a credential to the file: not in repr/str, still on the object.
    assert "abc123" not in repr(job)
    assert "Expires" not in str(job)
    assert "https://exports.example-storage.com/r/job.csv?<redacted>" in repr(job)
    assert job.results_url == signed


def test_results_url_without_query_is_shown(read_job) -> None:
    job = read_job(results_url="https://exports.example-storage.com/r/job.csv")
    assert "https://exports.example-storage.com/r/job.csv'" in repr(job)


def test_equal_snapshots_compare_equal(read_job) -> None:
    # wait() relies on equality to report only new snapshots.
    assert read_job() == read_job()
    assert read_job() != read_job(exported_count=99)


def test_page_has_next() -> None:
    summary = ExportJobSummary(
        job_id=UUID(int=1),
        status=JobStatus.PENDING,
        requested_count=1,
        total_matching=1,
        exported_count=0,
        credits_charged=0,
        created_at=datetime(2026, 1, 1, tzinfo=UTC),
    )
    assert ExportJobPage(items=(summary,), page=1, total_pages=2, total_items=2).has_next
    assert not ExportJobPage(items=(summary,), page=2, total_pages=2, total_items=2).has_next
    assert not ExportJobPage(items=(), page=1, total_pages=0, total_items=0).has_next
