"""2. Async fan-out: one event loop waiting on 1,000 jobs, versus a thread pool.

The fake runs in its own process on real time; each client variant runs in
a child process of its own (so its peak memory is its own), creates the
jobs through the benchmark-only route at the moment it starts, and waits
for all of them. Job durations are spread uniformly between two bounds; the
server reports the instant (on the machine-wide monotonic clock) each job
completes, and the child notes when `wait()` returned for it.

A second measurement isolates the first poll of every job, which is
immediate and so comes as one burst: 1,000 `exports.get` at once through the
same bounded pool, against bare `httpx.AsyncClient` doing the same, with and
without a semaphore in front of the pool.

    python -m benchmarks.fanout child VARIANT BASE_URL API_KEY JOBS LO HI POOL THREADS SEED POLL
"""

from __future__ import annotations

import asyncio
import contextlib
import importlib.abc
import importlib.util
import json
import math
import os
import random
import sys
import threading
import time
from collections.abc import Awaitable, Callable, Sequence
from concurrent.futures import ThreadPoolExecutor
from typing import Any
from uuid import UUID

import httpx

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich, PollSchedule
from companyenrich_export._async._watch import watcher_for
from companyenrich_export._sync._watch import watcher_for as sync_watcher_for

from ._common import (
    Config,
    Row,
    Section,
    Served,
    median,
    os_threads,
    peak_rss_mb,
    print_result,
    ratio,
    secs,
)

# 1,000 jobs checked every second would be 1,000 requests/s: more than one
# Python process gets through httpx's async client on a small machine (the
# burst rows measure it). One check every 3 s keeps the load near 330/s.
POLL_SECONDS = 3.0
SMOKE_POLL_SECONDS = 0.5


def schedule_for(poll: float) -> PollSchedule:
    """A fixed interval: 10% of the time waited never exceeds it for jobs this short."""
    return PollSchedule(initial=poll, ratio=0.1, maximum=poll)


def _durations(jobs: int, lo: float, hi: float, seed: int) -> list[float]:
    rng = random.Random(seed)
    return [rng.uniform(lo, hi) for _ in range(jobs)]


class _Responses:
    """Counts responses and the distinct local sockets they came over (= connections)."""

    def __init__(self) -> None:
        self.count = 0
        self.sockets: set[Any] = set()
        self._lock = threading.Lock()

    def record(self, response: httpx.Response) -> None:
        stream = response.extensions.get("network_stream")
        local = stream.get_extra_info("client_addr") if stream is not None else None
        with self._lock:
            self.count += 1
            self.sockets.add(local)


def _open_sockets() -> int:
    try:
        names = os.listdir("/proc/self/fd")
    except OSError:
        return 0
    count = 0
    for name in names:
        with contextlib.suppress(OSError):
            count += os.readlink(f"/proc/self/fd/{name}").startswith("socket:")
    return count


class _Sampler:
    """Samples OS threads and open sockets every 20 ms, from a thread of its own."""

    def __init__(self) -> None:
        self.threads = 0
        self.sockets = 0
        self._stop = threading.Event()
        self._thread = threading.Thread(target=self._run, daemon=True)

    def _sample(self) -> None:
        self.threads = max(self.threads, os_threads() - 1)  # not counting the sampler
        self.sockets = max(self.sockets, _open_sockets())

    def _run(self) -> None:
        while not self._stop.wait(0.02):
            self._sample()

    def __enter__(self) -> _Sampler:
        self._thread.start()
        return self

    def __exit__(self, *_: object) -> None:
        self._stop.set()
        self._thread.join()
        self._sample()


class _ImportAttempts(importlib.abc.MetaPathFinder):
    """Counts attempts to import one module (finding nothing itself)."""

    def __init__(self, name: str) -> None:
        self.name = name
        self.count = 0

    def find_spec(self, fullname: str, path: object, target: object = None) -> None:
        if fullname == self.name:
            self.count += 1


def _limits(pool: int) -> httpx.Limits:
    return httpx.Limits(max_connections=pool, max_keepalive_connections=pool)


def _result(
    *,
    started: float,
    finished: float,
    done_at: dict[str, float],
    detected: dict[str, float],
    durations: Sequence[float],
    responses: _Responses,
    sampler: _Sampler,
    baseline_sockets: int,
) -> dict[str, Any]:
    lags = [detected[job] - done_at[job] for job in done_at]
    return {
        "wall": finished - started,
        "slowest": max(durations),
        "lag_median": median(lags),
        "lag_max": max(lags),
        "requests": responses.count,
        "connections": len(responses.sockets),
        "open_sockets": sampler.sockets - baseline_sockets,
        "threads": sampler.threads,
        "peak_rss_mb": peak_rss_mb(),
    }


