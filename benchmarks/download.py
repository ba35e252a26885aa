"""4. Download: a large results file over loopback, streamed to disk in flat memory.

The fake serves the file from a process of its own (it makes the bytes as
it sends them), so the client process measured holds nothing but the
client. Each variant runs in a fresh child process that first fetches the
job (for its signed results URL) and then measures only the download: wall
time, and how much its peak RSS grew over its RSS just before (the peak is
reset then, through /proc/self/clear_refs, and read from VmHWM).

    python -m benchmarks.download child VARIANT BASE_URL API_KEY JOB_ID DEST_DIR IDLE_SECONDS
"""

from __future__ import annotations

import asyncio
import json
import os
import shutil
import sys
import tempfile
import time
from collections.abc import Sequence
from pathlib import Path
from typing import Any

import httpx

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich

from ._common import (
    Config,
    Row,
    Section,
    Served,
    median,
    peak_rss_mb,
    print_result,
    ratio,
    reset_peak_rss,
    rss_mb,
    secs,
)

THROUGHPUT_TARGET = 0.90
RSS_TARGET_MB = 32.0
STALL_TARGET_MS = 20.0
# The ticker that watches the event loop: it asks to wake every TICK seconds,
# and a stall is how much later than that it actually woke.
TICK = 0.005
# How long the idle loop is watched, for its baseline stalls.
IDLE_SECONDS = 2.0
SMOKE_IDLE_SECONDS = 0.05
MiB = 1024 * 1024


async def _watch_loop(stop: asyncio.Event, stalls: list[float]) -> None:
    loop = asyncio.get_running_loop()
    while not stop.is_set():
        asked = loop.time()
        await asyncio.sleep(TICK)
        stalls.append(loop.time() - asked - TICK)


async def _measure_async(
    variant: str, served: Served, job_id: str, target: Path, idle: float
) -> dict[str, Any]:
    async with AsyncCompanyEnrich(served.api_key, base_url=served.base_url) as client:
        job = await client.exports.get(job_id)
        stop = asyncio.Event()
        stalls: list[float] = []
        watcher = asyncio.create_task(_watch_loop(stop, stalls))
        before = _start_rss()
        started = time.perf_counter()
        if variant == "async-wrapper":
            await client.exports.download(job, target)
        else:
            await asyncio.sleep(idle)
        seconds = time.perf_counter() - started
        stop.set()
        await watcher
    return {
        "seconds": seconds,
        "rss_growth_mb": peak_rss_mb() - before,
        "max_stall_ms": max(stalls) * 1000,
    }


def _bare_results_url(http: httpx.Client, served: Served, job_id: str) -> str:
    response = http.get(
        f"{served.base_url}/companies/search/async/{job_id}",
        headers={"Authorization": f"Bearer {served.api_key}"},
    )
    url: str = json.loads(response.content)["results_url"]
    return url


def _start_rss() -> float:
    reset_peak_rss()
    return rss_mb()


def _measure(variant: str, served: Served, job_id: str, dest: Path, idle: float) -> dict[str, Any]:
    target = dest / f"{variant}.csv"
    if variant.startswith("async-"):
        measured = asyncio.run(_measure_async(variant, served, job_id, target, idle))
        measured["bytes"] = target.stat().st_size if target.exists() else 0
        target.unlink(missing_ok=True)
        return measured
    if variant == "wrapper":
        with CompanyEnrich(served.api_key, base_url=served.base_url) as client:
            job = client.exports.get(job_id)
            before = _start_rss()
            started = time.perf_counter()
            client.exports.download(job, target)
            seconds = time.perf_counter() - started
    else:
        with httpx.Client() as http:
            url = _bare_results_url(http, served, job_id)
            before = _start_rss()
            started = time.perf_counter()
            if variant == "memory":
                body = http.get(url).content
                target.write_bytes(body)
                del body
            else:
                with http.stream("GET", url) as response, target.open("wb") as file:
                    for chunk in response.iter_bytes():
                        file.write(chunk)
                    if variant == "bare-fsync":
                        file.flush()
                        os.fsync(file.fileno())
            seconds = time.perf_counter() - started
    size = target.stat().st_size
    target.unlink()
    return {"seconds": seconds, "bytes": size, "rss_growth_mb": peak_rss_mb() - before}


def child(argv: Sequence[str]) -> int:
    variant, base_url, api_key, job_id, dest, idle = argv
    served = Served(base_url=base_url, api_key=api_key)
    print_result(_measure(variant, served, job_id, Path(dest), float(idle)))
    return 0


