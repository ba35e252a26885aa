"""`client.exports`: the export-job operations, from job id to file on disk.

Each operation is a plan (see `_base_client`): validation first, then the
request made from the generated client's `_get_kwargs` (so paths, queries
and bodies follow openapi.yaml), then a typed result or a typed error.
`Exports` and `AsyncExports` only run those plans.
"""

from __future__ import annotations

import logging
import os
from collections.abc import AsyncIterator, Callable, Iterator, Mapping
from pathlib import Path
from typing import Any, TypeVar
from uuid import UUID

import attrs
import httpx

from companyenrich_export_api.api.exports import (
    create_export_job,
    get_export_job,
    list_export_jobs,
)
from companyenrich_export_api.models import CreateExportRequest
from companyenrich_export_api.types import UNSET

from ._base_client import (
    USER_AGENT,
    ClientConfig,
    DeadlineExceeded,
    Drain,
    Plan,
    Read,
    RequestSlots,
    Send,
    Sleep,
    capped_timeout,
    run_async,
    run_sync,
    send_with_retries,
    transport_error,
)
from ._exceptions import (
    APIConnectionError,
    APIStatusError,
    CompanyEnrichError,
    ExportFailedError,
    ExportNotReadyError,
    IncompleteDownloadError,
    InternalServerError,
    WaitTimeoutError,
    status_error,
)
from ._files import AtomicFile, resolve_destination
from ._filter_check import FilterKind, checked_filter
from ._models import (
    CreatedExportJob,
    ExportJob,
    ExportJobPage,
    ExportJobSummary,
    JobStatus,
    coerce_job_id,
    parse_created,
    parse_job,
    parse_page,
)
from ._timing import PollSchedule
from ._webhook import is_webhook_url
from .filters import SearchFilter, SimilarFilter

__all__ = ["AsyncExports", "ExportResult", "Exports"]

logger = logging.getLogger("companyenrich_export")

MAX_EXPORT_COUNT = 50_000
MAX_PAGE_SIZE = 100
DEFAULT_WAIT_TIMEOUT = 30 * 60.0
# The last poll of a wait() still gets this long to answer, even at the deadline.
FINAL_POLL_TIMEOUT = 2.0
MAX_REDIRECTS = 5

T = TypeVar("T")
Timeout = float | httpx.Timeout | None
ProgressCallback = Callable[[ExportJob], object]
ByteProgressCallback = Callable[[int, int | None], object]
JobRef = UUID | str | ExportJob


@attrs.frozen(kw_only=True)
class ExportResult:
    """What `exports.run()` returns: the finished job and where its file is."""

    job: ExportJob
    path: Path


# --- validation (before any request) ---------------------------------------------


def _timeout(config: ClientConfig, timeout: Timeout) -> httpx.Timeout:
    if timeout is None:
        return config.timeout
    if isinstance(timeout, httpx.Timeout):
        return timeout
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return httpx.Timeout(timeout)


def _wait_timeout(timeout: object) -> float:
    if isinstance(timeout, bool) or not isinstance(timeout, int | float) or not timeout > 0:
        raise ValueError(f"timeout must be a positive number of seconds, got {timeout!r}")
    return float(timeout)


def _positive_int(name: str, value: object, *, maximum: int) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise TypeError(f"{name} must be an int, got {type(value).__name__}")
    if not 1 <= value <= maximum:
        raise ValueError(f"{name} must be between 1 and {maximum:,}, got {value:,}")
    return value


def _status(value: JobStatus | str | None) -> JobStatus | None:
    if value is None:
        return None
    try:
        return JobStatus(value)
    except ValueError:
        allowed = ", ".join(status.value for status in JobStatus)
        raise ValueError(f"status must be one of {allowed}; got {value!r}") from None


