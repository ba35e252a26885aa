"""`client.enrichments`: bulk enrichment jobs, from a list of domains to a file of companies.

Only what is specific to bulk enrichment lives here (create, run); get,
wait, download, `iter_rows` and list are the shared job machinery of
`_job_resource.py`, bound to the `BULK_ENRICHMENT` kind. Written once, as
async code; `_sync/_enrichments.py` is generated from it by
`scripts/generate_sync.py` (`make generate`).
"""

from __future__ import annotations

import logging
import os
import tempfile
from collections.abc import Callable, Iterable
from pathlib import Path

from companyenrich_export._core._arguments import Timeout, check_webhook_url, wait_timeout
from companyenrich_export._core._backends import AsyncBackend
from companyenrich_export._core._timing import DEFAULT_WAIT_TIMEOUT
from companyenrich_export._jobs._domains import MAX_BULK_DOMAINS, normalise_domains, split_domains
from companyenrich_export._jobs._enrichment_models import (
    CreatedEnrichmentJob,
    EnrichmentJob,
    EnrichmentJobPage,
    EnrichmentJobSummary,
    EnrichmentResult,
)
from companyenrich_export._jobs._kinds import BULK_ENRICHMENT, enrichment_body
from companyenrich_export._results._files import resolve_destination
from companyenrich_export._results._join import join_format, joined_chunks
from companyenrich_export_api.models import CreateBulkEnrichmentRequest

from ._http import AsyncHTTP
from ._job_resource import AsyncJobResource
from ._sinks import AsyncFileSink

__all__ = ["AsyncEnrichments"]

logger = logging.getLogger("companyenrich_export")

_JOINED_EXTENSIONS = {"csv": ".csv", "json": ".json", "jsonl": ".jsonl"}


class AsyncEnrichments(
    AsyncJobResource[
        EnrichmentJob,
        EnrichmentJobSummary,
        CreatedEnrichmentJob,
        EnrichmentJobPage,
        CreateBulkEnrichmentRequest,
    ]
):
    """Bulk enrichment jobs: up to 10,000 domains a job, 1 credit per domain enriched."""

    def __init__(self, http: AsyncHTTP) -> None:
        super().__init__(http, BULK_ENRICHMENT)

    async def create(
        self,
        domains: Iterable[str],
        *,
        webhook_url: str | None = None,
        timeout: Timeout = None,
    ) -> CreatedEnrichmentJob:
        """Start enriching `domains` (any iterable of str: a list, a file's lines).

        They are normalised (case, surrounding space, a pasted scheme or
        path), de-duplicated and checked first: a domain that is not a host
        name, or more than 10,000 unique ones (see `run()` for more), is a
        ValueError naming the first offenders, and nothing is sent.

        Costs 1 credit per domain enriched, charged on completion. Not
        retried after a 5xx or a lost answer, since the job may exist: list
        your jobs before creating it again.
        """
        body = enrichment_body(domains=domains, webhook_url=webhook_url)
        return await self._create(body, timeout)

    async def run(
        self,
        domains: Iterable[str],
        dest: str | os.PathLike[str],
        *,
        webhook_url: str | None = None,
        timeout: float = DEFAULT_WAIT_TIMEOUT,
        on_progress: Callable[[EnrichmentJob], object] | None = None,
        on_created: Callable[[CreatedEnrichmentJob], object] | None = None,
        job_size: int = MAX_BULK_DOMAINS,
    ) -> EnrichmentResult:
        """Enrich `domains` (any number) and save the companies in one file at `dest`.

        Up to `job_size` (10,000, the most one job takes) unique domains is
        one job, whose file is saved as served. More are split into jobs of
        `job_size`, in order, all created
        before any is waited for; their files are joined into one plain file
        of the first's format (see `_join`: CSV keeps one header, JSON Lines
        are concatenated, JSON arrays merged). Everything is checked before
        the first job is created. `timeout` bounds the waiting for all of
        them together. The file appears at `dest` only once complete.

        `on_created` is called with each job as it is created: those jobs run
        (and are charged) whatever happens to this call after, so keep their
        ids. An error after the first create names them too: in a warning on
        the `companyenrich_export` logger and in a note on the exception.
        """
        # Everything that can be checked is checked before credits are spent.
        unique = normalise_domains(domains, limit=None)
        parts = split_domains(unique, job_size)
        check_webhook_url(webhook_url)
        guess = self._check_dest_folder(dest)
        seconds = wait_timeout(timeout)
        bodies = [enrichment_body(domains=part, webhook_url=webhook_url) for part in parts]
        created: list[CreatedEnrichmentJob] = []
        try:
            for body in bodies:
                created.append(await self._create(body, None))
                if on_created is not None:
                    on_created(created[-1])
            return await self._finish(created, dest, guess.parent, seconds, on_progress)
        except BaseException as error:
            if created:
                _name_paid_jobs(error, created, len(bodies))
            raise

    async def _finish(
        self,
        created: list[CreatedEnrichmentJob],
        dest: str | os.PathLike[str],
        folder: Path,
        seconds: float,
        on_progress: Callable[[EnrichmentJob], object] | None,
    ) -> EnrichmentResult:
        clock = self._config.clock
        deadline = clock.monotonic() + seconds
        jobs: list[EnrichmentJob] = []
        for job in created:
            left = max(deadline - clock.monotonic(), 0.5)
            jobs.append(await self.wait(job.job_id, timeout=left, on_progress=on_progress))
        if len(jobs) == 1:
            path = await self.download(jobs[0], dest)
            return EnrichmentResult(jobs=tuple(jobs), path=path)
        path = await self._download_joined(jobs, dest, folder)
        return EnrichmentResult(jobs=tuple(jobs), path=path)

    async def _download_joined(
        self, jobs: list[EnrichmentJob], dest: str | os.PathLike[str], folder: Path
    ) -> Path:
        # The parts are downloaded whole (resumed, checked) beside dest, then joined:
        # the joined file is written through the same sink, so it appears complete or not at all.
        with tempfile.TemporaryDirectory(prefix=".companyenrich-parts-", dir=folder) as scratch:
            parts = []
            for index, job in enumerate(jobs):
                part_folder = Path(scratch) / str(index)
                part_folder.mkdir()
                parts.append(await self.download(job, part_folder))
            extension = _JOINED_EXTENSIONS[join_format(parts[0])]
            target = resolve_destination(
                dest, results_url="", fallback=f"{jobs[0].job_id}{extension}"
            )
            chunks = joined_chunks(parts)
            async with AsyncFileSink(target, resume_key=f"joined-{jobs[0].job_id}") as sink:
                while (chunk := await AsyncBackend.to_thread(next, chunks, None)) is not None:
                    await sink.write(chunk)
                return await sink.commit()


def _name_paid_jobs(error: BaseException, created: list[CreatedEnrichmentJob], total: int) -> None:
    # Those jobs run (and are charged) whatever happens to this call: their ids must
    # reach the caller, in the log and on the exception itself (shown in its traceback).
    ids = ", ".join(str(job.job_id) for job in created)
    logger.warning(
        "run() stopped after creating %d of %d bulk enrichment jobs: %s", len(created), total, ids
    )
    error.add_note(
        f"Bulk enrichment jobs created before this error (they run and are charged): {ids}. "
        "Follow them with enrichments.wait(job_id) and enrichments.download(job, dest)."
    )
