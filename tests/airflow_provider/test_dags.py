"""Real DAGs, run by dag.test() (triggers run inline), against the fake over loopback."""

from __future__ import annotations

from collections.abc import Callable
from pathlib import Path
from uuid import UUID

import pytest

from companyenrich_export import CompanyEnrich
from companyenrich_export.testing import FakeCompanyEnrich, Fault
from conftest import API_KEY, STUCK_JOBS, DagOutcome

SEARCH = {"countries": ["DE"], "semanticQuery": "B2B SaaS"}
RunDag = Callable[..., DagOutcome]


def served_file(fake: FakeCompanyEnrich, job_id: UUID | str, folder: Path) -> bytes:
    """The results file as the fake serves it, fetched by the client itself."""
    with CompanyEnrich(API_KEY, base_url=fake.base_url) as client:
        return client.exports.download(str(job_id), folder / "expected.csv").read_bytes()


def test_deferrable_export_saves_the_file_and_pushes_the_documented_xcom(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, tmp_path: Path, assert_no_key
) -> None:
    out = tmp_path / "out"
    out.mkdir()

    run = run_dag("ce_export_deferrable", search=SEARCH, dest=str(out / "companies.csv"))

    assert run.state == "success"
    [job_id] = new_jobs()
    export = run.task("export")
    assert (export.state, export.try_number) == ("success", 1)
    assert export.xcom == {
        "job_id": str(job_id),
        "path": str(out / "companies.csv"),
        "exported_count": 25,
        "credits_charged": 25,
    }
    saved = (out / "companies.csv").read_bytes()
    assert saved == served_file(fake, job_id, tmp_path)
    assert len(saved.splitlines()) == 1 + 25  # a header and one row per company
    assert [p.name for p in out.iterdir()] == ["companies.csv"]  # no temporary left
    # The filters reached the API as given, and the wait went through the trigger.
    assert fake.jobs[job_id].request == {"search": SEARCH, "similar": None, "count": 25}
    assert "Pausing task as DEFERRED" in run.output
    assert f"Export job {job_id} is completed: 25 of 25 companies exported" in run.output
    assert [t["kwargs"]["job_id"] for t in run.triggers].count(str(job_id)) == 1
    assert_no_key(run)


def test_a_folder_destination_gets_the_results_file_name(
    run_dag: RunDag, new_jobs, tmp_path: Path
) -> None:
    run = run_dag("ce_export_deferrable", search=SEARCH, dest=str(tmp_path))

    [job_id] = new_jobs()
    assert run.task("export").xcom["path"] == str(tmp_path / f"{job_id}.csv")
    assert (tmp_path / f"{job_id}.csv").is_file()


def test_blocking_export_runs_the_same_flow_without_the_triggerer(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, tmp_path: Path, assert_no_key
) -> None:
    run = run_dag("ce_export_blocking", search=SEARCH, dest=str(tmp_path / "c.csv"))

    [job_id] = new_jobs()
    assert run.task("export").state == "success"
    assert run.task("export").xcom == {
        "job_id": str(job_id),
        "path": str(tmp_path / "c.csv"),
        "exported_count": 25,
        "credits_charged": 25,
    }
    assert (tmp_path / "c.csv").read_bytes() == served_file(fake, job_id, tmp_path)
    assert "DEFERRED" not in run.output
    assert_no_key(run)


