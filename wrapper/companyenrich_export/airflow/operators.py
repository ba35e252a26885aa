"""`CompanyEnrichExportOperator` and `CompanyEnrichBulkEnrichmentOperator`: create a job,
wait for it, save its file.

    CompanyEnrichExportOperator(
        task_id="export",
        count=500,
        search={"countries": ["DE"], "semanticQuery": "B2B SaaS"},
        dest="/data/companies-{{ ds }}.csv",   # or an ObjectStoragePath / "s3://..."
        deferrable=True,
    )

The flow is create -> wait -> download. With `deferrable=True` the wait is
handed to `CompanyEnrichExportTrigger` in the triggerer and the worker slot is
freed; with `deferrable=False` the same flow runs blocking in the worker.
The XCom return value is `{"job_id", "path", "exported_count", "credits_charged"}`.

    CompanyEnrichBulkEnrichmentOperator(
        task_id="enrich",
        domains=["stripe.com", "openai.com"],   # up to 10,000; templated
        dest="/data/enriched-{{ ds }}.csv",
        deferrable=True,
    )

Its XCom is `{"job_id", "path", "success_count", "failed_count", "credits_charged"}`.

Both kinds cost credits, so a retry must never pay twice: the created job's id
is written to the task instance's `task_state_store` (kept across the retries
of this task in this DAG run) before anything can fail, and a retry follows
that job instead of creating another. Only a job that failed without charging
a credit is replaced by a new one. The two operators share all of this
(`_JobOperator`); each adds only its kind's parameters and create call.
"""

from __future__ import annotations

import os
import tempfile
import time
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from datetime import timedelta
from pathlib import Path
from typing import TYPE_CHECKING, Any, ClassVar, TypeAlias, cast

from airflow.sdk import BaseOperator, ObjectStoragePath, conf
from airflow.sdk.exceptions import AirflowException

from companyenrich_export import (
    CompanyEnrich,
    EnrichmentJob,
    ExportJob,
    JobResource,
    JobStatus,
    NotFoundError,
)
from companyenrich_export._core._timing import MIN_POLL_INTERVAL, positive_seconds
from companyenrich_export._jobs._kinds import BULK_ENRICHMENT, EXPORT, JobKind

if TYPE_CHECKING:
    from companyenrich_export.filters import SearchFilter, SimilarFilter

from .hooks import CompanyEnrichHook
from .triggers import CompanyEnrichExportTrigger, check_event, job_counts, log_progress

__all__ = ["JOB_ID_STATE_KEY", "CompanyEnrichBulkEnrichmentOperator", "CompanyEnrichExportOperator"]

#: The `task_state_store` key holding the id of the job this task created.
#: Delete it (REST API: DELETE .../taskInstances/{task_id}/state-store/companyenrich_job_id)
#: to make the next try create a new export.
JOB_ID_STATE_KEY = "companyenrich_job_id"
# Airflow's own deferral timeout is only a backstop for a triggerer that is down:
# the trigger reports our deadline itself, with our message, this long before.
_DEFERRAL_MARGIN = timedelta(minutes=5)

Destination: TypeAlias = str | os.PathLike[str] | ObjectStoragePath


