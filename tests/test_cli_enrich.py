"""`companyenrich-export enrich FILE|-`: domains from a file or a CSV column, against the fake."""

from __future__ import annotations

import functools
import io
import json
from collections.abc import Iterator
from pathlib import Path
from uuid import UUID

import httpx
import pytest

from companyenrich_export import CompanyEnrich, read_rows
from companyenrich_export._cli import _main as _cli
from companyenrich_export._cli._main import main
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock, enrichment_fails

KEY = "cli-enrich-key-7d41aa"
BASE = "https://api.companyenrich.test"


@pytest.fixture
def fake(monkeypatch: pytest.MonkeyPatch) -> Iterator[FakeCompanyEnrich]:
    clock = ManualClock()
    served = FakeCompanyEnrich(api_key=KEY, clock=clock, base_url=BASE)
    with httpx.Client(transport=served.transport()) as http:
        factory = functools.partial(CompanyEnrich, clock=clock, http_client=http, max_retries=0)
        monkeypatch.setattr(_cli, "CompanyEnrich", factory)
        monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
        yield served


def _run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["enrich", *args, "--base-url", BASE])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def _file(tmp_path: Path, text: str, name: str = "domains.txt") -> str:
    path = tmp_path / name
    path.write_text(text, encoding="utf-8")
    return str(path)


def test_dry_run_counts_and_prices_without_a_key_or_a_request(
    fake: FakeCompanyEnrich,
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.delenv("COMPANYENRICH_API_KEY")
    source = _file(tmp_path, "Stripe.com\n# a comment\n\nhttps://www.stripe.com/x\nopenai.com\n")
    code, out, err = _run(capsys, source, "--dry-run", "--json")
    assert (code, err) == (0, "")
    assert json.loads(out) == {
        "domains": 2,
        "duplicates_dropped": 1,
        "jobs": 1,
        "max_credits": 2,
    }
    code, out, _ = _run(capsys, source, "--dry-run")
    assert code == 0
    assert out.startswith("2 unique domains (1 duplicates dropped) in 1 job(s): at most 2 credits")
    assert fake.request_log == []


def test_a_bad_domain_exits_2_naming_it_before_any_request(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, err = _run(capsys, _file(tmp_path, "stripe.com\nnot a domain\n"))
    assert code == 2
    assert out == ""
    assert "domains[1] 'not a domain'" in err
    assert fake.request_log == []


def test_a_missing_csv_column_exits_2(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = _file(tmp_path, "name,website\nStripe,stripe.com\n", "crm.csv")
    code, _, err = _run(capsys, source, "--column", "domain")
    assert code == 2
    assert "no column 'domain'" in err
    assert "'website'" in err
    assert fake.request_log == []


def test_create_prints_the_job_id_and_starts_the_job(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = _file(tmp_path, "name,website\nStripe,stripe.com\nOpenAI,OpenAI.com\n", "crm.csv")
    code, out, err = _run(capsys, source, "--column", "website")
    assert code == 0
    (job_id,) = out.split()
    assert fake.enrichment_jobs[UUID(job_id)].domains == (
        "stripe.com",
        "openai.com",
    )
    assert "at most 2 credits" in err


def test_download_waits_and_saves_the_companies(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    domains = ["stripe.com", "example.test", "github.com", "openai.com"]
    source = _file(tmp_path, "\n".join(domains))
    dest = tmp_path / "companies.csv"
    code, out, err = _run(capsys, source, "--download", str(dest), "--json")
    assert code == 0, err
    saved = json.loads(out)
    assert saved["path"] == str(dest.resolve())
    assert saved["success_count"] == 3
    assert saved["failed_count"] == 1
    assert [row["domain"] for row in read_rows(dest)] == [
        d for d in domains if not enrichment_fails(d)
    ]


def test_download_to_stdout_from_stdin(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("sys.stdin", io.TextIOWrapper(io.BytesIO(b"stripe.com\ngithub.com\n")))
    code, out, err = _run(capsys, "-", "--download", "-")
    assert code == 0, err
    assert "domain" in out.splitlines()[0]  # the CSV header first, then the records
    assert "stripe.com" in out
    assert "github.com" in out


def _command(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main([*args, "--base-url", BASE])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_get_wait_download_and_rows_follow_a_bulk_enrichment_with_kind(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    # `enrich` without --download prints the id; the job commands then follow it.
    domains = ["stripe.com", "example.test", "github.com"]
    code, out, _ = _run(capsys, _file(tmp_path, "\n".join(domains)))
    assert code == 0
    (job_id,) = out.split()

    code, out, err = _command(capsys, "get", job_id, "--kind", "bulk_enrichment")
    assert (code, err) == (0, "")
    assert out.splitlines()[0].split() == ["Job:", job_id]
    assert "Domains done:" in out

    code, out, err = _command(capsys, "wait", job_id, "--kind", "bulk_enrichment", "--json")
    assert code == 0, err
    assert json.loads(out)["status"] == "completed"
    assert (json.loads(out)["success_count"], json.loads(out)["failed_count"]) == (2, 1)
    assert "2 companies enriched, 1 domains failed" in err

    dest = tmp_path / "enriched.csv"
    code, _, err = _command(capsys, "download", job_id, str(dest), "--kind", "bulk_enrichment")
    assert code == 0, err
    assert [row["domain"] for row in read_rows(dest)] == ["stripe.com", "github.com"]

    code, out, err = _command(capsys, "rows", job_id, "--kind", "bulk_enrichment")
    assert code == 0, err
    assert [json.loads(line)["domain"] for line in out.splitlines()] == [
        "stripe.com",
        "github.com",
    ]
    assert f"of bulk enrichment {job_id}" in err


def test_an_enrichment_id_without_kind_is_looked_up_as_an_export(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = _run(capsys, _file(tmp_path, "stripe.com\n"))
    assert code == 0
    (job_id,) = out.split()
    code, out, err = _command(capsys, "get", job_id)
    assert (code, out) == (3, "")
    assert fake.request_log[-1].path == f"/companies/search/async/{job_id}"
    assert "not found" in err.lower()
    code, _, err = _command(capsys, "get", job_id, "--kind", "people_export")
    assert code == 2
    assert "invalid choice: 'people_export'" in err


def test_above_10000_domains_each_paid_job_id_is_printed_as_it_is_created(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    source = _file(tmp_path, "\n".join(f"company{i}.com" for i in range(10_001)))
    dest = tmp_path / "companies.csv"
    code, out, err = _run(capsys, source, "--download", str(dest))
    assert code == 0, err
    # The ids before anything else, one a line: they are what a failed run leaves to follow.
    assert sorted(UUID(line) for line in out.split()) == sorted(fake.enrichment_jobs)
    assert err.count("started: ") == 2
    assert "from 2 bulk enrichment jobs" in err