async def _async_child(
    served: Served, durations: list[float], pool: int, schedule: PollSchedule
) -> dict[str, Any]:
    responses = _Responses()

    async def on_response(response: httpx.Response) -> None:
        responses.record(response)

    sniffio = _ImportAttempts("sniffio")
    if importlib.util.find_spec("sniffio") is None:
        sys.meta_path.insert(0, sniffio)
    http = httpx.AsyncClient(limits=_limits(pool), event_hooks={"response": [on_response]})
    detected: dict[str, float] = {}
    baseline_sockets = _open_sockets()
    async with (
        http,
        AsyncCompanyEnrich(
            served.api_key,
            base_url=served.base_url,
            http_client=http,
            poll_schedule=schedule,
            max_requests_per_minute=None,  # the fake here has no limit: client overhead only
        ) as client,
    ):
        # One poll loop per job, as the threads baseline: section 8 measures coalescing.
        watcher = watcher_for(client.exports.config)
        watcher.coalesce_at = math.inf

        async def follow(job_id: str) -> None:
            await client.exports.wait(job_id, timeout=300)
            detected[job_id] = time.monotonic()

        with _Sampler() as sampler:
            started = time.monotonic()
            done_at = dict(served.add_jobs([{"processing_for": d} for d in durations]))
            async with asyncio.TaskGroup() as group:
                for job_id in done_at:
                    group.create_task(follow(job_id))
            finished = time.monotonic()
    result = _result(
        started=started,
        finished=finished,
        done_at=done_at,
        detected=detected,
        durations=durations,
        responses=responses,
        sampler=sampler,
        baseline_sockets=baseline_sockets,
    )
    result["sniffio_imports_per_request"] = sniffio.count / max(responses.count, 1)
    result["failed_import_us"] = _failed_import_seconds("sniffio") * 1e6 if sniffio.count else 0.0
    return result


def _failed_import_seconds(name: str, attempts: int = 50) -> float:
    """What one failing `import name` costs here (a search of every `sys.path` entry)."""
    started = time.perf_counter()
    for _ in range(attempts):
        with contextlib.suppress(ImportError):
            importlib.import_module(name)
    return (time.perf_counter() - started) / attempts


def _threads_child(
    served: Served, durations: list[float], pool: int, threads: int, schedule: PollSchedule
) -> dict[str, Any]:
    responses = _Responses()
    http = httpx.Client(limits=_limits(pool), event_hooks={"response": [responses.record]})
    local = threading.local()
    detected: dict[str, float] = {}
    # One poll loop per job in every thread (not a shared scan): see section 8 for that.
    held = []

    def follow(job_id: str) -> None:
        client = getattr(local, "client", None)
        if client is None:  # one client per worker thread, all on the shared pool
            client = local.client = CompanyEnrich(
                served.api_key,
                base_url=served.base_url,
                http_client=http,
                poll_schedule=schedule,
                max_requests_per_minute=None,  # an unlimited fake: client overhead only
            )
            watcher = sync_watcher_for(client.exports.config)
            watcher.coalesce_at = math.inf
            held.append(watcher)
        client.exports.wait(job_id, timeout=300)
        detected[job_id] = time.monotonic()

    baseline_sockets = _open_sockets()
    with http, _Sampler() as sampler:
        started = time.monotonic()
        done_at = dict(served.add_jobs([{"processing_for": d} for d in durations]))
        with ThreadPoolExecutor(max_workers=threads) as executor:
            list(executor.map(follow, done_at))
        finished = time.monotonic()
    return _result(
        started=started,
        finished=finished,
        done_at=done_at,
        detected=detected,
        durations=durations,
        responses=responses,
        sampler=sampler,
        baseline_sockets=baseline_sockets,
    )