class _JobOperator(BaseOperator):
    """Create a job of `kind`, wait for it (in the triggerer when deferrable), save its file.

    Subclasses set `kind` and write `_create`; everything else (the record in
    `task_state_store`, the retry that follows the recorded job, deferral,
    download or upload, the XCom) is here, once.
    """

    kind: ClassVar[JobKind[Any, Any, Any, Any, Any]]

    def __init__(
        self,
        *,
        dest: Destination,
        companyenrich_conn_id: str,
        wait_timeout: float,
        poll_interval: float | None,
        webhook_url: str | None,
        deferrable: bool,
        **kwargs: Any,
    ) -> None:
        super().__init__(**kwargs)
        positive_seconds("wait_timeout", wait_timeout)
        if poll_interval is not None:
            positive_seconds("poll_interval", poll_interval)
            # Refused when the DAG is parsed, not later inside the trigger.
            if poll_interval < MIN_POLL_INTERVAL:
                raise ValueError(
                    f"poll_interval must be at least {MIN_POLL_INTERVAL} s, got {poll_interval!r}"
                )
        self.dest = dest
        self.companyenrich_conn_id = companyenrich_conn_id
        self.wait_timeout = float(wait_timeout)
        self.poll_interval = poll_interval
        self.webhook_url = webhook_url
        self.deferrable = deferrable

    def _jobs(self, client: CompanyEnrich) -> JobResource[Any, Any, Any, Any, Any]:
        return client.exports if self.kind is EXPORT else client.enrichments

    def _create(self, client: CompanyEnrich, state: Any) -> str:
        raise NotImplementedError

    def _hook(self) -> CompanyEnrichHook:
        return CompanyEnrichHook(self.companyenrich_conn_id)

    def execute(self, context: Any) -> dict[str, Any]:
        # Before any credit is spent: somewhere to save the file, somewhere to record the job.
        dest = _destination(self.dest)
        state = context.get("task_state_store")
        if state is None:
            raise AirflowException(
                f"This operator records the {self.kind.noun} it creates in task_state_store "
                f"(Airflow 3.3+), so that a retry cannot pay for a second {self.kind.noun}."
            )
        with self._hook().client() as client:
            job = self._recorded_job(client, state)
            if job is None:
                job_id = self._create(client, state)
            elif job.status is JobStatus.COMPLETED:
                return self._save(client, job.job_id, dest)
            else:
                job_id = str(job.job_id)
            if self.deferrable:
                # Raises TaskDeferred: the worker is released (and this client closed).
                self.defer(
                    trigger=CompanyEnrichExportTrigger(
                        job_id=job_id,
                        deadline=time.time() + self.wait_timeout,
                        timeout=self.wait_timeout,
                        companyenrich_conn_id=self.companyenrich_conn_id,
                        poll_interval=self.poll_interval,
                        kind=self.kind.name,
                    ),
                    method_name="execute_complete",
                    timeout=timedelta(seconds=self.wait_timeout) + _DEFERRAL_MARGIN,
                )
            self._jobs(client).wait(
                job_id,
                timeout=self.wait_timeout,
                poll_interval=self.poll_interval,
                on_progress=self._log_progress,
            )
            return self._save(client, job_id, dest)

    def execute_complete(
        self, context: Any, event: Mapping[str, Any] | None = None
    ) -> dict[str, Any]:
        """Resumed by the trigger's event: fail with its message, or download."""
        job_id = str(check_event(event)["job_id"])
        with self._hook().client() as client:
            return self._save(client, job_id, _destination(self.dest))

    def _recorded_job(self, client: CompanyEnrich, state: Any) -> ExportJob | EnrichmentJob | None:
        """The job an earlier try of this task created, if it is still worth following."""
        recorded = state.get(JOB_ID_STATE_KEY)
        if not recorded:
            return None
        title, noun = self.kind.title, self.kind.noun
        try:
            job: ExportJob | EnrichmentJob = self._jobs(client).get(str(recorded))
        except NotFoundError as error:
            # Another account's key, or a job the API forgot: creating a new job
            # could pay twice, so a person decides.
            raise AirflowException(
                f"{title} job {recorded}, created by an earlier try, is not found ({error}). "
                f"Delete this task's task_state_store key {JOB_ID_STATE_KEY!r} "
                f"to create a new {noun}."
            ) from error
        if job.status is JobStatus.FAILED:
            if job.credits_charged:
                raise AirflowException(
                    f"{title} job {job.job_id}, created by an earlier try, failed after "
                    f"charging {job.credits_charged} credits: not creating another. "
                    f"{job.error_message or ''}".strip()
                )
            self.log.warning(
                "%s job %s, created by an earlier try, failed without charging credits "
                "(%s); creating a new one.",
                title,
                job.job_id,
                job.error_message or "no reason given",
            )
            return None
        self.log.info(
            "Following %s job %s (%s), created by an earlier try: no new %s.",
            noun,
            job.job_id,
            job.status.value,
            noun,
        )
        return job

    def _save(
        self, client: CompanyEnrich, job_id: object, dest: Path | _StorageTarget
    ) -> dict[str, Any]:
        # A fresh look at the job: a fresh results link, and the final counts for XCom.
        jobs = self._jobs(client)
        job = jobs.get(str(job_id))
        path = str(jobs.download(job, dest)) if isinstance(dest, Path) else _upload(jobs, job, dest)
        counts = job_counts(job)
        self.log.info("Saved %s job %s (%s) to %s", self.kind.noun, job.job_id, counts, path)
        return {
            "job_id": str(job.job_id),
            "path": path,
            **counts,
            "credits_charged": job.credits_charged,
        }

    def _log_progress(self, job: ExportJob | EnrichmentJob) -> None:
        log_progress(self.log, job)


