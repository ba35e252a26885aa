"""The async client never does blocking work on its event loop.

Sleeps are covered for every async test by `LoopSafeClock` (conftest.py);
here, every file operation of a download (create, write, fsync, rename,
clean-up) is shown to run on a worker thread, not the loop's.
"""

from __future__ import annotations

import threading
from typing import Any

import pytest

from companyenrich_export._results import _files

pytestmark = pytest.mark.anyio


@pytest.fixture
def file_threads(monkeypatch: pytest.MonkeyPatch) -> list[tuple[str, threading.Thread]]:
    """Each AtomicFile operation, with the thread it ran on."""
    seen: list[tuple[str, threading.Thread]] = []
    original = _files.AtomicFile

    class Recording(original):  # type: ignore[misc, valid-type]
        def __init__(self, *args: Any, **kwargs: Any) -> None:
            seen.append(("open", threading.current_thread()))
            super().__init__(*args, **kwargs)

        def write(self, chunk: bytes) -> None:
            seen.append(("write", threading.current_thread()))
            super().write(chunk)

        def restart(self) -> None:
            seen.append(("restart", threading.current_thread()))
            super().restart()

        def commit(self) -> Any:
            seen.append(("commit", threading.current_thread()))
            return super().commit()

        def discard(self) -> None:
            seen.append(("discard", threading.current_thread()))
            super().discard()

    from companyenrich_export._async import _sinks

    monkeypatch.setattr(_sinks, "AtomicFile", Recording)
    return seen


@pytest.mark.parametrize("flavour", ["async"])
async def test_download_file_io_runs_off_the_event_loop(
    api, router, bodies, chunks, tmp_path, file_threads
) -> None:
    pieces = [bytes([97 + n]) * 600_000 for n in range(5)]  # 3 MB: several write batches
    body = b"".join(pieces)
    router.get(api.job_url).respond(200, json=bodies.job())
    router.get(api.storage_url).respond(
        200, stream=chunks(pieces), headers={"Content-Length": str(len(body))}
    )
    loop_thread = threading.current_thread()

    path = await api.exports.download(api.job_id, tmp_path / "out.csv")

    assert path.read_bytes() == body
    operations = [name for name, _ in file_threads]
    assert operations[0] == "open"
    assert operations.count("write") == len(pieces)  # each chunk, as it came
    assert "commit" in operations
    assert [name for name, thread in file_threads if thread is loop_thread] == []


def test_the_sync_clients_poll_thread_leaves_signals_to_the_main_thread() -> None:
    # Python runs signal handlers only in the main thread: were Ctrl-C delivered to
    # the thread a sync wait() polls on, the main thread would not see it until the
    # poll's whole budget had passed.
    import signal

    from companyenrich_export._core._backends import SyncBackend

    blocked = SyncBackend.run_within(5.0, lambda: signal.pthread_sigmask(signal.SIG_BLOCK, []))

    assert {signal.SIGINT, signal.SIGTERM, signal.SIGHUP} <= blocked
    assert signal.SIGINT not in signal.pthread_sigmask(signal.SIG_BLOCK, [])
