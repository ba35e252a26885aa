"""100 deferred sensors, resolved by one triggerer: one process, one event loop.

dag.test() normally runs each deferred task's trigger inline, one after the
other (`asyncio.run()` per trigger). Here it is told not to, so the 100
sensors stay deferred in the database, and a real `airflow triggerer`
process picks up their 100 triggers and runs them together. The jobs are
held until every sensor is deferred and the triggerer follows them all
(100 waits on one key: one scan of the active jobs, not 100 poll loops);
then all 100 complete at once, and the triggerer ends the sensors itself
(`end_from_trigger`), pushing each one's XCom, with no second worker run.
The fake holds to the vendor's 500 requests a minute meanwhile, and the
triggerer's requests stay under it in every minute.

Why 100: each sensor costs about 0.25 CPU-s of Airflow's own work to run and
defer (`dag.test()`'s in-process worker and API), and nothing asserted here
changes past 10 jobs, where the waits start to coalesce into scans. At 100,
polling each job (every 1 s for 10 s, then every 10% of the time waited) would
still ask for about 3,000 requests in the first minute (some 30 a job), six
times the limit: the scan matters here as it did at 200.
"""

from __future__ import annotations

import os
import signal
import subprocess
import sys
import threading
import time
from collections.abc import Callable, Iterator
from pathlib import Path
from typing import Any

import pytest

from companyenrich_export.testing import FakeCompanyEnrich, RateLimit, max_in_any_window
from conftest import API_KEY, DagOutcome

SENSORS = 100
VENDOR_LIMIT = 500
DAG_ID = "ce_many_sensors"


@pytest.fixture
def triggerer(served_fake: FakeCompanyEnrich, tmp_path: Path) -> Iterator[Path]:
    """A real `airflow triggerer` on the session's database; yields its output file."""
    output = tmp_path / "triggerer.log"
    # Without --skip-serve-logs it forks a log server listening on every interface
    # (port 8794): a process of its own, and a socket beyond loopback.
    command = ["triggerer", "--capacity", "1000", "--skip-serve-logs"]
    with output.open("wb") as sink:
        process = subprocess.Popen(  # noqa: S603 - our own venv's airflow, fixed arguments
            [str(Path(sys.executable).with_name("airflow")), *command],
            stdout=sink,
            stderr=subprocess.STDOUT,
            env=os.environ.copy(),
        )
        try:
            yield output
        finally:
            process.send_signal(signal.SIGTERM)
            try:
                process.wait(30)
            except subprocess.TimeoutExpired:
                process.kill()
                process.wait(10)


def _until(what: str, condition: Callable[[], Any], *, within: float) -> Any:
    """Poll `condition` until it returns something truthy, for at most `within` seconds."""
    deadline = time.monotonic() + within
    while time.monotonic() < deadline:
        result = condition()
        if result:
            return result
        time.sleep(0.2)
    raise AssertionError(f"not within {within:g} s: {what}")


class Release(threading.Thread):
    """Completes every job once all sensors wait on them together, noting what it saw."""

    def __init__(self, fake: FakeCompanyEnrich, job_ids: list[str]) -> None:
        super().__init__(name="release-jobs", daemon=True)
        self.fake = fake
        self.job_ids = job_ids
        self.triggerer_ids: set[Any] = set()
        self.polled_while_all_deferred: set[str] = set()
        self.all_deferred_at = 0.0
        self.released_at = 0.0
        self.error: BaseException | None = None
        self.scanned = False

    def _deferred(self) -> list[Any]:
        from airflow.models.taskinstance import TaskInstance
        from airflow.models.trigger import Trigger
        from airflow.utils.session import create_session
        from airflow.utils.state import TaskInstanceState
        from sqlalchemy import select

        with create_session() as session:
            return list(
                session.execute(
                    select(TaskInstance.map_index, Trigger.triggerer_id)
                    .join(Trigger, TaskInstance.trigger_id == Trigger.id)
                    .where(
                        TaskInstance.dag_id == DAG_ID,
                        TaskInstance.state == TaskInstanceState.DEFERRED,
                    )
                )
            )

    def run(self) -> None:
        try:
            # Every sensor deferred, every trigger taken up by a triggerer.
            rows = _until(
                f"{SENSORS} sensors deferred and their triggers running",
                lambda: (
                    rows
                    if len(rows := self._deferred()) == SENSORS
                    and all(triggerer_id is not None for _, triggerer_id in rows)
                    else None
                ),
                within=600,
            )
            self.all_deferred_at = time.monotonic()
            self.triggerer_ids = {triggerer_id for _, triggerer_id in rows}
            # ... and following their jobs: a scan of the active jobs answers for
            # all of them (the waits on one key coalesce), else a poll for each.
            seen_before = len(self.fake.request_log)

            def polled() -> set[str]:
                recent = self.fake.request_log[seen_before:]
                if any(r.path.endswith("/jobs") and r.status == 200 for r in recent):
                    self.scanned = True
                    return set(self.job_ids)
                return {job_id for job_id in self.job_ids if any(job_id in r.path for r in recent)}

            self.polled_while_all_deferred = _until(
                "every trigger following its job",
                lambda: seen if len(seen := polled()) == SENSORS else None,
                within=60,
            )
            self.released_at = time.monotonic()
            for job_id in self.job_ids:
                self.fake.complete_now(job_id)
        except BaseException as error:
            self.error = error


