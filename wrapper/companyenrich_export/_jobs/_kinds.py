"""What one kind of asynchronous job differs in, as data: `JobKind`, and the kinds we know.

CompanyEnrich runs several jobs of one pattern: create (credits spent on
completion), a free status GET until `completed` or `failed`, a list, and a
`results_url` to download. A kind differs only in its paths, the shape of
its answers (so their parsers and value classes), its limit, how its create
body is checked, and the `type` the account-wide list (`/jobs`) gives it.
The machinery that gets, waits for, downloads and lists jobs is meant to be
written once over a `JobKind` (see docs/job-kinds.md for the plan and for
what adding people exports takes).
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping
from types import MappingProxyType
from typing import Any, Generic, Protocol, TypeVar
from uuid import UUID

import attrs
import httpx

from companyenrich_export._core import _operations
from companyenrich_export._core._arguments import check_webhook_url, create_body
from companyenrich_export._core._operations import ApiRequest
from companyenrich_export._exceptions import (
    EnrichmentFailedError,
    EnrichmentNotReadyError,
    ExportFailedError,
    ExportNotReadyError,
    JobFailedError,
    JobNotReadyError,
)
from companyenrich_export._jobs._domains import normalise_domains
from companyenrich_export._jobs._enrichment_models import (
    BULK_ENRICHMENT_TYPE,
    CreatedEnrichmentJob,
    EnrichmentJob,
    EnrichmentJobPage,
    EnrichmentJobSummary,
    parse_enrichment_created,
    parse_enrichment_job,
    parse_enrichment_page,
)
from companyenrich_export._jobs._models import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    parse_created,
    parse_job,
    parse_page,
)
from companyenrich_export._jobs._watching import as_job
from companyenrich_export_api.models import (
    CreateBulkEnrichmentRequest,
    CreateExportRequest,
    JobStatus,
)
from companyenrich_export_api.types import UNSET

__all__ = [
    "BULK_ENRICHMENT",
    "EXPORT",
    "KINDS",
    "JobKind",
    "enrichment_body",
    "kind_for_account_type",
]

JobT = TypeVar("JobT")
SummaryT = TypeVar("SummaryT")
CreatedT = TypeVar("CreatedT")
PageT = TypeVar("PageT")
BodyT = TypeVar("BodyT")
T_co = TypeVar("T_co", covariant=True)
BodyT_contra = TypeVar("BodyT_contra", contravariant=True)


class JobParser(Protocol[T_co]):
    """`parse_job`'s shape: a status body to a job, refusing an answer about another job."""

    def __call__(
        self,
        body: str | bytes,
        response: httpx.Response | None = None,
        *,
        expected_job_id: UUID | None = None,
        secret: str | None = None,
    ) -> T_co: ...


class BodyParser(Protocol[T_co]):
    """`parse_created`'s and `parse_page`'s shape."""

    def __call__(
        self,
        body: str | bytes,
        response: httpx.Response | None = None,
        *,
        secret: str | None = None,
    ) -> T_co: ...


class ListRequest(Protocol):
    def __call__(self, *, page: int, page_size: int, status: JobStatus | None) -> ApiRequest: ...


class CreateRequest(Protocol[BodyT_contra]):
    def __call__(self, body: BodyT_contra, /) -> ApiRequest: ...


@attrs.frozen(kw_only=True)
class JobKind(Generic[JobT, SummaryT, CreatedT, PageT, BodyT]):
    """One kind of job: everything the shared machinery needs to know about it.

    Type parameters: the status value (`ExportJob`), a list item
    (`ExportJobSummary`), the create answer (`CreatedExportJob`), a list page
    (`ExportJobPage`) and the create body (the generated request model).
    """

    name: str
    """Short identifier, for logs and keys (`export`, `bulk_enrichment`)."""
    noun: str
    """For messages: "Export job ... failed", "Bulk enrichment job ... failed"."""
    account_type: str | None
    """This kind's `type` in the account-wide list; None where the vendor does not say."""
    create_path: str
    status_path: str
    """With `{jobId}` where the job's id goes."""
    list_path: str
    max_items: int
    """Most items one job takes (companies exported, domains enriched)."""
    job_class: type[JobT]
    """The status value's class: a caller's job of this class needs no GET to be followed."""
    check_create: Callable[..., BodyT]
    """Checks a create call's keyword arguments and builds its body; raises before sending."""
    create_request: CreateRequest[BodyT]
    get_request: Callable[[UUID], ApiRequest]
    list_request: ListRequest
    parse_job: JobParser[JobT]
    parse_created: BodyParser[CreatedT]
    parse_page: BodyParser[PageT]
    done_count: Callable[[JobT], int]
    """Items done so far (exported, enriched), for progress."""
    target_count: Callable[[JobT], int]
    """Items the job will do when it completes (requested, unique domains)."""
    failed_error: type[JobFailedError]
    """Raised for a job of this kind that ended in `failed`."""
    not_ready_error: type[JobNotReadyError]
    """Raised when a download is asked of a job of this kind that has no results yet."""
    fallback_name: str
    """The file name, in a destination folder, of results whose link names none."""
    summary_job: Callable[[SummaryT], JobT] | None = None
    """A list item as a status value, for the watcher's scans to stand in for polls;
    None where the list's items do not carry the status value's fields (then
    every wait polls its own job)."""

    def status_url_path(self, job_id: UUID) -> str:
        return self.status_path.replace("{jobId}", str(job_id))

    @property
    def title(self) -> str:
        """The noun, capitalised, as messages start with it ("Bulk enrichment job ...")."""
        return self.noun[:1].upper() + self.noun[1:]

    def require_results(self, job: JobT) -> str:
        """The job's results link; this kind's failed or not-ready error when there is none."""
        status = getattr(job, "status", None)
        url = getattr(job, "results_url", None)
        if status is JobStatus.FAILED:
            raise self.failed_error(job)  # type: ignore[arg-type]
        if status is not JobStatus.COMPLETED or not url:
            raise self.not_ready_error(job)  # type: ignore[arg-type]
        return str(url)


