"""Contains all the data models used in inputs/outputs"""

from .company_search_filter import CompanySearchFilter
from .company_search_filter_exclude import CompanySearchFilterExclude
from .create_export_job_accept import CreateExportJobAccept
from .create_export_request import CreateExportRequest
from .created_export_job import CreatedExportJob
from .export_job import ExportJob
from .export_job_page import ExportJobPage
from .export_job_summary import ExportJobSummary
from .get_export_job_accept import GetExportJobAccept
from .job_status import JobStatus
from .list_export_jobs_accept import ListExportJobsAccept
from .problem_details import ProblemDetails
from .problem_details_errors import ProblemDetailsErrors
from .similar_companies_filter import SimilarCompaniesFilter
from .similar_companies_filter_exclude import SimilarCompaniesFilterExclude
from .year_range import YearRange

__all__ = (
    "CompanySearchFilter",
    "CompanySearchFilterExclude",
    "CreateExportJobAccept",
    "CreateExportRequest",
    "CreatedExportJob",
    "ExportJob",
    "ExportJobPage",
    "ExportJobSummary",
    "GetExportJobAccept",
    "JobStatus",
    "ListExportJobsAccept",
    "ProblemDetails",
    "ProblemDetailsErrors",
    "SimilarCompaniesFilter",
    "SimilarCompaniesFilterExclude",
    "YearRange",
)
