"""`companyenrich-export check` and `run_check`: the contract check users run in their CI.

Against the fake over loopback: healthy, told to drift (each kind), with a
wrong key, rate limited, and against a closed port. Exit codes are pinned by
their documented numbers: 0 no drift, 6 breaking, 7 additive only, 3 cannot check.
"""

from __future__ import annotations

import json
import socket
import uuid
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli_helpers import KEY, Served, assert_clean, one_error_line, run_cli, run_main
from junitparser import Failure, JUnitXml

from companyenrich_export._cli import _main as _cli
from companyenrich_export._cli._main import main
from companyenrich_export.contract import PROBES, Probe, junit_xml, render_text, run_check
from companyenrich_export.testing import DRIFT_KINDS, FakeCompanyEnrich, Fault, serve

# Each kind the fake can be told, the drift kind the report names, its class, and where.
DRIFTS = {
    "field-removed": ("missing-field", "breaking", "body: status", 6),
    "field-added": ("new-field", "additive", "body: region", 7),
    "enum-changed": ("enum-changed", "breaking", "body: status", 6),
    "type-changed": ("type-changed", "breaking", "body: requested_count", 6),
    "header-added": ("new-header", "additive", "header: x-companyenrich-region", 7),
}


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    fake = FakeCompanyEnrich(api_key=KEY)
    job = fake.add_job()
    fake.complete_now(job)
    with serve(fake) as url:
        yield Served(fake, url)


@pytest.fixture(autouse=True)
def healthy(served: Served) -> Iterator[None]:
    yield
    served.fake.drift = ()
    served.fake.clear_faults()


def _closed_port() -> int:
    # Bound, then closed: nothing listens there, so a connection is refused at once.
    with socket.socket(socket.AF_INET, socket.SOCK_STREAM) as sock:
        sock.bind(("127.0.0.1", 0))
        port: int = sock.getsockname()[1]
    return port


def test_every_kind_the_fake_offers_is_covered() -> None:
    assert set(DRIFT_KINDS) == set(DRIFTS)


def test_the_exit_codes_keep_their_documented_numbers() -> None:
    assert int(_cli.ExitCode.OK) == 0
    assert int(_cli.ExitCode.API_ERROR) == 3
    assert int(_cli.ExitCode.DRIFT_BREAKING) == 6
    assert int(_cli.ExitCode.DRIFT_ADDITIVE) == 7


def test_a_healthy_api_passes_with_few_free_read_only_requests(served: Served) -> None:
    mark = served.mark()
    report = run_check(api_key=KEY, base_url=served.url)

    assert report.outcome == "ok"
    assert report.exit_code == 0
    assert report.drift == ()
    assert [probe.name for probe in report.probes] == [probe.name for probe in PROBES]
    assert {probe.result for probe in report.probes} == {"ok"}
    sent = served.since(mark)
    # One request a probe, none of them creating anything: no credit is spent. The
    # one POST is the free count; nothing is sent to a path that creates a job.
    assert len(sent) == len(PROBES) <= 12
    assert [request.method for request in sent].count("POST") == 1
    assert [(request.method, request.path) for request in sent if request.method == "POST"] == [
        ("POST", "/companies/search/count")
    ]
    assert [request.status for request in sent] == [200, 200, 200, 404, 404, 400] + [200] * 4 + [
        401
    ]
    assert "Result: no drift (exit 0)" in render_text(report)


def test_the_cli_prints_the_report_and_exits_0(served: Served) -> None:
    result = run_cli(served, "check")
    assert result.returncode == 0, result.stderr
    assert "Result: no drift (exit 0)" in result.stdout
    assert result.stderr == ""
    assert_clean(result.stdout + result.stderr)


def test_a_wrong_key_stops_at_once_with_exit_3_and_one_line(served: Served) -> None:
    mark = served.mark()
    result = run_main(served, "check", "--json", key="not-the-right-key-123")

    assert result.returncode == 3
    line = one_error_line(result.stderr)
    assert "API key was refused (401" in line
    assert len(served.since(mark)) == 1  # the first probe, then nothing
    report = json.loads(result.stdout)
    assert report["outcome"] == "cannot-check"
    assert report["exit_code"] == 3
    assert [probe["result"] for probe in report["probes"]] == ["cannot-check"]
    assert_clean(result.stdout + result.stderr, "not-the-right-key-123")