def test_many_deferred_sensors_are_resolved_by_one_trigger_loop(
    run_dag: Callable[..., DagOutcome],
    fake: FakeCompanyEnrich,
    triggerer: Path,
    monkeypatch: pytest.MonkeyPatch,
    assert_no_key: Callable[[DagOutcome], None],
) -> None:
    from airflow.jobs.job import Job
    from airflow.sdk.definitions import dag as dag_module
    from airflow.utils.session import create_session
    from sqlalchemy import select

    run_inline = dag_module._run_task

    def defer_to_the_triggerer(**kwargs: Any) -> Any:
        return run_inline(**{**kwargs, "run_triggerer": False})

    monkeypatch.setattr(dag_module, "_run_task", defer_to_the_triggerer)
    monkeypatch.setattr(fake, "rate_limit", RateLimit(VENDOR_LIMIT))
    first_request, first_entry = len(fake.api_request_times), len(fake.request_log)
    # Processing for an hour: only the release below completes them.
    job_ids = [
        str(fake.add_job(requested_count=10 + i, processing_for=3600)) for i in range(SENSORS)
    ]
    release = Release(fake, job_ids)
    release.start()

    started_at = time.monotonic()
    run = run_dag(DAG_ID, job_ids=job_ids)
    finished_at = time.monotonic()
    release.join(10)

    assert release.error is None, release.error
    assert run.state == "success"
    sensors = {name: task for name, task in run.tasks.items() if name.startswith("wait[")}
    assert len(sensors) == SENSORS
    for index, job_id in enumerate(job_ids):
        sensor = sensors[f"wait[{index}]"]
        assert (sensor.state, sensor.try_number) == ("success", 1)
        # Pushed by the triggerer (end_from_trigger): the sensor never ran again.
        assert sensor.xcom == {
            "job_id": job_id,
            "status": "completed",
            "exported_count": 10 + index,
            "credits_charged": 10 + index,
        }
    # Each sensor ran on a worker once, to defer; the triggerer did the rest.
    assert run.output.count("Pausing task as DEFERRED") == SENSORS
    assert run.output.count("Task started") == 1 + SENSORS  # job_ids, then each sensor
    # One triggerer ran all the triggers at once, each polling while all were deferred.
    with create_session() as session:
        triggerer_jobs = set(session.scalars(select(Job.id).where(Job.job_type == "TriggererJob")))
    assert len(triggerer_jobs) == 1
    assert release.triggerer_ids == triggerer_jobs
    assert release.polled_while_all_deferred == set(job_ids)
    assert release.scanned  # one scan for all the waits
    # Under the vendor's limit in every minute, and no 429 needed to get there.
    assert max_in_any_window(fake.api_request_times[first_request:]) <= VENDOR_LIMIT
    assert not any(entry.status == 429 for entry in fake.request_log[first_entry:])
    print(
        f"{SENSORS} sensors: all deferred after {release.all_deferred_at - started_at:.0f} s, "
        f"released at {release.released_at - started_at:.0f} s, "
        f"all done at {finished_at - started_at:.0f} s"
    )
    assert_no_key(run)
    assert API_KEY.encode() not in triggerer.read_bytes()