def test_export_to_object_storage_is_copied_whole(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    import fsspec
    from airflow.sdk.io import attach

    # An in-memory store stands in for S3 & co. (dag.test runs tasks in this process).
    memory = fsspec.filesystem("memory")
    attach("memory", fs=memory)

    run = run_dag("ce_export_deferrable", search=SEARCH, dest="memory://exports/daily/")

    [job_id] = new_jobs()
    assert run.task("export").state == "success"
    assert run.task("export").xcom["path"] == f"memory://exports/daily/{job_id}.csv"
    assert memory.cat_file(f"/exports/daily/{job_id}.csv") == served_file(fake, job_id, tmp_path)


def test_a_missing_destination_folder_fails_before_any_export_is_created(
    run_dag: RunDag, new_jobs, tmp_path: Path
) -> None:
    run = run_dag("ce_export_deferrable", search=SEARCH, dest=str(tmp_path / "nope" / "c.csv"))

    assert run.task("export").state == "failed"
    assert f"the folder {str(tmp_path / 'nope')!r} does not exist" in run.output
    assert new_jobs() == []


def test_invalid_filters_fail_before_any_export_is_created(
    run_dag: RunDag, new_jobs, tmp_path: Path
) -> None:
    run = run_dag("ce_export_deferrable", search=["not", "an", "object"], dest=str(tmp_path))

    assert run.task("export").state == "failed"
    assert "search= must be a mapping (a dict), got list" in run.output
    assert new_jobs() == []


def test_a_failed_job_fails_the_task_with_the_jobs_error_message(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, fail_next_job, tmp_path: Path
) -> None:
    fake.default_durations = STUCK_JOBS
    fail_next_job("Search backend unavailable")

    run = run_dag("ce_export_deferrable", search=SEARCH, dest=str(tmp_path))

    [job_id] = new_jobs()
    assert run.state == "failed"
    assert (run.task("export").state, run.task("export").try_number) == ("failed", 1)
    assert f"Export job {job_id} failed: Search backend unavailable" in run.output
    assert list(tmp_path.iterdir()) == []


def test_the_deadline_fails_the_task_with_the_wait_timeout_message(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    fake.default_durations = STUCK_JOBS

    run = run_dag("ce_export_deadline", search=SEARCH, dest=str(tmp_path))

    [job_id] = new_jobs()
    assert run.task("export").state == "failed"
    assert f"Export job {job_id} did not finish within 1 s (last seen processing)." in run.output
    assert fake.status(job_id) == "processing"


def test_an_api_error_fails_the_task_with_its_message(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    fake.inject(Fault.problem(402, "Not enough credits for this export."))

    run = run_dag("ce_export_deferrable", search=SEARCH, dest=str(tmp_path))

    assert run.task("export").state == "failed"
    assert "402 Payment Required: Not enough credits for this export." in run.output
    assert new_jobs() == []


def test_a_retry_after_the_export_was_created_follows_the_same_job(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, tmp_path: Path, assert_no_key
) -> None:
    # The first try creates the job, waits for it, then cannot download it:
    # storage answers 500 to the download and both of the client's retries.
    fake.inject(Fault.server_error(500), times=3, match="storage")

    run = run_dag("ce_export_retry", search=SEARCH, dest=str(tmp_path / "c.csv"))

    [job_id] = new_jobs()  # one job, so one charge, for two tries
    export = run.task("export")
    assert (export.state, export.try_number) == ("success", 2)
    assert export.xcom == {
        "job_id": str(job_id),
        "path": str(tmp_path / "c.csv"),
        "exported_count": 25,
        "credits_charged": 25,
    }
    assert f"Following export job {job_id} (completed), created by an earlier try" in run.output
    assert (tmp_path / "c.csv").read_bytes() == served_file(fake, job_id, tmp_path)
    assert fake.pending_faults == []
    assert_no_key(run)


def test_a_retry_replaces_a_job_that_failed_without_charging(
    run_dag: RunDag, fake: FakeCompanyEnrich, new_jobs, fail_next_job, tmp_path: Path
) -> None:
    fake.default_durations = STUCK_JOBS
    fail_next_job("Search backend unavailable", fast_after=True)

    run = run_dag("ce_export_retry", search=SEARCH, dest=str(tmp_path))

    failed, replacement = new_jobs()
    assert fake.status(failed) == "failed"
    assert fake.job_body(failed)["credits_charged"] == 0
    export = run.task("export")
    assert (export.state, export.try_number) == ("success", 2)
    assert export.xcom["job_id"] == str(replacement)
    assert f"Export job {failed}, created by an earlier try, failed without charging" in run.output


def test_sensor_defers_and_pushes_the_jobs_summary(
    run_dag: RunDag, fake: FakeCompanyEnrich, finish_after_polls, assert_no_key
) -> None:
    job_id = fake.add_job(requested_count=40, processing_for=3600)
    finish_after_polls(job_id)  # the sensor's look, then the trigger's first poll

    run = run_dag("ce_sensor", job_id=str(job_id))

    wait = run.task("wait")
    assert (wait.state, wait.try_number) == ("success", 1)
    assert wait.xcom == {
        "job_id": str(job_id),
        "status": "completed",
        "exported_count": 40,
        "credits_charged": 40,
    }
    assert "Pausing task as DEFERRED" in run.output
    assert_no_key(run)


def test_sensor_in_poke_mode_waits_without_the_triggerer(
    run_dag: RunDag, fake: FakeCompanyEnrich, finish_after_polls
) -> None:
    job_id = fake.add_job(requested_count=40, processing_for=3600)
    finish_after_polls(job_id)  # after the first poke: the sensor has to poke again

    run = run_dag("ce_sensor_poking", job_id=str(job_id))

    assert run.task("wait").state == "success"
    assert run.task("wait").xcom["status"] == "completed"
    assert "DEFERRED" not in run.output


def test_sensor_ending_in_the_trigger_still_pushes_the_summary_under_dag_test(
    run_dag: RunDag, fake: FakeCompanyEnrich, finish_after_polls
) -> None:
    # dag.test() resumes an end-of-task event on the worker, without its XCom.
    job_id = fake.add_job(requested_count=40, processing_for=3600)
    finish_after_polls(job_id)

    run = run_dag("ce_sensor_ending_in_trigger", job_id=str(job_id))

    assert run.task("wait").state == "success"
    assert run.task("wait").xcom["credits_charged"] == 40
    assert "Pausing task as DEFERRED" in run.output


@pytest.mark.parametrize("dag_id", ["ce_sensor", "ce_sensor_poking"])
def test_sensor_fails_without_retrying_when_the_job_failed(
    run_dag: RunDag, fake: FakeCompanyEnrich, finish_after_polls, dag_id: str
) -> None:
    job_id = fake.add_job(processing_for=3600)
    finish_after_polls(job_id, fail_with="Quota exceeded")

    run = run_dag(dag_id, job_id=str(job_id))

    wait = run.task("wait")
    # The DAG allows a retry; a failed job will not change, so none is made.
    assert (wait.state, wait.try_number) == ("failed", 1)
    assert f"Export job {job_id} failed: Quota exceeded" in run.output


def test_sensor_deadline_is_a_sensor_timeout_with_our_message(
    run_dag: RunDag, fake: FakeCompanyEnrich
) -> None:
    job_id = fake.add_job(processing_for=3600)

    run = run_dag("ce_sensor_deadline", job_id=str(job_id))

    assert (run.task("wait").state, run.task("wait").try_number) == ("failed", 1)
    assert f"Export job {job_id} did not finish within 1 s" in run.output
    assert "AirflowSensorTimeout" in run.output


def test_sensor_for_an_unknown_job_fails_with_the_apis_message(
    run_dag: RunDag, fake: FakeCompanyEnrich
) -> None:
    run = run_dag("ce_sensor", job_id="3fa85f64-5717-4562-b3fc-2c963f66afa6")

    assert run.task("wait").state == "failed"
    assert "404 Not Found: No export job with this id." in run.output