class CompanyEnrichExportOperator(_JobOperator):
    """Export `count` companies matching `search` (or `similar`) to `dest`.

    :param count: companies to export (1 to 50,000); 1 credit each, charged on completion.
    :param search: a company search filter object, passed to `exports.create` as given.
    :param similar: a similar-companies query (`{"domains": [...], ...}`) instead of `search`.
    :param dest: a local file or folder, or an object-storage path (`ObjectStoragePath`
        or a URL such as `s3://conn_id@bucket/key`); a folder gets the results file's name.
    :param companyenrich_conn_id: the `companyenrich` connection with the API key.
    :param wait_timeout: seconds the job may take, from when the wait starts, before
        the task fails with `WaitTimeoutError`'s message (a retry waits for the same job).
    :param poll_interval: fixed seconds between status checks; None adapts
        (1 s, then 10% of the time waited, at most 30 s).
    :param webhook_url: passed to `exports.create`.
    :param deferrable: wait in the triggerer (default: Airflow's
        `[operators] default_deferrable`).
    :param max_credits: a ceiling: before creating, two free calls (the count,
        GET /me) estimate the cost, and the task fails without creating
        anything (`CreditLimitError`, `InsufficientCreditsError` or
        `AccountLimitError`) when it is above this, the balance, or the
        account's export limit. None (default): no pre-flight.
    """

    template_fields: Sequence[str] = (
        "search",
        "similar",
        "dest",
        "webhook_url",
        "companyenrich_conn_id",
    )
    template_fields_renderers: ClassVar[dict[str, str]] = {"search": "json", "similar": "json"}
    ui_color = "#e8f0fe"
    kind = EXPORT

    def __init__(
        self,
        *,
        count: int,
        dest: Destination,
        search: Mapping[str, Any] | None = None,
        similar: Mapping[str, Any] | None = None,
        companyenrich_conn_id: str = CompanyEnrichHook.default_conn_name,
        wait_timeout: float = 1800.0,
        poll_interval: float | None = None,
        webhook_url: str | None = None,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        max_credits: int | None = None,
        **kwargs: Any,
    ) -> None:
        if (search is None) == (similar is None):
            raise ValueError("Give exactly one of search= or similar=.")
        super().__init__(
            dest=dest,
            companyenrich_conn_id=companyenrich_conn_id,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            webhook_url=webhook_url,
            deferrable=deferrable,
            **kwargs,
        )
        # Refused when the DAG is parsed: a bad ceiling is no ceiling.
        if max_credits is not None and (
            isinstance(max_credits, bool) or not isinstance(max_credits, int) or max_credits < 0
        ):
            raise ValueError(f"max_credits must be an int, 0 or more, got {max_credits!r}")
        self.max_credits = max_credits
        self.count = count
        self.search = search
        self.similar = similar

    def _create(self, client: CompanyEnrich, state: Any) -> str:
        # Filters come from the DAG (templated, so plain mappings): the typed
        # parameters are for a type checker; create() checks them at run time.
        created = client.exports.create(
            count=self.count,
            search=cast("SearchFilter | None", self.search),
            similar=cast("SimilarFilter | None", self.similar),
            webhook_url=self.webhook_url,
            max_credits=self.max_credits,
        )
        job_id = str(created.job_id)
        # Logged first, so that the id is known even if recording it fails.
        self.log.info(
            "Created export job %s: %d of %d matching companies, about %d credits.",
            job_id,
            created.requested_count,
            created.total_matching,
            created.estimated_credits,
        )
        state.set(JOB_ID_STATE_KEY, job_id)
        return job_id