def _create_body(
    *,
    count: object,
    search: Mapping[str, Any] | None,
    similar: Mapping[str, Any] | None,
    webhook_url: str | None,
    allow_unknown_filters: bool = False,
) -> CreateExportRequest:
    checked_count = _positive_int("count", count, maximum=MAX_EXPORT_COUNT)
    if (search is None) == (similar is None):
        raise ValueError("Give exactly one of search= or similar=.")
    kind: FilterKind = "search" if search is not None else "similar"
    query = checked_filter(
        kind, search if search is not None else similar, allow_unknown=allow_unknown_filters
    )
    if webhook_url is not None and not (
        isinstance(webhook_url, str) and is_webhook_url(webhook_url)
    ):
        raise ValueError(
            "webhook_url must be an absolute http(s) URL with a host name or IPv4 address "
            f"(RFC 3986: ASCII only, other characters percent-encoded), got {webhook_url!r}"
        )
    body = CreateExportRequest(
        count=checked_count, webhook_url=UNSET if webhook_url is None else webhook_url
    )
    # The filter goes in as checked, not through the generated model, which
    # would reorder it and drop fields sent under allow_unknown_filters.
    body.additional_properties[kind] = query
    return body


# --- plans ------------------------------------------------------------------------


def _get_plan(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    job_id: UUID,
    timeout: httpx.Timeout,
    deadline: float | None = None,
) -> Plan[tuple[ExportJob, float | None]]:
    request = config.api_request(http, get_export_job._get_kwargs(job_id), timeout=timeout)
    reply = yield from send_with_retries(request, config, deadline=deadline)
    return parse_job(reply.response.content, reply.response), reply.retry_after


def _wait_plan(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    job_id: UUID,
    *,
    timeout: float,
    request_timeout: httpx.Timeout,
    schedule: PollSchedule,
    on_progress: ProgressCallback | None,
) -> Plan[ExportJob]:
    clock = config.clock
    started = clock.monotonic()
    deadline = started + timeout
    last_seen: ExportJob | None = None
    while True:
        remaining = deadline - clock.monotonic()
        try:
            job, retry_after = yield from _get_plan(
                config,
                http,
                job_id,
                capped_timeout(request_timeout, max(remaining, FINAL_POLL_TIMEOUT)),
                deadline=deadline,
            )
        except DeadlineExceeded as exc:
            raise WaitTimeoutError(job_id, timeout, last_seen) from exc.last_error
        except APIConnectionError as exc:
            if clock.monotonic() >= deadline:
                raise WaitTimeoutError(job_id, timeout, last_seen) from exc
            raise
        if job != last_seen and on_progress is not None:
            on_progress(job)
        last_seen = job
        if job.status is JobStatus.COMPLETED:
            return job
        if job.status is JobStatus.FAILED:
            raise ExportFailedError(job)
        now = clock.monotonic()
        if now >= deadline:
            raise WaitTimeoutError(job_id, timeout, job)
        interval = max(schedule.interval(now - started), retry_after or 0.0)
        yield Sleep(min(interval, deadline - now))


def _download_plan(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    job: ExportJob,
    target: Path,
    *,
    timeout: httpx.Timeout,
    on_progress: ByteProgressCallback | None,
) -> Plan[Path]:
    refreshed = False
    retry_number = 0
    with AtomicFile(target) as partial:
        while True:
            try:
                yield from _stream_to(config, http, job, partial, timeout, on_progress)
            except APIStatusError as error:
                # Pre-signed links expire; the API hands out a fresh one on every GET.
                if error.status_code in (403, 404) and not refreshed:
                    logger.info(
                        "Results link for %s refused (%d); refreshing it",
                        job.job_id,
                        error.status_code,
                    )
                    job, _ = yield from _get_plan(config, http, job.job_id, timeout)
                    _require_results(job)
                    refreshed = True
                    continue
                if not isinstance(error, InternalServerError):
                    raise
                failure: CompanyEnrichError = error
            except APIConnectionError as error:
                failure = error
            else:
                return partial.commit()
            delay = config.retry.delay(retry_number, failure, idempotent=True)
            if delay is None:
                raise failure
            retry_number += 1
            logger.info(
                "Download of %s failed (%s); retry %d in %.2f s",
                job.job_id,
                failure,
                retry_number,
                delay,
            )
            yield Sleep(delay)


