"""What the job watcher (`_async/_watch.py`) shares with its generated sync twin.

The watcher is cooperative: it has no thread or task of its own. Each
`wait()` (and `as_completed()`) registers its jobs; while fewer than
`COALESCE_AT` jobs are registered each one is polled on its own, as always;
from `COALESCE_AT` on, whichever waiter is due runs the next scan of the list
endpoint for the jobs still active, at most every `SCAN_INTERVAL` seconds, and
the others take its result. So nothing runs when nobody waits, and the sync
client needs no background thread: waiters in threads take turns holding a
`threading.Lock`, tasks in one event loop an `anyio.Lock`.

The lock and the scope pairs below differ between sync and async in more
than `await`; `scripts/generate_sync.py` turns `AsyncWatchScope` into
`SyncWatchScope`.
"""

from __future__ import annotations

import threading
from collections.abc import Iterable
from typing import Any, Final
from uuid import UUID

import anyio
import anyio.lowlevel
import attrs

from companyenrich_export._exceptions import WaitTimeoutError
from companyenrich_export._jobs._models import ExportJob, ExportJobSummary, JobStatus

__all__ = [
    "ACTIVE_STATUSES",
    "COALESCE_AT",
    "COALESCE_OFF",
    "SCAN_INTERVAL",
    "SCAN_PAGE_SIZE",
    "AsyncWatchScope",
    "JobsTimeoutError",
    "SyncWatchScope",
    "as_job",
]

# From this many jobs followed at once (per key, origin and event loop), one
# scan of the active jobs replaces per-job polls: below it, per-job polling
# (1 s, then 10% of the time waited, at most 30 s) costs no more than a scan of
# three statuses every SCAN_INTERVAL.
COALESCE_AT: Final = 10
# ... and back to per-job polls below this many (hysteresis: the last jobs of a
# batch keep a scan's lag, and a count hovering at the threshold does not flap).
COALESCE_OFF: Final = 3
# Seconds between two scans: the detection lag of a coalesced wait is about
# this plus one request.
SCAN_INTERVAL: Final = 5.0
# The list endpoint's largest page.
SCAN_PAGE_SIZE: Final = 100
# In the order a job goes through them: a job moving on during a scan is met
# again in a status scanned later, instead of slipping between two.
ACTIVE_STATUSES: Final = (JobStatus.PENDING, JobStatus.PROCESSING, JobStatus.COMPLETING)


class AsyncWatchScope:
    @staticmethod
    def token() -> object:
        """Watchers are per event loop: an anyio lock belongs to one."""
        return anyio.lowlevel.current_token()

    @staticmethod
    def lock() -> anyio.Lock:
        return anyio.Lock()


class SyncWatchScope:
    @staticmethod
    def token() -> object:
        """One watcher for every thread of the process."""
        return None

    @staticmethod
    def lock() -> threading.Lock:
        return threading.Lock()


def as_job(summary: ExportJobSummary) -> ExportJob:
    """A list item as an `ExportJob` (without `results_url`, which lists do not carry)."""
    if isinstance(summary, ExportJob):
        return summary
    return ExportJob(**attrs.asdict(summary, recurse=False))


class JobsTimeoutError(WaitTimeoutError[Any]):
    """`as_completed()` reached its deadline; `still_running` holds the unfinished job ids.

    `last_seen` maps each of them to the last state seen (None if none was).
    """

    def __init__(
        self,
        still_running: Iterable[UUID],
        timeout: float,
        last_seen: dict[UUID, Any],
        *,
        noun: str = "export",
    ) -> None:
        running = tuple(still_running)
        shown = ", ".join(str(job_id) for job_id in running[:5])
        more = f" and {len(running) - 5} more" if len(running) > 5 else ""
        first = running[0] if running else None
        super().__init__(
            first,
            timeout,
            last_seen.get(first) if first is not None else None,
            noun=noun[:1].upper() + noun[1:],
        )
        self.message = (
            f"{len(running)} {noun} job(s) did not finish within {timeout:g} s: {shown}{more}."
        )
        self.args = (self.message,)
        self.still_running = running
        self.last_seen = last_seen
