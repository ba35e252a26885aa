"""The export operator's `execute()` on its own: what it records, reuses and refuses."""

from __future__ import annotations

import json
from pathlib import Path
from typing import Any

import pytest

from companyenrich_export.airflow.operators import JOB_ID_STATE_KEY, CompanyEnrichExportOperator
from companyenrich_export.testing import FakeCompanyEnrich, Fault

SEARCH = {"countries": ["DE"]}


class StateStore:
    """Stands in for `context["task_state_store"]`: get and set, kept in a dict."""

    def __init__(self, **values: Any) -> None:
        self.values = dict(values)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any, **_: Any) -> None:
        self.values[key] = value


def operator(tmp_path: Path, **options: Any) -> CompanyEnrichExportOperator:
    return CompanyEnrichExportOperator(
        task_id="export", count=25, search=SEARCH, dest=str(tmp_path), **options
    )


def test_the_job_is_recorded_before_the_task_defers(
    served_fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import TaskDeferred

    state = StateStore()

    with pytest.raises(TaskDeferred) as deferred:
        operator(tmp_path, deferrable=True, wait_timeout=600).execute({"task_state_store": state})

    [job_id] = new_jobs()
    assert state.values == {JOB_ID_STATE_KEY: str(job_id)}
    _, kwargs = deferred.value.trigger.serialize()
    assert kwargs["job_id"] == str(job_id)
    assert kwargs["timeout"] == 600
    assert deferred.value.method_name == "execute_complete"


def test_a_recorded_completed_job_is_downloaded_without_a_new_export(
    served_fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    job_id = served_fake.add_job(requested_count=25, pending_for=0, processing_for=0)
    served_fake.complete_now(job_id)
    before = len(served_fake.jobs)

    result = operator(tmp_path, deferrable=True).execute(
        {"task_state_store": StateStore(**{JOB_ID_STATE_KEY: str(job_id)})}
    )

    assert result == {
        "job_id": str(job_id),
        "path": str(tmp_path / f"{job_id}.csv"),
        "exported_count": 25,
        "credits_charged": 25,
    }
    assert len(served_fake.jobs) == before


def test_a_recorded_job_that_is_gone_stops_the_task_without_a_new_export(
    served_fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import AirflowException

    missing = "3fa85f64-5717-4562-b3fc-2c963f66afa6"

    with pytest.raises(
        AirflowException, match=f"Export job {missing}, created by an earlier try, is not found"
    ) as raised:
        operator(tmp_path).execute({"task_state_store": StateStore(**{JOB_ID_STATE_KEY: missing})})

    assert "Delete this task's task_state_store key 'companyenrich_job_id'" in str(raised.value)
    assert new_jobs() == []


def test_a_recorded_job_that_failed_after_charging_is_not_replaced(
    served_fake: FakeCompanyEnrich, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import AirflowException

    # The fake never charges a failed job; this answer stands for an API that does.
    job_id = served_fake.add_job(fail_with="Partial failure", fail_after=0)
    body = {**served_fake.job_body(job_id), "exported_count": 7, "credits_charged": 7}
    served_fake.inject(Fault.malformed(json.dumps(body).encode()))
    jobs_before = set(served_fake.jobs)

    with pytest.raises(
        AirflowException, match="failed after charging 7 credits: not creating another"
    ):
        operator(tmp_path).execute(
            {"task_state_store": StateStore(**{JOB_ID_STATE_KEY: str(job_id)})}
        )

    assert set(served_fake.jobs) == jobs_before
    assert served_fake.pending_faults == []


def test_without_a_task_state_store_nothing_is_created(
    served_fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import AirflowException

    with pytest.raises(AirflowException, match="records the export it creates in task_state_store"):
        operator(tmp_path).execute({})

    assert new_jobs() == []


@pytest.mark.parametrize(
    ("options", "message"),
    [
        ({"similar": {"domains": ["stripe.com"]}}, "Give exactly one of search= or similar="),
        ({"wait_timeout": 0}, "wait_timeout must be a positive number of seconds, got 0"),
        ({"poll_interval": -1}, "poll_interval must be a positive number of seconds, got -1"),
    ],
)
def test_invalid_arguments_fail_when_the_dag_is_parsed(
    tmp_path: Path, options: dict[str, Any], message: str
) -> None:
    with pytest.raises(ValueError, match=message):
        operator(tmp_path, **options)


def _creates(fake: FakeCompanyEnrich, since: int) -> list[str]:
    """Create requests the fake received since the mark: what spends credits."""
    return [
        entry.path
        for entry in fake.request_log[since:]
        if entry.method == "POST" and entry.path == "/companies/search/async"
    ]


def test_max_credits_below_the_estimate_fails_before_create(
    served_fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    from companyenrich_export import CreditLimitError

    mark = len(served_fake.request_log)
    state = StateStore()
    # 25 companies of 800,000 matching {"countries": ["DE"]}: 25 credits, above 24.
    with pytest.raises(CreditLimitError, match=r"about 25 credits .* above max_credits=24"):
        operator(tmp_path, max_credits=24).execute({"task_state_store": state})

    assert _creates(served_fake, mark) == []
    assert new_jobs() == []
    assert state.values == {}
    paths = [entry.path for entry in served_fake.request_log[mark:]]
    assert paths == ["/companies/search/count", "/me"]


def test_max_credits_at_the_estimate_creates_after_the_free_checks(
    served_fake: FakeCompanyEnrich, new_jobs, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import TaskDeferred

    mark = len(served_fake.request_log)
    state = StateStore()
    with pytest.raises(TaskDeferred):
        operator(tmp_path, max_credits=25, deferrable=True).execute({"task_state_store": state})

    [job_id] = new_jobs()
    assert state.values == {JOB_ID_STATE_KEY: str(job_id)}
    paths = [entry.path for entry in served_fake.request_log[mark:]]
    assert paths == ["/companies/search/count", "/me", "/companies/search/async"]


@pytest.mark.parametrize("max_credits", [-1, True, 2.5, "10"])
def test_an_invalid_max_credits_fails_when_the_dag_is_parsed(
    tmp_path: Path, max_credits: object
) -> None:
    with pytest.raises(ValueError, match="max_credits must be an int, 0 or more"):
        operator(tmp_path, max_credits=max_credits)