async def _burst_child(variant: str, served: Served, jobs: int, pool: int) -> dict[str, Any]:
    """Seconds for `jobs` status requests started at once, through a pool of `pool`."""
    ids = [job_id for job_id, _ in served.add_jobs([{"processing_for": 3600.0}] * jobs)]
    headers = {"Authorization": f"Bearer {served.api_key}", "Accept": "application/json"}
    gate = asyncio.Semaphore(pool)
    async with (
        httpx.AsyncClient(limits=_limits(pool), timeout=120.0) as http,
        AsyncCompanyEnrich(
            served.api_key,
            base_url=served.base_url,
            http_client=http,
            max_requests_per_minute=None,  # an unlimited fake: client overhead only
        ) as client,
    ):
        uuids = [UUID(job_id) for job_id in ids]

        async def wrapper(index: int) -> None:
            await client.exports.get(uuids[index])

        async def bare(index: int) -> None:
            url = f"{served.base_url}/companies/search/async/{ids[index]}"
            json.loads((await http.get(url, headers=headers)).content)

        async def gated(index: int) -> None:
            async with gate:
                await bare(index)

        call: Callable[[int], Awaitable[None]] = {
            "burst-wrapper": wrapper,
            "burst-bare": bare,
            "burst-gated": gated,
        }[variant]
        await asyncio.gather(*(call(index) for index in range(min(pool, jobs))))  # connect
        started = time.monotonic()
        await asyncio.gather(*(call(index) for index in range(jobs)))
        return {"seconds": time.monotonic() - started}


def child(argv: Sequence[str]) -> int:
    variant, base_url, api_key, jobs, lo, hi, pool, threads, seed, poll = argv
    served = Served(base_url=base_url, api_key=api_key)
    durations = _durations(int(jobs), float(lo), float(hi), int(seed))
    schedule = schedule_for(float(poll))
    if variant == "async":
        result = asyncio.run(_async_child(served, durations, int(pool), schedule))
    elif variant == "threads":
        result = _threads_child(served, durations, int(pool), int(threads), schedule)
    else:
        result = asyncio.run(
            _burst_child(variant, served, int(jobs), int(pool)),
        )
    print_result(result)
    return 0


