"""`python -m companyenrich_export.demo` (what `make demo` runs), end to end."""

from __future__ import annotations

import os
import re
import subprocess
import sys
from pathlib import Path

import pytest

from companyenrich_export import demo, read_rows
from companyenrich_export.testing import FakeCompanyEnrich, serve

# The demo's two jobs take about 4 s and 2.5 s; a minute leaves room for a slow machine.
DEMO_DEADLINE = 60


def _env_without_key() -> dict[str, str]:
    return {
        name: value for name, value in os.environ.items() if not name.startswith("COMPANYENRICH")
    }


@pytest.mark.slow
def test_demo_runs_against_the_fake_and_leaves_the_file(tmp_path: Path) -> None:
    result = subprocess.run(
        [sys.executable, "-m", "companyenrich_export.demo"],
        cwd=tmp_path,
        env=_env_without_key(),
        capture_output=True,
        text=True,
        timeout=DEMO_DEADLINE,
        check=False,
    )

    assert result.returncode == 0, result.stderr
    assert "Traceback" not in result.stdout + result.stderr
    assert demo.DEMO_API_KEY not in result.stdout + result.stderr
    summary, table = result.stdout.split("Demo finished:\n", 1)[1].split(
        "\nThe first companies in the file:\n", 1
    )
    # The first five records as a table, read back from the file.
    assert len([line for line in table.splitlines() if line.strip()]) >= 6
    fields = dict(re.findall(r"^  (\w+)\s+(.*)$", summary, re.MULTILINE))
    assert set(fields) == {"job", "rows", "size", "file", "server"}
    assert fields["rows"] == "2,500 companies, read back with read_rows()"
    written = Path(fields["file"])
    # In ./demo-output of the working directory, named after the job.
    assert written.parent == (tmp_path / "demo-output").resolve()
    assert written.name == f"{fields['job']}.csv"
    # The whole workflow is one CLI command: create, then follow and download.
    assert "$ companyenrich-export create --count 2500 --search" in result.stdout
    # The price first: the dry run's estimate, before the export's id.
    estimate = re.search(r"^would cost\s+about 2,500 credits", result.stdout, re.M)
    assert estimate is not None, result.stdout
    assert "--max-credits 2500 --download" in result.stdout
    assert "Dry run: nothing was created." in result.stderr
    assert f"({written.stat().st_size:,} bytes)" in fields["size"]
    assert written.read_bytes().count(b"\n") == 2_501
    # The CLI's own data on stdout: the job id, alone on its line.
    job_line = re.search(rf"^{fields['job']}$", result.stdout, re.M)
    assert job_line
    assert estimate.start() < job_line.start()
    # Its progress to completion, then the save, on stderr.
    assert re.search(r"^\[\s*\d+\.\d+s\] completed\s+2,500/2,500 \(100%\)", result.stderr, re.M)
    assert f"Saved {written} " in result.stderr
    # Then a bulk enrichment of a short list: the companies of the domains that succeed.
    assert "$ companyenrich-export enrich " in result.stdout
    assert "Bulk enrichment: 6 domains given, 4 companies in" in result.stdout
    enriched = tmp_path / "demo-output" / "enriched.csv"
    assert [row["domain"] for row in read_rows(enriched)] == [
        "stripe.com",
        "github.com",
        "openai.com",
        "python.org",
    ]
    assert "(now stopped)" in fields["server"]


def test_with_a_key_the_demo_stays_on_free_read_only_calls(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # The "real API" here is the fake under a real-looking key: the demo must
    # list and download, and never create (which would spend credits).
    key = "a-real-key-9f8e7d"
    fake = FakeCompanyEnrich(api_key=key)
    job_id = fake.add_job(requested_count=3, pending_for=0, processing_for=0, completing_for=0)
    with serve(fake) as base_url:
        monkeypatch.setenv("COMPANYENRICH_API_KEY", key)
        monkeypatch.setenv("COMPANYENRICH_BASE_URL", base_url)
        monkeypatch.setenv(demo.JOB_ID_ENV, str(job_id))
        assert demo.main(["--output-dir", str(tmp_path / "out")]) == 0

    assert "POST" not in {request.method for request in fake.request_log}
    assert (tmp_path / "out" / f"{job_id}.csv").read_bytes().count(b"\n") == 4
    out = capsys.readouterr().out
    assert "no export is created" in out
    assert str(job_id) in out
    assert key not in out


def test_with_a_key_and_no_job_id_the_demo_only_lists(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    fake = FakeCompanyEnrich(api_key="another-key-1234")
    with serve(fake) as base_url:
        monkeypatch.setenv("COMPANYENRICH_API_KEY", "another-key-1234")
        monkeypatch.setenv("COMPANYENRICH_BASE_URL", base_url)
        monkeypatch.delenv(demo.JOB_ID_ENV, raising=False)
        assert demo.main(["--output-dir", str(tmp_path / "out")]) == 0

    # Free, read-only calls: the account (credits and limits), then the list;
    # enrich --dry-run prices the domains without a request.
    assert [(request.method, request.path) for request in fake.request_log] == [
        ("GET", "/me"),
        ("GET", "/companies/search/async/jobs"),
    ]
    assert f"Set {demo.JOB_ID_ENV}" in capsys.readouterr().out
    assert not (tmp_path / "out").exists()
