# Generated from _async/_exports.py by scripts/generate_sync.py (make generate).
# Do not edit: change the async code and regenerate (make check-generated fails).
"""`client.exports`: the company-export jobs, from a search to a file on disk.

Only what is specific to exports lives here (create, run); get, wait,
download, `iter_rows` and list are the shared job machinery of
`_job_resource.py`, bound to the `EXPORT` kind. Written once, as async code;
`_sync/_exports.py` is generated from it by `scripts/generate_sync.py`
(`make generate`).
"""

from __future__ import annotations

import os

from companyenrich_export._core._arguments import (
    ProgressCallback,
    Timeout,
    create_body,
    max_credits_of,
    wait_timeout,
)
from companyenrich_export._core._timing import DEFAULT_WAIT_TIMEOUT
from companyenrich_export._jobs._kinds import EXPORT
from companyenrich_export._jobs._models import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    ExportResult,
)
from companyenrich_export._jobs._preflight import ExportEstimate
from companyenrich_export.filters import SearchFilter, SimilarFilter
from companyenrich_export_api.models import CreateExportRequest

from ._http import HTTP
from ._job_resource import JobResource
from ._preflight import Preflight

__all__ = ["Exports"]


class Exports(
    JobResource[ExportJob, ExportJobSummary, CreatedExportJob, ExportJobPage, CreateExportRequest]
):
    """Export jobs: create, follow, list and download them."""

    def __init__(self, http: HTTP) -> None:
        super().__init__(http, EXPORT)
        self._preflight = Preflight(http)

    def count(
        self,
        *,
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        allow_unknown_filters: bool = False,
        timeout: Timeout = None,
    ) -> int:
        """How many companies match `search` (or are similar to `similar`): free.

        The filter is checked as `create` checks it. The answer's shape is
        disputed between the vendor's sources: a bare integer, `{"count": N}`
        and `{"totalItems": N}` are read; anything else is ResponseValidationError.
        """
        return self._preflight.count(
            search=search,
            similar=similar,
            allow_unknown_filters=allow_unknown_filters,
            timeout=timeout,
        )

    def estimate(
        self,
        *,
        count: int,
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        allow_unknown_filters: bool = False,
        timeout: Timeout = None,
    ) -> ExportEstimate:
        """What `create(count=..., ...)` would match, export and cost, and whether it is covered.

        Two free requests (the count, then GET /me); nothing is created.
        """
        create_body(
            count=count,
            search=search,
            similar=similar,
            webhook_url=None,
            allow_unknown_filters=allow_unknown_filters,
        )
        return self._preflight.estimate(
            count=count,
            search=search,
            similar=similar,
            allow_unknown_filters=allow_unknown_filters,
            timeout=timeout,
        )

    def create(
        self,
        *,
        count: int,
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        allow_unknown_filters: bool = False,
        timeout: Timeout = None,
        max_credits: int | None = None,
        preflight: bool = False,
    ) -> CreatedExportJob:
        """Start an export of `count` companies matching `search` or similar to `similar`.

        The filter is checked first (see `companyenrich_export.filters`): an
        unknown field, an undocumented value, a number out of range or an
        empty filter is a ValueError and nothing is sent. With
        `allow_unknown_filters=True` unknown fields and values are sent as
        given, with a warning.

        Costs 1 credit per exported company, charged on completion. Not
        retried after a 5xx or a lost answer, since the job may exist: list
        your jobs before creating it again.

        With `max_credits=N` (or `preflight=True`) two free requests come
        first (`estimate()`: the count and GET /me), and the export is not
        created, with a PreflightRefusal, when `count` is above the account's
        async limit (AccountLimitError), the estimate above `max_credits`
        (CreditLimitError) or above the balance (InsufficientCreditsError).
        """
        body = create_body(
            count=count,
            search=search,
            similar=similar,
            webhook_url=webhook_url,
            allow_unknown_filters=allow_unknown_filters,
        )
        ceiling = max_credits_of(max_credits)
        if ceiling is not None or preflight:
            self._preflight.guard(
                count=count,
                search=search,
                similar=similar,
                allow_unknown_filters=allow_unknown_filters,
                max_credits=ceiling,
                timeout=timeout,
            )
        return self._create(body, timeout)

    def run(
        self,
        *,
        count: int,
        dest: str | os.PathLike[str],
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        allow_unknown_filters: bool = False,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        max_credits: int | None = None,
        preflight: bool = False,
    ) -> ExportResult:
        """Create an export, wait for it and download it: query to file in one call.

        `max_credits` and `preflight` are `create()`'s: checked before the export exists.
        """
        # Everything that can be checked is checked before credits are spent, once
        # (a filter sent under allow_unknown_filters warns once, not twice).
        body = create_body(
            count=count,
            search=search,
            similar=similar,
            webhook_url=webhook_url,
            allow_unknown_filters=allow_unknown_filters,
        )
        self._check_dest_folder(dest)
        wait_timeout(timeout)
        ceiling = max_credits_of(max_credits)
        estimate = None
        if ceiling is not None or preflight:
            estimate = self._preflight.guard(
                count=count,
                search=search,
                similar=similar,
                allow_unknown_filters=allow_unknown_filters,
                max_credits=ceiling,
            )
        created = self._create(body, None)
        job = self.wait(created.job_id, timeout=timeout, on_progress=on_progress)
        path = self.download(job, dest)
        return ExportResult(job=job, path=path, credits=self._http.credits, estimate=estimate)
