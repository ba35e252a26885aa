"""`CompanyEnrichExportSensor`: wait for an export job created elsewhere, by id.

    CompanyEnrichExportSensor(task_id="wait", job_id="{{ params.job_id }}", deferrable=True)

It succeeds when the job completes, pushing
`{"job_id", "status", "exported_count", "credits_charged"}` to XCom; a failed
job fails it (without retries: the job will not change), and `timeout`
(seconds, Airflow's sensor timeout) is the deadline. Deferred, it checks
once and then hands the wait to `CompanyEnrichExportTrigger`, polling every
`poke_interval` seconds in the triggerer; with `end_from_trigger=True` the
triggerer also ends the task on success (no second worker run per sensor).
"""

from __future__ import annotations

import time
from collections.abc import Mapping, Sequence
from datetime import timedelta
from typing import Any

from airflow.sdk import BaseSensorOperator, PokeReturnValue, conf
from airflow.sdk.exceptions import AirflowException, AirflowFailException, AirflowSensorTimeout

from companyenrich_export import ExportFailedError, JobStatus

from .hooks import CompanyEnrichHook
from .triggers import (
    CompanyEnrichExportTrigger,
    EventError,
    check_event,
    job_summary,
    log_progress,
)

__all__ = ["CompanyEnrichExportSensor"]

_DEFERRAL_MARGIN = timedelta(minutes=5)


class CompanyEnrichExportSensor(BaseSensorOperator):
    """Succeeds once the export job `job_id` has completed.

    :param job_id: the job's id (templated).
    :param companyenrich_conn_id: the `companyenrich` connection with the API key.
    :param deferrable: wait in the triggerer (default: Airflow's
        `[operators] default_deferrable`); otherwise poke every `poke_interval`.
    :param end_from_trigger: when deferred, let the triggerer mark the task done
        and push its XCom on success; failures still fail it on a worker, with
        our error's message.
    """

    template_fields: Sequence[str] = ("job_id", "companyenrich_conn_id")
    ui_color = "#e8f0fe"

    def __init__(
        self,
        *,
        job_id: str,
        companyenrich_conn_id: str = CompanyEnrichHook.default_conn_name,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        end_from_trigger: bool = False,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        self.job_id = job_id
        self.companyenrich_conn_id = companyenrich_conn_id
        self.deferrable = deferrable
        self.end_from_trigger = end_from_trigger

    def poke(self, context: Any) -> PokeReturnValue:
        with CompanyEnrichHook(self.companyenrich_conn_id).client() as client:
            job = client.exports.get(self.job_id)
        if job.status is JobStatus.FAILED:
            raise AirflowFailException(str(ExportFailedError(job)))
        log_progress(self.log, job)
        if job.status is not JobStatus.COMPLETED:
            return PokeReturnValue(is_done=False)
        return PokeReturnValue(is_done=True, xcom_value=job_summary(job))

    def execute(self, context: Any) -> Any:
        if not self.deferrable:
            return super().execute(context)
        # One look first: a job that is already over needs no triggerer.
        checked = self.poke(context)
        if not checked.is_done:
            self.defer(  # raises TaskDeferred
                trigger=CompanyEnrichExportTrigger(
                    job_id=self.job_id,
                    deadline=time.time() + self.timeout,
                    timeout=self.timeout,
                    companyenrich_conn_id=self.companyenrich_conn_id,
                    # 0 ("as often as possible" to Airflow) is not a schedule: adapt instead.
                    poll_interval=self.poke_interval or None,
                    end_from_trigger=self.end_from_trigger,
                ),
                method_name="execute_complete",
                timeout=timedelta(seconds=self.timeout) + _DEFERRAL_MARGIN,
            )
        return checked.xcom_value

    def execute_complete(
        self, context: Any, event: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Resumed by the trigger's event: the job's summary, or our error's message."""
        if event is None and self.end_from_trigger:
            # An end-of-task event that was resumed on a worker after all, without
            # its XCom (dag.test() runs triggers inline that way): look once more.
            checked = self.poke(context)
            if not checked.is_done or checked.xcom_value is None:
                raise AirflowException(f"Export job {self.job_id} ended its wait unfinished.")
            return dict(checked.xcom_value)
        try:
            done = check_event(event)
        except EventError as error:
            if error.error_type == "ExportFailedError":
                raise AirflowFailException(str(error)) from error
            if error.error_type == "WaitTimeoutError":
                raise AirflowSensorTimeout(str(error)) from error
            raise
        return {
            "job_id": str(done["job_id"]),
            "status": str(done["job_status"]),
            "exported_count": int(done["exported_count"]),
            "credits_charged": int(done["credits_charged"]),
        }
