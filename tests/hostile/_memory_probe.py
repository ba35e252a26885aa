"""Run one client call in a fresh interpreter and print what it cost in memory, as JSON.

    python _memory_probe.py SCENARIO FLAVOUR BASE_URL DEST

SCENARIO is one of API_SCENARIOS (get a job the server answers with a huge
500, a gzip bomb as a 200, a gzip bomb as a 500) or the path of a results
file on BASE_URL to download to DEST.

Run by test_memory_bounds.py, so the figures belong to this one call and
nothing else the test session did. Two measures: tracemalloc's peak of
Python allocations (bytes objects, lists of chunks) and the peak resident
set (VmHWM, reset just before the call), both as growth over the moment
before. After a warm-up call, the process caps its own address space and
file sizes: a client that buffers a huge body or inflates a bomb fails here
at once (MemoryError, EFBIG) instead of taking the machine's memory or disk.
"""

from __future__ import annotations

import contextlib
import json
import resource
import signal
import sys
import tracemalloc
from collections.abc import Iterator
from datetime import UTC, datetime
from pathlib import Path
from typing import Any
from uuid import UUID

# httpx imports its own command line (click, rich) when they are installed, as
# they are here: a third of this probe's start, and nothing the call measured
# (after the warm-up) touches. As the `companyenrich-export` command does.
sys.modules.setdefault("httpx._main", None)  # type: ignore[arg-type]

import anyio  # noqa: E402

from companyenrich_export import (  # noqa: E402
    AsyncCompanyEnrich,
    CompanyEnrich,
    ExportJob,
    JobStatus,
    RetryPolicy,
)
from companyenrich_export.testing import ManualClock  # noqa: E402

KEY = "sk-memory-probe-5d1f"
JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
WARM_UP_JOB_ID = "11111111-2222-4333-8444-555555555555"
BOMB_JOB_ID = "99999999-8888-4777-8666-555555555555"
BOMBED_ERROR_JOB_ID = "99999999-8888-4777-8666-444444444444"
# Which job each API scenario asks for (the server answers each its own way).
API_SCENARIOS = {
    "api-error-body": JOB_ID,
    "api-gzip-bomb": BOMB_JOB_ID,
    "api-gzip-bomb-error": BOMBED_ERROR_JOB_ID,
}
ADDRESS_SPACE_HEADROOM = 256 * 1024 * 1024
FILE_SIZE_LIMIT = 64 * 1024 * 1024


def _status_field(name: str) -> int:
    """A `Vm*` line of /proc/self/status, in bytes."""
    for line in Path("/proc/self/status").read_text().splitlines():
        if line.startswith(name + ":"):
            return int(line.split()[1]) * 1024
    raise LookupError(name)


def _reset_peak_rss() -> bool:
    # Linux resets VmHWM to the current RSS when "5" is written here.
    try:
        Path("/proc/self/clear_refs").write_text("5")
    except OSError:
        return False
    return True


def _job(results_url: str) -> ExportJob:
    return ExportJob(
        job_id=UUID(JOB_ID),
        status=JobStatus.COMPLETED,
        requested_count=1,
        total_matching=1,
        exported_count=1,
        credits_charged=1,
        created_at=datetime(2026, 2, 17, tzinfo=UTC),
        results_url=results_url,
    )


class Progress:
    def __init__(self) -> None:
        self.calls = 0
        self.last: tuple[int, int | None] | None = None
        self.beyond_total = 0

    def __call__(self, received: int, total: int | None) -> None:
        self.calls += 1
        self.last = (received, total)
        if total is not None and received > total:
            self.beyond_total += 1


def _limit_resources() -> None:
    signal.signal(signal.SIGXFSZ, signal.SIG_IGN)  # a write past the limit fails, not kills
    resource.setrlimit(resource.RLIMIT_FSIZE, (FILE_SIZE_LIMIT, FILE_SIZE_LIMIT))
    ceiling = _status_field("VmSize") + ADDRESS_SPACE_HEADROOM
    resource.setrlimit(resource.RLIMIT_AS, (ceiling, ceiling))


def _client_kwargs(base_url: str) -> dict[str, Any]:
    return {
        "api_key": KEY,
        "base_url": base_url,
        "clock": ManualClock(),
        "retry_policy": RetryPolicy(jitter=lambda: 0.0),
    }


@contextlib.contextmanager
def measuring(report: dict[str, Any]) -> Iterator[None]:
    """Measure the block into `report`; an exception it raises is reported, not raised."""
    _limit_resources()
    rss_reset = _reset_peak_rss()
    rss_before = _status_field("VmRSS") if rss_reset else _status_field("VmHWM")
    tracemalloc.start()
    traced_before = tracemalloc.get_traced_memory()[0]
    error: BaseException | None = None
    try:
        yield
    except BaseException as exc:  # whatever it is: reporting it is the point
        error = exc
    report.update(
        error=None if error is None else type(error).__name__,
        message="" if error is None else str(error)[:5000],
        traced_peak_growth=tracemalloc.get_traced_memory()[1] - traced_before,
        rss_peak_growth=_status_field("VmHWM") - rss_before,
    )
    tracemalloc.stop()


def run_sync(scenario: str, base_url: str, dest: Path) -> dict[str, Any]:
    progress = Progress()
    report: dict[str, Any] = {}
    with CompanyEnrich(**_client_kwargs(base_url)) as client:
        client.exports.get(WARM_UP_JOB_ID)
        with measuring(report):
            if scenario in API_SCENARIOS:
                client.exports.get(API_SCENARIOS[scenario])
            else:
                client.exports.download(_job(f"{base_url}{scenario}"), dest, on_progress=progress)
    return {**report, **vars(progress)}


def run_async(scenario: str, base_url: str, dest: Path) -> dict[str, Any]:
    progress = Progress()
    report: dict[str, Any] = {}

    async def main() -> None:
        async with AsyncCompanyEnrich(**_client_kwargs(base_url)) as client:
            await client.exports.get(WARM_UP_JOB_ID)
            with measuring(report):
                if scenario in API_SCENARIOS:
                    await client.exports.get(API_SCENARIOS[scenario])
                else:
                    job = _job(f"{base_url}{scenario}")
                    await client.exports.download(job, dest, on_progress=progress)

    anyio.run(main)
    return {**report, **vars(progress)}


def main(argv: list[str]) -> int:
    scenario, flavour, base_url, dest = argv
    run = run_async if flavour == "async" else run_sync
    report = run(scenario, base_url, Path(dest))
    with contextlib.suppress(FileNotFoundError):
        report["file_size"] = Path(dest).stat().st_size
    print(json.dumps(report))
    return 0


if __name__ == "__main__":
    sys.exit(main(sys.argv[1:]))