def test_a_dead_host_is_exit_3_and_one_line(tmp_path: Path) -> None:
    url = f"http://127.0.0.1:{_closed_port()}"
    junit = tmp_path / "check.xml"
    result = run_main(None, "check", "--base-url", url, "--junit-xml", str(junit))

    assert result.returncode == 3
    line = one_error_line(result.stderr)
    assert "Connection error" in line
    assert "cannot check" in line
    assert result.stdout == ""
    suites = list(JUnitXml.fromfile(str(junit)))
    errors = [case for suite in suites for case in suite if case.result]
    assert [type(result).__name__ for case in errors for result in case.result] == ["Error"]


def test_a_rate_limit_is_cannot_check_not_drift(served: Served) -> None:
    served.fake.inject(Fault.rate_limit(retry_after=30))
    report = run_check(api_key=KEY, base_url=served.url)
    assert report.outcome == "cannot-check"
    assert report.exit_code == 3
    assert "429" in (report.error or "")
    assert report.drift == ()


@pytest.mark.parametrize("kind", DRIFTS)
def test_each_drift_kind_is_reported_with_its_class_in_text_json_and_junit(
    served: Served, kind: str, tmp_path: Path
) -> None:
    reported, severity, where, code = DRIFTS[kind]
    served.fake.drift = {kind}
    junit = tmp_path / "check.xml"

    as_json = run_main(served, "check", "--json", "--junit-xml", str(junit))
    as_text = run_main(served, "check")

    assert as_json.returncode == code, as_json.stderr
    assert as_text.returncode == code
    report = json.loads(as_json.stdout)
    assert report["outcome"] == severity
    found = {(d["operation"], d["kind"], d["severity"], d["where"]) for d in report["drift"]}
    # Seen in the job (getExportJob) and in the list's items (listExportJobs).
    assert ("getExportJob", reported, severity, where) in found
    list_where = where.replace("body: ", "body: items[].") if "body" in where else where
    assert ("listExportJobs", reported, severity, list_where) in found
    assert {d["severity"] for d in report["drift"]} == {severity}

    text_lines = as_text.stdout.splitlines()
    assert any(
        line.split() == [severity.upper(), reported, "getExportJob", "200", *where.split()]
        for line in text_lines
    ), as_text.stdout
    if severity == "breaking":
        assert one_error_line(as_text.stderr).startswith("error: breaking drift")
    else:
        assert as_text.stderr.startswith("warning: additive drift only")

    xml = JUnitXml.fromfile(str(junit))
    cases = {case.name: case for suite in xml for case in suite}
    drift_case = cases[f"{severity} {reported} 200 {where}"]
    failures = [result for result in drift_case.result if isinstance(result, Failure)]
    if severity == "breaking":
        assert [failure.type for failure in failures] == ["breaking"]
        assert cases["job (GET /companies/search/async/{jobId})"].result
    else:
        assert failures == []
        assert f"additive {reported}" in (drift_case.system_out or "")
        assert not cases["job (GET /companies/search/async/{jobId})"].result
    assert_clean(as_json.stdout + as_text.stdout + junit.read_text())


def test_an_undocumented_status_and_a_body_that_is_not_json_are_breaking(served: Served) -> None:
    served.fake.inject(Fault.problem(418, "I'm a teapot."))  # the authentication probe
    served.fake.inject(Fault.malformed(b"<html>proxy error</html>"))  # the job list
    report = run_check(api_key=KEY, base_url=served.url)

    kinds = {(d.kind, d.operation, d.status) for d in report.drift}
    assert ("unknown-status", "listExportJobs", 418) in kinds
    assert ("not-json", "listExportJobs", 200) in kinds
    assert report.exit_code == 6


def test_a_named_job_that_is_not_there_is_a_status_drift(served: Served) -> None:
    missing = str(uuid.uuid4())
    report = run_check(api_key=KEY, base_url=served.url, job_id=missing)
    status = [d for d in report.drift if d.kind == "status-changed"]
    assert [(d.operation, d.status, d.expected, d.got) for d in status] == [
        ("getExportJob", 404, "200", "404")
    ]
    assert report.exit_code == 6


def test_with_no_job_listed_the_job_probe_is_skipped_not_failed() -> None:
    fake = FakeCompanyEnrich(api_key=KEY)
    with serve(fake) as url:
        report = run_check(api_key=KEY, base_url=url)
    job = next(probe for probe in report.probes if probe.name == "job")
    assert job.result == "skipped"
    assert "--job-id" in job.note
    assert report.exit_code == 0
    xml = JUnitXml.fromstring(junit_xml(report).decode())
    skipped = [case for suite in xml for case in suite if case.is_skipped]
    assert [case.name for case in skipped] == ["job (GET /companies/search/async/{jobId})"]


