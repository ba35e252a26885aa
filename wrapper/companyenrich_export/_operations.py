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

from typing import Any
from uuid import UUID

import attrs

from companyenrich_export_api.api.exports import (
    create_export_job,
    get_export_job,
    list_export_jobs,
)
from companyenrich_export_api.models import CreateExportRequest, JobStatus
from companyenrich_export_api.types import UNSET

__all__ = [
    "DEFAULT_PAGE_SIZE",
    "EXPORTS_PATH",
    "MAX_EXPORT_COUNT",
    "MAX_PAGE_NUMBER",
    "MAX_PAGE_SIZE",
    "MAX_SIMILAR_DOMAINS",
    "ApiRequest",
    "create_job",
    "get_job",
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
