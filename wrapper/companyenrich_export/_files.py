"""Writing a download so that a failure never leaves a partial or clobbered file."""

from __future__ import annotations

import contextlib
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType
from urllib.parse import unquote, urlsplit

__all__ = ["AtomicFile", "resolve_destination"]


def resolve_destination(dest: str | os.PathLike[str], *, results_url: str, fallback: str) -> Path:
    """The file a download will write, checked before anything is fetched.

    A directory means "in there, under the file name of the results URL".
    """
    if isinstance(dest, str) and not dest.strip():
        raise ValueError("dest must be a file path or an existing directory, got an empty string")
    if not isinstance(dest, str | os.PathLike):
        raise TypeError(f"dest must be a path, got {type(dest).__name__}")
    target = Path(dest).expanduser()
    if target.is_dir():
        target = target / _file_name(results_url, fallback)
    if not target.parent.is_dir():
        raise ValueError(f"The folder for {target} does not exist; create it first.")
    if target.exists() and not target.is_file():
        raise ValueError(f"{target} exists and is not a regular file.")
    return target


def _file_name(url: str, fallback: str) -> str:
    name = PurePosixPath(unquote(urlsplit(url).path)).name
    # Names from a server are not trusted to stay inside the folder.
    if not name or name in {".", ".."} or "/" in name or "\\" in name or name.startswith("."):
        return fallback
    return name


def _process_umask() -> int:
    # Reading the umask means setting it; done once, at import, before any threads of ours.
    current = os.umask(0o022)
    os.umask(current)
    return current


_UMASK = _process_umask()


def _mode_for(target: Path) -> int:
    try:
        return stat.S_IMODE(target.stat().st_mode)
    except FileNotFoundError:
        return 0o666 & ~_UMASK


class AtomicFile:
    """A temporary file beside `target` that replaces it only on `commit()`.

    Closing without a commit (an exception, a cancelled task, Ctrl-C) deletes
    the temporary file, and an existing `target` is never touched until the
    new content is complete and flushed to disk.
    """

    def __init__(self, target: Path) -> None:
        self.target = target
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".part", dir=target.parent
        )
        self.temporary = Path(name)
        self._file = os.fdopen(descriptor, "wb")
        self.bytes_written = 0

    def write(self, chunk: bytes) -> None:
        self._file.write(chunk)
        self.bytes_written += len(chunk)

    def restart(self) -> None:
        """Throw away what was written, for a retry from the first byte."""
        self._file.seek(0)
        self._file.truncate()
        self.bytes_written = 0

    def commit(self) -> Path:
        self._file.flush()
        os.fsync(self._file.fileno())
        # mkstemp makes the file owner-only; give it the mode the file it
        # replaces had, or what a plain open() would have given a new one.
        os.chmod(self._file.fileno(), _mode_for(self.target))
        self._file.close()
        os.replace(self.temporary, self.target)
        return self.target

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        with contextlib.suppress(FileNotFoundError):
            self.temporary.unlink()

    def __enter__(self) -> AtomicFile:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        # After a commit the temporary name is gone, so this is a no-op then.
        self.discard()
