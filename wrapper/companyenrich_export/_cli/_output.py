"""What the CLI shows, and where: stdout for data, stderr for everything else.

`Streams` owns both: data lines and file bytes on stdout, progress and
messages on stderr, a reader that goes away (`| head`) noted rather than
fatal, and every character made safe for the terminal's encoding. Text
from the server is stripped of terminal control sequences, and URLs in
messages are cut to their origin, before anything is shown.

rich is imported only inside the functions that draw with it, so that
`--help`, `get --json` and piped runs do not pay for it.
"""

from __future__ import annotations

import contextlib
import csv
import errno
import io
import json
import os
import select
import time
from collections.abc import Callable, Iterable, Sequence
from datetime import UTC, datetime
from types import TracebackType
from typing import IO, Any, Protocol, Self, TextIO, cast

from companyenrich_export._core._redact import redact_text, terminal_safe, url_origin
from companyenrich_export._jobs._enrichment_models import EnrichmentJob
from companyenrich_export._jobs._kinds import BULK_ENRICHMENT
from companyenrich_export._jobs._models import ExportJob, ExportJobSummary

__all__ = [
    "ByteProgress",
    "JobProgress",
    "StdoutClosedError",
    "Streams",
    "byte_progress",
    "format_job",
    "format_jobs_table",
    "human_size",
    "job_progress",
    "print_table",
    "reader_left",
    "redact",
    "terminal_safe",
    "url_origin",
    "write_rows",
]

# Plain byte-progress lines are throttled: a download calls back once per chunk.
_PLAIN_BYTE_INTERVAL = 1.0


# --- text from elsewhere, made safe to show ---------------------------------------


def redact(text: str, secrets: Iterable[str] = ()) -> str:
    """`text` with each secret (in every quoted form) replaced and each URL cut to its origin."""
    return redact_text(text, secrets, origins=True)


def _encodable(text: str, encoding: str) -> str:
    # A character the stream cannot encode is shown as an escape (\xe9), never
    # raised: an exit code must not depend on the terminal's locale.
    try:
        return text.encode(encoding, "backslashreplace").decode(encoding, "replace")
    except LookupError:
        return text


# --- stdout and stderr ------------------------------------------------------------


class StdoutClosedError(Exception):
    """stdout went away while it was the destination of the results (`download JOB -`)."""


def reader_left(error: OSError) -> bool:
    """Whether a write failed because the reader went away (`| head`), not for lack of space."""
    return isinstance(error, BrokenPipeError | ConnectionResetError)


class _Channel:
    """A standard stream whose writes never raise: a failure is kept and the rest dropped.

    A closed pipe or a full disk must not abort a wait or a download that was
    paid for; `Streams` decides at the end what the loss means. Every write is
    flushed at once, so a failure shows up at the write that caused it.
    """

    def __init__(self, stream: TextIO | None) -> None:
        # None: the descriptor was closed before we started (`>&-`). That is a
        # loss only once something is written: `wait JOB >&-` loses nothing.
        self._stream = stream
        self.failure: OSError | None = None

    @property
    def closed(self) -> bool:
        return self._stream is None or self.failure is not None

    @property
    def encoding(self) -> str:
        return getattr(self._stream, "encoding", None) or "utf-8"

    @property
    def binary(self) -> IO[bytes] | None:
        """The byte stream beneath, for file contents."""
        buffer = getattr(self._stream, "buffer", None)
        return cast("IO[bytes] | None", buffer)

    def write(self, text: str) -> int:
        if self._stream is None:
            self.failure = self.failure or BrokenPipeError(errno.EPIPE, "closed before start")
        elif self.failure is None:
            try:
                self._stream.write(_encodable(text, self.encoding))
                self._stream.flush()
            except OSError as exc:
                self.lose(exc)
        return len(text)

    def flush(self) -> None:
        if self._stream is not None and self.failure is None:
            try:
                self._stream.flush()
            except OSError as exc:
                self.lose(exc)

    def isatty(self) -> bool:
        if self._stream is None or self.failure is not None:
            return False
        try:
            return self._stream.isatty()
        except (OSError, ValueError):
            return False

    def fileno(self) -> int:
        if self._stream is None:
            raise OSError(errno.EBADF, "stream is closed")
        return self._stream.fileno()

    def lose(self, error: OSError) -> None:
        self.failure = self.failure or error
        # The interpreter flushes the standard streams at exit: point this one at
        # /dev/null so what is still buffered is not written to the broken pipe again.
        with contextlib.suppress(OSError, ValueError, AttributeError):
            descriptor = self.fileno()
            null = os.open(os.devnull, os.O_WRONLY)
            try:
                os.dup2(null, descriptor)
            finally:
                os.close(null)


