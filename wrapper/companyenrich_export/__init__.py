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

import importlib
from typing import TYPE_CHECKING

from companyenrich_export._async._account_jobs import AsyncJobs
from companyenrich_export._core._clock import Clock, SystemClock
from companyenrich_export._core._requests import API_KEY_ENV
from companyenrich_export._core._timing import PollSchedule, RetryPolicy
from companyenrich_export._jobs._enrichment_models import (
    AccountJob,
    AccountJobPage,
    CreatedEnrichmentJob,
    EnrichmentJob,
    EnrichmentJobPage,
    EnrichmentJobSummary,
    EnrichmentResult,
)
from companyenrich_export._jobs._models import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    ExportResult,
    JobStatus,
)
from companyenrich_export._jobs._preflight import (
    Account,
    AccountLimits,
    CreditHeaders,
    ExportEstimate,
)
from companyenrich_export._jobs._watching import JobsTimeoutError
from companyenrich_export._sync._account_jobs import Jobs

from ._async._client import AsyncCompanyEnrich
from ._async._enrichments import AsyncEnrichments
from ._async._exports import AsyncExports
from ._async._job_resource import AsyncJobResource
from ._exceptions import (
    AccountLimitError,
    APIConnectionError,
    APIStatusError,
    APITimeoutError,
    AuthenticationError,
    BadRequestError,
    CompanyEnrichError,
    CreditLimitError,
    DownloadInProgressError,
    DownloadTimeoutError,
    EnrichmentFailedError,
    EnrichmentNotReadyError,
    ExportFailedError,
    ExportNotReadyError,
    IncompleteDownloadError,
    InsufficientCreditsError,
    InternalServerError,
    JobFailedError,
    JobNotReadyError,
    MalformedResultsError,
    NotFoundError,
    PaymentRequiredError,
    PreflightRefusal,
    RateLimitError,
    ResponseValidationError,
    ResultsFileError,
    ResultsLinkError,
    UnprocessableEntityError,
    UnsupportedResultsFormatError,
    WaitTimeoutError,
)
from ._sync._client import CompanyEnrich
from ._sync._enrichments import Enrichments
from ._sync._exports import Exports
from ._sync._job_resource import JobResource
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

if TYPE_CHECKING:
    from companyenrich_export._results._dataframes import (
        read_pandas,
        read_polars,
        rows_to_pandas,
        rows_to_polars,
    )
    from companyenrich_export._results._record import Row, flatten_row
    from companyenrich_export._results._rows import RowReader, read_rows
    from companyenrich_export._results._table import format_table

# Reading rows is imported on first use: `import companyenrich_export` stays as
# quick as the client alone (the CLI's start-up is measured against httpx's).
_LAZY = {
    "Row": "._results._record",
    "flatten_row": "._results._record",
    "RowReader": "._results._rows",
    "format_table": "._results._table",
    "read_rows": "._results._rows",
    "read_pandas": "._results._dataframes",
    "read_polars": "._results._dataframes",
    "rows_to_pandas": "._results._dataframes",
    "rows_to_polars": "._results._dataframes",
}


if not TYPE_CHECKING:
    # Hidden from type checkers, which see the imports above instead: a
    # visible `__getattr__` would make every misspelled import `Any`.
    def __getattr__(name: str) -> object:
        module = _LAZY.get(name)
        if module is None:
            raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
        value = getattr(importlib.import_module(module, __name__), name)
        globals()[name] = value
        return value


def __dir__() -> list[str]:
    return sorted({*globals(), *_LAZY})


__all__ = [
    "API_KEY_ENV",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "Account",
    "AccountJob",
    "AccountJobPage",
    "AccountLimitError",
    "AccountLimits",
    "AmountRange",
    "AsyncCompanyEnrich",
    "AsyncEnrichments",
    "AsyncExports",
    "AsyncJobResource",
    "AsyncJobs",
    "AuthenticationError",
    "BadRequestError",
    "BusinessCategory",
    "Clock",
    "CompanyEnrich",
    "CompanyEnrichError",
    "CompanyType",
    "CreatedEnrichmentJob",
    "CreatedExportJob",
    "CreditHeaders",
    "CreditLimitError",
    "DownloadInProgressError",
    "DownloadTimeoutError",
    "EmployeeRange",
    "EnrichmentFailedError",
    "EnrichmentJob",
    "EnrichmentJobPage",
    "EnrichmentJobSummary",
    "EnrichmentNotReadyError",
    "EnrichmentResult",
    "Enrichments",
    "ExcludeFilter",
    "ExportEstimate",
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
    "InsufficientCreditsError",
    "InternalServerError",
    "JobFailedError",
    "JobNotReadyError",
    "JobResource",
    "JobStatus",
    "Jobs",
    "JobsTimeoutError",
    "MalformedResultsError",
    "NotFoundError",
    "PaymentRequiredError",
    "PollSchedule",
    "PreflightRefusal",
    "RateLimitError",
    "ResponseValidationError",
    "ResultsFileError",
    "ResultsLinkError",
    "RetryPolicy",
    "RevenueRange",
    "Row",
    "RowReader",
    "SearchFilter",
    "SimilarFilter",
    "SystemClock",
    "UnprocessableEntityError",
    "UnsupportedResultsFormatError",
    "WaitTimeoutError",
    "WorkforceSize",
    "YearRange",
    "__version__",
    "flatten_row",
    "format_table",
    "read_pandas",
    "read_polars",
    "read_rows",
    "rows_to_pandas",
    "rows_to_polars",
]
