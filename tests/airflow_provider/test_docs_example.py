"""The DAG in docs/airflow.md parses, with this Airflow, into what the page says it is.

The main suite runs every other example of the docs (tests/test_docs_examples.py);
this one needs Airflow, so it runs here, in .venv-airflow.
"""

from __future__ import annotations

import re
from pathlib import Path

from airflow.sdk import DAG

from companyenrich_export.airflow import CompanyEnrichExportOperator

PAGE = Path(__file__).resolve().parents[2] / "docs" / "airflow.md"
MARKER = (
    "<!-- example: not run: needs Airflow (tests/airflow_provider/test_docs_example.py runs it) -->"
)


def test_the_documented_dag_defines_a_deferrable_export() -> None:
    pattern = re.escape(MARKER) + r"\n```python\n(.*?)\n```"
    blocks = re.findall(pattern, PAGE.read_text(encoding="utf-8"), re.DOTALL)
    assert len(blocks) == 1
    namespace: dict[str, object] = {}
    exec(compile(blocks[0], str(PAGE), "exec"), namespace)  # noqa: S102 - our own docs

    dag = namespace["dag"]
    assert isinstance(dag, DAG)
    assert dag.dag_id == "companies_de"
    operator = dag.get_task("export")
    assert isinstance(operator, CompanyEnrichExportOperator)
    assert operator.deferrable is True
