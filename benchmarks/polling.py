"""3. Polling economy: requests and detection lag of `wait()`, versus fixed 1-second polling.

Simulated time only: the client and the fake share one `ManualClock` and
talk through the fake's in-process transport, so a 20-minute job is waited
for in milliseconds and every figure is exact (no noise to take medians
of). Detection lag depends on where the job's end falls between two polls,
so each duration is run several times, stretched by 0% to +10% (spread by
the golden ratio, so that no run ends exactly on a poll), and the table
gives the median and the worst of those runs.
"""

from __future__ import annotations

import httpx

from companyenrich_export import CompanyEnrich, PollSchedule
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

from ._common import Config, Row, Section, median, ratio

DURATIONS = {"5 s": 5.0, "1 min": 60.0, "20 min": 20 * 60.0}
GOLDEN = 0.6180339887498949


def stretched(duration: float, runs: int) -> list[float]:
    """`runs` lengths between `duration` and +10%, evenly spread and off the 1 s grid."""
    return [duration * (1 + 0.1 * ((0.5 + step * GOLDEN) % 1.0)) for step in range(runs)]


def _fmt(seconds: float) -> str:
    return f"{seconds:.2f} s" if seconds < 10 else f"{seconds:.1f} s"


def wait_once(duration: float, schedule: PollSchedule) -> tuple[int, float]:
    """(requests made, detection lag in seconds) for one job lasting `duration`."""
    clock = ManualClock()
    fake = FakeCompanyEnrich("bench-key", clock=clock)
    # A fifth pending, three fifths processing, a fifth completing, as the fake's default.
    job_id = fake.add_job(
        pending_for=duration * 0.2, processing_for=duration * 0.6, completing_for=duration * 0.2
    )
    with (
        httpx.Client(transport=fake.transport()) as http,
        CompanyEnrich(
            fake.api_key, base_url=fake.base_url, http_client=http, clock=clock
        ) as client,
    ):
        client.exports.wait(job_id, timeout=2 * duration + 60, poll_interval=schedule)
    lag = clock.monotonic() - duration
    requests = sum(1 for request in fake.request_log if request.route == "api")
    return requests, lag


def run(config: Config) -> Section:
    runs = config.pick(11, 1)
    smart = PollSchedule()
    fixed = PollSchedule.fixed(1.0)
    section = Section(3, "Polling economy: `wait()` on jobs of 5 s, 1 min and 20 min (simulated)")
    # Smoke: not the 20-minute job, whose fixed 1 s baseline alone makes 1,200 requests.
    durations = config.pick(DURATIONS, {"5 s": 5.0, "1 min": 60.0})
    for label, duration in durations.items():
        stretches = stretched(duration, runs)
        ours = [wait_once(length, smart) for length in stretches]
        base = [wait_once(length, fixed) for length in stretches]
        our_requests = median([float(requests) for requests, _ in ours])
        base_requests = median([float(requests) for requests, _ in base])
        our_lags = [lag for _, lag in ours]
        base_lags = [lag for _, lag in base]
        bound = 0.1 * duration + 1.0
        # Up to 10 s the 1 s floor makes both schedules the same.
        short = duration <= 10 * smart.initial
        section.add(
            Row(
                f"{label} job: requests made",
                f"{our_requests:,.0f}",
                f"fixed 1 s polling: {base_requests:,.0f}",
                ratio(our_requests, base_requests),
                "≤ fixed (same schedule)" if short else "far fewer (≤ 0.5x)",
                our_requests <= base_requests if short else our_requests <= base_requests / 2,
            )
        )
        section.add(
            Row(
                f"{label} job: detection lag, median / worst",
                f"{_fmt(median(our_lags))} / {_fmt(max(our_lags))}",
                f"fixed 1 s: {_fmt(median(base_lags))} / {_fmt(max(base_lags))}",
                ratio(max(our_lags), max(base_lags)),
                f"< 10% + 1 s = {_fmt(bound)}",
                max(our_lags) < bound,
            )
        )
    section.note(
        f"Schedule: the default `PollSchedule()`: first check at once, then every 10% of "
        f"the time waited so far, at least {smart.initial:g} s and at most {smart.maximum:g} s. "
        "Baseline: `PollSchedule.fixed(1.0)`, the same client polling every second."
    )
    section.note(
        f"{runs} run(s) per duration, the job stretched by 0% to +10%; requests are the "
        "median count. Lag is from the instant the job completed to the instant `wait()` "
        "returned, on the simulated clock. Up to 10 s of waiting, 10% is below the 1 s "
        "floor, so for the 5 s job the two schedules are the same by design."
    )
    return section
