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

from companyenrich_export._arguments import (
    ProgressCallback,
    Timeout,
    create_body,
    wait_timeout,
)
from companyenrich_export._kinds import EXPORT
from companyenrich_export._models import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    ExportResult,
)
from companyenrich_export.filters import SearchFilter, SimilarFilter
from companyenrich_export_api.models import CreateExportRequest

from ._http import SyncHTTP
from ._job_resource import DEFAULT_WAIT_TIMEOUT, FINAL_POLL_TIMEOUT, JobResource

__all__ = ["DEFAULT_WAIT_TIMEOUT", "FINAL_POLL_TIMEOUT", "Exports"]


class Exports(
    JobResource[ExportJob, ExportJobSummary, CreatedExportJob, ExportJobPage, CreateExportRequest]
):
    """Export jobs: create, follow, list and download them."""

    def __init__(self, http: SyncHTTP) -> None:
        super().__init__(http, EXPORT)

    def create(
        self,
        *,
        count: int,
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        allow_unknown_filters: bool = False,
        timeout: Timeout = None,
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
        """
        body = create_body(
            count=count,
            search=search,
            similar=similar,
            webhook_url=webhook_url,
            allow_unknown_filters=allow_unknown_filters,
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
    ) -> ExportResult:
        """Create an export, wait for it and download it: query to file in one call."""
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
        created = self._create(body, None)
        job = self.wait(created.job_id, timeout=timeout, on_progress=on_progress)
        path = self.download(job, dest)
        return ExportResult(job=job, path=path)
