"""Export jobs of the fake and their clock-driven lifecycle.

A job never changes by itself: its state is computed from the fake's
`clock.monotonic()` whenever someone asks, so tests move time with
`ManualClock.advance()` (or the client's own sleeps) instead of waiting.
"""

from __future__ import annotations

import math
from dataclasses import dataclass, field
from datetime import datetime, timedelta
from typing import Any, Literal
from uuid import UUID

JobStatus = Literal["pending", "processing", "completing", "completed", "failed"]


def iso_timestamp(moment: datetime) -> str:
    """The vendor's format: UTC, milliseconds, `Z` (2026-02-17T02:04:03.743Z)."""
    return moment.isoformat(timespec="milliseconds").replace("+00:00", "Z")


@dataclass(frozen=True, slots=True)
class JobState:
    """What a job looks like at one instant."""

    status: JobStatus
    exported_count: int
    credits_charged: int
    started_at: datetime | None
    completed_at: datetime | None
    error_message: str | None


@dataclass(frozen=True, slots=True)
class _Override:
    status: Literal["completed", "failed"]
    at: float
    message: str | None


@dataclass(slots=True)
class FakeJob:
    """One export job held by the fake.

    `owner` is a digest of the API key that created the job, never the key.
    The three durations are the seconds spent pending, processing (with
    `exported_count` growing linearly) and completing. A job given
    `fail_with` fails `fail_after` seconds after creation (default: when
    processing would have ended), keeping the progress it had.
    """

    job_id: UUID
    owner: str
    requested_count: int
    total_matching: int
    created_at: datetime
    created_monotonic: float
    pending_for: float
    processing_for: float
    completing_for: float
    fail_with: str | None = None
    fail_after: float | None = None
    rows: int | None = None
    """Data rows in the results file; default `exported_count`."""
    result_bytes: int | None = None
    """Pad the results file to about this many bytes (for download benchmarks)."""
    webhook_url: str | None = None
    request: dict[str, Any] | None = field(default=None, repr=False)
    """The create body, for jobs made through the API."""
    sequence: int = 0
    """Creation order; breaks ties between jobs created at the same instant."""
    _override: _Override | None = field(default=None, repr=False)

    def __post_init__(self) -> None:
        for name in ("pending_for", "processing_for", "completing_for"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.fail_after is not None and self.fail_with is None:
            raise ValueError("fail_after needs fail_with")

    @property
    def target_count(self) -> int:
        """How many companies a successful run exports."""
        return min(self.requested_count, self.total_matching)

    def _at(self, offset: float) -> datetime:
        return self.created_at + timedelta(seconds=offset)

    def _progress(self, elapsed: float) -> int:
        """Companies exported `elapsed` seconds after creation."""
        into_processing = elapsed - self.pending_for
        if into_processing <= 0:
            return 0
        if into_processing >= self.processing_for:
            return self.target_count
        return math.floor(self.target_count * into_processing / self.processing_for)

    def state(self, now: float) -> JobState:
        """The job's state at monotonic time `now`."""
        if self._override is not None and now >= self._override.at:
            return self._forced_state(self._override)
        elapsed = now - self.created_monotonic
        failure = self._failure_offset()
        if failure is not None and elapsed >= failure:
            return self._failed(failure, self.fail_with)
        if elapsed < self.pending_for:
            return JobState("pending", 0, 0, None, None, None)
        started = self._at(self.pending_for)
        if elapsed < self.pending_for + self.processing_for:
            return JobState("processing", self._progress(elapsed), 0, started, None, None)
        finished = self.pending_for + self.processing_for + self.completing_for
        if elapsed < finished:
            return JobState("completing", self.target_count, 0, started, None, None)
        count = self.target_count
        return JobState("completed", count, count, started, self._at(finished), None)

    def _failure_offset(self) -> float | None:
        if self.fail_with is None:
            return None
        if self.fail_after is not None:
            return self.fail_after
        return self.pending_for + self.processing_for

    def _failed(self, offset: float, message: str | None) -> JobState:
        # `completed_at` is when the job stopped, failure included: the API
        # page calls it "when the job completed" and says no more.
        started = self._at(self.pending_for) if offset >= self.pending_for else None
        return JobState(
            "failed", self._progress(offset), 0, started, self._at(offset), message or "failed"
        )

    def _forced_state(self, override: _Override) -> JobState:
        offset = override.at - self.created_monotonic
        if override.status == "failed":
            return self._failed(offset, override.message)
        started = self._at(min(self.pending_for, offset))
        count = self.target_count
        return JobState("completed", count, count, started, self._at(offset), None)

    def force(
        self, status: Literal["completed", "failed"], now: float, message: str | None
    ) -> None:
        current = self.state(now)
        if current.status == status and status == "completed":
            return
        if current.status in ("completed", "failed"):
            raise ValueError(f"job {self.job_id} is already {current.status}")
        self._override = _Override(status, now, message)

    def summary(self, now: float) -> dict[str, Any]:
        """The job as the list endpoint shows it (ExportJobSummary)."""
        state = self.state(now)
        return {
            "job_id": str(self.job_id),
            "status": state.status,
            "requested_count": self.requested_count,
            "total_matching": self.total_matching,
            "exported_count": state.exported_count,
            "credits_charged": state.credits_charged,
            "created_at": iso_timestamp(self.created_at),
            "started_at": iso_timestamp(state.started_at) if state.started_at else None,
            "completed_at": iso_timestamp(state.completed_at) if state.completed_at else None,
        }

    def detail(self, now: float, results_url: str | None) -> dict[str, Any]:
        """The job as the status endpoint shows it (ExportJob, all eleven fields)."""
        state = self.state(now)
        return {
            **self.summary(now),
            "results_url": results_url if state.status == "completed" else None,
            "error_message": state.error_message,
        }
