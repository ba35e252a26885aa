"""The Airflow provider's tests: real DAGs run by a pinned Airflow against the fake.

Airflow is not installed in the project's `.venv`, so these tests run in
`.venv-airflow` (made on demand by `make test-airflow`, part of `make
test`); a pytest run without Airflow does not collect this folder. Alone:

    make test-airflow

Airflow reads its configuration when first imported, so this module sets
the environment (a temporary AIRFLOW_HOME with its SQLite database, the DAGs
folder next to this file) before anything imports it. The fake API is
served over loopback for the whole session; the `companyenrich_default`
connection points at it through an AIRFLOW_CONN_ variable, so the key is
never written to Airflow's database: any copy of it found there, in a log,
an XCom, a rendered template or a stored trigger is a leak.
"""

from __future__ import annotations

import importlib.util
import json
import os
import tempfile
import threading
import time
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any
from uuid import UUID

import pytest

from companyenrich_export.testing import FakeCompanyEnrich, serve

API_KEY = "ce-test-key-7Qm2Xv-NEVER-IN-AIRFLOW"
# Jobs of the fake pass pending -> processing -> completing -> completed in ~0.6 s.
FAST_JOBS = (0.1, 0.4, 0.1)
# ... or stay processing for an hour, until a test completes or fails them.
STUCK_JOBS = (0.1, 3600.0, 0.1)

if importlib.util.find_spec("airflow") is None:
    # The main .venv: nothing here can run without Airflow.
    collect_ignore_glob = ["*.py", "dags/*.py"]
else:
    collect_ignore_glob = ["dags/*.py"]
    # Made in every process that imports this (xdist's controller too), so it
    # goes when the process exits, whether or not a test used it.
    _HOME_FOLDER = tempfile.TemporaryDirectory(
        prefix="companyenrich-airflow-home-", ignore_cleanup_errors=True
    )
    _HOME = Path(_HOME_FOLDER.name)
    for _name in list(os.environ):
        # A developer's own connections must not be used by (or leak into) these runs.
        if _name.startswith(("AIRFLOW_CONN_", "AIRFLOW__", "COMPANYENRICH_")):
            del os.environ[_name]
    os.environ.update(
        {
            "AIRFLOW_HOME": str(_HOME),
            "AIRFLOW__CORE__DAGS_FOLDER": str(Path(__file__).parent / "dags"),
            "AIRFLOW__CORE__LOAD_EXAMPLES": "False",
            "AIRFLOW__DATABASE__SQL_ALCHEMY_CONN": f"sqlite:///{_HOME / 'airflow.db'}",
        }
    )


@pytest.fixture(scope="session")
def airflow_home() -> Iterator[Path]:
    """The session's AIRFLOW_HOME, its database migrated (`airflow db migrate`)."""
    from airflow.utils import db

    db.upgradedb()
    yield _HOME
    _HOME_FOLDER.cleanup()


@pytest.fixture(scope="session")
def served_fake(airflow_home: Path) -> Iterator[FakeCompanyEnrich]:
    """The fake API on 127.0.0.1, and `companyenrich_default` pointing at it."""
    fake = FakeCompanyEnrich(API_KEY, default_durations=FAST_JOBS)
    with serve(fake) as url:
        os.environ["AIRFLOW_CONN_COMPANYENRICH_DEFAULT"] = json.dumps(
            {"conn_type": "companyenrich", "password": API_KEY, "host": url}
        )
        yield fake
        del os.environ["AIRFLOW_CONN_COMPANYENRICH_DEFAULT"]


@pytest.fixture
def fake(served_fake: FakeCompanyEnrich) -> Iterator[FakeCompanyEnrich]:
    """The served fake, its job durations and faults reset after each test."""
    yield served_fake
    served_fake.default_durations = FAST_JOBS
    served_fake.clear_faults()


@pytest.fixture
def new_jobs(fake: FakeCompanyEnrich) -> Callable[[], list[UUID]]:
    """The ids of the jobs created on the fake since the test began, oldest first."""
    before = set(fake.jobs)

    def created() -> list[UUID]:
        fresh = [job for job_id, job in fake.jobs.items() if job_id not in before]
        return [job.job_id for job in sorted(fresh, key=lambda job: job.sequence)]

    return created


@pytest.fixture
def fail_next_job(fake: FakeCompanyEnrich) -> Iterator[Callable[..., None]]:
    """`fail_next_job(message)`: fail the next job created through the API, once it exists.

    Jobs made through the API cannot be told to fail up front, so a thread
    watches for the new job (polling, bounded) and fails it at once; make
    the jobs slow (`STUCK_JOBS`) so it is still running then.
    `fast_after=True` makes the jobs created after it quick again.
    """
    threads: list[threading.Thread] = []
    errors: list[BaseException] = []

    def fail_next(message: str, *, fast_after: bool = False) -> None:
        before = set(fake.jobs)
        stop = threading.Event()

        def watch() -> None:
            try:
                for _ in range(3000):  # 30 s at most
                    fresh = [job_id for job_id in list(fake.jobs) if job_id not in before]
                    if fresh:
                        if fast_after:
                            fake.default_durations = FAST_JOBS
                        fake.fail_now(fresh[0], message)
                        return
                    if stop.wait(0.01):
                        return
                raise AssertionError("no job was created within 30 s")
            except BaseException as error:
                errors.append(error)

        thread = threading.Thread(target=watch, name="fail-next-job", daemon=True)
        thread.start()
        threads.append(thread)

    yield fail_next
    for thread in threads:
        thread.join(35)
    if errors:
        raise errors[0]


