"""Many jobs within the vendor's limits: the fake's limit, the shared budget, the watcher.

Against `FakeCompanyEnrich(rate_limit=...)` on a `ManualClock`: sync threads
and async tasks, requests never over the limit in any 60-second window,
bursts of 429s (with and without Retry-After) never reaching the caller,
coalesced polling switching on and off with the number of waits. The
watcher's scan is also driven with scripted list pages: any order, several
pages, a job slipping between two pages.
"""

from __future__ import annotations

import json
import subprocess
import sys
import threading
from collections.abc import Callable
from typing import Any
from uuid import UUID

import anyio
import anyio.lowlevel
import httpx
import pytest

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich, ExportJob, WaitTimeoutError
from companyenrich_export._async._watch import AsyncWatcher
from companyenrich_export._core._budget import RequestBudget, budget_for
from companyenrich_export._jobs._models import ExportJobPage, ExportJobSummary, JobStatus
from companyenrich_export._jobs._watching import COALESCE_AT, JobsTimeoutError
from companyenrich_export._sync._watch import Watcher
from companyenrich_export.testing import (
    FakeCompanyEnrich,
    Fault,
    ManualClock,
    RateLimit,
    max_in_any_window,
    serve,
)

KEY = "sk-rate-limits-test"
LIMIT = 30
# Waits sharing one ManualClock each move it on when they sleep, so simulated time
# runs fast with many of them: a deadline that cannot be the thing under test.
NO_DEADLINE = 10 * 86400.0


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


def _fake(clock: ManualClock, *, limit: int | RateLimit | None = LIMIT) -> FakeCompanyEnrich:
    return FakeCompanyEnrich(KEY, clock=clock, rate_limit=limit, default_durations=(5, 40, 5))


def _sync_client(fake: FakeCompanyEnrich, **kwargs: Any) -> CompanyEnrich:
    return CompanyEnrich(
        KEY,
        clock=fake.clock,
        http_client=httpx.Client(transport=fake.transport()),
        **kwargs,
    )


def _async_client(fake: FakeCompanyEnrich, **kwargs: Any) -> AsyncCompanyEnrich:
    return AsyncCompanyEnrich(
        KEY,
        clock=fake.clock,
        http_client=httpx.AsyncClient(transport=fake.transport()),
        **kwargs,
    )


def _routes(fake: FakeCompanyEnrich) -> list[str]:
    return [entry.route + (":list" if "jobs" in entry.path else "") for entry in fake.request_log]


def _statuses(fake: FakeCompanyEnrich) -> list[int]:
    return [entry.status for entry in fake.request_log]


# --- the fake's limit ---------------------------------------------------------------


def _get(fake: FakeCompanyEnrich, job_id: UUID) -> Any:
    return fake.handle(
        "GET",
        f"/companies/search/async/{job_id}",
        headers={"authorization": f"Bearer {KEY}", "accept": "application/json"},
    )


def test_fake_refuses_over_its_limit_with_problem_json_and_says_what_is_left() -> None:
    clock = ManualClock()
    fake = _fake(clock, limit=3)
    job_id = fake.add_job()
    answers = [_get(fake, job_id) for _ in range(4)]
    assert [answer.status for answer in answers] == [200, 200, 200, 429]
    remaining = [dict(answer.headers).get("x-ratelimit-remaining") for answer in answers]
    assert remaining == ["2", "1", "0", "0"]
    refused = dict(answers[3].headers)
    problem = json.loads(answers[3].body)
    assert problem["status"] == 429
    assert problem["detail"].startswith("Too many requests")
    assert refused["retry-after"] == "60"
    clock.advance(20)
    assert dict(_get(fake, job_id).headers)["retry-after"] == "40"  # refused: not counted
    clock.advance(40)
    assert _get(fake, job_id).status == 200  # the first request left the window
    assert fake.api_request_times == [0, 0, 0, 0, 20, 60]


