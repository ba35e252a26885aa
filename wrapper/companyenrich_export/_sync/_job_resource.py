# Generated from _async/_job_resource.py by scripts/generate_sync.py (make generate).
# Do not edit: change the async code and regenerate (make check-generated fails).
"""The job machinery, written once for every kind: get, wait, download, rows, list.

`AsyncJobResource` is bound to one `JobKind` (`_jobs/_kinds.py`): its paths,
parsers, errors and limits. `AsyncExports` and `AsyncEnrichments` are its
subclasses, adding only what their kind's create takes. Written once, as
async code; `_sync/_job_resource.py` is generated from it by
`scripts/generate_sync.py` (`make generate`). Each public method reads top to
bottom: arguments checked (`_arguments`), the kind's request (`_kinds`), sent
with retries and a bounded body (`_http`), the answer read by the kind's
parser into a typed value or a typed error (`_exceptions`).
"""

from __future__ import annotations

import functools
import logging
import os
from collections.abc import Callable, Iterable, Iterator
from contextlib import closing
from pathlib import Path
from typing import TYPE_CHECKING, Generic, TypeVar, cast
from uuid import UUID

import httpx

from companyenrich_export._core._arguments import (
    ByteProgressCallback,
    Timeout,
    job_status,
    per_request_timeout,
    poll_schedule,
    positive_int,
    results_timeouts,
    wait_timeout,
)
from companyenrich_export._core._backends import SyncBackend, SyncChunks
from companyenrich_export._core._deadline import Deadline
from companyenrich_export._core._operations import DEFAULT_PAGE_SIZE, MAX_PAGE_NUMBER, MAX_PAGE_SIZE
from companyenrich_export._core._redact import redact_url
from companyenrich_export._core._requests import (
    ClientConfig,
    DeadlineExceeded,
    capped_timeout,
    raise_transport_error,
)
from companyenrich_export._core._timing import DEFAULT_WAIT_TIMEOUT, PollSchedule
from companyenrich_export._exceptions import (
    APIConnectionError,
    APIStatusError,
    CompanyEnrichError,
    DownloadTimeoutError,
    IncompleteDownloadError,
    InternalServerError,
    RateLimitError,
    WaitTimeoutError,
)
from companyenrich_export._jobs._kinds import JobKind
from companyenrich_export._jobs._models import JobStatus, coerce_job_id
from companyenrich_export._jobs._protocols import JobState, Page, SyncItems, SyncPageFetch
from companyenrich_export._jobs._watching import SCAN_PAGE_SIZE
from companyenrich_export._results._files import claim_fallback, resolve_destination
from companyenrich_export._results._inflate import finish_download
from companyenrich_export._results._resume import ResumeRefusedError, ServedFile

from ._http import HTTP, raw_chunks
from ._sinks import BinaryWriter, FileSink, WriterSink
from ._watch import completed_jobs, watcher_for

if TYPE_CHECKING:
    from companyenrich_export._results._record import Row

__all__ = [
    "FINAL_POLL_TIMEOUT",
    "JobResource",
    "paginate",
]

logger = logging.getLogger("companyenrich_export")

# The last poll of a wait() still gets this long to answer, even at the deadline;
# so wait() ends at most this long after its deadline, whatever the server does.
FINAL_POLL_TIMEOUT = 2.0

JobT = TypeVar("JobT", bound=JobState)
SummaryT = TypeVar("SummaryT")
CreatedT = TypeVar("CreatedT")
PageT = TypeVar("PageT")
BodyT = TypeVar("BodyT")
ItemT = TypeVar("ItemT")


def paginate(fetch: SyncPageFetch[ItemT]) -> SyncItems[ItemT]:
    """Every item of pages 1, 2, ... as `fetch(number)` answers them, fetched lazily.

    Stops on a server that repeats or skips pages, rather than loop forever
    or hand out items that are not the ones asked for.
    """
    number: int | None = 1
    while number is not None:
        page = fetch(number)
        if page.page != number:
            return  # a repeated or skipped page: its items are not the ones asked for
        for item in page.items:
            yield item
        number = number + 1 if page.items and page.has_next else None