class _StdoutBytes:
    """The writer `download JOB -` hands to `download_to()`: the file's bytes to stdout.

    Here stdout is the destination, so its reader leaving ends the download
    (StdoutClosedError) and a write error is a failure naming <stdout>.
    """

    def __init__(self, channel: _Channel) -> None:
        self._channel = channel

    def write(self, chunk: bytes) -> int:
        binary = self._channel.binary
        if self._channel.closed or binary is None:
            self._channel.write("")  # notes the loss, if the stream was never there
            raise StdoutClosedError
        try:
            binary.write(chunk)
        except OSError as exc:
            self._fail(exc)
        return len(chunk)

    def flush(self) -> None:
        binary = self._channel.binary
        if self._channel.failure is None and binary is not None:
            try:
                binary.flush()
            except OSError as exc:
                self._fail(exc)

    def _fail(self, error: OSError) -> None:
        self._channel.lose(error)
        if reader_left(error):
            raise StdoutClosedError from None
        raise OSError(error.errno, error.strerror, "<stdout>") from None


class _Silent:
    """What --quiet shows: nothing."""

    def __enter__(self) -> Self:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        return None


class _SilentJobProgress(_Silent):
    def __call__(self, job: ExportJob | EnrichmentJob) -> None:
        return None


class _SilentByteProgress(_Silent):
    def __call__(self, received: int, total: int | None) -> None:
        return None


class Streams:
    """The CLI's two output channels: data on stdout, everything else on stderr."""

    def __init__(self, stdout: TextIO | None, stderr: TextIO | None) -> None:
        self.stdout = _Channel(stdout)
        self.stderr = _Channel(stderr)
        self.quiet = False
        self.debug = False
        self.secrets: list[str] = []

    # stdout: the command's data, and nothing else
    def data(self, text: str) -> None:
        self.stdout.write(text + "\n")

    def stdout_bytes(self) -> _StdoutBytes:
        self.stdout.flush()  # text before bytes, in order
        return _StdoutBytes(self.stdout)

    def stdout_reader_gone(self) -> bool:
        """Whether stdout is closed, or a pipe nobody reads any more (checked without writing)."""
        if self.stdout.closed:
            return True
        try:
            descriptor = self.stdout.fileno()
            poller = select.poll()
        except (OSError, ValueError, AttributeError):
            return False
        poller.register(descriptor, select.POLLOUT)
        # A pipe whose reader has exited reports POLLERR.
        return any(events & select.POLLERR for _, events in poller.poll(0))

    @property
    def stdout_is_terminal(self) -> bool:
        return _draws(self.stdout)

    # stderr: progress and messages
    def info(self, text: str, *, even_if_quiet: bool = False) -> None:
        """A message for a person; --quiet silences it unless it is the only record of a fact."""
        if even_if_quiet or not self.quiet:
            self.stderr.write(redact(terminal_safe(text), self.secrets) + "\n")

    def warn(self, text: str) -> None:
        self.stderr.write(f"warning: {self._one_line(text)}\n")

    def error(self, text: str) -> None:
        self.stderr.write(f"error: {self._one_line(text)}\n")

    def job_progress(self) -> JobProgress:
        if self.quiet:
            return _SilentJobProgress()
        return job_progress(cast("TextIO", self.stderr), interactive=_draws(self.stderr))

    def byte_progress(self) -> ByteProgress:
        if self.quiet:
            return _SilentByteProgress()
        return byte_progress(cast("TextIO", self.stderr), interactive=_draws(self.stderr))

    def debug_text(self, text: str) -> None:
        """Lines for --debug (a traceback): still without keys, links' secrets or escapes."""
        for line in text.splitlines():
            self.stderr.write(redact(terminal_safe(line), self.secrets) + "\n")

    def _one_line(self, text: str) -> str:
        return " ".join(redact(terminal_safe(text), self.secrets).split())

    def close(self) -> OSError | None:
        """Flush stdout; the error that lost it, if it was lost."""
        self.stdout.flush()
        return self.stdout.failure


def _draws(channel: _Channel) -> bool:
    # A dumb terminal cannot redraw a bar in place: give it the log lines.
    return channel.isatty() and os.environ.get("TERM") != "dumb"


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
    print_table(header, rows, stream, interactive=interactive)


def print_table(
    header: Sequence[str], rows: Sequence[Sequence[str]], stream: TextIO, *, interactive: bool
) -> None:
    """Rows under a header (the first column an id): rich on a terminal, plain columns else."""
    if interactive:
        from rich.console import Console
        from rich.measure import Measurement
        from rich.table import Column, Table
        from rich.text import Text

        # A job id is copied into the next command: never wrapped or cut short.
        table = Table(Column(header[0], no_wrap=True), *header[1:])
        for row in rows:
            # Text, not markup: a server's "[red]" in a title is shown as written.
            table.add_row(*(Text(cell) for cell in row))
        console = Console(file=stream)
        needed = Measurement.get(console, console.options.update_width(10**6), table).minimum
        if needed <= console.width:
            console.print(table)
            return
        # Too narrow for the table: the plain columns below, which the terminal wraps whole.
    widths = [max(len(cell) for cell in column) for column in zip(header, *rows, strict=False)]
    for row in (header, *rows):
        print(
            "  ".join(cell.ljust(width) for cell, width in zip(row, widths, strict=True)).rstrip(),
            file=stream,
        )