def test_fake_without_retry_after_and_the_spec_parser() -> None:
    fake = _fake(ManualClock(), limit=RateLimit.parse("1/min", retry_after=False))
    job_id = fake.add_job()
    assert _get(fake, job_id).status == 200
    refused = _get(fake, job_id)
    assert refused.status == 429
    assert "retry-after" not in dict(refused.headers)
    assert RateLimit.parse("500/min") == RateLimit(500, 60.0)
    assert RateLimit.parse("10/s") == RateLimit(10, 1.0)
    assert RateLimit.parse(" 7 ") == RateLimit(7, 60.0)
    for bad in ("0/min", "500/week", "fast", "-1"):
        with pytest.raises(ValueError, match="rate limit"):
            RateLimit.parse(bad)


def test_the_fake_counts_requests_from_several_processes() -> None:
    fake = FakeCompanyEnrich(KEY, rate_limit=5)
    job_id = fake.add_job()
    script = (
        "import httpx, sys\n"
        "url, key = sys.argv[1], sys.argv[2]\n"
        "codes = [httpx.get(url, headers={'authorization': 'Bearer ' + key}).status_code"
        " for _ in range(4)]\n"
        "print(' '.join(map(str, codes)))\n"
    )
    with serve(fake) as base_url:
        url = f"{base_url}/companies/search/async/{job_id}"
        workers = [
            subprocess.Popen(  # noqa: S603 - our own interpreter and script
                [sys.executable, "-c", script, url, KEY], stdout=subprocess.PIPE, text=True
            )
            for _ in range(3)
        ]
        outputs = [worker.communicate(timeout=60)[0].split() for worker in workers]
    codes = [int(code) for output in outputs for code in output]
    assert len(codes) == 12
    assert codes.count(200) == 5
    assert codes.count(429) == 7


# --- the budget ---------------------------------------------------------------------


def test_budget_is_a_sliding_window_that_adapts_and_recovers() -> None:
    clock = ManualClock()
    budget = RequestBudget(10, clock)
    for _ in range(10):
        assert budget.take() == 0.0
        budget.done()
    wait = budget.take()
    assert 60.0 <= wait < 60.01  # not a refill: the first send must leave the window
    clock.advance(wait)
    assert budget.take() == 0.0
    budget.done()
    # A 429 halves the allowance; its Retry-After pauses every request.
    budget.observe(429, {}, 12.0)
    assert budget.allowed == 5
    assert budget.take() == pytest.approx(12.0)
    # Answers that are not 429s give the allowance back, one each.
    for _ in range(5):
        budget.observe(200, {}, None)
    assert budget.allowed == 10
    # A server counting more than we sent (someone else on the key) lowers it.
    budget.observe(200, {"x-ratelimit-remaining": "2"}, None)
    assert budget.allowed == budget.sent_in_window() + 2
    budget.observe(200, {"x-ratelimit-remaining": "lots"}, None)  # not a number: ignored


def test_a_request_holds_its_place_until_sixty_seconds_after_its_answer() -> None:
    """The server counts a request on arrival, between our send and its answer."""
    clock = ManualClock()
    budget = RequestBudget(2, clock)
    assert budget.take() == 0.0  # sent at 0, a slow first request: answered at 5
    assert budget.take() == 0.0  # sent at 0, answered at 1
    # Both places are held by unanswered requests: look again shortly.
    assert budget.take() == pytest.approx(0.05)
    clock.advance(1.0)
    budget.done()
    clock.advance(4.0)
    budget.done()
    assert budget.sent_in_window() == 2
    # The first place frees 60 s after the first answer (t=1), not after the sends (t=0).
    assert budget.take() == pytest.approx(61.001 - 5.0)
    clock.advance(56.001)
    assert budget.take() == 0.0
    assert budget.take() == pytest.approx(65.001 - 61.001)