def enrichment_body(
    *, domains: Iterable[str], webhook_url: str | None = None
) -> CreateBulkEnrichmentRequest:
    """A bulk enrichment's body: domains normalised, de-duplicated and checked (see `_domains`).

    Raises ValueError naming the first offenders, or for more than 10,000
    unique domains, before anything is sent.
    """
    checked = normalise_domains(domains)
    url = check_webhook_url(webhook_url)
    return CreateBulkEnrichmentRequest(
        domains=list(checked), webhook_url=UNSET if url is None else url
    )


EXPORT: JobKind[
    ExportJob, ExportJobSummary, CreatedExportJob, ExportJobPage, CreateExportRequest
] = JobKind(
    name="export",
    noun="export",
    # The vendor documents only `bulk_enrichment`; an export's `type` is unknown.
    account_type=None,
    create_path=_operations.EXPORTS_PATH,
    status_path=_operations.EXPORTS_PATH + "/{jobId}",
    list_path=_operations.EXPORTS_PATH + "/jobs",
    max_items=_operations.MAX_EXPORT_COUNT,
    job_class=ExportJob,
    check_create=create_body,
    create_request=_operations.create_job,
    get_request=_operations.get_job,
    list_request=_operations.list_jobs,
    parse_job=parse_job,
    parse_created=parse_created,
    parse_page=parse_page,
    done_count=lambda job: job.exported_count,
    target_count=lambda job: job.requested_count,
    failed_error=ExportFailedError,
    not_ready_error=ExportNotReadyError,
    fallback_name="export.csv",
    summary_job=as_job,
)

BULK_ENRICHMENT: JobKind[
    EnrichmentJob,
    EnrichmentJobSummary,
    CreatedEnrichmentJob,
    EnrichmentJobPage,
    CreateBulkEnrichmentRequest,
] = JobKind(
    name="bulk_enrichment",
    noun="bulk enrichment",
    account_type=BULK_ENRICHMENT_TYPE,
    create_path=_operations.BULK_ENRICHMENT_PATH,
    status_path=_operations.BULK_ENRICHMENT_PATH + "/{jobId}",
    list_path=_operations.BULK_ENRICHMENT_PATH + "/jobs",
    max_items=_operations.MAX_BULK_DOMAINS,
    job_class=EnrichmentJob,
    check_create=enrichment_body,
    create_request=_operations.create_bulk_enrichment,
    get_request=_operations.get_bulk_enrichment,
    list_request=_operations.list_bulk_enrichments,
    parse_job=parse_enrichment_job,
    parse_created=parse_enrichment_created,
    parse_page=parse_enrichment_page,
    done_count=lambda job: job.success_count + job.failed_count,
    target_count=lambda job: job.total_domains,
    failed_error=EnrichmentFailedError,
    not_ready_error=EnrichmentNotReadyError,
    fallback_name="enrichment.csv",
    # The bulk list's schema is undocumented: an item need not carry the counts.
    summary_job=None,
)

KINDS: Mapping[str, JobKind[Any, Any, Any, Any, Any]] = MappingProxyType(
    {kind.name: kind for kind in (EXPORT, BULK_ENRICHMENT)}
)


def kind_for_account_type(job_type: str) -> JobKind[Any, Any, Any, Any, Any] | None:
    """The kind whose jobs the account-wide list calls `job_type`, if we know it."""
    for kind in KINDS.values():
        if kind.account_type is not None and kind.account_type == job_type:
            return kind
    return None
