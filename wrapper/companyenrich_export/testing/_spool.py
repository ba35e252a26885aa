"""Results files already made, kept on disk so each is made once.

Making a file costs about 0.1 ms a record (the records, then CSV or JSON,
then gzip), and its size must be known before its first byte is sent: so
it was made once to size it, then again for every download and every range
of it. The first making now goes to a temporary file as well, and what
follows is read from there.

Bounded, so a fake that serves for hours does not fill a disk: a file over
`FILE_LIMIT` is not kept, and a process keeps at most `BUDGET` bytes, the
least recently used going first. A file that is not kept (or no longer) is
made again as it is sent, as before, and so is one the disk refused (full,
say). Paths are kept, not open files: each reader opens its own, so a file
dropped while someone reads it is still read whole (POSIX keeps an unlinked
file for its readers until they close it, beyond the budget meanwhile; where
the system refuses to delete an open file, it is left for the end of the
process). A forked child starts with nothing kept, in a folder of its own.
"""

from __future__ import annotations

import atexit
import contextlib
import os
import shutil
import tempfile
import threading
from collections import OrderedDict
from collections.abc import Iterable, Iterator
from typing import BinaryIO, Final

FILE_LIMIT: Final = 64 * 1024 * 1024
BUDGET: Final = 256 * 1024 * 1024


class Spools:
    """The kept files of one process: path -> size, least recently used first."""

    def __init__(self, budget: int = BUDGET, file_limit: int = FILE_LIMIT) -> None:
        self.budget = budget
        self.file_limit = file_limit
        self._lock = threading.Lock()
        self._sizes: OrderedDict[str, int] = OrderedDict()
        self._total = 0
        self._folder: str | None = None
        # Paths `drop` was called on, not yet struck from `_sizes`: `drop` runs
        # from a results file's finalizer, so at any allocation, maybe while
        # this thread holds the lock; it takes none, and the next holder
        # settles the accounts.
        self._dropped: list[str] = []

    def _new_path(self) -> str:
        with self._lock:
            if self._folder is None:  # first use, or first in a forked child
                self._folder = tempfile.mkdtemp(prefix="companyenrich-fake-")
                # A child inherits this handler too: the pid keeps it to its maker.
                atexit.register(_remove_folder, self._folder, os.getpid())
            handle, path = tempfile.mkstemp(dir=self._folder, suffix=".results")
        os.close(handle)
        return path

    def keep(self, pieces: Iterable[bytes | memoryview]) -> tuple[int, str | None]:
        """(bytes in `pieces`, the path they are kept at, or None when they are not kept).

        Where the disk refuses (full, no temporary folder, no descriptor left)
        the file is sized all the same and not kept: serving it then makes it
        again, as before. An error from `pieces` leaves no file behind.
        """
        try:
            path = self._new_path()
        except OSError:
            return sum(len(piece) for piece in pieces), None
        try:
            sink = open(path, "wb")  # noqa: SIM115 - closed below, whatever happens
        except OSError:
            _unlink(path)
            return sum(len(piece) for piece in pieces), None
        size, written = 0, True
        try:
            for piece in pieces:
                size += len(piece)
                if written and size <= self.file_limit:
                    written = _written(sink, piece)
        except BaseException:
            _closed(sink)
            _unlink(path)
            raise
        if not (_closed(sink) and written and size <= self.file_limit):
            _unlink(path)
            return size, None
        with self._lock:
            self._forget_dropped()
            self._sizes[path] = size
            self._total += size
            while self._total > self.budget and len(self._sizes) > 1:
                oldest, oldest_size = self._sizes.popitem(last=False)
                self._total -= oldest_size
                _unlink(oldest)
        return size, path

    def read(self, path: str, start: int, stop: int, chunk_size: int) -> Iterator[bytes] | None:
        """Bytes `start` to `stop` of a kept file, or None when it is no longer kept."""
        with self._lock:
            self._forget_dropped()
            if path not in self._sizes:
                return None
            self._sizes.move_to_end(path)
            try:
                source = open(path, "rb")  # noqa: SIM115 - closed by the generator
            except FileNotFoundError:
                self._total -= self._sizes.pop(path)
                return None
        return _chunks(source, start, stop, chunk_size)

    def drop(self, path: str) -> None:
        """Delete a kept file (its results file is gone); takes no lock (see `_dropped`)."""
        if self._folder is None or os.path.dirname(path) != self._folder:
            # Another process's: a forked child runs its parent's finalizers at exit.
            return
        self._dropped.append(path)
        _unlink(path)

    def _after_fork_in_child(self) -> None:
        # Nothing of the parent's: not its files (its finalizers would delete
        # them at the child's exit), nor its lock (maybe held by a thread that
        # does not exist here).
        self._lock = threading.Lock()
        self._sizes = OrderedDict()
        self._total = 0
        self._dropped = []
        self._folder = None

    def _forget_dropped(self) -> None:
        while self._dropped:
            self._total -= self._sizes.pop(self._dropped.pop(), 0)


def _chunks(source: BinaryIO, start: int, stop: int, chunk_size: int) -> Iterator[bytes]:
    with source:
        source.seek(start)
        left = stop - start
        while left > 0:
            chunk = source.read(min(chunk_size, left))
            if not chunk:
                raise OSError(f"{source.name} ended {left} bytes early")
            left -= len(chunk)
            yield chunk


def _written(sink: BinaryIO, piece: bytes | memoryview) -> bool:
    try:
        sink.write(piece)
    except OSError:  # a full disk, say: the file is sized all the same
        return False
    return True


def _closed(sink: BinaryIO) -> bool:
    try:
        sink.close()  # flushes: a full disk can show here first
    except OSError:
        return False
    return True


def _unlink(path: str) -> None:
    # Gone already, or open elsewhere on a system that refuses: removed at exit.
    with contextlib.suppress(OSError):
        os.unlink(path)


def _remove_folder(folder: str, pid: int) -> None:
    if os.getpid() == pid:
        shutil.rmtree(folder, ignore_errors=True)


SPOOLS: Final = Spools()
os.register_at_fork(after_in_child=SPOOLS._after_fork_in_child)
