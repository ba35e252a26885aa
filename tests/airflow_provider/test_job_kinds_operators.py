"""Both operators' promises from one suite: a retry never pays twice, no key is serialised.

`CompanyEnrichExportOperator` and `CompanyEnrichBulkEnrichmentOperator` share
their machinery (`_JobOperator`); each test runs once per kind against the
served fake.
"""

from __future__ import annotations

import asyncio
import json
import time
from collections.abc import Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import pytest

from companyenrich_export.airflow.operators import (
    JOB_ID_STATE_KEY,
    CompanyEnrichBulkEnrichmentOperator,
    CompanyEnrichExportOperator,
)
from companyenrich_export.airflow.triggers import CompanyEnrichExportTrigger
from companyenrich_export.testing import FakeCompanyEnrich, enrichment_fails
from conftest import API_KEY

DOMAINS = ["stripe.com", "example.test", "https://www.github.com/about", "openai.com"]
SENT = ["stripe.com", "example.test", "github.com", "openai.com"]  # DOMAINS as the API gets them


class StateStore:
    """Stands in for `context["task_state_store"]`: get and set, kept in a dict."""

    def __init__(self, **values: Any) -> None:
        self.values = dict(values)

    def get(self, key: str, default: Any = None) -> Any:
        return self.values.get(key, default)

    def set(self, key: str, value: Any, **_: Any) -> None:
        self.values[key] = value


@attrs.define
class Kind:
    name: str
    title: str
    make_operator: Callable[..., Any]
    add_job: Callable[..., UUID]
    jobs: Callable[[], set[UUID]]
    counts: Callable[[UUID], dict[str, int]]


@pytest.fixture(params=["export", "bulk_enrichment"])
def kind(request: pytest.FixtureRequest, fake: FakeCompanyEnrich) -> Kind:
    if request.param == "export":
        return Kind(
            name="export",
            title="Export",
            make_operator=lambda tmp, **kw: CompanyEnrichExportOperator(
                task_id="export", count=25, search={"countries": ["DE"]}, dest=str(tmp), **kw
            ),
            add_job=lambda **kw: fake.add_job(requested_count=25, **kw),
            jobs=lambda: set(fake.jobs),
            counts=lambda job_id: {"exported_count": 25},
        )
    enriched = [d for d in ("stripe.com", "github.com", "openai.com") if not enrichment_fails(d)]
    return Kind(
        name="bulk_enrichment",
        title="Bulk enrichment",
        make_operator=lambda tmp, **kw: CompanyEnrichBulkEnrichmentOperator(
            task_id="enrich", domains=DOMAINS, dest=str(tmp), **kw
        ),
        add_job=lambda **kw: fake.add_enrichment_job(SENT, **kw),
        jobs=lambda: set(fake.enrichment_jobs),
        counts=lambda job_id: {"success_count": len(enriched), "failed_count": 1},
    )


def test_the_job_is_recorded_before_the_task_defers_and_no_key_is_serialised(
    kind: Kind, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import TaskDeferred

    state = StateStore()
    before = kind.jobs()
    with pytest.raises(TaskDeferred) as deferred:
        kind.make_operator(tmp_path, deferrable=True, wait_timeout=600).execute(
            {"task_state_store": state}
        )
    [job_id] = kind.jobs() - before
    assert state.values == {JOB_ID_STATE_KEY: str(job_id)}
    trigger = deferred.value.trigger
    classpath, kwargs = trigger.serialize()
    assert kwargs["job_id"] == str(job_id)
    assert kwargs.get("kind", "export") == kind.name
    assert API_KEY not in json.dumps(kwargs)
    assert API_KEY not in repr(trigger)
    assert type(trigger)(**kwargs).serialize() == (classpath, kwargs)


def test_a_retry_follows_the_recorded_job_and_pays_nothing_more(
    kind: Kind, fake: FakeCompanyEnrich, tmp_path: Path
) -> None:
    job_id = kind.add_job(pending_for=0, processing_for=0)
    fake.complete_now(job_id)
    before = kind.jobs()

    result = kind.make_operator(tmp_path, deferrable=True).execute(
        {"task_state_store": StateStore(**{JOB_ID_STATE_KEY: str(job_id)})}
    )

    assert kind.jobs() == before
    credits = fake.job_body(job_id)["credits_charged"]
    assert credits > 0
    assert result == {
        "job_id": str(job_id),
        "path": result["path"],
        **kind.counts(job_id),
        "credits_charged": credits,
    }
    assert Path(result["path"]).parent == tmp_path


def test_a_recorded_job_that_is_gone_stops_the_task_without_a_new_job(
    kind: Kind, tmp_path: Path
) -> None:
    from airflow.sdk.exceptions import AirflowException

    missing = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
    before = kind.jobs()
    with pytest.raises(
        AirflowException, match=f"{kind.title} job {missing}, created by an earlier try"
    ):
        kind.make_operator(tmp_path).execute(
            {"task_state_store": StateStore(**{JOB_ID_STATE_KEY: missing})}
        )
    assert kind.jobs() == before


def test_without_a_task_state_store_nothing_is_created(kind: Kind, tmp_path: Path) -> None:
    from airflow.sdk.exceptions import AirflowException

    before = kind.jobs()
    with pytest.raises(AirflowException, match=r"records the .* it creates in task_state_store"):
        kind.make_operator(tmp_path).execute({})
    assert kind.jobs() == before


def test_the_trigger_reports_the_kinds_counts(kind: Kind) -> None:
    job_id = kind.add_job(pending_for=0.1, processing_for=0.3)
    trigger = CompanyEnrichExportTrigger(
        job_id=str(job_id),
        deadline=time.time() + 30,
        timeout=30,
        poll_interval=0.5,
        kind=kind.name,
    )

    async def run() -> Any:
        events = trigger.run()
        event = await anext(events)
        await events.aclose()
        return event

    event = asyncio.run(run())
    assert event.payload["status"] == "success"
    assert event.payload["job_status"] == "completed"
    assert {k: event.payload[k] for k in kind.counts(job_id)} == kind.counts(job_id)


def test_bad_domains_fail_the_task_before_anything_is_sent(
    fake: FakeCompanyEnrich, tmp_path: Path
) -> None:
    before = set(fake.enrichment_jobs)
    operator = CompanyEnrichBulkEnrichmentOperator(
        task_id="enrich", domains=["stripe.com", "not a domain"], dest=str(tmp_path)
    )
    with pytest.raises(ValueError, match="'not a domain'"):
        operator.execute({"task_state_store": StateStore()})
    assert set(fake.enrichment_jobs) == before


def test_an_unknown_kind_is_refused() -> None:
    with pytest.raises(ValueError, match="kind must be one of"):
        CompanyEnrichExportTrigger(job_id="x", deadline=0, timeout=1, kind="people_export")
