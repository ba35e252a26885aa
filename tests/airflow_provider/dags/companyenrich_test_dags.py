"""DAGs for the provider's tests, run with dag.test(); per-run settings come from conf.

They sit in the DAGs folder, where Airflow parses and serialises them as it
would in production (a DAG defined inside a test is not serialised).
"""

from __future__ import annotations

from datetime import datetime, timedelta

from airflow.sdk import DAG, task

from companyenrich_export.airflow.operators import CompanyEnrichExportOperator
from companyenrich_export.airflow.sensors import CompanyEnrichExportSensor

START = datetime(2026, 1, 1)
# Two tries, the second at once: a retry that must not pay for a second export.
RETRY_ONCE = {"retries": 1, "retry_delay": timedelta(0)}


def export_dag(dag_id: str, *, default_args: dict | None = None, **operator_args) -> DAG:
    with DAG(
        dag_id,
        schedule=None,
        start_date=START,
        render_template_as_native_obj=True,
        default_args=default_args or {},
    ) as dag:
        CompanyEnrichExportOperator(
            task_id="export",
            count=25,
            search="{{ dag_run.conf['search'] }}",
            dest="{{ dag_run.conf['dest'] }}",
            **{"poll_interval": 0.5, "wait_timeout": 60, "deferrable": True, **operator_args},
        )
    return dag


export_dag("ce_export_deferrable")
export_dag("ce_export_blocking", deferrable=False)
export_dag("ce_export_deadline", wait_timeout=1.0)
export_dag("ce_export_retry", default_args=RETRY_ONCE)


def sensor_dag(dag_id: str, **sensor_args) -> DAG:
    with DAG(dag_id, schedule=None, start_date=START, default_args=RETRY_ONCE) as dag:
        CompanyEnrichExportSensor(
            task_id="wait",
            job_id="{{ dag_run.conf['job_id'] }}",
            **{"poke_interval": 0.5, "timeout": 60, "deferrable": True, **sensor_args},
        )
    return dag


sensor_dag("ce_sensor")
sensor_dag("ce_sensor_poking", deferrable=False)
sensor_dag("ce_sensor_deadline", timeout=1.0)
sensor_dag("ce_sensor_ending_in_trigger", end_from_trigger=True)


with DAG("ce_many_sensors", schedule=None, start_date=START):

    @task
    def job_ids(dag_run=None) -> list[str]:
        return dag_run.conf["job_ids"]

    # One sensor per job; each defers to the triggerer and is ended by it.
    CompanyEnrichExportSensor.partial(
        task_id="wait", poke_interval=5.0, timeout=900, deferrable=True, end_from_trigger=True
    ).expand(job_id=job_ids())