def _stream_to(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    job: ExportJob,
    partial: AtomicFile,
    timeout: httpx.Timeout,
    on_progress: ByteProgressCallback | None,
) -> Plan[None]:
    partial.restart()
    url = httpx.URL(_require_results(job))
    # The key goes only to the API's own origin, and never along a redirect.
    with_key = config.is_api_origin(url)
    for _ in range(MAX_REDIRECTS + 1):
        request = http.build_request(
            "GET", url, headers={"User-Agent": USER_AGENT}, timeout=timeout
        )
        if with_key:
            request.headers["Authorization"] = f"Bearer {config.api_key}"
        else:
            request.headers.pop("Authorization", None)
        try:
            response: httpx.Response = yield Send(request, stream=True)
        except httpx.TransportError as exc:
            raise transport_error(exc, request) from exc
        if not response.is_redirect:
            break
        try:
            yield Drain(response, lambda _chunk: None)
        except httpx.TransportError as exc:
            raise transport_error(exc, request) from exc
        url = url.join(response.headers["location"])
        with_key = False
    else:
        raise CompanyEnrichError(f"More than {MAX_REDIRECTS} redirects fetching the results.")
    if not response.is_success:
        # status_error() reads `response.text`: the body must be read, not just drained.
        try:
            yield Read(response)
        except httpx.TransportError as exc:
            raise transport_error(exc, request) from exc
        raise status_error(response, retry_after=None)

    expected = _content_length(response)

    def sink(chunk: bytes) -> None:
        partial.write(chunk)
        if on_progress is not None:
            on_progress(partial.bytes_written, expected)

    try:
        yield Drain(response, sink)
    except httpx.TransportError as exc:
        if isinstance(exc, httpx.RemoteProtocolError) and expected is not None:
            raise IncompleteDownloadError(
                request=request, received=response.num_bytes_downloaded, expected=expected
            ) from exc
        raise transport_error(exc, request) from exc
    if expected is not None and response.num_bytes_downloaded != expected:
        raise IncompleteDownloadError(
            request=request, received=response.num_bytes_downloaded, expected=expected
        )


def _content_length(response: httpx.Response) -> int | None:
    try:
        length = int(response.headers["content-length"])
    except (KeyError, ValueError):
        return None
    return length if length >= 0 else None


def _require_results(job: ExportJob) -> str:
    if job.status is JobStatus.FAILED:
        raise ExportFailedError(job)
    if job.status is not JobStatus.COMPLETED or job.results_url is None:
        raise ExportNotReadyError(job)
    return job.results_url


def _create_plan(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    body: CreateExportRequest,
    timeout: httpx.Timeout,
) -> Plan[CreatedExportJob]:
    request = config.api_request(http, create_export_job._get_kwargs(body=body), timeout=timeout)
    # Not idempotent: a 5xx or a lost answer may hide a job that was created.
    reply = yield from send_with_retries(request, config, idempotent=False)
    return parse_created(reply.response.content, reply.response)


def _page_plan(
    config: ClientConfig,
    http: httpx.Client | httpx.AsyncClient,
    *,
    page: int,
    page_size: int,
    status: JobStatus | None,
    timeout: httpx.Timeout,
) -> Plan[ExportJobPage]:
    kwargs = list_export_jobs._get_kwargs(
        page=page, page_size=page_size, status=UNSET if status is None else status
    )
    request = config.api_request(http, kwargs, timeout=timeout)
    reply = yield from send_with_retries(request, config)
    return parse_page(reply.response.content, reply.response)


def _next_page(current: ExportJobPage, requested: int) -> int | None:
    # Stop on a server that repeats or skips pages, rather than loop forever.
    if not current.items or not current.has_next or current.page != requested:
        return None
    return requested + 1


# --- the resources ---------------------------------------------------------------


