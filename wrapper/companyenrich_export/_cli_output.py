"""What the CLI draws: job views, JSON, and progress (rich on a terminal, plain lines elsewhere).

rich is imported only inside the functions that draw with it, so that
`--help`, `get --json` and piped runs do not pay for it.
"""

from __future__ import annotations

import json
import time
from collections.abc import Callable
from datetime import UTC, datetime
from types import TracebackType
from typing import Any, Protocol, Self, TextIO

from ._models import CreatedExportJob, ExportJob, ExportJobSummary, _redacted_url

__all__ = [
    "ByteProgress",
    "JobProgress",
    "byte_progress",
    "created_to_json",
    "format_job",
    "format_jobs_table",
    "human_size",
    "job_progress",
    "job_to_json",
]

# Plain byte-progress lines are throttled: a download calls back once per chunk.
_PLAIN_BYTE_INTERVAL = 1.0


def job_to_json(job: ExportJobSummary) -> dict[str, Any]:
    """The job under the API's own field names, timestamps in ISO 8601, for `--json`."""
    fields: dict[str, Any] = {
        "job_id": str(job.job_id),
        "status": job.status.value,
        "requested_count": job.requested_count,
        "total_matching": job.total_matching,
        "exported_count": job.exported_count,
        "credits_charged": job.credits_charged,
        "created_at": _iso(job.created_at),
        "started_at": _iso(job.started_at),
        "completed_at": _iso(job.completed_at),
    }
    if isinstance(job, ExportJob):
        # Machine output keeps the whole pre-signed link: scripts need it to fetch the file.
        fields["results_url"] = job.results_url
        fields["error_message"] = job.error_message
    return fields


def created_to_json(created: CreatedExportJob) -> dict[str, Any]:
    return {
        "job_id": str(created.job_id),
        "status": created.status.value,
        "requested_count": created.requested_count,
        "total_matching": created.total_matching,
        "estimated_credits": created.estimated_credits,
    }


def format_jobs_table(jobs: list[ExportJobSummary], stream: TextIO, *, interactive: bool) -> None:
    """A table of jobs: drawn by rich on a terminal, plain aligned columns for pipes."""
    header = ("JOB", "STATUS", "EXPORTED", "CREDITS", "CREATED")
    rows = [
        (
            str(job.job_id),
            job.status.value,
            _counts(job),
            f"{job.credits_charged:,}",
            _readable_time(job.created_at),
        )
        for job in jobs
    ]
    if interactive:
        from rich.console import Console
        from rich.table import Table

        table = Table(*header)
        for row in rows:
            table.add_row(*row)
        Console(file=stream).print(table)
        return
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=stream,
        )


def dump_json(job: ExportJob) -> str:
    return json.dumps(job_to_json(job), indent=2)


def format_job(job: ExportJob) -> str:
    """A readable key/value view of a job, one field a line."""
    rows: list[tuple[str, str]] = [
        ("Job", str(job.job_id)),
        ("Status", job.status.value),
        ("Exported", _counts(job)),
        ("Matching", f"{job.total_matching:,} companies"),
        ("Credits charged", f"{job.credits_charged:,}"),
        ("Created", _readable_time(job.created_at)),
        ("Started", _readable_time(job.started_at)),
        ("Completed", _readable_time(job.completed_at)),
    ]
    if job.results_url is not None:
        # The link's query is a credential to the file; terminals end up in
        # screenshots and CI logs, so the readable view hides it.
        rows.append(("Results", f"{_redacted_url(job.results_url)} (full link: --json)"))
    if job.error_message is not None:
        rows.append(("Error", job.error_message))
    width = max(len(label) for label, _ in rows)
    return "\n".join(f"{label + ':':<{width + 1}}  {value}" for label, value in rows)


def human_size(size: int) -> str:
    """Bytes in the largest binary unit that keeps the number at least 1."""
    if size < 1024:
        return f"{size} B"
    value = float(size)
    for unit in ("KiB", "MiB", "GiB", "TiB"):
        value /= 1024
        if value < 1024 or unit == "TiB":
            break
    return f"{value:.1f} {unit}"


def _iso(value: datetime | None) -> str | None:
    return value.isoformat() if value is not None else None


