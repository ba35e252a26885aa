"""`client.jobs`: the account's jobs of every kind, from the account-wide list (`/jobs`).

Written once, as async code; `_sync/_jobs.py` is generated from it. Free
calls only: the list and one job. Items carry no counts and no results
link; follow a job with its kind's own client (`exports.get`, ...).
"""

from __future__ import annotations

from collections.abc import AsyncIterator
from contextlib import aclosing
from uuid import UUID

from companyenrich_export._core._arguments import (
    Timeout,
    job_status,
    per_request_timeout,
    positive_int,
)
from companyenrich_export._core._operations import DEFAULT_PAGE_SIZE, MAX_PAGE_NUMBER, MAX_PAGE_SIZE
from companyenrich_export._core._operations import get_account_job as get_account_job_request
from companyenrich_export._core._operations import list_account_jobs as list_account_jobs_request
from companyenrich_export._core._redact import redact_url
from companyenrich_export._jobs._enrichment_models import (
    AccountJob,
    AccountJobPage,
    parse_account_job,
    parse_account_page,
)
from companyenrich_export._jobs._models import JobStatus, coerce_job_id

from ._http import AsyncHTTP
from ._job_resource import paginate

__all__ = ["AsyncJobs"]


def _job_type(value: object) -> str | None:
    # An open string: only `bulk_enrichment` is documented, so any other text goes as given.
    if value is None:
        return None
    if not isinstance(value, str):
        raise TypeError(f"type must be a str, got {type(value).__name__}")
    if not value.strip() or not value.isprintable():
        raise ValueError(f"type must be a non-empty, printable job type, got {value!r}")
    return value


class AsyncJobs:
    """The account's jobs of every kind: list them, or get one by id (free)."""

    def __init__(self, http: AsyncHTTP) -> None:
        self._http = http
        self._config = http.config

    async def get(self, job_id: UUID | str | AccountJob, *, timeout: Timeout = None) -> AccountJob:
        """One job of any kind, as the account-wide list shows it."""
        job_uuid = coerce_job_id(job_id)
        per_request = per_request_timeout(self._config, timeout)
        reply = await self._http.call(get_account_job_request(job_uuid), timeout=per_request)
        return parse_account_job(
            reply.body, reply.response, expected_job_id=job_uuid, secret=self._config.api_key
        )

    async def list_page(
        self,
        page: int = 1,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        status: JobStatus | str | None = None,
        type: str | None = None,  # the API's own name for it
        timeout: Timeout = None,
    ) -> AccountJobPage:
        """One page of your jobs of every kind (or of one `type`, such as `bulk_enrichment`)."""
        operation = list_account_jobs_request(
            page=positive_int("page", page, maximum=MAX_PAGE_NUMBER),
            page_size=positive_int("page_size", page_size, maximum=MAX_PAGE_SIZE),
            status=job_status(status),
            job_type=_job_type(type),
        )
        per_request = per_request_timeout(self._config, timeout)
        reply = await self._http.call(operation, timeout=per_request)
        return parse_account_page(reply.body, reply.response, secret=self._config.api_key)

    def list(
        self,
        *,
        type: str | None = None,  # the API's own name for it
        status: JobStatus | str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        timeout: Timeout = None,
    ) -> AsyncIterator[AccountJob]:
        """Every job of the account, newest first, fetching pages lazily as you iterate.

        `type` is passed on as given (only `bulk_enrichment` is documented).
        """
        # Checked now, when list() is called, not when the first page is fetched.
        checked_status = job_status(status)
        checked_type = _job_type(type)
        positive_int("page_size", page_size, maximum=MAX_PAGE_SIZE)
        per_request_timeout(self._config, timeout)
        return self._pages(checked_type, checked_status, page_size, timeout)

    async def _pages(
        self, job_type: str | None, status: JobStatus | None, page_size: int, timeout: Timeout
    ) -> AsyncIterator[AccountJob]:
        async def fetch(number: int) -> AccountJobPage:
            return await self.list_page(
                number, page_size=page_size, status=status, type=job_type, timeout=timeout
            )

        async with aclosing(paginate(fetch)) as jobs:
            async for job in jobs:
                yield job

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self._config.base_url)!r})"