def run(config: Config) -> Section:
    size = config.pick(500 * 1000 * 1000, 1000 * 1000)
    rows = config.pick(1000, 100)  # the fake makes every record as it serves the file
    rounds = config.pick(5, 1)
    idle = config.pick(IDLE_SECONDS, SMOKE_IDLE_SECONDS)
    streamed = ["wrapper", "bare", "bare-fsync", "async-wrapper", "async-idle"]
    results: dict[str, list[dict[str, Any]]] = {}
    dest = Path(tempfile.mkdtemp(prefix="companyenrich-bench-"))
    try:
        with config.fake_server() as served:
            [(job_id, _)] = served.add_jobs([{"rows": rows, "result_bytes": size}])
            args = [served.base_url, served.api_key, job_id, str(dest), str(idle)]
            for number in range(rounds):
                shift = number % len(streamed)
                for variant in streamed[shift:] + streamed[:shift]:
                    results.setdefault(variant, []).append(
                        config.run_child("download", variant, *args)
                    )
            results["memory"] = [config.run_child("download", "memory", *args)]
    finally:
        shutil.rmtree(dest, ignore_errors=True)

    def med(variant: str, key: str) -> float:
        return median([float(result[key]) for result in results[variant]])

    def rate(variant: str) -> float:
        return med(variant, "bytes") / med(variant, "seconds") / MiB

    megabytes = med("wrapper", "bytes") / MiB
    section = Section(4, f"Download: a {megabytes:,.0f} MiB results file over loopback")
    # The target is against a bare stream that also fsyncs: the fsync is a
    # promise (no half-written file after a crash), not overhead to shave.
    section.add(
        Row(
            "throughput: `exports.download` (fsync + atomic rename)",
            f"{rate('wrapper'):,.0f} MiB/s ({secs(med('wrapper', 'seconds'))})",
            f"bare httpx stream + fsync: {rate('bare-fsync'):,.0f} MiB/s",
            ratio(rate("wrapper"), rate("bare-fsync")),
            f"≥ {THROUGHPUT_TARGET:.2f}",
            rate("wrapper") >= THROUGHPUT_TARGET * rate("bare-fsync"),
        )
    )
    section.add(
        Row(
            "throughput, against a bare stream without fsync",
            f"{rate('wrapper'):,.0f} MiB/s",
            f"bare httpx stream to disk: {rate('bare'):,.0f} MiB/s",
            ratio(rate("wrapper"), rate("bare")),
        )
    )
    growth = med("wrapper", "rss_growth_mb")
    section.add(
        Row(
            "peak RSS growth during the download",
            f"{growth:,.1f} MB",
            f"body loaded in memory: {med('memory', 'rss_growth_mb'):,.1f} MB",
            ratio(growth, med("memory", "rss_growth_mb")),
            f"< {RSS_TARGET_MB:g} MB",
            growth < RSS_TARGET_MB,
        )
    )
    section.add(
        Row(
            "peak RSS growth, bare httpx stream",
            f"{med('bare', 'rss_growth_mb'):,.1f} MB",
            f"body loaded in memory: {med('memory', 'rss_growth_mb'):,.1f} MB",
            ratio(med("bare", "rss_growth_mb"), med("memory", "rss_growth_mb")),
        )
    )
    stall = med("async-wrapper", "max_stall_ms")
    section.add(
        Row(
            "async `exports.download`: largest event-loop stall (5 ms ticker)",
            f"{stall:,.1f} ms ({rate('async-wrapper'):,.0f} MiB/s)",
            f"the same loop idle: {med('async-idle', 'max_stall_ms'):,.1f} ms",
            ratio(stall, med("async-idle", "max_stall_ms")),
            f"≤ {STALL_TARGET_MS:g} ms",
            stall <= STALL_TARGET_MS,
        )
    )
    section.note(
        f"{rounds} interleaved run(s) of each streamed variant, each in a fresh process "
        "(medians shown); the in-memory baseline (`httpx.get(url).content`, then written "
        "out) ran once. Files go to a temporary folder on the same disk and are deleted."
    )
    section.note(
        "`exports.download` writes to a temporary file beside the destination, checks the "
        "byte count against Content-Length, fsyncs, then renames it into place, so an "
        "interrupted download never leaves a partial file; the target is against a bare "
        "stream that fsyncs too, and the second row shows what the fsync costs."
    )
    section.note(
        "The fake server makes the file's bytes as it sends them, in Python, from a "
        "process of its own: absolute MiB/s here say more about that server than about "
        "either client, which is why only the ratio has a target."
    )
    return section


if __name__ == "__main__":
    if sys.argv[1:2] != ["child"]:
        sys.exit("usage: python -m benchmarks.download child ...")
    sys.exit(child(sys.argv[2:]))