@pytest.mark.anyio
async def test_a_cancelled_request_gives_its_place_back_counted_from_the_cancel() -> None:
    clock = ManualClock()
    started = anyio.Event()

    async def hang(request: httpx.Request) -> httpx.Response:
        started.set()
        await anyio.sleep_forever()
        raise AssertionError("unreachable")

    async with AsyncCompanyEnrich(
        KEY,
        clock=clock,
        max_requests_per_minute=LIMIT,
        http_client=httpx.AsyncClient(transport=httpx.MockTransport(hang)),
    ) as client:
        budget = client._api.budget
        assert budget is not None
        async with anyio.create_task_group() as group:
            group.start_soon(client.exports.get, "3fa85f64-5717-4562-b3fc-2c963f66afa6")
            await started.wait()
            assert budget._in_flight == 1
            group.cancel_scope.cancel()
        assert budget._in_flight == 0
        assert budget.sent_in_window() == 1


def test_budget_is_shared_per_key_and_origin_and_never_keyed_by_the_key() -> None:
    clock = ManualClock()
    one = budget_for(KEY, "https://api.companyenrich.com:", clock, 500)
    assert one is budget_for(KEY, "https://api.companyenrich.com:", clock, 500)
    assert one is not budget_for(KEY + "x", "https://api.companyenrich.com:", clock, 500)
    assert one is not budget_for(KEY, "https://other.example:", clock, 500)
    assert budget_for(KEY, "https://api.companyenrich.com:", clock, None) is None
    # The smallest limit asked for wins for everyone on the key.
    assert budget_for(KEY, "https://api.companyenrich.com:", clock, 200) is one
    assert one is not None
    assert one.limit == 200
    from companyenrich_export._core import _budget

    assert KEY not in repr(_budget._clock_budgets[clock])


def test_max_requests_per_minute_is_checked() -> None:
    with pytest.raises(ValueError, match="at least 1"):
        CompanyEnrich(KEY, max_requests_per_minute=0)
    with pytest.raises(TypeError, match="whole number"):
        CompanyEnrich(KEY, max_requests_per_minute=2.5)  # type: ignore[arg-type]


# --- many waits against the limited fake: threads and tasks -------------------------


def _many_jobs(fake: FakeCompanyEnrich, count: int) -> list[UUID]:
    return [fake.add_job(processing_for=30 + 7 * index) for index in range(count)]


class _GateClock(ManualClock):
    """Time stands still until `parties` threads are asleep: every wait is registered by then.

    Without it the first thread's sleeps would finish its job (a ManualClock
    moves at once) before the last thread had even started.
    """

    def __init__(self, parties: int) -> None:
        super().__init__()
        self._parties = parties
        self._asleep: set[int] = set()
        self._lock = threading.Lock()
        self._open = threading.Event()

    def sleep(self, seconds: float) -> None:
        if not self._open.is_set():
            with self._lock:
                self._asleep.add(threading.get_ident())
                if len(self._asleep) >= self._parties:
                    self._open.set()
            assert self._open.wait(timeout=60), "the threads never all went to sleep"
        super().sleep(seconds)


@pytest.mark.parametrize("count", [4, 25])
def test_sync_threads_stay_within_the_limit(count: int) -> None:
    fake = _fake(_GateClock(count))
    jobs = _many_jobs(fake, count)
    results: list[ExportJob] = []
    errors: list[BaseException] = []
    clients = [_sync_client(fake, max_requests_per_minute=LIMIT) for _ in range(3)]

    def follow(job_id: UUID, client: CompanyEnrich) -> None:
        try:
            results.append(client.exports.wait(job_id, timeout=NO_DEADLINE))
        except BaseException as exc:
            errors.append(exc)

    threads = [
        threading.Thread(target=follow, args=(job_id, clients[index % 3]))
        for index, job_id in enumerate(jobs)
    ]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join(timeout=120)
    assert errors == [], errors[:1]
    assert sorted(job.job_id for job in results) == sorted(jobs)
    assert max_in_any_window(fake.api_request_times) <= LIMIT
    assert 429 not in _statuses(fake)
    assert ("api:list" in _routes(fake)) is (count >= COALESCE_AT)


