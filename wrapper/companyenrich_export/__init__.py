"""Typed client for CompanyEnrich's async company-export API.

    from companyenrich_export import CompanyEnrich

    with CompanyEnrich() as client:                  # key from COMPANYENRICH_API_KEY
        job = client.exports.wait(job_id, on_progress=print)
        path = client.exports.download(job, "companies.csv")

The low-level client generated from openapi.yaml is `companyenrich_export_api`;
this package is the hand-written layer on top (retries, waiting, downloads,
typed errors). `companyenrich_export.testing` holds a fake CompanyEnrich
server for your own tests.
"""

from ._async._client import AsyncCompanyEnrich
from ._async._exports import AsyncExports
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
from ._models import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    ExportResult,
    JobStatus,
)
from ._requests import API_KEY_ENV
from ._sync._client import CompanyEnrich
from ._sync._exports import Exports
from ._timing import PollSchedule, RetryPolicy
from ._version import __version__

__all__ = [
    "API_KEY_ENV",
    "APIConnectionError",
    "APIStatusError",
    "APITimeoutError",
    "AsyncCompanyEnrich",
    "AsyncExports",
    "AuthenticationError",
    "BadRequestError",
    "Clock",
    "CompanyEnrich",
    "CompanyEnrichError",
    "CreatedExportJob",
    "ExportFailedError",
    "ExportJob",
    "ExportJobPage",
    "ExportJobSummary",
    "ExportNotReadyError",
    "ExportResult",
    "Exports",
    "IncompleteDownloadError",
    "InternalServerError",
    "JobStatus",
    "NotFoundError",
    "PaymentRequiredError",
    "PollSchedule",
    "RateLimitError",
    "ResponseValidationError",
    "RetryPolicy",
    "SystemClock",
    "UnprocessableEntityError",
    "WaitTimeoutError",
    "__version__",
]