class _ExportsBase:
    """What both clients share: every operation as a plan, its arguments checked first.

    The `_plan_*` methods raise ValueError/TypeError for bad arguments when
    called, before any plan runs, so nothing is sent; `Exports` and
    `AsyncExports` then only choose how the plan's effects are performed.
    """

    _http: httpx.Client | httpx.AsyncClient

    def __init__(self, config: ClientConfig) -> None:
        self._config = config

    def _plan_get(self, job_id: JobRef, timeout: Timeout) -> Plan[ExportJob]:
        plan = _get_plan(
            self._config, self._http, coerce_job_id(job_id), _timeout(self._config, timeout)
        )
        return _job_of(plan)

    def _plan_wait(
        self,
        job_id: JobRef,
        timeout: float,
        on_progress: ProgressCallback | None,
        poll_interval: float | PollSchedule | None,
        request_timeout: Timeout,
    ) -> Plan[ExportJob]:
        if poll_interval is None:
            schedule = self._config.poll
        elif isinstance(poll_interval, PollSchedule):
            schedule = poll_interval
        elif not poll_interval > 0:
            raise ValueError(f"poll_interval must be positive, got {poll_interval!r}")
        else:
            schedule = PollSchedule.fixed(poll_interval)
        return _wait_plan(
            self._config,
            self._http,
            coerce_job_id(job_id),
            timeout=_wait_timeout(timeout),
            request_timeout=_timeout(self._config, request_timeout),
            schedule=schedule,
            on_progress=on_progress,
        )

    def _plan_download(
        self,
        job: JobRef,
        dest: str | os.PathLike[str],
        timeout: Timeout,
        on_progress: ByteProgressCallback | None,
    ) -> Plan[Path]:
        request_timeout = _timeout(self._config, timeout)
        _check_dest_folder(dest)
        if isinstance(job, ExportJob):
            _require_results(job)
            return self._download_steps(job, job.job_id, dest, request_timeout, on_progress)
        return self._download_steps(None, coerce_job_id(job), dest, request_timeout, on_progress)

    def _download_steps(
        self,
        known: ExportJob | None,
        job_id: UUID,
        dest: str | os.PathLike[str],
        timeout: httpx.Timeout,
        on_progress: ByteProgressCallback | None,
    ) -> Plan[Path]:
        if known is None:
            job, _ = yield from _get_plan(self._config, self._http, job_id, timeout)
            _require_results(job)
        else:
            job = known
        target = resolve_destination(
            dest, results_url=job.results_url or "", fallback=f"{job.job_id}.csv"
        )
        return (
            yield from _download_plan(
                self._config, self._http, job, target, timeout=timeout, on_progress=on_progress
            )
        )

    def _plan_create(
        self,
        count: int,
        search: Mapping[str, Any] | None,
        similar: Mapping[str, Any] | None,
        webhook_url: str | None,
        timeout: Timeout,
        allow_unknown_filters: bool = False,
    ) -> Plan[CreatedExportJob]:
        body = _create_body(
            count=count,
            search=search,
            similar=similar,
            webhook_url=webhook_url,
            allow_unknown_filters=allow_unknown_filters,
        )
        return _create_plan(self._config, self._http, body, _timeout(self._config, timeout))

    def _plan_page(
        self, page: int, page_size: int, status: JobStatus | str | None, timeout: Timeout
    ) -> Plan[ExportJobPage]:
        return _page_plan(
            self._config,
            self._http,
            page=_positive_int("page", page, maximum=2**31 - 1),
            page_size=_positive_int("page_size", page_size, maximum=MAX_PAGE_SIZE),
            status=_status(status),
            timeout=_timeout(self._config, timeout),
        )

    def _check_list_args(
        self, status: JobStatus | str | None, page_size: int, timeout: Timeout
    ) -> JobStatus | None:
        # Checked when list() is called, not when the first page is fetched.
        _positive_int("page_size", page_size, maximum=MAX_PAGE_SIZE)
        _timeout(self._config, timeout)
        return _status(status)

    def _plan_run(
        self,
        count: int,
        dest: str | os.PathLike[str],
        search: Mapping[str, Any] | None,
        similar: Mapping[str, Any] | None,
        webhook_url: str | None,
        timeout: float,
        on_progress: ProgressCallback | None,
        allow_unknown_filters: bool = False,
    ) -> Plan[ExportResult]:
        create = self._plan_create(count, search, similar, webhook_url, None, allow_unknown_filters)
        # Before spending credits: the export must have somewhere to go, and a valid wait.
        _check_dest_folder(dest)
        _wait_timeout(timeout)
        return self._run_steps(create, dest, timeout, on_progress)

    def _run_steps(
        self,
        create: Plan[CreatedExportJob],
        dest: str | os.PathLike[str],
        timeout: float,
        on_progress: ProgressCallback | None,
    ) -> Plan[ExportResult]:
        created = yield from create
        job = yield from self._plan_wait(created.job_id, timeout, on_progress, None, None)
        path = yield from self._plan_download(job, dest, None, None)
        return ExportResult(job=job, path=path)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={str(self._config.base_url)!r})"