def _readable_time(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _percent(job: ExportJobSummary) -> str:
    return f"{job.progress:.0%}" if job.progress is not None else "-"


def _counts(job: ExportJobSummary) -> str:
    return f"{job.exported_count:,}/{job.requested_count:,} ({_percent(job)})"


# --- progress ---------------------------------------------------------------------


class JobProgress(Protocol):
    """A context that shows each new job snapshot; pass it as `wait(on_progress=...)`."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def __call__(self, job: ExportJob) -> None: ...


class ByteProgress(Protocol):
    """A context that shows bytes received; pass it as `download(on_progress=...)`."""

    def __enter__(self) -> Self: ...

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None: ...

    def __call__(self, received: int, total: int | None) -> None: ...


def job_progress(stream: TextIO, *, interactive: bool) -> JobProgress:
    """A live bar on a terminal; one plain line per snapshot anywhere else (logs, pipes)."""
    return _RichJobProgress(stream) if interactive else _PlainJobProgress(stream)


def byte_progress(stream: TextIO, *, interactive: bool) -> ByteProgress:
    return _RichByteProgress(stream) if interactive else _PlainByteProgress(stream)


class _PlainBase:
    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        self._stream = stream
        self._clock = clock
        self._started = clock()

    def __enter__(self) -> Self:
        self._started = self._clock()
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None

    def _line(self, text: str) -> None:
        # Flushed at once: a pipe is block-buffered, and a log line that
        # arrives only at exit is no progress report.
        print(f"[{self._clock() - self._started:7.1f}s] {text}", file=self._stream, flush=True)


class _PlainJobProgress(_PlainBase):
    def __call__(self, job: ExportJob) -> None:
        # wait() calls back only when the snapshot changed, so every call is news.
        self._line(f"{job.status.value:<10} {_counts(job)} exported")


class _PlainByteProgress(_PlainBase):
    def __init__(self, stream: TextIO, clock: Callable[[], float] = time.monotonic) -> None:
        super().__init__(stream, clock)
        self._last_line: float | None = None

    def __call__(self, received: int, total: int | None) -> None:
        now = self._clock()
        finished = total is not None and received >= total
        due = self._last_line is None or now - self._last_line >= _PLAIN_BYTE_INTERVAL
        if not (due or finished):
            return
        self._last_line = now
        if total is None:
            self._line(f"downloading {human_size(received)}")
        else:
            share = f"{received / total:.0%}" if total else "100%"
            self._line(f"downloading {human_size(received)} of {human_size(total)} ({share})")


class _RichBase:
    def __init__(self, stream: TextIO) -> None:
        self._stream = stream
        self._progress: Any = None
        self._task: Any = None

    def _start(self, columns: tuple[Any, ...], description: str, **fields: Any) -> None:
        from rich.console import Console
        from rich.progress import Progress

        self._progress = Progress(*columns, console=Console(file=self._stream), transient=False)
        self._progress.start()
        self._task = self._progress.add_task(description, total=None, **fields)

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # Always stop the live display (also on Ctrl-C): it owns the cursor.
        if self._progress is not None:
            self._progress.stop()


class _RichJobProgress(_RichBase):
    def __enter__(self) -> Self:
        from rich.progress import BarColumn, SpinnerColumn, TextColumn, TimeElapsedColumn

        self._start(
            (
                SpinnerColumn(),
                TextColumn("[bold]{task.fields[status]:<10}"),
                BarColumn(),
                TextColumn("{task.fields[counts]}"),
                TimeElapsedColumn(),
            ),
            "export",
            status="waiting",
            counts="",
        )
        return self

    def __call__(self, job: ExportJob) -> None:
        self._progress.update(
            self._task,
            # A total of None draws an indeterminate bar, which is right for 0 requested.
            total=job.requested_count or None,
            completed=job.exported_count,
            status=job.status.value,
            counts=f"{_counts(job)} exported",
        )


class _RichByteProgress(_RichBase):
    def __enter__(self) -> Self:
        from rich.progress import (
            BarColumn,
            DownloadColumn,
            TextColumn,
            TimeRemainingColumn,
            TransferSpeedColumn,
        )

        self._start(
            (
                TextColumn("[bold]download  "),
                BarColumn(),
                DownloadColumn(binary_units=True),
                TransferSpeedColumn(),
                TimeRemainingColumn(),
            ),
            "download",
        )
        return self

    def __call__(self, received: int, total: int | None) -> None:
        self._progress.update(self._task, completed=received, total=total)