@pytest.fixture
def finish_after_polls(fake: FakeCompanyEnrich) -> Iterator[Callable[..., None]]:
    """`finish_after_polls(job_id, polls)`: complete (or fail) a held job after `polls` GETs.

    A sensor's first look is one GET and its trigger's first poll the next:
    completing the job only after the second proves the wait went through the
    trigger, however slowly the task started. Watched by a thread (bounded).
    """
    threads: list[threading.Thread] = []
    errors: list[BaseException] = []

    def finish(job_id: UUID, polls: int = 2, *, fail_with: str | None = None) -> None:
        path = f"/companies/search/async/{job_id}"

        def watch() -> None:
            try:
                for _ in range(6000):  # 60 s at most
                    if sum(r.path == path for r in list(fake.request_log)) >= polls:
                        if fail_with is None:
                            fake.complete_now(job_id)
                        else:
                            fake.fail_now(job_id, fail_with)
                        return
                    time.sleep(0.01)
                raise AssertionError(f"job {job_id} was not polled {polls} times within 60 s")
            except BaseException as error:
                errors.append(error)

        thread = threading.Thread(target=watch, name="finish-after-polls", daemon=True)
        thread.start()
        threads.append(thread)

    yield finish
    for thread in threads:
        thread.join(65)
    if errors:
        raise errors[0]


@dataclass
class TaskOutcome:
    state: str
    try_number: int
    xcom: Any
    rendered: Any


@dataclass
class DagOutcome:
    """One dag.test() run as Airflow recorded it, and what it printed."""

    dag_id: str
    run_id: str
    state: str
    tasks: dict[str, TaskOutcome]
    output: str
    triggers: list[dict[str, Any]] = field(default_factory=list)

    def task(self, task_id: str) -> TaskOutcome:
        return self.tasks[task_id]


def _dag(dag_id: str) -> Any:
    from airflow.dag_processing.dagbag import DagBag

    bag = DagBag(os.environ["AIRFLOW__CORE__DAGS_FOLDER"])
    assert not bag.import_errors, bag.import_errors
    return bag.get_dag(dag_id)


def _outcome(dag_run: Any, output: str) -> DagOutcome:
    from airflow.models.renderedtifields import RenderedTaskInstanceFields
    from airflow.models.trigger import Trigger
    from airflow.models.xcom import XComModel
    from airflow.utils.session import create_session
    from sqlalchemy import select

    tasks: dict[str, TaskOutcome] = {}
    with create_session() as session:
        for ti in dag_run.get_task_instances(session=session):
            name = ti.task_id if ti.map_index < 0 else f"{ti.task_id}[{ti.map_index}]"
            xcom_row = session.scalars(
                select(XComModel).where(
                    XComModel.dag_id == ti.dag_id,
                    XComModel.run_id == ti.run_id,
                    XComModel.task_id == ti.task_id,
                    XComModel.map_index == ti.map_index,
                    XComModel.key == "return_value",
                )
            ).first()
            rendered = session.scalars(
                select(RenderedTaskInstanceFields.rendered_fields).where(
                    RenderedTaskInstanceFields.dag_id == ti.dag_id,
                    RenderedTaskInstanceFields.run_id == ti.run_id,
                    RenderedTaskInstanceFields.task_id == ti.task_id,
                    RenderedTaskInstanceFields.map_index == ti.map_index,
                )
            ).first()
            tasks[name] = TaskOutcome(
                state=str(ti.state),
                try_number=ti.try_number,
                xcom=XComModel.deserialize_value(xcom_row) if xcom_row is not None else None,
                rendered=rendered,
            )
        triggers = [
            {"classpath": trigger.classpath, "kwargs": trigger.kwargs}
            for trigger in session.scalars(select(Trigger))
        ]
    return DagOutcome(
        dag_id=dag_run.dag_id,
        run_id=dag_run.run_id,
        state=str(dag_run.state),
        tasks=tasks,
        output=output,
        triggers=triggers,
    )


@pytest.fixture
def run_dag(
    fake: FakeCompanyEnrich, capfd: pytest.CaptureFixture[str]
) -> Callable[..., DagOutcome]:
    """`run_dag(dag_id, **conf)`: dag.test() the DAG from the DAGs folder, with `conf`."""

    def run(dag_id: str, **conf: Any) -> DagOutcome:
        dag = _dag(dag_id)
        capfd.readouterr()
        dag_run = dag.test(run_conf=conf)
        captured = capfd.readouterr()
        return _outcome(dag_run, captured.out + captured.err)

    return run


@pytest.fixture
def assert_no_key(airflow_home: Path) -> Callable[[DagOutcome], None]:
    """Check a run left the API key nowhere: output, XCom, templates, triggers, files."""

    def check(outcome: DagOutcome) -> None:
        assert API_KEY not in outcome.output
        for name, task in outcome.tasks.items():
            assert API_KEY not in json.dumps(task.xcom, default=str), name
            assert API_KEY not in json.dumps(task.rendered, default=str), name
        assert API_KEY not in json.dumps(outcome.triggers, default=str)
        # Everything Airflow wrote: its database (XCom, rendered fields, trigger
        # rows, task state, event payloads) and any log files.
        for path in airflow_home.rglob("*"):
            if path.is_file():
                assert API_KEY.encode() not in path.read_bytes(), path

    return check


def pytest_collection_modifyitems(items: list[pytest.Item]) -> None:
    # The longest test first: `make test-airflow` runs two processes, a file at a
    # time in this order (--no-loadscope-reorder), so the many-sensors run starts at
    # once in one of them while the other files share the second.
    items.sort(key=lambda item: item.path.name != "test_many_sensors.py")
