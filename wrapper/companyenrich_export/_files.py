"""Writing a download so that a failure never leaves a partial or clobbered file."""

from __future__ import annotations

import contextlib
import errno
import json
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

__all__ = ["AtomicFile", "resolve_destination"]

# The longest file name most file systems take (NAME_MAX), and how much longer
# than the download's own name the temporary files beside it may be: up to
# ".{name}.{job id}.part.json.tmp" (52 bytes more) for partial files that are
# kept for a later resume; a few bytes to spare.
_FILE_NAME_MAX = 255
_TEMPORARY_NAME_OVERHEAD = 56
# A name from a server is cut to this many UTF-8 bytes.
_NAME_MAX_BYTES = _FILE_NAME_MAX - _TEMPORARY_NAME_OVERHEAD
# Control characters (C0, DEL, C1), bidirectional overrides, and both separators:
# none of them belongs in a file name a server chose for us.
_UNSAFE_IN_NAME = re.compile(r"[\x00-\x1f\x7f-\x9f\u200e\u200f\u202a-\u202e\u2066-\u2069/\\]")
_EXTENSION = re.compile(r"\.[A-Za-z0-9]{1,10}", re.ASCII)


def resolve_destination(dest: str | os.PathLike[str], *, results_url: str, fallback: str) -> Path:
    """The file a download will write, checked before anything is fetched.

    A `dest` that ends in a separator or names an existing folder means "in
    that folder, under the file name of the results URL" (sanitised; `fallback`,
    such as "<job id>.csv", when the URL has no usable name or its name would
    replace an unrelated file). The folder is then tested by creating a file
    in it: permission bits alone would say yes to root on a read-only mount.
    Errors name `dest` as given, never a temporary file.
    """
    if isinstance(dest, str) and not dest.strip():
        raise ValueError("dest must be a file path or an existing directory, got an empty string")
    if not isinstance(dest, str | os.PathLike):
        raise TypeError(f"dest must be a path, got {type(dest).__name__}")
    shown = os.fspath(dest)
    if not isinstance(shown, str):
        raise TypeError("dest must be a text path, not bytes")
    target = Path(shown).expanduser()
    if shown.endswith(("/", os.sep)) or target.is_dir():
        if not target.is_dir():
            problem = "is not a folder" if target.exists() else "does not exist; create it first"
            raise ValueError(f"The folder {shown} {problem}.")
        target = target / _file_name(results_url, fallback, folder=target)
    elif not target.parent.is_dir():
        raise ValueError(f"The folder for {shown} does not exist; create it first.")
    if target.exists() and not target.is_file():
        raise ValueError(f"{target} exists and is not a regular file.")
    _check_writable(target, shown=shown)
    return target


def _check_writable(target: Path, *, shown: str) -> None:
    # A name whose temporary files would not fit fails here, not after the
    # export is paid for and waited on.
    if len(os.fsencode(target.name)) + _TEMPORARY_NAME_OVERHEAD > _FILE_NAME_MAX:
        raise OSError(errno.ENAMETOOLONG, os.strerror(errno.ENAMETOOLONG), shown)
    try:
        descriptor, name = tempfile.mkstemp(
            prefix=f".{target.name}.", suffix=".probe", dir=target.parent
        )
    except OSError as exc:
        raise OSError(exc.errno, exc.strerror, shown) from None
    os.close(descriptor)
    with contextlib.suppress(FileNotFoundError):
        os.unlink(name)


def _file_name(url: str, fallback: str, *, folder: Path | None = None) -> str:
    """The file name for a download into `folder`, from the results URL's last path segment."""
    name = _safe_name(PurePosixPath(unquote(urlsplit(url).path)).name)
    if name is None:
        return fallback
    job_stem = fallback.split(".", 1)[0]
    # A name such as "results.csv" may be another job's file: only one that
    # names this job (as "<job id>.csv" does) may replace what is there.
    if folder is not None and job_stem not in name and (folder / name).exists():
        return job_stem + (_extension(name) or fallback[len(job_stem) :])
    return name


def _safe_name(raw: str) -> str | None:
    name = _UNSAFE_IN_NAME.sub("", raw).strip()
    # A leading dot would hide the file (or be "." or ".."): not a name to keep.
    if not name or name.startswith("."):
        return None
    if len(name.encode()) <= _NAME_MAX_BYTES:
        return name
    extension = _extension(name)
    room = _NAME_MAX_BYTES - len(extension)
    stem = name[: len(name) - len(extension)].encode()[:room].decode(errors="ignore")
    return stem.rstrip() + extension


def _extension(name: str) -> str:
    """The name's last one or two suffixes (".csv", ".csv.gz") when they look like extensions."""
    suffixes = PurePosixPath(name).suffixes[-2:]
    while suffixes and not all(_EXTENSION.fullmatch(suffix) for suffix in suffixes):
        suffixes = suffixes[1:]
    return "".join(suffixes)


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

    def write_all(self, chunks: list[bytes]) -> None:
        for chunk in chunks:
            self.write(chunk)

    def flush(self) -> None:
        """Hand buffered bytes to the OS, so the temporary file can be read by name."""
        self._file.flush()

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