@pytest.mark.anyio
@pytest.mark.parametrize("count", [4, 25])
async def test_async_tasks_stay_within_the_limit(count: int) -> None:
    fake = _fake(ManualClock())
    jobs = _many_jobs(fake, count)
    results: list[ExportJob] = []
    clients = [_async_client(fake, max_requests_per_minute=LIMIT) for _ in range(3)]

    async def follow(job_id: UUID, client: AsyncCompanyEnrich) -> None:
        results.append(await client.exports.wait(job_id, timeout=NO_DEADLINE))

    async with anyio.create_task_group() as group:
        for index, job_id in enumerate(jobs):
            group.start_soon(follow, job_id, clients[index % 3])
    assert sorted(job.job_id for job in results) == sorted(jobs)
    assert max_in_any_window(fake.api_request_times) <= LIMIT
    assert 429 not in _statuses(fake)
    coalesced = count >= COALESCE_AT
    assert ("api:list" in _routes(fake)) is coalesced
    gets = [
        entry for entry in fake.request_log if entry.route == "api" and "jobs" not in entry.path
    ]
    if coalesced:
        # No first look at each job: fetched once it left the active set (or slipped a page).
        assert len(gets) <= 2 * count
    else:
        assert len(gets) > count


@pytest.mark.parametrize("retry_after", [True, False])
def test_a_burst_of_429s_never_reaches_the_caller_while_the_deadline_allows(
    retry_after: bool,
) -> None:
    fake = _fake(ManualClock(), limit=None)
    job_id = fake.add_job(processing_for=10)
    fake.inject(Fault.rate_limit(7 if retry_after else None), times=12)
    with _sync_client(fake) as client:
        job = client.exports.wait(job_id, timeout=600)
    assert job.status is JobStatus.COMPLETED
    assert _statuses(fake).count(429) == 12


@pytest.mark.anyio
@pytest.mark.parametrize("retry_after", [True, False])
async def test_async_429_bursts_and_a_second_process_on_the_key(retry_after: bool) -> None:
    # The fake allows 30 a minute; this client believes in 60: the 429s teach it.
    fake = _fake(ManualClock(), limit=RateLimit(LIMIT, retry_after=retry_after))
    jobs = _many_jobs(fake, 12)
    async with _async_client(fake, max_requests_per_minute=2 * LIMIT) as client:
        finished = [job async for job in client.exports.as_completed(jobs, timeout=NO_DEADLINE)]
    assert sorted(job.job_id for job in finished) == sorted(jobs)
    assert all(job.status is JobStatus.COMPLETED for job in finished)


def test_the_deadline_still_ends_a_wait_refused_forever() -> None:
    fake = _fake(ManualClock(), limit=None)
    job_id = fake.add_job(processing_for=10)
    fake.inject(Fault.rate_limit(5), times=1000)
    with _sync_client(fake) as client, pytest.raises(WaitTimeoutError):
        client.exports.wait(job_id, timeout=60)
    assert fake.clock.monotonic() <= 62


# --- as_completed -------------------------------------------------------------------


@pytest.mark.parametrize("count", [3, 15])
def test_as_completed_yields_each_final_job_as_it_ends(count: int) -> None:
    fake = _fake(ManualClock())
    jobs = [fake.add_job(processing_for=30 * (count - index)) for index in range(count)]
    fake.fail_now(jobs[-1], "no luck")
    with _sync_client(fake, max_requests_per_minute=LIMIT) as client:
        finished = list(client.exports.as_completed([*jobs, jobs[0]], timeout=NO_DEADLINE))
    assert finished[0].job_id == jobs[-1]  # the failed one, yielded
    assert finished[0].status is JobStatus.FAILED
    assert sorted(job.job_id for job in finished) == sorted(jobs)
    assert all(job.results_url for job in finished[1:])
    # Ending in reverse order of creation, they are yielded in that order.
    assert [job.job_id for job in finished[1:]] == list(reversed(jobs[:-1]))
    assert max_in_any_window(fake.api_request_times) <= LIMIT


