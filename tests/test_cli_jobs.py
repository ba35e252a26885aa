"""`companyenrich-export jobs`: the account's jobs of every kind, in process against the fake."""

from __future__ import annotations

import functools
import json
from collections.abc import Iterator

import httpx
import pytest

from companyenrich_export import CompanyEnrich
from companyenrich_export._cli import _main as _cli
from companyenrich_export._cli._main import main
from companyenrich_export.testing import FakeCompanyEnrich, Fault, ManualClock

KEY = "cli-jobs-key-0b3f1e"
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
    code = main(["jobs", *args, "--base-url", BASE])
    captured = capsys.readouterr()
    return code, captured.out, captured.err


def test_jobs_lists_every_kind_newest_first(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str]
) -> None:
    export = fake.add_job(pending_for=0, processing_for=0, completing_for=0, requested_count=7)
    enrichment = fake.add_enrichment_job(["stripe.com", "b.test"], pending_for=3600)
    code, out, err = _run(capsys, "--json")
    assert (code, err) == (0, "")
    jobs = json.loads(out)
    assert [job["id"] for job in jobs] == [str(enrichment), str(export)]
    assert [job["type"] for job in jobs] == ["bulk_enrichment", "company_export"]
    assert jobs[0] == {
        "id": str(enrichment),
        "type": "bulk_enrichment",
        "status": "pending",
        "title": "Bulk enrichment of 2 domains",
        "created_at": jobs[0]["created_at"],
        "started_at": None,
        "completed_at": None,
        "credits_charged": 0,
        "error_message": None,
    }
    assert jobs[1]["credits_charged"] == 7


def test_jobs_filters_by_type_and_status_and_stops_at_the_limit(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.add_job(pending_for=3600)
    enrichments = [fake.add_enrichment_job(pending_for=3600) for _ in range(3)]
    fake.add_enrichment_job(pending_for=0, processing_for=0, completing_for=0)
    mark = len(fake.request_log)
    code, out, _ = _run(capsys, "--type", "bulk_enrichment", "--status", "pending", "--json")
    assert code == 0
    assert [job["id"] for job in json.loads(out)] == [str(job) for job in reversed(enrichments)]
    assert "type=bulk_enrichment" in fake.request_log[mark].query
    code, out, _ = _run(capsys, "--limit", "2", "--json")
    assert len(json.loads(out)) == 2
    code, out, err = _run(capsys, "--type", "people_export")
    assert (code, out, err) == (0, "", "No jobs of type people_export.\n")
    code, out, err = _run(capsys, "--status", "failed")
    assert (code, out, err) == (0, "", "No jobs in status failed.\n")


def test_the_table_shows_server_text_safely(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = fake.add_enrichment_job(["stripe.com"])
    item = {
        "id": str(job),
        "type": "bulk_enrichment",
        "status": "completed",
        "title": "[red]Evil\x1b]0;pwned\x07 title\nsecond line " + "x" * 100,
        "created_at": "2026-02-17T02:04:03.743Z",
        "credits_charged": 3,
    }
    page = {"items": [item], "page": 1, "totalPages": 1, "totalItems": 1}
    fake.inject(Fault.malformed(json.dumps(page).encode(), status=200))
    code, out, err = _run(capsys)
    assert (code, err) == (0, "")
    header, row = out.splitlines()
    assert header.split() == ["JOB", "TYPE", "STATUS", "CREDITS", "CREATED", "TITLE"]
    assert row.startswith(f"{job}  bulk_enrichment  completed  3")
    assert "2026-02-17 02:04:03 UTC" in row
    assert "\x1b" not in out
    assert "\x07" not in out
    assert "[red]Evil title second line" in row
    assert row.endswith("...")


def test_the_rich_table_on_a_terminal_does_not_read_markup(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    job = fake.add_enrichment_job(["stripe.com"])
    monkeypatch.setattr(_cli.Streams, "stdout_is_terminal", property(lambda self: True))
    monkeypatch.setenv("COLUMNS", "200")  # wide enough for rich's table, not the plain fallback
    item = {
        "id": str(job),
        "type": "x",
        "status": "failed",
        "title": "[/]unbalanced [bold]markup",
        "created_at": "2026-02-17T02:04:03.743Z",
    }
    page = {"items": [item], "page": 1, "totalPages": 1, "totalItems": 1}
    fake.inject(Fault.malformed(json.dumps(page).encode(), status=200))
    code, out, err = _run(capsys)
    assert (code, err) == (0, "")
    assert "┃ JOB" in out  # rich drew it
    assert "[/]unbalanced [bold]markup" in " ".join(out.split())


@pytest.mark.parametrize(
    ("args", "mentioned"),
    [
        (("--type", ""), "not a job type"),
        (("--type", "a\tb"), "not a job type"),
        (("--status", "done"), "invalid choice"),
        (("--limit", "-1"), "must be 0 or more"),
    ],
)
def test_bad_arguments_exit_2_before_anything_is_sent(
    fake: FakeCompanyEnrich,
    capsys: pytest.CaptureFixture[str],
    args: tuple[str, ...],
    mentioned: str,
) -> None:
    mark = len(fake.request_log)
    assert main(["jobs", *args, "--base-url", BASE]) == 2
    assert mentioned in capsys.readouterr().err
    assert len(fake.request_log) == mark


def test_an_api_error_is_one_line_and_exit_3(
    fake: FakeCompanyEnrich, capsys: pytest.CaptureFixture[str]
) -> None:
    fake.inject(Fault.server_error(503))
    code, out, err = _run(capsys)
    assert code == 3
    assert out == ""
    assert err.startswith("error: ")
    assert err.count("\n") == 1
    assert KEY not in err