def _job_of(plan: Plan[tuple[ExportJob, float | None]]) -> Plan[ExportJob]:
    job, _ = yield from plan
    return job


class Exports(_ExportsBase):
    """Export jobs, with a blocking client."""

    _http: httpx.Client

    def __init__(self, config: ClientConfig, http: httpx.Client) -> None:
        super().__init__(config)
        self._http = http

    def _run(self, plan: Plan[T]) -> T:
        return run_sync(plan, self._http, self._config.clock)

    def get(self, job_id: JobRef, *, timeout: Timeout = None) -> ExportJob:
        """The job's current state (free: no credits are charged)."""
        return self._run(self._plan_get(job_id, timeout))

    def wait(
        self,
        job_id: JobRef,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        poll_interval: float | PollSchedule | None = None,
        request_timeout: Timeout = None,
    ) -> ExportJob:
        """Poll until the job completes and return it.

        Raises ExportFailedError if it fails and WaitTimeoutError (carrying the
        last state seen) at the deadline, `timeout` seconds from now.
        `on_progress` is called with every snapshot that differs from the last.
        """
        return self._run(
            self._plan_wait(job_id, timeout, on_progress, poll_interval, request_timeout)
        )

    def download(
        self,
        job: JobRef,
        dest: str | os.PathLike[str],
        *,
        timeout: Timeout = None,
        on_progress: ByteProgressCallback | None = None,
    ) -> Path:
        """Stream a completed job's results to `dest` (a file, or a folder to put it in).

        The file appears only once complete; on any failure nothing is left
        behind and an existing file at `dest` is untouched.
        """
        return self._run(self._plan_download(job, dest, timeout, on_progress))

    def create(
        self,
        *,
        count: int,
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        timeout: Timeout = None,
        allow_unknown_filters: bool = False,
    ) -> CreatedExportJob:
        """Start an export of `count` companies matching `search` or similar to `similar`.

        Costs 1 credit per exported company, charged on completion. Not
        retried after a 5xx or a lost answer, since the job may exist: list
        your jobs before creating it again.

        The filter is checked first (see `companyenrich_export.filters`): an
        unknown field, an undocumented value, a number out of range or an
        empty filter is a ValueError and nothing is sent. With
        `allow_unknown_filters=True` unknown fields and values are sent as
        given, with a warning.
        """
        return self._run(
            self._plan_create(count, search, similar, webhook_url, timeout, allow_unknown_filters)
        )

    def list_page(
        self,
        page: int = 1,
        *,
        page_size: int = 20,
        status: JobStatus | str | None = None,
        timeout: Timeout = None,
    ) -> ExportJobPage:
        """One page of your jobs, newest first."""
        return self._run(self._plan_page(page, page_size, status, timeout))

    def list(
        self,
        *,
        status: JobStatus | str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        timeout: Timeout = None,
    ) -> Iterator[ExportJobSummary]:
        """Every job, newest first, fetching pages lazily as you iterate."""
        checked = self._check_list_args(status, page_size, timeout)
        return self._iterate(checked, page_size, timeout)

    def _iterate(
        self, status: JobStatus | None, page_size: int, timeout: Timeout
    ) -> Iterator[ExportJobSummary]:
        number: int | None = 1
        while number is not None:
            page = self.list_page(number, page_size=page_size, status=status, timeout=timeout)
            if page.page != number:
                return  # a repeated or skipped page: its items are not the ones asked for
            yield from page.items
            number = _next_page(page, number)

    def run(
        self,
        *,
        count: int,
        dest: str | os.PathLike[str],
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        allow_unknown_filters: bool = False,
    ) -> ExportResult:
        """Create an export, wait for it and download it: query to file in one call."""
        return self._run(
            self._plan_run(
                count,
                dest,
                search,
                similar,
                webhook_url,
                timeout,
                on_progress,
                allow_unknown_filters,
            )
        )


