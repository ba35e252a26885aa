"""`CompanyEnrichExportTrigger`: waits for a job (an export, a bulk enrichment) in the triggerer.

Thousands of these share the triggerer's one event loop, each awaiting
`AsyncCompanyEnrich.exports.wait()`. A trigger is stored in Airflow's
database between triggerer restarts, so it serialises only what it needs to
start again: the connection id (never the key, which is read from the
connection when the trigger runs), the job id and the schedule (an absolute
deadline and the poll interval).

Every outcome is one event, a plain JSON-able dict:

    {"status": "success", "job_id": ..., "job_status": "completed",
     "exported_count": ..., "credits_charged": ...}
    (a bulk enrichment: "success_count" and "failed_count" for "exported_count")
    {"status": "error", "job_id": ..., "job_status": "failed" | ... | None,
     "error_type": "ExportFailedError" | "EnrichmentFailedError" | "WaitTimeoutError" | ...,
     "message": ...}

`message` is our error's message; `check_event()` turns an error event back
into an exception that fails the task with it. With `end_from_trigger` (the
sensor's option), success ends the task from the triggerer itself, the job's
summary becoming its XCom, so no worker runs again.
"""

from __future__ import annotations

import logging
import time
from collections.abc import AsyncIterator, Mapping
from typing import Any

from airflow.sdk.exceptions import AirflowException
from airflow.triggers.base import BaseTrigger, TaskSuccessEvent, TriggerEvent

from companyenrich_export import (
    CompanyEnrichError,
    EnrichmentJob,
    ExportJob,
    JobFailedError,
    WaitTimeoutError,
)
from companyenrich_export._jobs._kinds import BULK_ENRICHMENT, EXPORT, KINDS, JobKind

from .hooks import CompanyEnrichHook

__all__ = [
    "CompanyEnrichExportTrigger",
    "EventError",
    "check_event",
    "job_counts",
    "job_summary",
    "log_progress",
]

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
    `kind` names the job's kind (`export`, `bulk_enrichment`).
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
        kind: str = EXPORT.name,
    ) -> None:
        super().__init__()
        if kind not in KINDS:
            raise ValueError(f"kind must be one of {', '.join(KINDS)}, got {kind!r}")
        self.kind = kind
        self.job_id = str(job_id)
        self.deadline = float(deadline)
        self.timeout = float(timeout)
        self.companyenrich_conn_id = companyenrich_conn_id
        self.poll_interval = poll_interval
        self.end_from_trigger = end_from_trigger

    def serialize(self) -> tuple[str, dict[str, Any]]:
        kwargs: dict[str, Any] = {
            "companyenrich_conn_id": self.companyenrich_conn_id,
            "job_id": self.job_id,
            "deadline": self.deadline,
            "timeout": self.timeout,
            "poll_interval": self.poll_interval,
            "end_from_trigger": self.end_from_trigger,
        }
        if self.kind != EXPORT.name:
            # Only when not the default: an export trigger stored before kinds existed
            # and one stored now are the same row.
            kwargs["kind"] = self.kind
        return (f"{type(self).__module__}.{type(self).__qualname__}", kwargs)

    async def run(self) -> AsyncIterator[TriggerEvent]:
        try:
            try:
                job = await self._wait()
            except WaitTimeoutError as error:
                # Timed from the deadline's end, the client's message would give the
                # time left when this trigger (re)started, not the wait asked for.
                raise WaitTimeoutError(
                    self.job_id, self.timeout, error.job, noun=KINDS[self.kind].title
                ) from error
        except (CompanyEnrichError, ValueError, TypeError, AirflowException) as error:
            # A bad connection (no key, unknown id), a bad job id, a failed job,
            # the deadline, an API error: each fails the task with its message.
            self.log.error("%s", error)
            yield TriggerEvent(_error_event(self.job_id, error))
            return
        summary = job_summary(job)
        # The event's own "status" is the wait's outcome; the job's is "job_status".
        done = {"status": "success", "job_status": summary.pop("status"), **summary}
        if self.end_from_trigger:
            yield TaskSuccessEvent(xcoms={"return_value": job_summary(job)})
        else:
            yield TriggerEvent(done)

    async def _wait(self) -> ExportJob | EnrichmentJob:
        async with CompanyEnrichHook(self.companyenrich_conn_id).async_client() as client:
            job: ExportJob | EnrichmentJob = await client._resource_of(self.kind).wait(
                self.job_id,
                timeout=max(self.deadline - time.time(), _LAST_LOOK),
                poll_interval=self.poll_interval,
                on_progress=self._log_progress,
            )
            return job

    def _log_progress(self, job: ExportJob | EnrichmentJob) -> None:
        log_progress(self.log, job)


def _kind_of(job: ExportJob | EnrichmentJob) -> JobKind[Any, Any, Any, Any, Any]:
    return BULK_ENRICHMENT if isinstance(job, EnrichmentJob) else EXPORT


def job_counts(job: ExportJob | EnrichmentJob) -> dict[str, int]:
    """A job's counts under the API's names (JSON-able), for events and XComs."""
    if isinstance(job, EnrichmentJob):
        return {"success_count": job.success_count, "failed_count": job.failed_count}
    return {"exported_count": job.exported_count}


def log_progress(log: logging.Logger | Any, job: ExportJob | EnrichmentJob) -> None:
    """One line per new snapshot, for the operator and the trigger alike."""
    kind = _kind_of(job)
    # Named fields only: the job's results link is a credential to the file.
    log.info(
        "%s job %s is %s: %d of %d %s",
        kind.title,
        job.job_id,
        job.status.value,
        kind.done_count(job),
        kind.target_count(job),
        "companies exported" if kind is EXPORT else "domains done",
    )


def job_summary(job: ExportJob | EnrichmentJob) -> dict[str, Any]:
    """What the sensor pushes to XCom for a job (JSON-able)."""
    return {
        "job_id": str(job.job_id),
        "status": job.status.value,
        **job_counts(job),
        "credits_charged": job.credits_charged,
    }


def _error_event(job_id: str, error: Exception) -> dict[str, Any]:
    """The event for a wait that ended in `error` (JSON-able; no key can be in it)."""
    last_seen: Any = None
    if isinstance(error, JobFailedError | WaitTimeoutError):
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
