"""Writing a download so that a failure never leaves a partial or clobbered file."""

from __future__ import annotations

import contextlib
import errno
import fcntl
import json
import os
import re
import stat
import tempfile
from pathlib import Path, PurePosixPath
from types import TracebackType
from typing import Any
from urllib.parse import unquote, urlsplit

from companyenrich_export._exceptions import DownloadInProgressError

__all__ = ["AtomicFile", "claim_fallback", "resolve_destination"]

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


def claim_fallback(dest: str | os.PathLike[str], target: Path, fallback: str) -> Path | None:
    """Where a download into a folder goes if the name the link chose is taken meanwhile.

    `target` came from `resolve_destination(dest, ..., fallback=fallback)`.
    A name from the results link (say `results.csv`) may be another job's
    too: it is claimed, never replaced, when the file is published, and the
    job's own name (from `fallback`, "<job id>.csv") is used if it is taken
    by then. None when `target` may be replaced: a file the caller named, or
    a name that is this job's own.
    """
    job_stem = fallback.split(".", 1)[0]
    if not Path(os.fspath(dest)).expanduser().is_dir() or job_stem in target.name:
        return None
    return target.parent / (job_stem + (_extension(target.name) or fallback[len(job_stem) :]))


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

    The fixed name is owned, not shared: it is opened without following a
    symbolic link, must be a regular file of this user, and is held under an
    exclusive advisory lock (`flock`) until this object is done with it. A
    second download of the same job to the same place raises
    DownloadInProgressError instead of writing into the first one's file.

    `claim_or` (a path) makes `commit()` publish without replacing: if
    `target` exists by then (another job took the name meanwhile), the file
    goes to `claim_or` instead. `commit()` returns where it went.
    """

    def __init__(
        self, target: Path, *, resume_key: str | None = None, claim_or: Path | None = None
    ) -> None:
        self.target = target
        self.resumed: dict[str, Any] | None = None
        self._kept = False
        self.claim_or = claim_or
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
        self._file = os.fdopen(_locked_scratch(self.temporary, shown=target), "r+b")
        self.resumed = _saved_state(self._state_path)
        size = self._file.seek(0, os.SEEK_END)
        if self.resumed is None or size == 0:
            self.resumed = None
            self._file.seek(0)
            self._file.truncate()
            size = 0
        self.bytes_written = size

    def write(self, chunk: bytes | memoryview) -> None:
        self._file.write(chunk)
        self.bytes_written += len(chunk)

    def write_all(self, chunks: list[memoryview | bytes]) -> None:
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
        # On disk before the name: a crash after the rename must not leave a
        # file whose blocks never made it (a zero-length or NUL-filled "result").
        os.fsync(self._file.fileno())
        # mkstemp makes the file owner-only; give it the mode the file it
        # replaces had, or what a plain open() would have given a new one.
        os.chmod(self._file.fileno(), _mode_for(self.target))
        published = self._publish()
        self._forget_state()
        _sync_folder(published.parent)
        # The lock goes with the descriptor, only once the name is published.
        self._file.close()
        return published

    def _publish(self) -> Path:
        if self.claim_or is None:
            os.replace(self.temporary, self.target)
            return self.target
        if _claim(self.temporary, self.target):
            return self.target
        # Another job's file took the name first: this one gets its own name.
        os.replace(self.temporary, self.claim_or)
        return self.claim_or

    def keep(self, state: dict[str, Any]) -> None:
        """Leave the partial file and `state` for a later download (resume_key files only)."""
        if self._state_path is None or self.bytes_written == 0:
            return
        self._file.flush()
        os.fsync(self._file.fileno())
        descriptor, staged = tempfile.mkstemp(
            prefix=f"{self._state_path.name}.", suffix=".tmp", dir=self._state_path.parent
        )
        try:
            with os.fdopen(descriptor, "wb") as file:
                file.write(json.dumps(state).encode())
                file.flush()
                os.fsync(file.fileno())
            # rename() replaces a link planted at the name; it never writes through it.
            os.replace(staged, self._state_path)
        except BaseException:
            with contextlib.suppress(FileNotFoundError):
                os.unlink(staged)
            raise
        self._kept = True
        self._file.close()

    def discard(self) -> None:
        if not self._file.closed:
            if not self._kept:
                # Removed while still locked: nobody can pick the name up half-gone.
                with contextlib.suppress(FileNotFoundError):
                    self.temporary.unlink()
                self._forget_state()
            self._file.close()

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
        # After a commit or a keep the file is closed, so this is a no-op then.
        self.discard()


# Opening, locking and finding the lock's file gone (its owner just renamed or
# removed it) can repeat; more than this many times in a row is a busy name.
_LOCK_ATTEMPTS = 8


def _locked_scratch(path: Path, *, shown: Path) -> int:
    """A descriptor of `path` (created if missing), ours, a regular file, exclusively locked."""
    for _ in range(_LOCK_ATTEMPTS):
        descriptor = _open_owned(path, os.O_RDWR | os.O_CREAT)
        try:
            fcntl.flock(descriptor, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            os.close(descriptor)
            raise DownloadInProgressError(shown) from None
        except BaseException:
            os.close(descriptor)
            raise
        # Locked, but is it still the file at that name? Its previous owner may
        # have published (renamed) or removed it between our open and our lock.
        try:
            current = os.stat(path, follow_symlinks=False)
        except FileNotFoundError:
            current = None
        opened = os.fstat(descriptor)
        if current is not None and (current.st_dev, current.st_ino) == (
            opened.st_dev,
            opened.st_ino,
        ):
            return descriptor
        os.close(descriptor)
    raise DownloadInProgressError(shown)


def _open_owned(path: Path, flags: int) -> int:
    """`os.open(path)` refusing a symbolic link, a non-regular file and another user's file.

    O_NONBLOCK: a FIFO planted at the name is refused by the check below
    rather than blocking the open for ever.
    """
    try:
        descriptor = os.open(path, flags | os.O_NOFOLLOW | os.O_NONBLOCK | os.O_CLOEXEC, 0o600)
    except OSError as exc:
        if exc.errno != errno.ELOOP:
            raise
        raise OSError(
            errno.ELOOP, "a symbolic link is in the way (not followed)", str(path)
        ) from None
    try:
        status = os.fstat(descriptor)
        if not stat.S_ISREG(status.st_mode):
            raise OSError(errno.EINVAL, "not a regular file", str(path))
        if status.st_uid != os.geteuid():
            raise OSError(errno.EPERM, "owned by another user", str(path))
    except BaseException:
        os.close(descriptor)
        raise
    return descriptor


def _claim(source: Path, target: Path) -> bool:
    """Give `source` the name `target` unless that name exists; False if it does.

    A hard link is an atomic create-if-absent of a name for the complete file.
    Where the file system has no hard links, the name is claimed by creating
    it exclusively, then replaced by the complete file.
    """
    try:
        os.link(source, target, follow_symlinks=False)
    except FileExistsError:
        return False
    except OSError as exc:
        if exc.errno not in (errno.EPERM, errno.EOPNOTSUPP, errno.EMLINK, errno.EXDEV):
            raise
        try:
            os.close(os.open(target, os.O_WRONLY | os.O_CREAT | os.O_EXCL | os.O_NOFOLLOW, 0o600))
        except FileExistsError:
            return False
        os.replace(source, target)
        return True
    os.unlink(source)
    return True


def _sync_folder(folder: Path) -> None:
    # The rename itself is durable only once the folder is on disk; best effort
    # (some file systems refuse fsync on a directory).
    with contextlib.suppress(OSError):
        descriptor = os.open(folder, os.O_RDONLY | os.O_DIRECTORY | os.O_CLOEXEC)
        try:
            os.fsync(descriptor)
        finally:
            os.close(descriptor)


# A state file is ours, but it sits in a user's folder: read it as untrusted.
_MAX_STATE_BYTES = 4096


def _saved_state(path: Path) -> dict[str, Any] | None:
    try:
        descriptor = _open_owned(path, os.O_RDONLY)
    except OSError:
        return None
    try:
        with os.fdopen(descriptor, "rb") as file:
            raw = file.read(_MAX_STATE_BYTES + 1)
        state = json.loads(raw) if raw is not None and len(raw) <= _MAX_STATE_BYTES else None
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
