"""Typed client for CompanyEnrich's async company-export API.

    from companyenrich_export import CompanyEnrich

    with CompanyEnrich() as client:                  # key from COMPANYENRICH_API_KEY
        job = client.exports.wait(job_id, on_progress=print)
        path = client.exports.download(job, "companies.csv")

The low-level client generated from openapi.yaml is `companyenrich_export_api`;
this package is the hand-written layer on top (retries, waiting, downloads,
typed errors). Search filters are typed (`SearchFilter`, `SimilarFilter`,
from `companyenrich_export.filters`) and checked before anything is sent.
`companyenrich_export.testing` holds a fake CompanyEnrich server for your
own tests.
"""

from ._client import API_KEY_ENV, AsyncCompanyEnrich, CompanyEnrich
from ._clock import Clock, SystemClock
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CompanyEnrichError,
    ExportFailedError,
    ExportNotReadyError,
    IncompleteDownloadError,
    InternalServerError,
    NotFoundError,
    PaymentRequiredError,
    RateLimitError,
    ResponseValidationError,
    UnprocessableEntityError,
    WaitTimeoutError,
)
from ._exports import AsyncExports, ExportResult, Exports
from ._models import CreatedExportJob, ExportJob, ExportJobPage, ExportJobSummary, JobStatus
from ._timing import PollSchedule, RetryPolicy
from ._version import __version__
from .filters import (
    AmountRange,
    BusinessCategory,
    CompanyType,
    EmployeeRange,
    ExcludeFilter,
    FilterOperator,
    FundingRound,
    RevenueRange,
    SearchFilter,
    SimilarFilter,
    WorkforceSize,
    YearRange,
)

__all__ = [
    "API_KEY_ENV",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AmountRange",
    "AsyncCompanyEnrich",
    "AsyncExports",
    "AuthenticationError",
    "BadRequestError",
    "BusinessCategory",
    "Clock",
    "CompanyEnrich",
    "CompanyEnrichError",
    "CompanyType",
    "CreatedExportJob",
    "EmployeeRange",
    "ExcludeFilter",
    "ExportFailedError",
    "ExportJob",
    "ExportJobPage",
    "ExportJobSummary",
    "ExportNotReadyError",
    "ExportResult",
    "Exports",
    "FilterOperator",
    "FundingRound",
    "IncompleteDownloadError",
    "InternalServerError",
    "JobStatus",
    "NotFoundError",
    "PaymentRequiredError",
    "PollSchedule",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "RevenueRange",
    "SearchFilter",
    "SimilarFilter",
    "SystemClock",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "WorkforceSize",
    "YearRange",
    "__version__",
]
