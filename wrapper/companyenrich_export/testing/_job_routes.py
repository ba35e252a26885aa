"""The fake's bulk enrichment endpoints and the account-wide job list (`/jobs`).

Kept apart from `_fake.py`, which hooks them in: `FakeCompanyEnrich`
inherits `JobRoutes`, its router sends these paths to `handle_job_route`,
and its results storage asks `_enrichment_results_file` for the files of
enrichment jobs. Everything runs under the fake's lock.

The account-wide list shows exports too. Their `type` there is not
documented by the vendor (only `bulk_enrichment` is): the fake calls them
`EXPORT_JOB_TYPE`, an invented value, so that clients are tested against a
`type` they do not know.
"""

from __future__ import annotations

import itertools
import math
import threading
from collections.abc import Iterable, Mapping, Sequence
from datetime import datetime
from types import MappingProxyType
from typing import TYPE_CHECKING, Any, Final, Protocol
from urllib.parse import parse_qs
from uuid import UUID

from ._enrichments import EnrichedRecords, FakeEnrichmentJob, parse_bulk_request
from ._http import FakeResponse, IncomingRequest, json_response
from ._jobs import FakeJob
from ._results import ResultsFile
from ._validation import Invalid, is_uuid, parse_list_query

if TYPE_CHECKING:
    from companyenrich_export._core._clock import Clock
    from companyenrich_export._results._record import Row

__all__ = [
    "ACCOUNT_JOBS_PATH",
    "BULK_ENRICHMENT_TYPE",
    "BULK_JOBS_PATH",
    "BULK_PATH",
    "EXPORT_JOB_TYPE",
    "JobRoutes",
    "job_route_methods",
]

BULK_PATH: Final = "/companies/enrich/bulk"
BULK_JOBS_PATH: Final = "/companies/enrich/bulk/jobs"
ACCOUNT_JOBS_PATH: Final = "/jobs"
BULK_ENRICHMENT_TYPE: Final = "bulk_enrichment"
# Invented: the vendor does not say what `type` an export has in /jobs.
EXPORT_JOB_TYPE: Final = "company_export"


def job_route_methods(path: str) -> tuple[str, ...] | None:
    """The methods allowed on `path` if it is one of these routes, else None."""
    if path == BULK_PATH:
        return ("POST",)
    if path in (BULK_JOBS_PATH, ACCOUNT_JOBS_PATH):
        return ("GET",)
    for prefix in (BULK_PATH + "/", ACCOUNT_JOBS_PATH + "/"):
        rest = path.removeprefix(prefix)
        if rest != path and rest and "/" not in rest:
            return ("GET",)
    return None


class ProblemBuilder(Protocol):
    def __call__(
        self,
        status: int,
        detail: str,
        *,
        errors: Mapping[str, list[str]] | None = ...,
        headers: Iterable[tuple[str, str]] = ...,
    ) -> FakeResponse: ...


def _export_account_item(job: FakeJob, now: float) -> dict[str, Any]:
    summary = job.summary(now)
    state = job.state(now)
    return {
        "id": summary["job_id"],
        "type": EXPORT_JOB_TYPE,
        "status": summary["status"],
        "title": f"Company export of {job.requested_count} companies",
        "created_at": summary["created_at"],
        "started_at": summary["started_at"],
        "completed_at": summary["completed_at"],
        "credits_charged": summary["credits_charged"],
        "error_message": state.error_message,
    }


