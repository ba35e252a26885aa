# Generated from _async/_watch.py by scripts/generate_sync.py (make generate).
# Do not edit: change the async code and regenerate (make check-generated fails).
"""The job watcher: every wait of one key and origin in one place, one scan for many jobs.

Written once, as async code; `_sync/_watch.py` is generated from it. The
design (cooperative, no thread or task of its own) is in `_jobs/_watching.py`.

A scan asks the list endpoint for the jobs in each active status in turn
(pending, processing, completing; pages of 100) and stops early once every
followed job has been seen. A followed job that no page of the scan showed
has left the active set, or slipped between two pages while the list moved:
either way its waiter fetches it on its own, for its final state and its
`results_url`. Nothing is ever assumed finished for being absent.
"""

from __future__ import annotations

import functools
import math
import threading
import weakref
from collections.abc import Iterable, Iterator, Mapping
from typing import TYPE_CHECKING, Any
from uuid import UUID

from companyenrich_export._core._backends import SyncBackend
from companyenrich_export._core._budget import key_digest
from companyenrich_export._core._clock import Clock, SystemClock
from companyenrich_export._core._operations import MAX_PAGE_NUMBER
from companyenrich_export._core._requests import ClientConfig, DeadlineExceeded, capped_timeout
from companyenrich_export._exceptions import RateLimitError
from companyenrich_export._jobs._watching import (
    ACTIVE_STATUSES,
    COALESCE_AT,
    COALESCE_OFF,
    SCAN_INTERVAL,
    JobsTimeoutError,
    SyncWatchScope,
)

if TYPE_CHECKING:
    import httpx

    from ._job_resource import JobResource

    AnyResource = JobResource[Any, Any, Any, Any, Any]

__all__ = ["Watcher", "completed_jobs", "watcher_for"]

# How long the poll made at the deadline may take (as wait()'s FINAL_POLL_TIMEOUT).
_LAST_POLL = 2.0
# Waits shorter than this are no wait: a clock's float sums may fall a hair short.
_EPSILON = 1e-6


class Watcher:
    """The jobs followed for one key, origin and event loop, and the last scan of them."""

    def __init__(self, clock: Clock) -> None:
        self.clock = clock
        self.generation = 0
        """Scans finished so far: a waiter asks for one newer than the last it used."""
        self.scans = 0
        self.coalesce_at: float = COALESCE_AT
        """Followed jobs from which scans replace polls (the benchmark's baseline raises it)."""
        self._followers: dict[UUID, int] = {}
        self._coalescing = False
        self._followers_lock = threading.Lock()
        self._scan_lock = SyncWatchScope.lock()
        self._active: Mapping[UUID, Any] = {}
        self._scanned_at = -math.inf

    @property
    def coalescing(self) -> bool:
        """Whether enough jobs are followed for one scan to replace their polls.

        On from `coalesce_at` jobs; once on, it stays on down to COALESCE_OFF,
        so the last jobs of a batch keep a scan's short lag instead of falling
        back to polls up to 30 s apart.
        """
        followed = len(self._followers)
        if followed >= self.coalesce_at:
            self._coalescing = True
        elif followed < min(COALESCE_OFF, self.coalesce_at):
            self._coalescing = False
        return self._coalescing

    def follow(self, job_ids: Iterable[UUID]) -> None:
        with self._followers_lock:
            for job_id in job_ids:
                self._followers[job_id] = self._followers.get(job_id, 0) + 1

    def unfollow(self, job_ids: Iterable[UUID]) -> None:
        with self._followers_lock:
            for job_id in job_ids:
                left = self._followers.get(job_id, 0) - 1
                if left > 0:
                    self._followers[job_id] = left
                else:
                    self._followers.pop(job_id, None)

    def look(self, after: int, exports: AnyResource) -> tuple[int, Mapping[UUID, Any]]:
        """The active jobs per a scan newer than generation `after`, scanning if none is.

        One waiter scans (no sooner than SCAN_INTERVAL after the previous
        scan began); the others take its result. Nobody sleeps holding the
        lock, so a waiter cancelled at its deadline never holds up the rest.
        """
        while True:
            with self._scan_lock:
                if self.generation > after:
                    return self.generation, self._active
                wait = self._scanned_at + SCAN_INTERVAL - self.clock.monotonic()
                if wait <= _EPSILON:
                    self._scan(exports)
                    return self.generation, self._active
            self.clock.sleep(wait)

    def _scan(self, exports: AnyResource) -> None:
        # Started now: a job that ends during the scan is caught by the next one.
        self._scanned_at = self.clock.monotonic()
        with self._followers_lock:
            followed = set(self._followers)
        active: dict[UUID, Any] = {}
        for status in ACTIVE_STATUSES:
            number = 1
            while number <= MAX_PAGE_NUMBER and not followed <= active.keys():
                page = exports.scan_page(number, status)
                for item in page.items:
                    # A server that ignores the filter may list finished jobs too.
                    if item.status in ACTIVE_STATUSES:
                        active[item.job_id] = item
                if not page.items or not page.has_next or page.page != number:
                    break
                number += 1
        self._active = active
        self.generation += 1
        self.scans += 1

    def __repr__(self) -> str:
        return f"{type(self).__name__}(followed={len(self._followers)}, scans={self.scans})"