class AsyncExports(_ExportsBase):
    """Export jobs, with an asyncio (or trio) client. Same methods, as coroutines."""

    _http: httpx.AsyncClient

    def __init__(self, config: ClientConfig, http: httpx.AsyncClient) -> None:
        super().__init__(config)
        self._http = http
        self._slots = RequestSlots()

    async def _run(self, plan: Plan[T]) -> T:
        return await run_async(plan, self._http, self._config.clock, self._slots)

    async def get(self, job_id: JobRef, *, timeout: Timeout = None) -> ExportJob:
        """The job's current state (free: no credits are charged)."""
        return await self._run(self._plan_get(job_id, timeout))

    async def wait(
        self,
        job_id: JobRef,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        poll_interval: float | PollSchedule | None = None,
        request_timeout: Timeout = None,
    ) -> ExportJob:
        """Poll until the job completes; see `Exports.wait`."""
        return await self._run(
            self._plan_wait(job_id, timeout, on_progress, poll_interval, request_timeout)
        )

    async def download(
        self,
        job: JobRef,
        dest: str | os.PathLike[str],
        *,
        timeout: Timeout = None,
        on_progress: ByteProgressCallback | None = None,
    ) -> Path:
        """Stream a completed job's results to `dest`; see `Exports.download`."""
        return await self._run(self._plan_download(job, dest, timeout, on_progress))

    async def create(
        self,
        *,
        count: int,
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        timeout: Timeout = None,
        allow_unknown_filters: bool = False,
    ) -> CreatedExportJob:
        """Start an export; see `Exports.create`."""
        return await self._run(
            self._plan_create(count, search, similar, webhook_url, timeout, allow_unknown_filters)
        )

    async def list_page(
        self,
        page: int = 1,
        *,
        page_size: int = 20,
        status: JobStatus | str | None = None,
        timeout: Timeout = None,
    ) -> ExportJobPage:
        """One page of your jobs, newest first."""
        return await self._run(self._plan_page(page, page_size, status, timeout))

    def list(
        self,
        *,
        status: JobStatus | str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        timeout: Timeout = None,
    ) -> AsyncIterator[ExportJobSummary]:
        """Every job, newest first: `async for job in client.exports.list(): ...`."""
        checked = self._check_list_args(status, page_size, timeout)
        return self._iterate(checked, page_size, timeout)

    async def _iterate(
        self, status: JobStatus | None, page_size: int, timeout: Timeout
    ) -> AsyncIterator[ExportJobSummary]:
        number: int | None = 1
        while number is not None:
            page = await self.list_page(number, page_size=page_size, status=status, timeout=timeout)
            if page.page != number:
                return  # a repeated or skipped page: its items are not the ones asked for
            for item in page.items:
                yield item
            number = _next_page(page, number)

    async def run(
        self,
        *,
        count: int,
        dest: str | os.PathLike[str],
        search: SearchFilter | None = None,
        similar: SimilarFilter | None = None,
        webhook_url: str | None = None,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: ProgressCallback | None = None,
        allow_unknown_filters: bool = False,
    ) -> ExportResult:
        """Create, wait and download in one call; see `Exports.run`."""
        return await self._run(
            self._plan_run(
                count,
                dest,
                search,
                similar,
                webhook_url,
                timeout,
                on_progress,
                allow_unknown_filters,
            )
        )


def _check_dest_folder(dest: str | os.PathLike[str]) -> None:
    # Fail before spending credits on an export that could not be saved.
    resolve_destination(dest, results_url="", fallback="export.csv")