class JobRoutes:
    """Bulk enrichment jobs and the account-wide list, mixed into `FakeCompanyEnrich`."""

    # Provided by FakeCompanyEnrich.
    clock: Clock
    default_durations: tuple[float, float, float]
    _api_key: str
    _lock: threading.RLock
    _jobs: dict[UUID, FakeJob]
    _files: dict[UUID, ResultsFile]
    _revisions: dict[UUID, tuple[int, datetime]]
    _job_sequence: itertools.count[int]

    _enrichments: dict[UUID, FakeEnrichmentJob]

    def _new_job_id(self, sequence: int) -> UUID:
        raise NotImplementedError

    def _format_of(self, job_id: UUID) -> str:
        raise NotImplementedError

    def _results_url(self, job: FakeJob | FakeEnrichmentJob) -> str | None:
        raise NotImplementedError

    # --- setup and inspection, for tests ---------------------------------

    @property
    def enrichment_jobs(self) -> Mapping[UUID, FakeEnrichmentJob]:
        """Every bulk enrichment job, whoever owns it: a live, read-only view."""
        return MappingProxyType(self._enrichments)

    def add_enrichment_job(
        self,
        domains: Iterable[str] = ("stripe.com", "example.test", "openai.com"),
        *,
        pending_for: float | None = None,
        processing_for: float | None = None,
        completing_for: float | None = None,
        fail_with: str | None = None,
        fail_after: float | None = None,
        owner_key: str | None = None,
        job_id: UUID | str | None = None,
    ) -> UUID:
        """Create a bulk enrichment job directly, as if POSTed now (domains as given).

        Which domains fail is `enrichment_fails(domain)`; the default list has
        one (`example.test`). Use `complete_now`, `fail_now`, `status`,
        `results_file` and `remove_job` on it as on an export.
        """
        from ._fake import _owner_digest

        pending, processing, completing = self.default_durations
        with self._lock:
            sequence = next(self._job_sequence)
            chosen = UUID(str(job_id)) if job_id is not None else self._new_job_id(sequence)
            if chosen in self._jobs or chosen in self._enrichments:
                raise ValueError(f"job {chosen} already exists")
            job = FakeEnrichmentJob(
                job_id=chosen,
                owner=_owner_digest(owner_key if owner_key is not None else self._api_key),
                domains=tuple(domains),
                created_at=self.clock.utcnow(),
                created_monotonic=self.clock.monotonic(),
                pending_for=pending if pending_for is None else pending_for,
                processing_for=processing if processing_for is None else processing_for,
                completing_for=completing if completing_for is None else completing_for,
                fail_with=fail_with,
                fail_after=fail_after,
                sequence=sequence,
            )
            self._enrichments[chosen] = job
        return chosen

    def enrichment_records(self, job_id: UUID | str) -> Sequence[Row]:
        """The records a completed enrichment's results hold (one per enriched domain)."""
        with self._lock:
            job = self._enrichments.get(UUID(str(job_id)))
            if job is None:
                raise KeyError(f"no bulk enrichment job {job_id}")
            file = self._enrichment_results_file(job)
            if file is None:
                raise ValueError(f"job {job_id} has not completed: it has no results file")
            return file.companies

    # --- results files -----------------------------------------------------

    def _enrichment_results_file(self, job: FakeEnrichmentJob) -> ResultsFile | None:
        state = job.state(self.clock.monotonic())
        if state.status != "completed":
            return None
        file = self._files.get(job.job_id)
        results_format = self._format_of(job.job_id)
        if file is None or file.format.name != results_format:
            revision, replaced_at = self._revisions.get(job.job_id, (0, None))
            enriched = job.enriched_domains
            file = ResultsFile(
                job.job_id,
                len(enriched),
                results_format=results_format,
                revision=revision,
                last_modified=replaced_at or state.completed_at,
                companies=EnrichedRecords(job.job_id, enriched, revision=revision),
            )
            self._files[job.job_id] = file
        return file

    # --- the routes ----------------------------------------------------------

    def handle_job_route(
        self, request: IncomingRequest, owner: str, problem: ProblemBuilder
    ) -> FakeResponse:
        path = request.path
        if path == BULK_PATH:
            return self._create_enrichment(request, owner, problem)
        if path == BULK_JOBS_PATH:
            return self._list_enrichments(request, owner, problem)
        if path == ACCOUNT_JOBS_PATH:
            return self._list_account_jobs(request, owner, problem)
        if path.startswith(BULK_PATH + "/"):
            job_id = _job_id(path.removeprefix(BULK_PATH + "/"))
            if job_id is None:
                return _bad_id(problem)
            job = self._enrichments.get(job_id)
            # Another caller's job is reported exactly like a missing one.
            if job is None or job.owner != owner:
                return problem(404, "No bulk enrichment job with this id.")
            now = self.clock.monotonic()
            return json_response(200, job.detail(now, self._results_url(job)))
        job_id = _job_id(path.removeprefix(ACCOUNT_JOBS_PATH + "/"))
        if job_id is None:
            return _bad_id(problem)
        item = self._account_item(job_id, owner)
        if item is None:
            return problem(404, "No job with this id.")
        return json_response(200, item)

    def _create_enrichment(
        self, request: IncomingRequest, owner: str, problem: ProblemBuilder
    ) -> FakeResponse:
        parsed = parse_bulk_request(request.body)
        if isinstance(parsed, Invalid):
            return problem(parsed.status, parsed.detail, errors=parsed.errors)
        pending, processing, completing = self.default_durations
        sequence = next(self._job_sequence)
        job = FakeEnrichmentJob(
            job_id=self._new_job_id(sequence),
            owner=owner,
            domains=parsed.domains,
            created_at=self.clock.utcnow(),
            created_monotonic=self.clock.monotonic(),
            pending_for=pending,
            processing_for=processing,
            completing_for=completing,
            webhook_url=parsed.webhook_url,
            sequence=sequence,
        )
        self._enrichments[job.job_id] = job
        return json_response(
            200,
            {
                "job_id": str(job.job_id),
                "status": job.state(self.clock.monotonic()).status,
                "total_domains": job.total_domains,
                "estimated_credits": job.total_domains,
            },
        )

    def _list_enrichments(
        self, request: IncomingRequest, owner: str, problem: ProblemBuilder
    ) -> FakeResponse:
        parsed = parse_list_query(request.query)
        if isinstance(parsed, Invalid):
            return problem(parsed.status, parsed.detail, errors=parsed.errors)
        now = self.clock.monotonic()
        mine = [job for job in self._enrichments.values() if job.owner == owner]
        if parsed.status is not None:
            mine = [job for job in mine if job.state(now).status == parsed.status]
        mine.sort(key=lambda job: (job.created_monotonic, job.sequence), reverse=True)
        return _page([job.summary(now) for job in mine], parsed.page, parsed.page_size)

    def _account_items(self, owner: str) -> list[tuple[float, int, dict[str, Any]]]:
        now = self.clock.monotonic()
        found = [
            (job.created_monotonic, job.sequence, _export_account_item(job, now))
            for job in self._jobs.values()
            if job.owner == owner
        ]
        found += [
            (job.created_monotonic, job.sequence, job.account_item(now))
            for job in self._enrichments.values()
            if job.owner == owner
        ]
        return found

    def _account_item(self, job_id: UUID, owner: str) -> dict[str, Any] | None:
        now = self.clock.monotonic()
        export = self._jobs.get(job_id)
        if export is not None and export.owner == owner:
            return _export_account_item(export, now)
        enrichment = self._enrichments.get(job_id)
        if enrichment is not None and enrichment.owner == owner:
            return enrichment.account_item(now)
        return None

    def _list_account_jobs(
        self, request: IncomingRequest, owner: str, problem: ProblemBuilder
    ) -> FakeResponse:
        parsed = parse_list_query(request.query)
        errors: dict[str, list[str]] = {}
        if isinstance(parsed, Invalid):
            errors.update(parsed.errors)
        values = parse_qs(request.query, keep_blank_values=True, errors="replace")
        job_type: str | None = None
        given = values.get("type")
        if given is not None:
            if len(given) != 1:
                errors["type"] = ["must be given once"]
            elif not given[0]:
                errors["type"] = ["must not be empty"]
            else:
                job_type = given[0]
        if errors or isinstance(parsed, Invalid):
            return problem(400, "One or more query parameters are invalid.", errors=errors)
        items = sorted(self._account_items(owner), key=lambda found: found[:2], reverse=True)
        shown = [
            item
            for _, _, item in items
            if (parsed.status is None or item["status"] == parsed.status)
            and (job_type is None or item["type"] == job_type)
        ]
        return _page(shown, parsed.page, parsed.page_size)


def _job_id(text: str) -> UUID | None:
    return UUID(text) if is_uuid(text) else None


def _bad_id(problem: ProblemBuilder) -> FakeResponse:
    return problem(400, "The job id must be a UUID.", errors={"jobId": ["must be a UUID"]})


def _page(items: list[dict[str, Any]], page: int, page_size: int) -> FakeResponse:
    start = (page - 1) * page_size
    return json_response(
        200,
        {
            "items": items[start : start + page_size],
            "page": page,
            "totalPages": math.ceil(len(items) / page_size),
            "totalItems": len(items),
        },
    )