@pytest.mark.anyio
async def test_as_completed_deadline_lists_what_was_still_running() -> None:
    fake = _fake(ManualClock())
    quick = [fake.add_job(processing_for=5) for _ in range(2)]
    slow = [fake.add_job(processing_for=5000) for _ in range(12)]
    seen: list[ExportJob] = []

    async def collect() -> None:
        async with _async_client(fake) as client:
            async for job in client.exports.as_completed(quick + slow, timeout=300):
                seen.append(job)

    with pytest.raises(JobsTimeoutError) as caught:
        await collect()
    assert sorted(job.job_id for job in seen) == sorted(quick)
    assert sorted(caught.value.still_running) == sorted(slow)
    assert isinstance(caught.value, WaitTimeoutError)
    assert "12 export job(s) did not finish within 300 s" in str(caught.value)
    assert fake.clock.monotonic() <= 305


def test_as_completed_checks_its_arguments_before_any_request() -> None:
    fake = _fake(ManualClock())
    with _sync_client(fake) as client:
        with pytest.raises(ValueError, match="UUID"):
            client.exports.as_completed(["not-a-uuid"])
        with pytest.raises(ValueError, match="timeout"):
            client.exports.as_completed([fake.add_job()], timeout=-1)
    assert fake.request_log == []


# --- the scan, with scripted list pages ---------------------------------------------

IDS = [UUID(int=index + 1, version=4) for index in range(COALESCE_AT + 2)]


def _summary(job_id: UUID, status: str) -> ExportJobSummary:
    return ExportJobSummary(
        job_id=job_id,
        status=JobStatus(status),
        requested_count=10,
        total_matching=10,
        exported_count=0,
        credits_charged=0,
        created_at=ManualClock().utcnow(),
    )


class _ScriptedPages:
    """`scan_page` answering from a script: {(status, page): (ids, total_pages)}."""

    def __init__(
        self, script: dict[tuple[str, int], tuple[list[UUID], int]], on_page: Callable[[], None]
    ) -> None:
        self.script = script
        self.asked: list[tuple[str, int]] = []
        self.on_page = on_page

    def page(self, number: int, status: JobStatus) -> ExportJobPage:
        self.asked.append((status.value, number))
        ids, total = self.script.get((status.value, number), ([], 1))
        self.on_page()
        return ExportJobPage(
            items=tuple(_summary(job_id, status.value) for job_id in ids),
            page=number,
            total_pages=total,
            total_items=99,
        )


class _SyncPages(_ScriptedPages):
    def scan_page(self, number: int, status: JobStatus) -> ExportJobPage:
        return self.page(number, status)


class _AsyncPages(_ScriptedPages):
    async def scan_page(self, number: int, status: JobStatus) -> ExportJobPage:
        return self.page(number, status)


@pytest.fixture(params=["sync", "async"])
def look(request: pytest.FixtureRequest) -> Callable[..., Any]:
    """Run one `watcher.look` over scripted pages, with the watcher of the flavour."""

    def run(script: dict[tuple[str, int], tuple[list[UUID], int]], followed: list[UUID]) -> Any:
        clock = ManualClock()
        if request.param == "sync":
            sync_watcher = Watcher(clock)
            sync_watcher.follow(followed)
            pages: _ScriptedPages = _SyncPages(script, lambda: None)
            _, active = sync_watcher.look(0, pages)  # type: ignore[arg-type]
        else:
            async_watcher = AsyncWatcher(clock)
            async_watcher.follow(followed)
            pages = _AsyncPages(script, lambda: None)

            async def main() -> Any:
                return await async_watcher.look(0, pages)  # type: ignore[arg-type]

            _, active = anyio.run(main)
        return set(active), pages.asked

    return run


