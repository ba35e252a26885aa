"""Writing a download so that a failure never leaves a partial or clobbered file."""

from __future__ import annotations

import contextlib
import json
import os
import stat
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
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

    With a `resume_key` (the job id) the temporary file has a fixed name,
    `.<name>.<key>.part`, and `keep(state)` leaves it, with `state` (what
    the server said of the file) in a `.part.json` beside it, for a later
    download of the same job to pick up: `resumed` is that state then, and
    `bytes_written` what the file already holds.
    """

    def __init__(self, target: Path, *, resume_key: str | None = None) -> None:
        self.target = target
        self.resumed: dict[str, Any] | None = None
        self._kept = False
        if resume_key is None:
            descriptor, name = tempfile.mkstemp(
                prefix=f".{target.name}.", suffix=".part", dir=target.parent
            )
            self.temporary = Path(name)
            self._state_path: Path | None = None
            self._file = os.fdopen(descriptor, "r+b")
            self.bytes_written = 0
            return
        self.temporary = target.parent / f".{target.name}.{resume_key}.part"
        self._state_path = self.temporary.with_name(self.temporary.name + ".json")
        descriptor = os.open(self.temporary, os.O_RDWR | os.O_CREAT, 0o600)
        self._file = os.fdopen(descriptor, "r+b")
        self.resumed = _saved_state(self._state_path)
        size = self._file.seek(0, os.SEEK_END)
        if self.resumed is None or size == 0:
            self.resumed = None
            self._file.seek(0)
            self._file.truncate()
            size = 0
        self.bytes_written = size

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
        self._forget_state()
        return self.target

    def keep(self, state: dict[str, Any]) -> None:
        """Leave the partial file and `state` for a later download (resume_key files only)."""
        if self._state_path is None or self.bytes_written == 0:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        self._file.close()
        staged = self._state_path.with_name(self._state_path.name + ".tmp")
        staged.write_text(json.dumps(state), encoding="utf-8")
        os.replace(staged, self._state_path)
        self._kept = True

    def discard(self) -> None:
        if not self._file.closed:
            self._file.close()
        if self._kept:
            return
        with contextlib.suppress(FileNotFoundError):
            self.temporary.unlink()
        self._forget_state()

    def _forget_state(self) -> None:
        if self._state_path is not None:
            with contextlib.suppress(FileNotFoundError):
                self._state_path.unlink()

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


# A state file is ours, but it sits in a user's folder: read it as untrusted.
_MAX_STATE_BYTES = 4096


def _saved_state(path: Path) -> dict[str, Any] | None:
    try:
        with path.open("rb") as file:
            raw = file.read(_MAX_STATE_BYTES + 1)
        state = json.loads(raw) if len(raw) <= _MAX_STATE_BYTES else None
    except (OSError, ValueError, RecursionError):
        return None
    if not isinstance(state, dict):
        return None
    validator, total = state.get("validator"), state.get("total")
    if not isinstance(validator, str) or not validator.isascii() or not validator.isprintable():
        return None
    if total is not None and (type(total) is not int or total < 0):
        return None
    return {"validator": validator, "total": total}