class CompanyEnrichBulkEnrichmentOperator(_JobOperator):
    """Enrich `domains` (up to 10,000) into company records saved at `dest`.

    :param domains: the domains (any iterable of str; templated). They are
        normalised, de-duplicated and checked before anything is sent; 1 credit
        per domain enriched, charged on completion. More than 10,000 unique
        domains is refused: split them over several tasks.
    :param dest, companyenrich_conn_id, wait_timeout, poll_interval, webhook_url,
        deferrable: as for `CompanyEnrichExportOperator`.
    """

    template_fields: Sequence[str] = ("domains", "dest", "webhook_url", "companyenrich_conn_id")
    ui_color = "#e6f4ea"
    kind = BULK_ENRICHMENT

    def __init__(
        self,
        *,
        domains: Iterable[str] | str,
        dest: Destination,
        companyenrich_conn_id: str = CompanyEnrichHook.default_conn_name,
        wait_timeout: float = 1800.0,
        poll_interval: float | None = None,
        webhook_url: str | None = None,
        deferrable: bool = conf.getboolean("operators", "default_deferrable", fallback=False),
        **kwargs: Any,
    ) -> None:
        super().__init__(
            dest=dest,
            companyenrich_conn_id=companyenrich_conn_id,
            wait_timeout=wait_timeout,
            poll_interval=poll_interval,
            webhook_url=webhook_url,
            deferrable=deferrable,
            **kwargs,
        )
        # A string is a template (rendered to a list by Airflow's native rendering),
        # or a mistake that enrichments.create refuses before sending anything.
        self.domains = domains if isinstance(domains, str) else list(domains)

    def _create(self, client: CompanyEnrich, state: Any) -> str:
        domains = self.domains
        if isinstance(domains, str):
            # A rendered template without native rendering: one domain a line.
            domains = [line for line in domains.splitlines() if line.strip()]
        created = client.enrichments.create(domains, webhook_url=self.webhook_url)
        job_id = str(created.job_id)
        self.log.info(
            "Created bulk enrichment job %s: %d unique domains, at most %d credits.",
            job_id,
            created.total_domains,
            created.estimated_credits,
        )
        state.set(JOB_ID_STATE_KEY, job_id)
        return job_id


@dataclass(frozen=True)
class _StorageTarget:
    """An object-storage destination; a folder when its URL ended in "/" or it is one."""

    path: ObjectStoragePath
    folder: bool


def _destination(dest: Destination) -> Path | _StorageTarget:
    """Where the file goes: a checked local path, or an object-storage path."""
    if isinstance(dest, ObjectStoragePath):
        remote = dest
    elif isinstance(dest, str) and "://" in dest:
        remote = ObjectStoragePath(dest)
    else:
        local = Path(os.fspath(dest)).expanduser()
        if os.fspath(dest).endswith(("/", os.sep)) and not local.is_dir():
            raise ValueError(f"dest {str(local)!r}: the folder does not exist")
        if not (local.is_dir() or local.parent.is_dir()):
            raise ValueError(
                f"dest {str(local)!r}: the folder {str(local.parent)!r} does not exist"
            )
        return local
    if remote.protocol in ("", "file", "local"):
        # Local after all: the client's own download is atomic there.
        return _destination(remote.path + ("/" if str(dest).endswith("/") else ""))
    # Resolving the filesystem fails now, not after the export, for an unknown
    # protocol or a connection that does not exist.
    remote.fs  # noqa: B018
    return _StorageTarget(remote, folder=str(dest).endswith("/") or remote.is_dir())


def _upload(
    jobs: JobResource[Any, Any, Any, Any, Any],
    job: ExportJob | EnrichmentJob,
    dest: _StorageTarget,
) -> str:
    """Download to a local temporary file, then copy it to object storage.

    The client's download is the checked one (atomic, length-verified, key
    only to the API's origin); the copy is the store's own `put`, which
    for S3 and the like is one upload that appears whole or not at all.
    """
    with tempfile.TemporaryDirectory(prefix="companyenrich-") as folder:
        local = jobs.download(job, folder)
        target = dest.path / local.name if dest.folder else dest.path
        ObjectStoragePath(local.as_uri()).copy(target)
    return str(target)