def test_scan_any_order_and_several_pages(look: Callable[..., Any]) -> None:
    shuffled = [IDS[5], IDS[0], IDS[9], IDS[3]]
    script = {
        ("pending", 1): (shuffled, 1),
        ("processing", 1): ([IDS[8], IDS[1], IDS[7]], 3),
        ("processing", 2): ([IDS[2], IDS[6]], 3),
        ("processing", 3): ([IDS[4]], 3),
        ("completing", 1): ([IDS[10]], 1),
    }
    active, asked = look(script, IDS)
    assert active == set(IDS[:11])  # IDS[11] is on no active page: its waiter fetches it
    assert asked == [
        ("pending", 1),
        ("processing", 1),
        ("processing", 2),
        ("processing", 3),
        ("completing", 1),
    ]


def test_scan_stops_once_every_followed_job_is_seen(look: Callable[..., Any]) -> None:
    script = {("pending", 1): (IDS, 2), ("pending", 2): ([], 2)}
    active, asked = look(script, IDS)
    assert active == set(IDS)
    assert asked == [("pending", 1)]


def test_a_job_slipping_between_two_pages_is_not_assumed_done(
    look: Callable[..., Any],
) -> None:
    # Page 1 was read, then a job ended and everything moved up one place: the
    # job that was first on page 2 is now last on page 1, and no page shows it.
    script = {
        ("processing", 1): (IDS[:5], 2),
        ("processing", 2): (IDS[6:], 2),
    }
    active, _ = look(script, IDS)
    assert IDS[5] not in active  # so its waiter GETs it, and sees it still running


def test_a_job_missing_from_the_list_is_fetched_and_still_followed() -> None:
    # The list never shows this job (say, the server filters it out): wait() must
    # fetch it itself, find it running, and keep going until it completes.
    fake = _fake(ManualClock(), limit=None)
    hidden = fake.add_job(processing_for=100)
    others = [fake.add_job(processing_for=5000) for _ in range(COALESCE_AT)]
    original = fake._list

    def without_hidden(*args: Any) -> Any:
        response = original(*args)
        payload = json.loads(response.body)
        payload["items"] = [item for item in payload["items"] if item["job_id"] != str(hidden)]
        response.body = json.dumps(payload).encode()
        response.headers = [
            (name, str(len(response.body)) if name == "content-length" else value)
            for name, value in response.headers
        ]
        return response

    fake._list = without_hidden  # type: ignore[method-assign]

    async def main() -> ExportJob:
        async with _async_client(fake) as client:
            job: ExportJob | None = None
            async with anyio.create_task_group() as group:

                async def hold(job_id: UUID) -> None:
                    with pytest.raises(WaitTimeoutError):
                        await client.exports.wait(job_id, timeout=400)

                for job_id in others:
                    group.start_soon(hold, job_id)
                await anyio.lowlevel.checkpoint()
                job = await client.exports.wait(hidden, timeout=3600)
            assert job is not None
            return job

    job = anyio.run(main)
    assert job.status is JobStatus.COMPLETED
    assert job.results_url


def test_sync_and_async_clients_on_one_key_share_one_budget() -> None:
    fake = _fake(ManualClock())
    sync_client, async_client = _sync_client(fake), _async_client(fake)
    shared = sync_client.exports._http.budget
    assert shared is not None
    assert shared is async_client.exports._http.budget
    assert _sync_client(fake, max_requests_per_minute=None).exports._http.budget is None
    assert KEY not in repr(shared)


def test_the_fake_command_line_checks_its_rate_limit(capsys: pytest.CaptureFixture[str]) -> None:
    from companyenrich_export.testing.__main__ import main

    with pytest.raises(SystemExit) as exited:
        main(["--rate-limit", "lots"])
    assert exited.value.code == 2
    assert "rate limit must look like 500/min" in capsys.readouterr().err
