"""`CompanyEnrichExportTrigger`: waits for an export job inside Airflow's triggerer.

Thousands of these share the triggerer's one event loop, each awaiting
`AsyncCompanyEnrich.exports.wait()`. A trigger is stored in Airflow's
database between triggerer restarts, so it serialises only what it needs to
start again: the connection id (never the key, which is read from the
connection when the trigger runs), the job id and the schedule (an absolute
deadline and the poll interval).

Every outcome is one event, a plain JSON-able dict:

    {"status": "success", "job_id": ..., "job_status": "completed",
     "exported_count": ..., "credits_charged": ...}
    {"status": "error", "job_id": ..., "job_status": "failed" | ... | None,
     "error_type": "ExportFailedError" | "WaitTimeoutError" | ..., "message": ...}

`message` is our error's message; `check_event()` turns an error event back
into an exception that fails the task with it. With `end_from_trigger` (the
sensor's option), success ends the task from the triggerer itself, the job's
summary becoming its XCom, so no worker runs again.
"""

from __future__ import annotations

import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseTrigger, TaskSuccessEvent, TriggerEvent

from companyenrich_export import CompanyEnrichError, ExportFailedError, ExportJob, WaitTimeoutError

from .hooks import CompanyEnrichHook

__all__ = ["CompanyEnrichExportTrigger", "EventError", "check_event", "job_summary"]

# wait() needs a positive timeout; past the deadline it still checks once, at once.
_LAST_LOOK = 0.001


class CompanyEnrichExportTrigger(BaseTrigger):
    """Fires once the export job `job_id` has completed, failed, or outlived `deadline`.

    `deadline` is a Unix time (seconds, UTC), so a trigger restarted by
    another triggerer keeps the original deadline rather than a fresh one;
    `timeout` is the wait it was set as, for the message at the deadline.
    `poll_interval` fixes the seconds between checks; None uses the client's
    schedule (1 s, then 10% of the time waited, at most 30 s).
    `end_from_trigger` ends the task on success from the triggerer (with the
    job's summary, as the sensor returns it, for its XCom) instead of resuming
    it on a worker; errors always resume it, to fail it with their message.
    """

    def __init__(
        self,
        *,
        job_id: str,
        deadline: float,
        timeout: float,
        companyenrich_conn_id: str = CompanyEnrichHook.default_conn_name,
        poll_interval: float | None = None,
        end_from_trigger: bool = False,
    ) -> None:
        super().__init__()
        self.job_id = str(job_id)
        self.deadline = float(deadline)
        self.timeout = float(timeout)
        self.companyenrich_conn_id = companyenrich_conn_id
        self.poll_interval = poll_interval
        self.end_from_trigger = end_from_trigger

    def serialize(self) -> tuple[str, dict[str, Any]]:
        return (
            f"{type(self).__module__}.{type(self).__qualname__}",
            {
                "companyenrich_conn_id": self.companyenrich_conn_id,
                "job_id": self.job_id,
                "deadline": self.deadline,
                "timeout": self.timeout,
                "poll_interval": self.poll_interval,
                "end_from_trigger": self.end_from_trigger,
            },
        )

    async def run(self) -> AsyncIterator[TriggerEvent]:
        try:
            try:
                job = await self._wait()
            except WaitTimeoutError as error:
                # Timed from the deadline's end, the client's message would give the
                # time left when this trigger (re)started, not the wait asked for.
                raise WaitTimeoutError(self.job_id, self.timeout, error.job) from error
        except (CompanyEnrichError, ValueError, TypeError, AirflowException) as error:
            # A bad connection (no key, unknown id), a bad job id, a failed job,
            # the deadline, an API error: each fails the task with its message.
            self.log.error("%s", error)
            yield TriggerEvent(_error_event(self.job_id, error))
            return
        done = {
            "status": "success",
            "job_id": str(job.job_id),
            "job_status": job.status.value,
            "exported_count": job.exported_count,
            "credits_charged": job.credits_charged,
        }
        if self.end_from_trigger:
            yield TaskSuccessEvent(xcoms={"return_value": job_summary(job)})
        else:
            yield TriggerEvent(done)

    async def _wait(self) -> ExportJob:
        async with CompanyEnrichHook(self.companyenrich_conn_id).async_client() as client:
            return await client.exports.wait(
                self.job_id,
                timeout=max(self.deadline - time.time(), _LAST_LOOK),
                poll_interval=self.poll_interval,
                on_progress=self._log_progress,
            )

    def _log_progress(self, job: ExportJob) -> None:
        # Named fields only: the job's results link is a credential to the file.
        self.log.info(
            "Export job %s is %s: %d of %d companies exported",
            job.job_id,
            job.status.value,
            job.exported_count,
            job.requested_count,
        )


def job_summary(job: ExportJob) -> dict[str, Any]:
    """What the sensor pushes to XCom for a job (JSON-able)."""
    return {
        "job_id": str(job.job_id),
        "status": job.status.value,
        "exported_count": job.exported_count,
        "credits_charged": job.credits_charged,
    }


def _error_event(job_id: str, error: Exception) -> dict[str, Any]:
    """The event for a wait that ended in `error` (JSON-able; no key can be in it)."""
    last_seen: ExportJob | None = None
    if isinstance(error, ExportFailedError | WaitTimeoutError):
        last_seen = error.job
    return {
        "status": "error",
        "job_id": job_id,
        "job_status": last_seen.status.value if last_seen is not None else None,
        "error_type": type(error).__name__,
        "message": str(error),
    }


class EventError(AirflowException):
    """An error event from `CompanyEnrichExportTrigger`; `event` is the event itself."""

    def __init__(self, event: Mapping[str, Any]) -> None:
        super().__init__(str(event.get("message") or "The export trigger reported an error."))
        self.event = dict(event)
        self.error_type = str(event.get("error_type") or "")


def check_event(event: Mapping[str, Any] | None) -> Mapping[str, Any]:
    """The event of a successful wait, or `EventError` carrying the error's message."""
    if not isinstance(event, Mapping) or event.get("status") not in ("success", "error"):
        raise AirflowException(f"Unexpected event from the export trigger: {event!r}")
    if event["status"] == "error":
        raise EventError(event)
    return event
