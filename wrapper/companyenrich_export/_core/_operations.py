"""What openapi.yaml defines, in one place: limits, paths, and each operation's request.

The generator promises its models (`from_dict`/`to_dict`) and its public
request functions (`sync_detailed` & co.), but those send the request
themselves, with none of our retries, bounds or streaming. So this module is
the one place that reaches into the generated `_get_kwargs` of each operation,
turning its output into a plain `ApiRequest`. `tests/test_operations.py`
fails, naming the function, if a generator upgrade moves or reshapes one.

A sibling job API (people exports, bulk enrichment) is another set of paths
and limits in the spec; its operations would sit here beside these.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, cast
from uuid import UUID

import attrs

from companyenrich_export_api.api.enrichment import (
    create_bulk_enrichment_job,
    get_bulk_enrichment_job,
    list_bulk_enrichment_jobs,
)
from companyenrich_export_api.api.exports import (
    create_export_job,
    get_export_job,
    list_export_jobs,
)
from companyenrich_export_api.api.jobs import get_account_job as get_account_job_operation
from companyenrich_export_api.api.jobs import list_account_jobs as list_account_jobs_operation
from companyenrich_export_api.api.preflight import (
    count_companies,
    count_similar_companies,
    get_account,
)
from companyenrich_export_api.models import (
    CompanySearchFilter,
    CreateBulkEnrichmentRequest,
    CreateExportRequest,
    JobStatus,
    SimilarCompaniesFilter,
)
from companyenrich_export_api.types import UNSET

__all__ = [
    "ACCOUNT_JOBS_PATH",
    "BULK_ENRICHMENT_PATH",
    "DEFAULT_PAGE_SIZE",
    "EXPORTS_PATH",
    "MAX_BULK_DOMAINS",
    "MAX_EXPORT_COUNT",
    "MAX_PAGE_NUMBER",
    "MAX_PAGE_SIZE",
    "MAX_SIMILAR_DOMAINS",
    "ApiRequest",
    "count_matching",
    "create_bulk_enrichment",
    "create_job",
    "get_account_job",
    "get_bulk_enrichment",
    "get_job",
    "get_me",
    "list_account_jobs",
    "list_bulk_enrichments",
    "list_jobs",
]

# Each is a `maximum`/`maxItems`/`default` in openapi.yaml; tests/test_operations.py
# reads the spec and fails when one of these drifts from it.
MAX_EXPORT_COUNT = 50_000
MAX_PAGE_SIZE = 100
DEFAULT_PAGE_SIZE = 20
MAX_PAGE_NUMBER = 2**31 - 1
MAX_SIMILAR_DOMAINS = 10
EXPORTS_PATH = "/companies/search/async"
# Bulk enrichment and the account-wide job list (issue 21).
MAX_BULK_DOMAINS = 10_000
BULK_ENRICHMENT_PATH = "/companies/enrich/bulk"
ACCOUNT_JOBS_PATH = "/jobs"

# The pre-flight calls (free): paths as in openapi.yaml, checked by tests/test_operations.py.
SEARCH_COUNT_PATH = "/companies/search/count"
SIMILAR_COUNT_PATH = "/companies/similar/count"
ACCOUNT_PATH = "/me"
# The count's answer may be this large (2**53 - 1, the largest integer JSON
# numbers carry exactly); the spec's `maximum` of CompanyCount.
MAX_COMPANY_COUNT = 9_007_199_254_740_991


@attrs.frozen(kw_only=True)
class ApiRequest:
    """One API call as the spec shapes it: method, path, query, JSON body, accept header."""

    method: str
    path: str
    params: dict[str, Any] | None = None
    json: Any = None
    accept: str = "application/json"


def _from_generated(kwargs: dict[str, Any]) -> ApiRequest:
    headers = {name.lower(): value for name, value in kwargs.get("headers", {}).items()}
    return ApiRequest(
        method=kwargs["method"].upper(),
        path=kwargs["url"],
        params=kwargs.get("params") or None,
        json=kwargs.get("json"),
        accept=headers.get("accept", "application/json"),
    )


def get_job(job_id: UUID) -> ApiRequest:
    return _from_generated(get_export_job._get_kwargs(job_id))


def create_job(body: CreateExportRequest) -> ApiRequest:
    return _from_generated(create_export_job._get_kwargs(body=body))


def list_jobs(*, page: int, page_size: int, status: JobStatus | None) -> ApiRequest:
    return _from_generated(
        list_export_jobs._get_kwargs(
            page=page, page_size=page_size, status=UNSET if status is None else status
        )
    )


# --- bulk enrichment and the account-wide job list (issue 21) ---------------------


def get_bulk_enrichment(job_id: UUID) -> ApiRequest:
    return _from_generated(get_bulk_enrichment_job._get_kwargs(job_id))


def create_bulk_enrichment(body: CreateBulkEnrichmentRequest) -> ApiRequest:
    return _from_generated(create_bulk_enrichment_job._get_kwargs(body=body))


def list_bulk_enrichments(*, page: int, page_size: int, status: JobStatus | None) -> ApiRequest:
    return _from_generated(
        list_bulk_enrichment_jobs._get_kwargs(
            page=page, page_size=page_size, status=UNSET if status is None else status
        )
    )


def get_account_job(job_id: UUID) -> ApiRequest:
    return _from_generated(get_account_job_operation._get_kwargs(job_id))


def list_account_jobs(
    *, page: int, page_size: int, status: JobStatus | None, job_type: str | None
) -> ApiRequest:
    return _from_generated(
        list_account_jobs_operation._get_kwargs(
            page=page,
            page_size=page_size,
            status=UNSET if status is None else status,
            type_=UNSET if job_type is None else job_type,
        )
    )


class _AsChecked:
    """A filter already checked (`_filter_check`), sent byte for byte in place of a model.

    The generated models would rebuild it: reorder keys and drop fields sent
    under `allow_unknown_filters`.
    """

    def __init__(self, query: Mapping[str, Any]) -> None:
        self._query = query

    def to_dict(self) -> Mapping[str, Any]:
        return self._query


def count_matching(
    *, search: Mapping[str, Any] | None, similar: Mapping[str, Any] | None
) -> ApiRequest:
    """The free count of companies matching `search`, or similar to `similar` (exactly one)."""
    if search is not None:
        return _from_generated(
            count_companies._get_kwargs(body=cast(CompanySearchFilter, _AsChecked(search)))
        )
    if similar is None:
        raise ValueError("Give exactly one of search= or similar=.")
    return _from_generated(
        count_similar_companies._get_kwargs(body=cast(SimilarCompaniesFilter, _AsChecked(similar)))
    )


def get_me() -> ApiRequest:
    """GET /me: the account's credits and limits (free)."""
    return _from_generated(get_account._get_kwargs())
