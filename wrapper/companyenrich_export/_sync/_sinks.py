# Generated from _async/_sinks.py by scripts/generate_sync.py (make generate).
# Do not edit: change the async code and regenerate (make check-generated fails).
"""Where downloaded bytes go: a file made atomically, or a writer of the caller's.

Written once, as async code; `_sync/_sinks.py` is generated from it. Chunks
are gathered into batches and handed to `AsyncBackend.to_thread`, so the
async client writes, fsyncs and renames on a worker thread and its event
loop never waits on the disk (the sync client calls the same functions
directly).
"""

from __future__ import annotations

import functools
from collections.abc import Callable
from pathlib import Path
from types import TracebackType
from typing import Protocol, Self

from companyenrich_export._core._backends import SyncBackend
from companyenrich_export._exceptions import CompanyEnrichError
from companyenrich_export._results._files import AtomicFile
from companyenrich_export._results._resume import ServedFile

__all__ = ["FileSink", "WriterSink", "BinaryWriter"]

# Bytes gathered before one write call (one thread hop for the async client).
# Small enough to be written while still in the CPU's cache: batches of 1 MiB
# doubled the kernel's time copying them (`make bench`, section 4).
WRITE_BATCH = 256 * 1024


class BinaryWriter(Protocol):
    """Anything with `write(bytes)`: an open binary file, `sys.stdout.buffer`, a BytesIO."""

    def write(self, data: bytes, /) -> object: ...


class _Batch:
    """Chunks copied into one buffer, reused for every batch, and handed over when it is full.

    Copying costs less than keeping the chunks: a batch of chunks alive at
    once, then freed, makes glibc give the heap back to the kernel and take
    it again for every batch, and the kernel zeroes each page it hands out.
    The views `take()` returns are valid until the next `add()`: every caller
    writes them before reading on.
    """

    def __init__(self) -> None:
        self._buffer = memoryview(bytearray(WRITE_BATCH))
        self._filled = 0
        # A chunk that did not fit: it starts the next batch (or is one, if larger).
        self._next: bytes | None = None

    @property
    def size(self) -> int:
        return self._filled + (len(self._next) if self._next is not None else 0)

    def add(self, chunk: bytes) -> bool:
        """Keep `chunk`; True once a batch must be taken (and written) before the next `add`."""
        self._carry_over()
        end = self._filled + len(chunk)
        if end > WRITE_BATCH:
            self._next = chunk
            return True
        self._buffer[self._filled : end] = chunk
        self._filled = end
        return end == WRITE_BATCH

    def take(self) -> list[memoryview | bytes]:
        """The batch to write: everything kept, as every True from `add()` is followed by a take."""
        if not self._filled:
            self._carry_over()
        if self._next is not None and not self._filled:
            # Larger than a whole batch: written as it came.
            chunk, self._next = self._next, None
            return [chunk]
        parts: list[memoryview | bytes] = [self._buffer[: self._filled]] if self._filled else []
        self._filled = 0
        return parts

    def clear(self) -> None:
        self._filled = 0
        self._next = None

    def _carry_over(self) -> None:
        if self._next is not None and not self._filled and len(self._next) <= WRITE_BATCH:
            self._buffer[: len(self._next)] = self._next
            self._filled = len(self._next)
            self._next = None


class FileSink:
    """A results file beside `target`, renamed onto it by `commit()` only when complete.

    `resume_key` (the job id) lets a download left by a network failure be
    picked up by a later call: `resumed` then says what the server had
    served, and `size` counts the bytes already there. `claim_or`: see
    `AtomicFile` (publish without replacing, else under that name).
    """

    def __init__(self, target: Path, *, resume_key: str, claim_or: Path | None = None) -> None:
        self._target = target
        self._resume_key = resume_key
        self._claim_or = claim_or
        self._batch = _Batch()
        self._file: AtomicFile | None = None
        self.size = 0
        self.resumed: ServedFile | None = None

    def __enter__(self) -> Self:
        self._file = SyncBackend.to_thread(
            functools.partial(
                AtomicFile, self._target, resume_key=self._resume_key, claim_or=self._claim_or
            )
        )
        self.size = self._file.bytes_written
        if self._file.resumed is not None:
            self.resumed = ServedFile(**self._file.resumed)
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # After a commit the temporary file is gone, so this removes nothing then.
        if self._file is not None:
            SyncBackend.to_thread(self._file.discard)

    def _opened(self) -> AtomicFile:
        if self._file is None:
            raise RuntimeError("the sink is used outside its `with` block")
        return self._file

    @property
    def can_restart(self) -> bool:
        return True

    def write(self, chunk: bytes) -> None:
        self.size += len(chunk)
        if self._batch.add(chunk):
            SyncBackend.to_thread(self._opened().write_all, self._batch.take())

    def restart(self) -> None:
        """Forget everything written, for an attempt from the first byte."""
        self._batch.clear()
        self.size = 0
        SyncBackend.to_thread(self._opened().restart)

    def commit(self) -> Path:
        partial = self._opened()
        SyncBackend.to_thread(partial.write_all, self._batch.take())
        return SyncBackend.to_thread(partial.commit)

    def finish(self, finish: Callable[[AtomicFile], Path]) -> Path:
        """`commit()` done by `finish` (e.g. inflating a gzip body: `_inflate`)."""
        partial = self._opened()
        SyncBackend.to_thread(partial.write_all, self._batch.take())
        return SyncBackend.to_thread(finish, partial)

    def keep(self, served: ServedFile) -> None:
        """Leave what arrived, with what the server said of the file, for a later call."""
        if not served.resumable:
            return
        partial = self._opened()
        SyncBackend.to_thread(partial.write_all, self._batch.take())
        state = {"validator": served.validator, "total": served.total}
        SyncBackend.to_thread(partial.keep, state)


class WriterSink:
    """The caller's writer. Once bytes have reached it they cannot be taken back.

    A dropped download can still go on where it stopped (a Range request),
    but not start over once anything was delivered.
    """

    def __init__(self, writer: BinaryWriter) -> None:
        self._writer = writer
        self._batch = _Batch()
        self.delivered = 0

    @property
    def size(self) -> int:
        return self.delivered + self._batch.size

    @property
    def can_restart(self) -> bool:
        return self.delivered == 0

    def write(self, chunk: bytes) -> None:
        if self._batch.add(chunk):
            self._deliver()

    def restart(self) -> None:
        if self.delivered:
            raise CompanyEnrichError(
                f"The download must start over, but {self.delivered:,} bytes were already "
                "written to the writer and cannot be taken back."
            )
        self._batch.clear()

    def commit(self) -> int:
        self._deliver()
        flush = getattr(self._writer, "flush", None)
        if callable(flush):
            SyncBackend.to_thread(flush)
        return self.delivered

    def _deliver(self) -> None:
        parts = self._batch.take()
        if parts:
            SyncBackend.to_thread(_write_all, self._writer, parts)
            self.delivered += sum(len(part) for part in parts)


def _write_all(writer: BinaryWriter, parts: list[memoryview | bytes]) -> None:
    for part in parts:
        # The caller's writer may keep what it is given: never a view of the reused buffer.
        writer.write(bytes(part) if isinstance(part, memoryview) else part)