class JobResource(Generic[JobT, SummaryT, CreatedT, PageT, BodyT]):
    """Jobs of one kind: follow, list and download them (free calls only).

    Subclasses add the kind's `create` and `run`. A job is passed as its id
    (UUID or its text) or as this kind's status value, which needs no GET
    when it is already completed.
    """

    def __init__(self, http: HTTP, kind: JobKind[JobT, SummaryT, CreatedT, PageT, BodyT]) -> None:
        self._http = http
        self._config = http.config
        self._kind = kind

    @property
    def kind(self) -> JobKind[JobT, SummaryT, CreatedT, PageT, BodyT]:
        """What this resource's jobs are (`EXPORT`, `BULK_ENRICHMENT`)."""
        return self._kind

    def _job_id(self, job: UUID | str | JobT) -> UUID:
        if isinstance(job, self._kind.job_class):
            return cast("JobState", job).job_id
        return coerce_job_id(job)

    def _require_results(self, job: JobT) -> str:
        return self._kind.require_results(job)

    def get(self, job_id: UUID | str | JobT, *, timeout: Timeout = None) -> JobT:
        """The job's current state (free: no credits are charged)."""
        job_uuid = self._job_id(job_id)
        job, _ = self._fetch_job(job_uuid, per_request_timeout(self._config, timeout))
        return job

    def _fetch_job(
        self, job_id: UUID, timeout: httpx.Timeout, deadline: float | None = None
    ) -> tuple[JobT, float | None]:
        """The job and the longest Retry-After its server asked for on the way."""
        reply = self._http.call(self._kind.get_request(job_id), timeout=timeout, deadline=deadline)
        # An answer about another job is refused: following it would show, or
        # download, somebody else's results.
        job = self._kind.parse_job(
            reply.body, reply.response, expected_job_id=job_id, secret=self._config.api_key
        )
        return job, reply.retry_after

    def wait(
        self,
        job_id: UUID | str | JobT,
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: Callable[[JobT], object] | None = None,
        poll_interval: float | PollSchedule | None = None,
        request_timeout: Timeout = None,
    ) -> JobT:
        """Poll until the job completes and return it.

        Raises the kind's JobFailedError (ExportFailedError, EnrichmentFailedError)
        if it fails, and WaitTimeoutError (carrying
        the last state seen) at the deadline, `timeout` seconds from now: the
        call ends by then plus at most FINAL_POLL_TIMEOUT (2 s), however
        slowly the server answers. `on_progress` gets every snapshot that
        differs from the last. `poll_interval` is seconds (at least 0.5) or a
        PollSchedule. With many waits in the process on the same key (see
        `_watching.COALESCE_AT`), one scan of the job list replaces their polls.
        """
        job_uuid = self._job_id(job_id)
        seconds = wait_timeout(timeout)
        schedule = poll_schedule(poll_interval, self._config.poll)
        per_request = per_request_timeout(self._config, request_timeout)
        clock = self._config.clock
        started = clock.monotonic()
        deadline = started + seconds
        last_seen: JobT | None = None
        title = self._kind.title
        summary_job = self._kind.summary_job
        watcher = watcher_for(self._config, self._kind.name)
        generation = watcher.generation
        watcher.follow([job_uuid])
        try:
            while True:
                if summary_job is not None and watcher.coalescing:
                    look = functools.partial(watcher.look, generation, self)
                    try:
                        generation, listed = SyncBackend.run_within(
                            max(deadline - clock.monotonic(), 0.0), look
                        )
                    except TimeoutError:
                        raise WaitTimeoutError(job_uuid, seconds, last_seen, noun=title) from None
                    except (RateLimitError, DeadlineExceeded):
                        listed = {}  # the scan failed: this job is polled on its own instead
                    summary = listed.get(job_uuid)
                    if summary is not None:
                        job = summary_job(summary)
                        if job != last_seen and on_progress is not None:
                            on_progress(job)
                        last_seen = job
                        if clock.monotonic() >= deadline:
                            raise WaitTimeoutError(job_uuid, seconds, job, noun=title)
                        continue
                budget = max(deadline - clock.monotonic(), FINAL_POLL_TIMEOUT)
                poll = functools.partial(
                    self._fetch_job, job_uuid, capped_timeout(per_request, budget), deadline
                )
                try:
                    job, retry_after = SyncBackend.run_within(budget, poll)
                except TimeoutError:
                    raise WaitTimeoutError(job_uuid, seconds, last_seen, noun=title) from None
                except DeadlineExceeded as exc:
                    raise WaitTimeoutError(
                        job_uuid, seconds, last_seen, noun=title
                    ) from exc.last_error
                except (APIConnectionError, RateLimitError) as exc:
                    now = clock.monotonic()
                    if now >= deadline:
                        raise WaitTimeoutError(job_uuid, seconds, last_seen, noun=title) from exc
                    if isinstance(exc, APIConnectionError):
                        raise
                    # The key is over its limit (the budget has slowed down): not the
                    # caller's problem while the deadline allows another look.
                    interval = max(schedule.interval(now - started), exc.retry_after or 0.0)
                    clock.sleep(min(interval, deadline - now))
                    continue
                if job != last_seen and on_progress is not None:
                    on_progress(job)
                last_seen = job
                if job.status is JobStatus.COMPLETED:
                    return job
                if job.status is JobStatus.FAILED:
                    raise self._kind.failed_error(job)
                now = clock.monotonic()
                if now >= deadline:
                    raise WaitTimeoutError(job_uuid, seconds, job, noun=title)
                interval = max(schedule.interval(now - started), retry_after or 0.0)
                clock.sleep(min(interval, deadline - now))
        finally:
            watcher.unfollow([job_uuid])

    def as_completed(
        self,
        jobs: Iterable[UUID | str | JobT],
        *,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        request_timeout: Timeout = None,
    ) -> Iterator[JobT]:
        """Each job's final state (completed or failed) as it finishes.

        Follows every job on the process's watcher, so 1,000 exports are one
        scan of the job list every few seconds, not 1,000 poll loops (a kind
        whose list items lack the status value's fields, such as bulk
        enrichment, polls each job instead). `timeout` is the whole call's
        deadline: then `JobsTimeoutError` (a WaitTimeoutError) lists the jobs
        still running. A failed job is yielded, not raised. The same job
        given twice is followed once.
        """
        job_ids = list(dict.fromkeys(self._job_id(job) for job in jobs))
        seconds = wait_timeout(timeout)
        per_request = per_request_timeout(self._config, request_timeout)
        return completed_jobs(self, job_ids, seconds=seconds, per_request=per_request)

    # For the job watcher (`_watch.py`), which polls and scans on behalf of waits.
    @property
    def config(self) -> ClientConfig:
        return self._config

    def fetch_job(
        self, job_id: UUID, timeout: httpx.Timeout, deadline: float | None = None
    ) -> tuple[JobT, float | None]:
        return self._fetch_job(job_id, timeout, deadline)

    def scan_page(self, page: int, status: JobStatus) -> PageT:
        return self.list_page(page, page_size=SCAN_PAGE_SIZE, status=status)

    def download(
        self,
        job: UUID | str | JobT,
        dest: str | os.PathLike[str],
        *,
        timeout: float | None = None,
        request_timeout: Timeout = None,
        on_progress: ByteProgressCallback | None = None,
        decompress: bool | None = None,
    ) -> Path:
        """Stream a completed job's results to `dest` (a file, or a folder to put it in).

        The file appears only once complete, and an existing file at `dest`
        is untouched until then. A dropped connection is resumed where it
        stopped; when the retries run out on a network failure (or the
        deadline passes), what arrived stays hidden beside `dest` for the next
        call to go on from. Anything else (an error, Ctrl-C, a cancelled task)
        leaves nothing behind.

        `timeout` is the whole call's wall-clock deadline in seconds (None:
        none): DownloadTimeoutError by then plus at most DEADLINE_GRACE (2 s).
        `request_timeout` is each HTTP request's. A second download of the
        same job to the same place at the same time raises
        DownloadInProgressError; in a folder, two jobs never get one name.
        Returns the path written.

        A gzip body (compressed by the server) under a name without `.gz` is
        inflated once complete, bounded (`MalformedResultsError` for a bomb);
        `decompress=False` keeps it as served, named `<dest>.gz`, and
        `decompress=True` inflates under a `.gz` name too. The path returned
        is the file's. See `_inflate` and docs/dataframes.md.
        """
        per_request, seconds = results_timeouts(self._config, timeout, request_timeout)
        self._check_dest_folder(dest)
        deadline = Deadline(self._config.clock, seconds)
        finished = self._completed(job, per_request, deadline)
        fallback = f"{finished.job_id}.csv"
        target = resolve_destination(
            dest, results_url=finished.results_url or "", fallback=fallback
        )
        with FileSink(
            target,
            resume_key=str(finished.job_id),
            claim_or=claim_fallback(dest, target, fallback),
        ) as sink:
            served = sink.resumed or ServedFile()
            try:
                self._save(finished, sink, served, per_request, deadline, on_progress)
            except (APIConnectionError, InternalServerError):
                # The network gave out (or the time did), not the caller: what arrived
                # stays, hidden beside dest, and the next download() of this job goes on.
                sink.keep(served)
                raise
            return sink.finish(functools.partial(finish_download, decompress=decompress))

    def download_to(
        self,
        job: UUID | str | JobT,
        writer: BinaryWriter,
        *,
        timeout: float | None = None,
        request_timeout: Timeout = None,
        on_progress: ByteProgressCallback | None = None,
    ) -> int:
        """Stream a completed job's results into `writer` (`sys.stdout.buffer`, a socket...).

        Returns the number of bytes written. A dropped connection is resumed
        where it stopped when the server allows; a download that would have to
        start over after bytes reached `writer` fails instead, since the
        writer cannot take them back. `timeout`/`request_timeout`: as for
        `download()`.
        """
        if not callable(getattr(writer, "write", None)):
            raise TypeError(f"writer must have a write(bytes) method, got {type(writer).__name__}")
        per_request, seconds = results_timeouts(self._config, timeout, request_timeout)
        deadline = Deadline(self._config.clock, seconds)
        finished = self._completed(job, per_request, deadline)
        sink = WriterSink(writer)
        self._save(finished, sink, ServedFile(), per_request, deadline, on_progress)
        return sink.commit()

    def iter_rows(
        self,
        job: UUID | str | JobT,
        *,
        timeout: float | None = None,
        request_timeout: Timeout = None,
    ) -> Iterator[Row]:
        """The results' records, one dict each, straight from the results link, in flat memory.

        A row is the vendor's company record (nested `location`, `socials`,
        `financial`...) whatever the file's format: CSV, JSON or JSON Lines,
        gzipped or not, chosen by Content-Type, Content-Encoding and the
        link's extension (see `read_rows` for the rule, and for reading a
        downloaded file). A dropped connection is resumed where it stopped;
        a file that changes meanwhile raises rather than mix two files.
        Raises UnsupportedResultsFormatError or MalformedResultsError for a
        file it cannot read. `timeout` bounds the reading of the file (from
        the first row asked for; time your loop spends on rows counts too),
        `request_timeout` each request: as for `download()`.
        """
        self._job_id(job)  # checked now, not when the first row is asked for
        per_request, seconds = results_timeouts(self._config, timeout, request_timeout)
        return self._rows(job, per_request, seconds)

    def _rows(
        self, job: UUID | str | JobT, timeout: httpx.Timeout, seconds: float | None
    ) -> Iterator[Row]:
        # Imported here: `import companyenrich_export` stays as light as it was.
        from companyenrich_export._results._rows import RowReader

        deadline = Deadline(self._config.clock, seconds)
        finished = self._completed(job, timeout, deadline)
        served = ServedFile()
        reader: RowReader | None = None
        read = 0
        chunks = self._results(finished, served, 0, lambda: read == 0, timeout, deadline)
        with closing(chunks):
            for offset, chunk in chunks:
                if offset != read:
                    raise CompanyEnrichError(
                        f"The results file of {self._kind.noun} {finished.job_id} changed while "
                        "its rows were being read; read them again."
                    )
                if reader is None:
                    reader = RowReader(
                        content_type=served.content_type,
                        content_encoding=served.content_encoding,
                        name=finished.results_url,
                    )
                read += len(chunk)
                for row in reader.feed(chunk):
                    yield row
        if reader is None:  # an empty file
            reader = RowReader(
                content_type=served.content_type,
                content_encoding=served.content_encoding,
                name=finished.results_url,
            )
        for row in reader.close():
            yield row

    def _completed(
        self, job: UUID | str | JobT, timeout: httpx.Timeout, deadline: Deadline | None = None
    ) -> JobT:
        """`job` itself when it is a completed status value of this kind, else fetched now."""
        if isinstance(job, self._kind.job_class):
            self._require_results(job)
            return job
        fetched = self._refetch(self._job_id(job), timeout, deadline)
        self._require_results(fetched)
        return fetched

    def _refetch(self, job_id: UUID, timeout: httpx.Timeout, deadline: Deadline | None) -> JobT:
        """The job now, within what is left of `deadline`."""
        left = None if deadline is None else deadline.remaining()
        if deadline is None or left is None:
            job, _ = self._fetch_job(job_id, timeout)
            return job
        fetch = functools.partial(self._fetch_job, job_id, deadline.cap(timeout))
        try:
            job, _ = SyncBackend.run_within(left, fetch)
        except TimeoutError:
            raise _overdue(deadline, httpx.Request("GET", self._config.base_url), 0) from None
        return job

    def _save(
        self,
        job: JobT,
        sink: FileSink | WriterSink,
        served: ServedFile,
        timeout: httpx.Timeout,
        deadline: Deadline,
        on_progress: ByteProgressCallback | None,
    ) -> None:
        chunks = self._results(job, served, sink.size, lambda: sink.can_restart, timeout, deadline)
        with closing(chunks):
            for offset, chunk in chunks:
                if offset != sink.size:
                    sink.restart()  # the whole file came back: it changed
                sink.write(chunk)
                if on_progress is not None:
                    on_progress(sink.size, served.total)

    def _results(
        self,
        job: JobT,
        served: ServedFile,
        start: int,
        can_restart: Callable[[], bool],
        timeout: httpx.Timeout,
        deadline: Deadline,
    ) -> SyncChunks:
        """The results file's bytes from `start` on, as (offset, chunk), through drops.

        A failed attempt is retried by the RetryPolicy; the next one asks for
        the rest only when `served` has a validator, else it starts over at
        offset 0 (allowed only while `can_restart()`). An expired link is
        refreshed once; a range the server cannot serve (416: a kept part
        that is already whole) or a part of another version of the file
        starts over once. Consumers compare each offset with what they hold:
        a smaller one means the server sent the whole file again.
        """
        position = start
        refreshed = False
        started_over = False
        retry_number = 0
        while True:
            failure: CompanyEnrichError
            attempt = self._attempt(
                job, served, position if served.resumable else 0, timeout, deadline
            )
            try:
                with closing(attempt):
                    for offset, chunk in attempt:
                        position = offset + len(chunk)
                        yield offset, chunk
                return
            except (ResumeRefusedError, APIStatusError) as error:
                # A 206 of another version of the file, or a 416 (a kept part that is
                # already whole, or a file that shrank): the part held is no use, and
                # the file is fetched whole, once, if what holds it can start over.
                refused = isinstance(error, ResumeRefusedError) or (
                    error.status_code == 416 and position > 0 and served.resumable
                )
                if refused and not started_over and can_restart():
                    logger.info("Resuming %s was refused; starting over", job.job_id)
                    started_over = True
                    served.validator = None
                    continue
                if not isinstance(error, APIStatusError):
                    raise
                # Pre-signed links expire; the API hands out a fresh one on every GET.
                if error.status_code in (403, 404) and not refreshed:
                    logger.info(
                        "Results link for %s refused (%d); refreshing it",
                        job.job_id,
                        error.status_code,
                    )
                    job = self._refetch(job.job_id, timeout, deadline)
                    self._require_results(job)
                    refreshed = True
                    continue
                if not isinstance(error, InternalServerError):
                    raise
                failure = error
            except APIConnectionError as error:
                failure = error
            if deadline.expired():
                raise _overdue(deadline, _request_of(failure), position) from None
            delay = self._config.retry.delay(retry_number, failure, idempotent=True)
            if delay is None or not (served.resumable or can_restart()):
                raise failure
            if not deadline.allows(delay):
                raise _overdue(deadline, _request_of(failure), position) from None
            retry_number += 1
            logger.info(
                "Download of %s failed after %d bytes (%s); retry %d in %.2f s",
                job.job_id,
                position,
                failure,
                retry_number,
                delay,
            )
            self._config.clock.sleep(delay)

    def _attempt(
        self,
        job: JobT,
        served: ServedFile,
        position: int,
        timeout: httpx.Timeout,
        deadline: Deadline,
    ) -> SyncChunks:
        """One request for the results from `position` (0: all of it), as (offset, chunk)."""
        response = self._open_within(
            deadline, self._require_results(job), timeout, served.resume_headers(position)
        )
        try:
            offset = served.accept(response, position)
            total = served.total
            try:
                with deadline.guard(response):
                    for chunk in raw_chunks(response):
                        if total is not None and offset + len(chunk) > total:
                            raise IncompleteDownloadError(
                                request=response.request,
                                received=offset + len(chunk),
                                expected=total,
                            )
                        yield offset, chunk
                        offset += len(chunk)
                        if deadline.expired():
                            raise _overdue(deadline, response.request, offset)
            except httpx.HTTPError as exc:
                if deadline.expired():
                    raise _overdue(deadline, response.request, offset) from None
                if isinstance(exc, httpx.RemoteProtocolError) and total is not None:
                    raise IncompleteDownloadError(
                        request=response.request, received=offset, expected=total
                    ) from None
                raise_transport_error(exc, response.request, self._config)
        finally:
            response.close()
        if total is not None and offset != total:
            raise IncompleteDownloadError(request=response.request, received=offset, expected=total)

    def _open_within(
        self, deadline: Deadline, url: str, timeout: httpx.Timeout, headers: dict[str, str]
    ) -> httpx.Response:
        """The results link's response (headers read), opened before the deadline.

        A server can send its headers a byte at a time as well: the opening is
        bounded as a whole, as wait()'s polls are. An opening given up on is
        closed as soon as it ends.
        """
        opening = functools.partial(
            self._http.open_results, url, timeout=deadline.cap(timeout), headers=headers
        )
        left = deadline.remaining()
        if left is None:
            return opening()
        given_up = False

        def open_unless_given_up() -> httpx.Response:
            response = opening()
            if given_up:
                response.close()
            return response

        try:
            return SyncBackend.run_within(left, open_unless_given_up)
        except TimeoutError:
            given_up = True
            raise _overdue(deadline, httpx.Request("GET", redact_url(url)), 0) from None
        except BaseException:
            given_up = True  # Ctrl-C, a cancelled task: an opening still under way is dropped
            raise

    def list_page(
        self,
        page: int = 1,
        *,
        page_size: int = DEFAULT_PAGE_SIZE,
        status: JobStatus | str | None = None,
        timeout: Timeout = None,
    ) -> PageT:
        """One page of your jobs, newest first."""
        operation = self._kind.list_request(
            page=positive_int("page", page, maximum=MAX_PAGE_NUMBER),
            page_size=positive_int("page_size", page_size, maximum=MAX_PAGE_SIZE),
            status=job_status(status),
        )
        per_request = per_request_timeout(self._config, timeout)
        reply = self._http.call(operation, timeout=per_request)
        return self._kind.parse_page(reply.body, reply.response, secret=self._config.api_key)

    def list(
        self,
        *,
        status: JobStatus | str | None = None,
        page_size: int = MAX_PAGE_SIZE,
        timeout: Timeout = None,
    ) -> Iterator[SummaryT]:
        """Every job, newest first, fetching pages lazily as you iterate."""
        # Checked now, when list() is called, not when the first page is fetched.
        checked_status = job_status(status)
        positive_int("page_size", page_size, maximum=MAX_PAGE_SIZE)
        per_request_timeout(self._config, timeout)
        return self._pages(checked_status, page_size, timeout)

    def _pages(
        self, status: JobStatus | None, page_size: int, timeout: Timeout
    ) -> Iterator[SummaryT]:
        def fetch(number: int) -> Page[SummaryT]:
            page = self.list_page(number, page_size=page_size, status=status, timeout=timeout)
            return cast("Page[SummaryT]", page)

        with closing(paginate(fetch)) as items:
            for item in items:
                yield item

    def _check_dest_folder(self, dest: str | os.PathLike[str]) -> Path:
        """Fail before spending credits or waiting on results that could not be saved."""
        return resolve_destination(dest, results_url="", fallback=self._kind.fallback_name)

    def _create(self, body: BodyT, timeout: Timeout) -> CreatedT:
        """POST a checked body: spends credits (on completion), so never retried blindly."""
        per_request = per_request_timeout(self._config, timeout)
        # Not idempotent: a 5xx or a lost answer may hide a job that was created.
        reply = self._http.call(
            self._kind.create_request(body), timeout=per_request, idempotent=False
        )
        return self._kind.parse_created(reply.body, reply.response, secret=self._config.api_key)

    def __repr__(self) -> str:
        return f"{type(self).__name__}(base_url={redact_url(self._config.base_url)!r})"


def _request_of(error: CompanyEnrichError) -> httpx.Request:
    if isinstance(error, APIStatusError):
        return error.response.request
    assert isinstance(error, APIConnectionError)
    return error.request


def _overdue(deadline: Deadline, request: httpx.Request, received: int) -> DownloadTimeoutError:
    return DownloadTimeoutError(request=request, timeout=deadline.seconds or 0.0, received=received)
