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


@dataclass(frozen=True, slots=True)
class Phase:
    """Where a job of any kind is at one instant; `offset` is when its work done is counted."""

    status: JobStatus
    offset: float
    """Seconds after creation at which the work done is measured (`units_done`)."""
    started_at: datetime | None
    completed_at: datetime | None
    error_message: str | None


@dataclass(kw_only=True, slots=True)
class LifecycleJob:
    """The clock-driven lifecycle every kind of fake job shares, written once.

    `owner` is a digest of the API key that created the job, never the key.
    The three durations are the seconds spent pending, processing (the work
    done growing linearly: companies exported, domains enriched) and
    completing. A job given `fail_with` fails `fail_after` seconds after
    creation (default: when processing would have ended), keeping the
    progress it had. A kind's job says what its units of work are.
    """

    job_id: UUID
    owner: str
    created_at: datetime
    created_monotonic: float
    pending_for: float
    processing_for: float
    completing_for: float
    fail_with: str | None = None
    fail_after: float | None = None
    webhook_url: str | None = None
    sequence: int = 0
    """Creation order; breaks ties between jobs created at the same instant."""
    _override: _Override | None = field(default=None, repr=False)
    # The last phase computed, by instant: the fake asks for every job's phase on
    # each request (the credits left are stamped on every answer), mostly at one
    # instant under a ManualClock, and a long run holds thousands of jobs.
    _last_phase: tuple[float, Phase] | None = field(
        default=None, init=False, repr=False, compare=False
    )

    def __post_init__(self) -> None:
        for name in ("pending_for", "processing_for", "completing_for"):
            if getattr(self, name) < 0:
                raise ValueError(f"{name} must not be negative")
        if self.fail_after is not None and self.fail_with is None:
            raise ValueError("fail_after needs fail_with")

    def _at(self, offset: float) -> datetime:
        return self.created_at + timedelta(seconds=offset)

    def units_done(self, total: int, offset: float) -> int:
        """Of `total` units of work, those done `offset` seconds after creation."""
        into_processing = offset - self.pending_for
        if into_processing <= 0:
            return 0
        if into_processing >= self.processing_for:
            return total
        return math.floor(total * into_processing / self.processing_for)

    def phase(self, now: float) -> Phase:
        """The job's phase at monotonic time `now`."""
        last = self._last_phase
        if last is not None and last[0] == now:
            return last[1]
        phase = self._phase_at(now)
        self._last_phase = (now, phase)
        return phase

    def status_at(self, now: float) -> JobStatus:
        """The status at monotonic time `now`, and nothing else: no dates are made.

        What the fake sums over all of a key's jobs on every request (the
        credits used and promised), where a whole `phase()` a job cost ten
        times as much. `phase()` takes its status from here.
        """
        forced = self._forced_at(now)
        if forced is not None:
            return forced.status
        elapsed = now - self.created_monotonic
        failure = self._failure_offset()
        if failure is not None and elapsed >= failure:
            return "failed"
        if elapsed < self.pending_for:
            return "pending"
        if elapsed < self.pending_for + self.processing_for:
            return "processing"
        if elapsed < self.pending_for + self.processing_for + self.completing_for:
            return "completing"
        return "completed"

    def _forced_at(self, now: float) -> _Override | None:
        if self._override is not None and now >= self._override.at:
            return self._override
        return None

    def _phase_at(self, now: float) -> Phase:
        status = self.status_at(now)
        forced = self._forced_at(now)
        if forced is not None:
            return self._forced_phase(forced)
        elapsed = now - self.created_monotonic
        failure = self._failure_offset()
        if status == "failed" and failure is not None:  # unforced, so the planned failure
            return self._failed(failure, self.fail_with)
        if status == "pending":
            return Phase("pending", elapsed, None, None, None)
        started = self._at(self.pending_for)
        if status == "processing":
            return Phase("processing", elapsed, started, None, None)
        if status == "completing":
            # Processing is over: all the work counts as done, even when its
            # duration was zero (elapsed then says nothing about progress).
            return Phase("completing", math.inf, started, None, None)
        finished = self.pending_for + self.processing_for + self.completing_for
        return Phase("completed", math.inf, started, self._at(finished), None)

    def _failure_offset(self) -> float | None:
        if self.fail_with is None:
            return None
        if self.fail_after is not None:
            return self.fail_after
        return self.pending_for + self.processing_for

    def _failed(self, offset: float, message: str | None) -> Phase:
        # `completed_at` is when the job stopped, failure included: the API
        # page calls it "when the job completed" and says no more.
        started = self._at(self.pending_for) if offset >= self.pending_for else None
        return Phase("failed", offset, started, self._at(offset), message or "failed")

    def _forced_phase(self, override: _Override) -> Phase:
        offset = override.at - self.created_monotonic
        if override.status == "failed":
            return self._failed(offset, override.message)
        # Completed early: all the work counts as done.
        started = self._at(min(self.pending_for, offset))
        return Phase("completed", math.inf, started, self._at(offset), None)

    def force(
        self, status: Literal["completed", "failed"], now: float, message: str | None
    ) -> None:
        current = self.phase(now)
        if current.status == status == "completed":
            return
        if current.status in ("completed", "failed"):
            raise ValueError(f"job {self.job_id} is already {current.status}")
        self._override = _Override(status, now, message)
        self._last_phase = None


@dataclass(kw_only=True, slots=True)
class FakeJob(LifecycleJob):
    """One export job held by the fake: its units of work are the companies exported."""

    requested_count: int
    total_matching: int
    rows: int | None = None
    """Data rows in the results file; default `exported_count`."""
    result_bytes: int | None = None
    """Pad the results file to about this many bytes (for download benchmarks)."""
    request: dict[str, Any] | None = field(default=None, repr=False)
    """The create body, for jobs made through the API."""

    @property
    def target_count(self) -> int:
        """How many companies a successful run exports."""
        return min(self.requested_count, self.total_matching)

    def state(self, now: float) -> JobState:
        """The job's state at monotonic time `now`."""
        phase = self.phase(now)
        exported = self.units_done(self.target_count, phase.offset)
        # Credits are charged on completion, for what was exported.
        credits = exported if phase.status == "completed" else 0
        return JobState(
            phase.status,
            exported,
            credits,
            phase.started_at,
            phase.completed_at,
            phase.error_message,
        )

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