def format_job(job: ExportJob | EnrichmentJob) -> str:
    """A readable key/value view of a job of any kind, one field a line."""
    rows: list[tuple[str, str]] = [("Job", str(job.job_id)), ("Status", job.status.value)]
    if isinstance(job, EnrichmentJob):
        rows += [
            ("Domains done", _counts(job)),
            ("Enriched", f"{job.success_count:,}"),
            ("Failed", f"{job.failed_count:,}"),
        ]
    else:
        rows += [
            ("Exported", _counts(job)),
            ("Matching", f"{job.total_matching:,} companies"),
        ]
    rows += [
        ("Credits charged", f"{job.credits_charged:,}"),
        ("Created", _readable_time(job.created_at)),
        ("Started", _readable_time(job.started_at)),
        ("Completed", _readable_time(job.completed_at)),
    ]
    if job.results_url is not None:
        # The link's path and query are a credential to the file; terminals end up
        # in screenshots and CI logs, so the readable view shows where it is only.
        rows.append(("Results", f"ready at {url_origin(job.results_url)} (full link: --json)"))
    if job.error_message is not None:
        rows.append(("Error", " ".join(terminal_safe(job.error_message).split())))
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


def _readable_time(value: datetime | None) -> str:
    if value is None:
        return "-"
    return value.astimezone(UTC).strftime("%Y-%m-%d %H:%M:%S UTC")


def _percent(job: ExportJobSummary | EnrichmentJob) -> str:
    return f"{job.progress:.0%}" if job.progress is not None else "-"


def _counts(job: ExportJobSummary | EnrichmentJob) -> str:
    if isinstance(job, EnrichmentJob):
        done, target = BULK_ENRICHMENT.done_count(job), BULK_ENRICHMENT.target_count(job)
        return f"{done:,}/{target:,} ({_percent(job)})"
    return f"{job.exported_count:,}/{job.requested_count:,} ({_percent(job)})"


def _done_word(job: object) -> str:
    return "domains done" if isinstance(job, EnrichmentJob) else "exported"


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

    def __call__(self, job: ExportJob | EnrichmentJob) -> None: ...


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
    def __call__(self, job: ExportJob | EnrichmentJob) -> None:
        # wait() calls back only when the snapshot changed, so every call is news.
        self._line(f"{job.status.value:<10} {_counts(job)} {_done_word(job)}")


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

    def __call__(self, job: ExportJob | EnrichmentJob) -> None:
        if isinstance(job, EnrichmentJob):
            done, target = BULK_ENRICHMENT.done_count(job), BULK_ENRICHMENT.target_count(job)
        else:
            done, target = job.exported_count, job.requested_count
        self._progress.update(
            self._task,
            # A total of None draws an indeterminate bar, which is right for 0 requested.
            total=target or None,
            completed=done,
            status=job.status.value,
            counts=f"{_counts(job)} {_done_word(job)}",
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


# Records gathered before one write to stdout: few system calls, flat memory.
_ROWS_BATCH = 64 * 1024


def write_rows(rows: Iterable[dict[str, Any]], stdout: _StdoutBytes, kind: str) -> int:
    """Records to stdout as JSON Lines or CSV (flat columns); returns how many were written.

    The rows generator is closed on the way out, so a reader that leaves
    (`| head`) ends the download as well.
    """
    from companyenrich_export._results._record import flatten_row

    buffer = io.StringIO()
    writer: csv.DictWriter[str] | None = None
    count = 0
    try:
        for row in rows:
            if kind == "csv":
                flat = flatten_row(row)
                if writer is None:
                    # The record's columns in order, then any the vendor added since.
                    writer = csv.DictWriter(buffer, fieldnames=list(flat), extrasaction="ignore")
                    writer.writeheader()
                writer.writerow(flat)
            else:
                buffer.write(json.dumps(row, ensure_ascii=False, separators=(",", ":")))
                buffer.write("\n")
            count += 1
            if buffer.tell() >= _ROWS_BATCH:
                stdout.write(buffer.getvalue().encode("utf-8"))
                buffer.seek(0)
                buffer.truncate()
    finally:
        close = getattr(rows, "close", None)
        if callable(close):
            close()
    stdout.write(buffer.getvalue().encode("utf-8"))
    stdout.flush()
    return count
