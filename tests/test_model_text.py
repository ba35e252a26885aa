"""Printing a job reads well (`on_progress=print`), and models turn into plain JSON."""

from __future__ import annotations

import json
from datetime import UTC, datetime
from pathlib import Path
from uuid import UUID

from companyenrich_export import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    ExportResult,
    JobStatus,
)

JOB_ID = UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
SIGNED = "https://files.example/r/3fa85f64.csv?X-Amz-Signature=deadbeef"


def _job(**fields: object) -> ExportJob:
    values: dict[str, object] = {
        "job_id": JOB_ID,
        "status": JobStatus.PROCESSING,
        "requested_count": 1000,
        "total_matching": 2345,
        "exported_count": 400,
        "credits_charged": 0,
        "created_at": datetime(2026, 2, 17, 2, 4, 3, tzinfo=UTC),
    }
    values.update(fields)
    return ExportJob(**values)  # type: ignore[arg-type]


def test_str_of_a_job_is_one_short_line_with_id_status_counts_and_percent() -> None:
    assert str(_job()) == (
        "export 3fa85f64-5717-4562-b3fc-2c963f66afa6 processing: 400/1,000 exported (40%)"
    )
    assert str(_job(requested_count=0, exported_count=0)) == (
        "export 3fa85f64-5717-4562-b3fc-2c963f66afa6 processing: 0/0 exported (-)"
    )


def test_str_never_shows_the_signed_link_and_keeps_a_failure_on_one_line() -> None:
    done = _job(status=JobStatus.COMPLETED, exported_count=1000, results_url=SIGNED)
    assert str(done) == (
        "export 3fa85f64-5717-4562-b3fc-2c963f66afa6 completed: 1,000/1,000 exported (100%)"
    )
    failed = _job(status=JobStatus.FAILED, error_message="Upstream\n\x1b[31mtimeout " + "x" * 200)
    text = str(failed)
    assert text.startswith(
        "export 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed: 400/1,000 exported (40%): "
        "Upstream [31mtimeout xxx"
    )
    assert "\n" not in text
    assert "\x1b" not in text
    assert text.endswith("x...")
    assert len(text) == len(str(_job(status=JobStatus.FAILED))) + 2 + 120


def test_to_dict_uses_the_api_names_and_json_types() -> None:
    job = _job(
        status=JobStatus.COMPLETED,
        completed_at=datetime(2026, 2, 17, 2, 5, 41, 4000, tzinfo=UTC),
        results_url=SIGNED,
    )
    assert job.to_dict() == {
        "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "status": "completed",
        "requested_count": 1000,
        "total_matching": 2345,
        "exported_count": 400,
        "credits_charged": 0,
        "created_at": "2026-02-17T02:04:03+00:00",
        "started_at": None,
        "completed_at": "2026-02-17T02:05:41.004000+00:00",
        "results_url": SIGNED,
        "error_message": None,
    }
    assert json.loads(job.to_json()) == job.to_dict()
    assert job.to_json(indent=2).startswith('{\n  "job_id": "3fa85f64')


def test_friends_print_and_serialise_too() -> None:
    created = CreatedExportJob(
        job_id=JOB_ID,
        status=JobStatus.PENDING,
        requested_count=1000,
        total_matching=2345,
        estimated_credits=1000,
    )
    assert str(created) == (
        "export 3fa85f64-5717-4562-b3fc-2c963f66afa6 pending: 1,000 requested "
        "of 2,345 matching, ~1,000 credits"
    )
    assert created.to_dict() == {
        "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "status": "pending",
        "requested_count": 1000,
        "total_matching": 2345,
        "estimated_credits": 1000,
    }
    summary = ExportJobSummary(
        job_id=JOB_ID,
        status=JobStatus.COMPLETED,
        requested_count=10,
        total_matching=10,
        exported_count=10,
        credits_charged=10,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
    )
    assert "results_url" not in summary.to_dict()
    page = ExportJobPage(items=(summary,), page=1, total_pages=3, total_items=21)
    assert str(page) == "page 1/3: 1 of 21 jobs"
    assert json.loads(page.to_json())["items"] == [summary.to_dict()]
    result = ExportResult(job=_job(), path=Path("out/companies.csv"))
    assert str(result) == f"{_job()} -> out/companies.csv"
    assert result.to_dict() == {"job": _job().to_dict(), "path": "out/companies.csv"}
