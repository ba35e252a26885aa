"""The trigger on its own: what it stores, and the event each outcome becomes."""

from __future__ import annotations

import asyncio
import inspect
import json
import time
from typing import Any

import pytest

from companyenrich_export.airflow import triggers
from companyenrich_export.airflow.triggers import CompanyEnrichExportTrigger
from companyenrich_export.testing import FakeCompanyEnrich
from conftest import API_KEY

UNKNOWN_JOB = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


def every_trigger() -> list[Any]:
    """An instance of each trigger class the provider defines, in every mode."""
    from airflow.triggers.base import BaseTrigger

    classes = [
        cls
        for cls in vars(triggers).values()
        if inspect.isclass(cls)
        and issubclass(cls, BaseTrigger)
        and cls.__module__ == triggers.__name__
    ]
    assert classes == [CompanyEnrichExportTrigger]
    return [
        cls(job_id=UNKNOWN_JOB, deadline=time.time() + 60, timeout=60, **options)
        for cls in classes
        for options in (
            {},
            {"companyenrich_conn_id": "companyenrich_default", "poll_interval": 5.0},
            {"end_from_trigger": True},
        )
    ]


@pytest.mark.usefixtures("served_fake")
def test_serialised_triggers_hold_the_connection_id_job_id_and_schedule_never_the_key() -> None:
    from airflow.models.trigger import Trigger

    for trigger in every_trigger():
        classpath, kwargs = trigger.serialize()
        assert classpath == "companyenrich_export.airflow.triggers.CompanyEnrichExportTrigger"
        assert set(kwargs) == {
            "companyenrich_conn_id",
            "job_id",
            "deadline",
            "timeout",
            "poll_interval",
            "end_from_trigger",
        }
        assert json.loads(json.dumps(kwargs)) == kwargs  # plain JSON
        # What the triggerer is given back is the same trigger.
        assert type(trigger)(**kwargs).serialize() == (classpath, kwargs)
        # The row Airflow stores in its database, and the trigger's repr in logs.
        row = Trigger.from_object(trigger)
        assert API_KEY not in json.dumps(kwargs)
        assert API_KEY not in str(row.encrypted_kwargs)
        assert API_KEY not in repr(trigger)


def first_event(trigger: CompanyEnrichExportTrigger) -> Any:
    async def run() -> Any:
        events = trigger.run()
        event = await anext(events)
        await events.aclose()
        return event

    event = asyncio.run(run())
    # Events travel through Airflow's database as JSON.
    assert json.loads(json.dumps(event.payload)) == event.payload
    return event


def trigger_for(
    job_id: object, *, within: float = 30, **options: Any
) -> CompanyEnrichExportTrigger:
    return CompanyEnrichExportTrigger(
        job_id=str(job_id), deadline=time.time() + within, timeout=within, **options
    )


def test_a_completed_job_is_a_success_event(served_fake: FakeCompanyEnrich) -> None:
    job_id = served_fake.add_job(requested_count=30, pending_for=0.1, processing_for=0.3)

    event = first_event(trigger_for(job_id, poll_interval=0.5))

    assert event.payload == {
        "status": "success",
        "job_id": str(job_id),
        "job_status": "completed",
        "exported_count": 30,
        "credits_charged": 30,
    }


def test_ending_from_the_trigger_pushes_the_summary_as_the_tasks_xcom(
    served_fake: FakeCompanyEnrich,
) -> None:
    from airflow.triggers.base import TaskSuccessEvent

    job_id = served_fake.add_job(requested_count=30, pending_for=0, processing_for=0.2)

    event = first_event(trigger_for(job_id, poll_interval=0.5, end_from_trigger=True))

    assert isinstance(event, TaskSuccessEvent)
    assert event.xcoms == {
        "return_value": {
            "job_id": str(job_id),
            "status": "completed",
            "exported_count": 30,
            "credits_charged": 30,
        }
    }


def test_a_failed_job_is_an_error_event_with_its_message(served_fake: FakeCompanyEnrich) -> None:
    job_id = served_fake.add_job(fail_with="Quota exceeded", fail_after=0.2)

    event = first_event(trigger_for(job_id, poll_interval=0.5, end_from_trigger=True))

    assert event.payload == {
        "status": "error",
        "job_id": str(job_id),
        "job_status": "failed",
        "error_type": "ExportFailedError",
        "message": f"Export job {job_id} failed: Quota exceeded",
    }


def test_the_deadline_is_an_error_event_naming_the_wait_asked_for(
    served_fake: FakeCompanyEnrich,
) -> None:
    job_id = served_fake.add_job(processing_for=3600)
    started = time.monotonic()

    event = first_event(trigger_for(job_id, within=0.5, poll_interval=0.5))

    assert time.monotonic() - started < 5
    assert event.payload["error_type"] == "WaitTimeoutError"
    assert event.payload["job_status"] == "processing"
    assert event.payload["message"] == (
        f"Export job {job_id} did not finish within 0.5 s (last seen processing)."
    )


def test_a_trigger_restarted_after_its_deadline_still_looks_once(
    served_fake: FakeCompanyEnrich,
) -> None:
    done = served_fake.add_job(pending_for=0, processing_for=0, completing_for=0)
    running = served_fake.add_job(processing_for=3600)

    assert first_event(trigger_for(done, within=-10)).payload["status"] == "success"
    assert first_event(trigger_for(running, within=-10)).payload["error_type"] == (
        "WaitTimeoutError"
    )


@pytest.mark.usefixtures("served_fake")
def test_an_api_error_is_an_error_event_with_its_message() -> None:
    event = first_event(trigger_for(UNKNOWN_JOB))

    assert event.payload["error_type"] == "NotFoundError"
    assert event.payload["message"] == "404 Not Found: No export job with this id."
    assert event.payload["job_status"] is None


def test_a_rejected_key_is_an_error_event_that_does_not_show_it(
    served_fake: FakeCompanyEnrich, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv(
        "AIRFLOW_CONN_CE_OTHER_KEY",
        json.dumps(
            {"conn_type": "companyenrich", "password": "wrong-key", "host": served_fake.base_url}
        ),
    )

    event = first_event(trigger_for(UNKNOWN_JOB, companyenrich_conn_id="ce_other_key"))

    assert event.payload["error_type"] == "AuthenticationError"
    assert event.payload["message"].startswith("401 ")
    assert "wrong-key" not in json.dumps(event.payload)


@pytest.mark.usefixtures("served_fake")
def test_a_missing_connection_is_an_error_event() -> None:
    event = first_event(trigger_for(UNKNOWN_JOB, companyenrich_conn_id="no_such_connection"))

    assert event.payload["status"] == "error"
    assert "no_such_connection" in event.payload["message"]


@pytest.mark.usefixtures("served_fake")
def test_an_invalid_job_id_is_an_error_event() -> None:
    event = first_event(trigger_for("not-a-uuid"))

    assert event.payload["error_type"] == "ValueError"
    assert "job_id must be a UUID" in event.payload["message"]
