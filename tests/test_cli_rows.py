"""`companyenrich-export rows JOB`: the results as records on stdout, for pipelines."""

from __future__ import annotations

import csv
import io
import json
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli_helpers import Served, one_error_line, run_main, served_fake, shell

from companyenrich_export._results._record import flatten_row

from _rows_expect import expected_rows


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with served_fake() as each:
        yield each


def _job(served: Served, rows: int, results_format: str) -> str:
    job_id = served.fake.add_job(
        pending_for=0, processing_for=0, completing_for=0, rows=rows, results_format=results_format
    )
    return str(job_id)


@pytest.mark.parametrize("results_format", ["csv", "json+gzip", "jsonl.gz"])
def test_rows_prints_every_record_as_a_json_line(served: Served, results_format: str) -> None:
    job_id = _job(served, 60, results_format)

    result = run_main(served, "rows", job_id)

    assert result.returncode == 0, result.stderr
    lines = result.stdout.splitlines()
    assert [json.loads(line) for line in lines] == expected_rows(served.fake.results_file(job_id))
    assert "Wrote 60 records" in result.stderr  # talk on stderr, data on stdout


def test_rows_as_csv_has_the_records_flat_columns(served: Served) -> None:
    job_id = _job(served, 25, "jsonl")

    result = run_main(served, "rows", job_id, "--format", "csv")

    assert result.returncode == 0, result.stderr
    table = list(csv.DictReader(io.StringIO(result.stdout)))
    records = list(served.fake.results_file(job_id).records())
    assert len(table) == 25
    assert table[0]["name"] == records[0]["name"]
    assert list(table[0]) == list(flatten_row(records[0]))  # the record's columns, in order
    assert table[3]["location.country.code"] == (
        records[3]["location"]["country"]["code"] if records[3].get("location") else ""
    )


def test_rows_limit_stops_after_n_records(served: Served) -> None:
    job_id = _job(served, 200, "csv")

    result = run_main(served, "rows", job_id, "--limit", "7")

    assert result.returncode == 0, result.stderr
    assert len(result.stdout.splitlines()) == 7


def test_rows_in_a_pipeline_closed_early_stops_without_a_traceback(
    served: Served, tmp_path: Path
) -> None:
    job_id = _job(served, 5_000, "jsonl")

    result = shell(
        served,
        'set -o pipefail; companyenrich-export rows "$JOB" | head -3; echo "exit=${PIPESTATUS[0]}"',
        cwd=tmp_path,
        JOB=job_id,
    )

    out = result.stdout.decode().splitlines()
    assert len(out) == 4
    assert all(json.loads(line)["id"] for line in out[:3])
    assert out[3] == "exit=141"  # stdout closed while there was still output to write
    assert b"Traceback" not in result.stderr


def test_rows_of_an_unreadable_job_id_is_a_usage_error(served: Served) -> None:
    result = run_main(served, "rows", "not-a-job")

    assert result.returncode == 2
    assert one_error_line(result.stderr).startswith("error:")