def test_ignored_headers_are_not_reported(served: Served) -> None:
    served.fake.drift = {"header-added"}
    report = run_check(api_key=KEY, base_url=served.url, ignore_headers=["X-CompanyEnrich-Region"])
    assert report.exit_code == 0


def test_bad_input_is_refused_before_any_request(served: Served) -> None:
    mark = served.mark()
    with pytest.raises(ValueError, match="job_id must be a UUID"):
        run_check(api_key=KEY, base_url=served.url, job_id="not-a-uuid")
    result = run_main(served, "check", "--job-id", "not-a-uuid")
    assert result.returncode == 2
    one_error_line(result.stderr)
    assert served.since(mark) == []


def test_without_jsonschema_the_cli_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    monkeypatch.setitem(__import__("sys").modules, "jsonschema", None)
    code = main(["--api-key", KEY, "--base-url", "http://127.0.0.1:9", "check"])
    assert code == 2
    assert "pip install 'companyenrich-export[check]'" in capsys.readouterr().err


@pytest.mark.parametrize(
    "body",
    [
        json.dumps({"echo": KEY}),
        # As a member name: it becomes the finding's `where` (and a JUnit case name).
        json.dumps({KEY: 1}),
        # Across the point where a shown value is clipped (80 characters).
        json.dumps({"echo": "x" * 70 + KEY}),
        "not JSON " + "x" * 62 + KEY,
    ],
    ids=["value", "member-name", "clipped-value", "clipped-text"],
)
def test_the_key_never_reaches_the_report_even_when_the_server_echoes_it(
    served: Served, body: str
) -> None:
    served.fake.inject(Fault.malformed(body.encode(), status=200))
    _assert_no_key_in_report(served.url, KEY)


def test_a_content_type_echoing_the_key_is_reported_without_it() -> None:
    # Mixed case, `+` and `/`: no form of it survives lower-casing. Placed across
    # the point where the shown type is clipped.
    key = "Sk+Live/Key-5F1D9C"
    fake = FakeCompanyEnrich(api_key=key)
    sent = "application/" + "x" * 60 + key
    fake.inject(Fault.malformed(b"{}", status=200, content_type=sent))
    with serve(fake) as url:
        _assert_no_key_in_report(url, key)


def test_a_short_key_found_in_ids_and_dates_is_not_drift() -> None:
    # Answers are checked as sent; only what the report shows loses the key.
    fake = FakeCompanyEnrich(api_key="2026")
    fake.complete_now(fake.add_job())
    with serve(fake) as url:
        report = run_check(api_key="2026", base_url=url)
    assert report.exit_code == 0, render_text(report)


def _assert_no_key_in_report(url: str, key: str) -> None:
    report = run_check(api_key=key, base_url=url)
    assert report.exit_code == 6
    rendered = json.dumps(report.to_json()) + render_text(report) + junit_xml(report).decode()
    # Not even the start of it, as a clipped value would leave, in either case.
    assert key[:7] not in rendered
    assert key[:7].lower() not in rendered.lower()


def test_a_junit_file_that_cannot_be_written_is_exit_1_after_the_report(
    served: Served, tmp_path: Path
) -> None:
    missing = tmp_path / "no-such-folder" / "check.xml"
    result = run_main(served, "check", "--junit-xml", str(missing))
    assert result.returncode == 1
    assert "Result: no drift (exit 0)" in result.stdout
    assert "cannot write" in one_error_line(result.stderr)
    assert not missing.parent.exists()


def test_a_probe_whose_operation_the_shipped_spec_lacks_is_skipped_unsent(served: Served) -> None:
    # How a new call (people exports, say) joins: one entry; until the spec has it, it is
    # not sent. (GET /me, the first example here, is in the spec since the pre-flight calls.)
    people = Probe(
        name="people-jobs",
        method="GET",
        path="/people/search/async/jobs",
        expect=frozenset({200}),
        description="people export jobs",
    )
    mark = served.mark()
    report = run_check(api_key=KEY, base_url=served.url, probes=[people])
    assert [(p.name, p.result, p.note) for p in report.probes] == [
        ("people-jobs", "skipped", "not in the shipped spec")
    ]
    assert served.since(mark) == []
