"""Contains all the data models used in inputs/outputs"""

from .account import Account
from .account_capabilities import AccountCapabilities
from .account_credits import AccountCredits
from .account_job import AccountJob
from .account_job_page import AccountJobPage
from .amount_range import AmountRange
from .bulk_enrichment_job import BulkEnrichmentJob
from .bulk_enrichment_job_list_item import BulkEnrichmentJobListItem
from .bulk_enrichment_job_page import BulkEnrichmentJobPage
from .business_category import BusinessCategory
from .company_count_type_1 import CompanyCountType1
from .company_count_type_2 import CompanyCountType2
from .company_search_filter import CompanySearchFilter
from .company_type import CompanyType
from .count_companies_accept import CountCompaniesAccept
from .count_similar_companies_accept import CountSimilarCompaniesAccept
from .create_bulk_enrichment_job_accept import CreateBulkEnrichmentJobAccept
from .create_bulk_enrichment_request import CreateBulkEnrichmentRequest
from .create_export_job_accept import CreateExportJobAccept
from .create_export_request import CreateExportRequest
from .created_bulk_enrichment_job import CreatedBulkEnrichmentJob
from .created_export_job import CreatedExportJob
from .employee_range import EmployeeRange
from .exclude_filter import ExcludeFilter
from .export_job import ExportJob
from .export_job_page import ExportJobPage
from .export_job_summary import ExportJobSummary
from .filter_operator import FilterOperator
from .funding_round import FundingRound
from .get_account_accept import GetAccountAccept
from .get_account_job_accept import GetAccountJobAccept
from .get_bulk_enrichment_job_accept import GetBulkEnrichmentJobAccept
from .get_export_job_accept import GetExportJobAccept
from .job_status import JobStatus
from .list_account_jobs_accept import ListAccountJobsAccept
from .list_bulk_enrichment_jobs_accept import ListBulkEnrichmentJobsAccept
from .list_export_jobs_accept import ListExportJobsAccept
from .problem_details import ProblemDetails
from .problem_details_errors import ProblemDetailsErrors
from .revenue_range import RevenueRange
from .similar_companies_filter import SimilarCompaniesFilter
from .workforce_growth import WorkforceGrowth
from .workforce_size import WorkforceSize
from .year_range import YearRange

__all__ = (
    "Account",
    "AccountCapabilities",
    "AccountCredits",
    "AccountJob",
    "AccountJobPage",
    "AmountRange",
    "BulkEnrichmentJob",
    "BulkEnrichmentJobListItem",
    "BulkEnrichmentJobPage",
    "BusinessCategory",
    "CompanyCountType1",
    "CompanyCountType2",
    "CompanySearchFilter",
    "CompanyType",
    "CountCompaniesAccept",
    "CountSimilarCompaniesAccept",
    "CreateBulkEnrichmentJobAccept",
    "CreateBulkEnrichmentRequest",
    "CreateExportJobAccept",
    "CreateExportRequest",
    "CreatedBulkEnrichmentJob",
    "CreatedExportJob",
    "EmployeeRange",
    "ExcludeFilter",
    "ExportJob",
    "ExportJobPage",
    "ExportJobSummary",
    "FilterOperator",
    "FundingRound",
    "GetAccountAccept",
    "GetAccountJobAccept",
    "GetBulkEnrichmentJobAccept",
    "GetExportJobAccept",
    "JobStatus",
    "ListAccountJobsAccept",
    "ListBulkEnrichmentJobsAccept",
    "ListExportJobsAccept",
    "ProblemDetails",
    "ProblemDetailsErrors",
    "RevenueRange",
    "SimilarCompaniesFilter",
    "WorkforceGrowth",
    "WorkforceSize",
    "YearRange",
)