_registry_lock = threading.Lock()
_watchers: weakref.WeakValueDictionary[tuple[object, ...], Watcher] = weakref.WeakValueDictionary()


def watcher_for(config: ClientConfig, kind: str = "export") -> Watcher:
    """The process's watcher for this key, origin and job kind (in this event loop).

    Made on first use; a kind's scans read that kind's list.

    It lives as long as a wait holds it. Registered under a salted digest of
    the key, never the key.
    """
    clock = config.clock
    # Each SystemClock is the same time; a test clock is a world of its own.
    clock_id: object = "system" if type(clock) is SystemClock else id(clock)
    key = (key_digest(config.api_key), config.origin, kind, clock_id, SyncWatchScope.token())
    with _registry_lock:
        watcher = _watchers.get(key)
        if watcher is None:
            watcher = _watchers[key] = Watcher(clock)
        return watcher


def completed_jobs(
    exports: AnyResource,
    job_ids: list[UUID],
    *,
    seconds: float,
    per_request: httpx.Timeout,
) -> Iterator[Any]:
    """Each job's final state as it ends (see `as_completed` of a job kind's resource)."""
    config = exports.config
    clock = config.clock
    schedule = config.poll
    kind = exports.kind
    summary_job = kind.summary_job
    watcher = watcher_for(config, kind.name)
    started = clock.monotonic()
    deadline = started + seconds
    last_seen: dict[UUID, Any] = dict.fromkeys(job_ids)
    due = dict.fromkeys(job_ids, started)
    generation = watcher.generation
    watcher.follow(job_ids)
    try:
        while last_seen:
            now = clock.monotonic()
            if now >= deadline:
                raise JobsTimeoutError(last_seen, seconds, dict(last_seen), noun=kind.noun)
            if summary_job is not None and watcher.coalescing:
                look = functools.partial(watcher.look, generation, exports)
                try:
                    generation, listed = SyncBackend.run_within(deadline - now, look)
                except (TimeoutError, RateLimitError, DeadlineExceeded):
                    continue  # the deadline check above ends it, or the next scan is tried
                candidates = []
                for job_id in last_seen:
                    if job_id in listed:
                        last_seen[job_id] = summary_job(listed[job_id])
                    else:
                        candidates.append(job_id)
            else:
                candidates = [job_id for job_id in last_seen if due[job_id] <= now + _EPSILON]
                if not candidates:
                    clock.sleep(min(min(due.values()), deadline) - now)
                    continue
            for job_id in candidates:
                now = clock.monotonic()
                if now >= deadline:
                    break
                limit = max(deadline - now, _LAST_POLL)
                poll = functools.partial(
                    exports.fetch_job, job_id, capped_timeout(per_request, limit), deadline
                )
                retry_after: float | None
                try:
                    job, retry_after = SyncBackend.run_within(limit, poll)
                except (TimeoutError, DeadlineExceeded):
                    break
                except RateLimitError as exc:
                    job, retry_after = None, exc.retry_after
                if job is not None:
                    last_seen[job_id] = job
                    if job.is_terminal:
                        del last_seen[job_id], due[job_id]
                        watcher.unfollow([job_id])
                        yield job
                        continue
                now = clock.monotonic()
                interval = max(schedule.interval(now - started), retry_after or 0.0)
                due[job_id] = now + interval
    finally:
        watcher.unfollow(last_seen)