def run(config: Config) -> Section:
    jobs = config.pick(1000, 20)
    poll = config.pick(POLL_SECONDS, SMOKE_POLL_SECONDS)
    # Every job needs one to three checks after the first (smoke: one, the least wait).
    lo, hi = config.pick((poll, 3 * poll), (0.2 * poll, poll))
    pool = config.pick(32, 4)
    threads = config.pick(32, 4)
    rounds = config.pick(2, 1)
    schedule = schedule_for(poll)
    results: dict[str, list[dict[str, Any]]] = {}
    with config.fake_server() as served:

        def launch(variant: str, seed: int) -> None:
            args = [served.base_url, served.api_key, jobs, lo, hi, pool, threads, seed, poll]
            outcome = config.run_child("fanout", variant, *map(str, args))
            results.setdefault(variant, []).append(outcome)

        for number in range(rounds):
            for variant in ["async", "threads"] if number % 2 == 0 else ["threads", "async"]:
                launch(variant, number)
        for number in range(rounds):
            for variant in ["burst-wrapper", "burst-bare", "burst-gated"]:
                launch(variant, number)

    def med(variant: str, key: str) -> float:
        return median([float(result[key]) for result in results[variant]])

    interval = schedule.maximum
    section = Section(
        2,
        f"Async fan-out: `AsyncCompanyEnrich` waiting on {jobs:,} jobs in one event loop",
    )
    slowest = med("async", "slowest")
    lag_bound = 1.1 * interval
    vs = f"{threads} threads:"
    section.add(
        Row(
            "wall time / slowest job's duration",
            f"{med('async', 'wall') / slowest:.2f} ({secs(med('async', 'wall'))})",
            f"{vs} {med('threads', 'wall') / slowest:.2f} ({secs(med('threads', 'wall'))})",
            ratio(med("async", "wall"), med("threads", "wall")),
            f"≤ (slowest + 1 interval + 10%) / slowest = {(slowest + lag_bound) / slowest:.2f}",
            med("async", "wall") <= slowest + lag_bound,
        )
    )
    section.add(
        Row(
            "detection lag, worst job",
            secs(med("async", "lag_max")),
            f"{vs} {secs(med('threads', 'lag_max'))}",
            ratio(med("async", "lag_max"), med("threads", "lag_max")),
            f"≤ 1 capped interval ({interval:g} s, +10% for the request itself)",
            med("async", "lag_max") <= lag_bound,
        )
    )
    section.add(
        Row(
            "detection lag, median job",
            secs(med("async", "lag_median")),
            f"{vs} {secs(med('threads', 'lag_median'))}",
            ratio(med("async", "lag_median"), med("threads", "lag_median")),
        )
    )
    section.add(
        Row(
            "requests made",
            f"{med('async', 'requests'):,.0f}",
            f"{vs} {med('threads', 'requests'):,.0f}",
            ratio(med("async", "requests"), med("threads", "requests")),
        )
    )
    section.add(
        Row(
            "sockets open at once, peak",
            f"{med('async', 'open_sockets'):,.0f}",
            f"{vs} {med('threads', 'open_sockets'):,.0f}",
            ratio(med("async", "open_sockets"), med("threads", "open_sockets")),
            f"≤ pool size ({pool})",
            med("async", "open_sockets") <= pool,
        )
    )
    section.add(
        Row(
            "TCP connections opened in all",
            f"{med('async', 'connections'):,.0f}",
            f"{vs} {med('threads', 'connections'):,.0f}",
            ratio(med("async", "connections"), med("threads", "connections")),
        )
    )
    section.add(
        Row(
            "OS threads in the process, peak",
            f"{med('async', 'threads'):,.0f}",
            f"{vs} {med('threads', 'threads'):,.0f}",
            ratio(med("async", "threads"), med("threads", "threads")),
            "no thread per job",
            med("async", "threads") < jobs / 10,
        )
    )
    section.add(
        Row(
            "peak RSS of the client process",
            f"{med('async', 'peak_rss_mb'):,.1f} MB",
            f"{vs} {med('threads', 'peak_rss_mb'):,.1f} MB",
            ratio(med("async", "peak_rss_mb"), med("threads", "peak_rss_mb")),
        )
    )
    burst = med("burst-wrapper", "seconds")
    section.add(
        Row(
            f"first-poll burst: {jobs:,} `exports.get` at once",
            f"{secs(burst)} ({jobs / burst:,.0f}/s)",
            f"bare `httpx.AsyncClient`: {secs(med('burst-bare', 'seconds'))}",
            ratio(burst, med("burst-bare", "seconds")),
        )
    )
    gated = med("burst-gated", "seconds")
    section.add(
        Row(
            f"first-poll burst, bare httpx behind a semaphore of {pool}",
            f"{secs(gated)} ({jobs / gated:,.0f}/s)",
            f"bare httpx, no semaphore: {secs(med('burst-bare', 'seconds'))}",
            ratio(gated, med("burst-bare", "seconds")),
        )
    )
    section.note(
        f"{jobs:,} jobs lasting {lo:g} s to {hi:g} s (uniform, seeded), all created when "
        f"the client starts; {rounds} interleaved run(s) per variant, each in a fresh "
        "process, medians shown. The fake server is a separate process."
    )
    section.note(
        f"Poll schedule: `{schedule!r}`: first check at once, then one every "
        f"{interval:g} s (10% of the time waited never reaches {interval:g} s here), so at "
        f"most {jobs / interval:,.0f} requests/s. With the default 1 s floor, {jobs:,} jobs "
        f"would ask for {jobs:,}/s, and this machine's client process sends about "
        f"{jobs / gated:,.0f}/s at best (burst rows): lag would then measure the queue, not "
        "the schedule."
    )
    section.note(
        f"Pool: every variant uses `httpx.Limits(max_connections={pool}, "
        f"max_keepalive_connections={pool})`. Baseline: a `ThreadPoolExecutor` of "
        f"{threads} threads, one sync `CompanyEnrich` per thread, all sharing one "
        "`httpx.Client`, each thread calling `wait()` on one job after another. The server "
        "closes connections idle for 5 s (uvicorn's default), so a few are reopened."
    )
    section.note(
        "The thread pool makes fewer requests only because a thread busy with one job "
        "leaves the jobs queued behind it unpolled: they are found late (its lag), not "
        "cheaply. A thread per job would match the async lag at the cost of "
        f"{jobs:,} threads."
    )
    per_request = med("async", "sniffio_imports_per_request")
    if per_request:
        cost = per_request * med("async", "failed_import_us")
        section.note(
            f"`sniffio` is not installed here, and httpcore then retries `import sniffio` "
            f"{per_request:.0f} times per async request, each a failed search of `sys.path` "
            f"({med('async', 'failed_import_us'):,.0f} µs here): about {cost:,.0f} µs of CPU "
            "per request, on every async request. Declaring `sniffio` as a dependency "
            "removes it."
        )
    return section


if __name__ == "__main__":
    if sys.argv[1:2] != ["child"]:
        sys.exit("usage: python -m benchmarks.fanout child ...")
    sys.exit(child(sys.argv[2:]))
