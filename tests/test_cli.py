"""The `companyenrich-export` CLI, run as a user runs it: a subprocess talking real HTTP.

The fake is served on 127.0.0.1 from this process, so every request the
subprocess makes is in `fake.request_log`. Jobs there move with the real
clock: durations are fractions of a second and deadlines generous. A few
in-process tests of `main()` cover what needs no process (parsing, help,
error mapping) or must be deterministic (one output line per snapshot).
"""

from __future__ import annotations

import argparse
import functools
import io
import json
import os
import re
import selectors
import signal
import subprocess
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest

from companyenrich_export import CompanyEnrich, ExportJob, JobStatus, _cli
from companyenrich_export._cli import ExitCode, build_parser, describe_error, main
from companyenrich_export._cli_output import (
    byte_progress,
    format_job,
    human_size,
    job_progress,
    job_to_json,
)
from companyenrich_export._exceptions import (
    APIConnectionError,
    ExportFailedError,
    NotFoundError,
    ResponseValidationError,
    WaitTimeoutError,
    status_error,
)
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock, serve

KEY = "cli-test-key-5f1d9c"
PROGRESS_LINE = re.compile(
    r"^\[\s*\d+\.\d+s\] (pending|processing|completing|completed|failed)\s+"
    r"[\d,]+/[\d,]+ \(\d+%\) exported$"
)
API_FIELDS = {
    "job_id",
    "status",
    "requested_count",
    "total_matching",
    "exported_count",
    "credits_charged",
    "created_at",
    "started_at",
    "completed_at",
    "results_url",
    "error_message",
}
# Generous: a loaded CI machine may take seconds to start a Python process.
SUBPROCESS_DEADLINE = 60


@pytest.fixture
def fake() -> FakeCompanyEnrich:
    return FakeCompanyEnrich(api_key=KEY)


@pytest.fixture
def base_url(fake: FakeCompanyEnrich) -> Iterator[str]:
    with serve(fake) as url:
        yield url


def _env(key: str | None) -> dict[str, str]:
    # Nothing from the developer's shell may point the CLI at the real API.
    env = {
        name: value for name, value in os.environ.items() if not name.startswith("COMPANYENRICH")
    }
    if key is not None:
        env["COMPANYENRICH_API_KEY"] = key
    return env


def _command(*args: str) -> list[str]:
    return [sys.executable, "-m", "companyenrich_export._cli", *args]


def run_cli(
    *args: str, key: str | None = KEY, timeout: float = SUBPROCESS_DEADLINE
) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - this interpreter running our own CLI
        _command(*args),
        capture_output=True,
        text=True,
        env=_env(key),
        timeout=timeout,
        check=False,
    )


def assert_clean(result: subprocess.CompletedProcess[str], *secrets: str) -> None:
    """No traceback, and no key, anywhere in what the user sees."""
    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for secret in (KEY, *secrets):
        assert secret not in output


def assert_one_error_line(result: subprocess.CompletedProcess[str], pattern: str) -> None:
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert re.fullmatch(pattern, lines[0]), lines[0]


def progress_lines(stdout: str) -> list[str]:
    return [line for line in stdout.splitlines() if line.startswith("[")]


def done_job(fake: FakeCompanyEnrich, **kwargs: object) -> UUID:
    """A job that is already complete when the subprocess first asks."""
    return fake.add_job(pending_for=0, processing_for=0, completing_for=0, **kwargs)  # type: ignore[arg-type]


# --- success paths, over real HTTP ---------------------------------------------------


@pytest.mark.slow
def test_get_prints_a_readable_view(fake: FakeCompanyEnrich, base_url: str) -> None:
    job_id = done_job(fake, requested_count=250, total_matching=1_000)

    result = run_cli("get", str(job_id), "--base-url", base_url)

    assert result.returncode == ExitCode.OK, result.stderr
    assert result.stderr == ""
    assert f"Job:              {job_id}" in result.stdout
    assert "Status:           completed" in result.stdout
    assert "Exported:         250/250 (100%)" in result.stdout
    # The pre-signed link's signature stays out of the readable view.
    assert "<redacted>" in result.stdout
    assert_clean(result)


@pytest.mark.slow
def test_get_json_uses_the_api_field_names_and_values(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    job_id = done_job(fake, requested_count=40)

    result = run_cli("--base-url", base_url, "get", str(job_id), "--json")

    assert result.returncode == ExitCode.OK, result.stderr
    printed = json.loads(result.stdout)
    assert set(printed) == API_FIELDS
    raw = httpx.get(
        f"{base_url}/companies/search/async/{job_id}",
        headers={"Authorization": f"Bearer {KEY}"},
    ).json()
    for field in API_FIELDS:
        if field.endswith("_at") and printed[field] is not None:
            # Same instant; the spelling of UTC may differ (Z or +00:00).
            assert datetime.fromisoformat(printed[field]) == datetime.fromisoformat(
                raw[field].replace("Z", "+00:00")
            )
        elif field == "results_url":
            # Machine output keeps the whole link; it is signed per request, so compare its path.
            assert printed[field].split("?")[0] == raw[field].split("?")[0]
        else:
            assert printed[field] == raw.get(field), field
    assert_clean(result)


@pytest.mark.slow
def test_wait_follows_the_job_to_completion_with_plain_lines(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    job_id = fake.add_job(
        requested_count=500, pending_for=0.1, processing_for=0.3, completing_for=0.1
    )

    result = run_cli(
        "wait", str(job_id), "--poll-interval", "0.05", "--timeout", "30", "--base-url", base_url
    )

    assert result.returncode == ExitCode.OK, result.stderr
    lines = progress_lines(result.stdout)
    assert lines, result.stdout
    assert all(PROGRESS_LINE.match(line) for line in lines), lines
    assert lines[-1].split()[2:] == ["completed", "500/500", "(100%)", "exported"]
    assert result.stdout.splitlines()[-1] == (f"Export {job_id} completed: 500 companies exported.")
    # Not a terminal: no escape codes, no bar redrawn in place.
    assert "\x1b[" not in result.stdout
    assert "\r" not in result.stdout
    assert_clean(result)


@pytest.mark.slow
def test_download_writes_the_file_and_says_where(
    fake: FakeCompanyEnrich, base_url: str, tmp_path: Path
) -> None:
    job_id = fake.add_job(requested_count=300, pending_for=0, processing_for=0.2, completing_for=0)
    dest = tmp_path / "companies.csv"

    result = run_cli(
        "download", str(job_id), str(dest), "--poll-interval", "0.05", "--base-url", base_url
    )

    assert result.returncode == ExitCode.OK, result.stderr
    content = dest.read_bytes()
    assert content.startswith(b"domain,name,country,employees,description\n")
    assert content.count(b"\n") == 301
    last = result.stdout.splitlines()[-1]
    assert last == (
        f"Saved {dest.resolve()} ({human_size(len(content))}, 300 companies from export {job_id})."
    )
    assert [path.name for path in tmp_path.iterdir()] == ["companies.csv"]
    # The key went to the API only, never to the storage host of the results link.
    storage = [entry for entry in fake.request_log if entry.route == "storage"]
    assert storage
    assert not any(entry.has_authorization or entry.carried_api_key for entry in storage)
    assert_clean(result)


@pytest.mark.slow
def test_download_into_a_folder_names_the_file_after_the_link(
    fake: FakeCompanyEnrich, base_url: str, tmp_path: Path
) -> None:
    job_id = done_job(fake, requested_count=5)

    result = run_cli("download", str(job_id), str(tmp_path), "--base-url", base_url)

    assert result.returncode == ExitCode.OK, result.stderr
    (written,) = tmp_path.iterdir()
    assert f"Saved {written.resolve()} " in result.stdout
    assert written.read_bytes().count(b"\n") == 6


@pytest.mark.slow
def test_create_prints_the_job_id_and_sends_the_query(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    result = run_cli(
        "create",
        "--count",
        "25",
        "--search",
        '{"countries": ["DE"], "futureFilter": 1}',
        "--allow-unknown-filters",
        "--base-url",
        base_url,
    )

    assert result.returncode == ExitCode.OK, result.stderr
    job_id = UUID(result.stdout.strip())
    assert job_id in fake.jobs
    assert fake.jobs[job_id].requested_count == 25
    assert fake.jobs[job_id].request == {
        "search": {"countries": ["DE"], "futureFilter": 1},
        "similar": None,
        "count": 25,
    }
    assert [(entry.method, entry.status) for entry in fake.request_log] == [("POST", 200)]
    assert_clean(result)


@pytest.mark.slow
def test_create_with_download_runs_the_whole_workflow(
    base_url: str, fake: FakeCompanyEnrich, tmp_path: Path
) -> None:
    fake.default_durations = (0.0, 0.2, 0.0)
    search_file = tmp_path / "query.json"
    search_file.write_text('{"semanticQuery": "logistics software"}')

    result = run_cli(
        "create",
        "--count",
        "40",
        "--search",
        f"@{search_file}",
        "--download",
        str(tmp_path),
        "--poll-interval",
        "0.05",
        "--base-url",
        base_url,
    )

    assert result.returncode == ExitCode.OK, result.stderr
    job_id = UUID(result.stdout.splitlines()[0])
    written = tmp_path / f"{job_id}.csv"
    assert written.read_bytes().count(b"\n") == 41
    assert any(re.search(r"\] completed\s+40/40", line) for line in progress_lines(result.stdout))
    assert f"Saved {written.resolve()} " in result.stdout
    assert_clean(result)


@pytest.mark.slow
def test_create_refuses_bad_input_before_sending(
    fake: FakeCompanyEnrich, base_url: str, tmp_path: Path
) -> None:
    cases = [
        ("--count", "0", "--search", "{}"),  # count out of range (client check)
        ("--count", "5", "--search", "[1]"),  # not an object (parser check)
        ("--count", "5", "--search", "{}", "--similar-to", "a.com"),  # both
        ("--count", "5", "--similar-to", *[f"--similar-to=d{i}.com" for i in range(11)]),
        ("--count", "5", "--search", "{}", "--download", str(tmp_path / "no" / "such")),
    ]
    for args in cases:
        result = run_cli("create", *args, "--base-url", base_url)
        assert result.returncode == ExitCode.USAGE, (args, result.stderr)
        assert_one_error_line(result, r"error: .+")
    assert fake.request_log == []


@pytest.mark.slow
def test_list_prints_a_table_and_json(fake: FakeCompanyEnrich, base_url: str) -> None:
    first = done_job(fake, requested_count=7)
    second = fake.add_job(requested_count=9, pending_for=3600)
    fake.add_job(owner_key="someone-else", requested_count=1)

    table = run_cli("list", "--base-url", base_url)
    as_json = run_cli("list", "--json", "--base-url", base_url)
    only_pending = run_cli("list", "--status", "pending", "--json", "--base-url", base_url)
    limited = run_cli("list", "--limit", "1", "--json", "--base-url", base_url)

    for result in (table, as_json, only_pending, limited):
        assert result.returncode == ExitCode.OK, result.stderr
        assert_clean(result)
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["JOB", "STATUS", "EXPORTED", "CREDITS", "CREATED"]
    # Newest first, and only the caller's own jobs.
    assert [row.split()[0] for row in rows] == [str(second), str(first)]
    listed = json.loads(as_json.stdout)
    assert [item["job_id"] for item in listed] == [str(second), str(first)]
    assert set(listed[0]) == API_FIELDS - {"results_url", "error_message"}
    assert [item["job_id"] for item in json.loads(only_pending.stdout)] == [str(second)]
    assert [item["job_id"] for item in json.loads(limited.stdout)] == [str(second)]


# --- errors, over real HTTP ----------------------------------------------------------


@pytest.mark.slow
def test_wrong_key_is_an_api_error_and_the_key_is_not_shown(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    job_id = done_job(fake)
    wrong = "wrong-key-0a9b8c7d"

    result = run_cli("get", str(job_id), "--base-url", base_url, key=wrong)

    assert result.returncode == ExitCode.API_ERROR
    assert result.stdout == ""
    assert_one_error_line(result, r"error: 401 Unauthorized.*")
    assert_clean(result, wrong)


@pytest.mark.slow
def test_wrong_key_given_as_an_option_is_not_shown_either(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    wrong = "wrong-option-key-77e1"

    result = run_cli("get", str(uuid4()), "--api-key", wrong, "--base-url", base_url, key=None)

    assert result.returncode == ExitCode.API_ERROR
    assert_one_error_line(result, r"error: 401 Unauthorized.*")
    assert_clean(result, wrong)


@pytest.mark.slow
def test_unknown_job_is_an_api_error(fake: FakeCompanyEnrich, base_url: str) -> None:
    result = run_cli("get", str(uuid4()), "--base-url", base_url)

    assert result.returncode == ExitCode.API_ERROR
    assert_one_error_line(result, r"error: 404 Not Found.*")
    assert_clean(result)


@pytest.mark.slow
def test_invalid_job_id_is_a_usage_error_and_sends_nothing(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    result = run_cli("wait", "not-a-job", "--base-url", base_url)

    assert result.returncode == ExitCode.USAGE
    assert_one_error_line(result, r"error: argument JOB_ID: not a job id: 'not-a-job' .*")
    assert fake.request_log == []
    assert_clean(result)


@pytest.mark.slow
def test_missing_key_is_a_usage_error_and_sends_nothing(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    result = run_cli("get", str(uuid4()), "--base-url", base_url, key=None)

    assert result.returncode == ExitCode.USAGE
    assert_one_error_line(result, r"error: no API key: .*COMPANYENRICH_API_KEY")
    assert fake.request_log == []


@pytest.mark.slow
def test_failed_job_exits_4_with_the_reason(fake: FakeCompanyEnrich, base_url: str) -> None:
    job_id = fake.add_job(
        pending_for=0, processing_for=0.1, completing_for=0, fail_with="search index unavailable"
    )

    result = run_cli("wait", str(job_id), "--poll-interval", "0.05", "--base-url", base_url)

    assert result.returncode == ExitCode.EXPORT_FAILED
    assert_one_error_line(result, rf"error: Export job {job_id} failed: search index unavailable")
    assert_clean(result)


@pytest.mark.slow
def test_wait_deadline_exits_5(fake: FakeCompanyEnrich, base_url: str) -> None:
    job_id = fake.add_job(requested_count=80, pending_for=3600)

    result = run_cli(
        "wait", str(job_id), "--timeout", "0.3", "--poll-interval", "0.05", "--base-url", base_url
    )

    assert result.returncode == ExitCode.WAIT_TIMEOUT
    assert_one_error_line(
        result,
        rf"error: Export job {job_id} did not finish within 0.3 s "
        r"\(last seen pending, 0/80 exported\); it keeps running: .*",
    )
    assert progress_lines(result.stdout)
    assert_clean(result)


@pytest.mark.slow
def test_download_refuses_a_missing_folder_before_waiting(
    fake: FakeCompanyEnrich, base_url: str, tmp_path: Path
) -> None:
    job_id = fake.add_job(pending_for=3600)

    result = run_cli(
        "download", str(job_id), str(tmp_path / "no" / "x.csv"), "--base-url", base_url
    )

    assert result.returncode == ExitCode.USAGE
    assert_one_error_line(result, r"error: The folder for .* does not exist; create it first\.")
    assert fake.request_log == []


@pytest.mark.slow
def test_ctrl_c_while_waiting_exits_130_without_a_traceback(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    job_id = fake.add_job(pending_for=3600)
    process = subprocess.Popen(  # noqa: S603 - this interpreter running our own CLI
        _command("wait", str(job_id), "--poll-interval", "0.05", "--base-url", base_url),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=_env(KEY),
    )
    try:
        assert process.stdout is not None
        # The first progress line proves the CLI is inside wait(), past startup.
        with selectors.DefaultSelector() as selector:
            selector.register(process.stdout, selectors.EVENT_READ)
            assert selector.select(timeout=SUBPROCESS_DEADLINE), "no progress line"
        first = process.stdout.readline()
        assert PROGRESS_LINE.match(first.rstrip("\n")), first
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=SUBPROCESS_DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == ExitCode.INTERRUPTED
    assert stderr == "error: interrupted\n"
    assert "Traceback" not in stdout + stderr
    assert KEY not in first + stdout + stderr


@pytest.mark.slow
def test_installed_entry_point_and_module_run(tmp_path: Path) -> None:
    script = Path(sys.executable).parent / "companyenrich-export"
    if not script.exists():
        pytest.skip("the package's console script is not installed in this environment")
    for command in (
        [str(script), "--version"],
        [sys.executable, "-m", "companyenrich_export", "--version"],
    ):
        result = subprocess.run(  # noqa: S603 - our own entry points
            command, capture_output=True, text=True, timeout=SUBPROCESS_DEADLINE, check=False
        )
        assert result.returncode == 0
        assert re.fullmatch(r"companyenrich-export \d+\.\d+\.\d+\S*\n", result.stdout)


# --- in-process: parsing and help ---------------------------------------------------


def test_help_documents_every_option_and_exit_code(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    top = capsys.readouterr().out
    for text in ("--api-key", "--base-url", "--timeout", "--request-timeout", "--version"):
        assert text in top
    for code in ExitCode:
        assert re.search(rf"^  {code.value}\s+\S", top, re.MULTILINE), code
    for command in ("create", "get", "wait", "download", "list"):
        assert main([command, "--help"]) == 0
        text = capsys.readouterr().out
        assert "exit codes:" in text
        assert "--api-key" in text
        assert "--request-timeout" in text
    # Every option of every parser has a help text.
    parser = build_parser()
    parsers = [parser, *_subparsers(parser).values()]
    for each in parsers:
        for action in each._actions:
            assert action.help, (each.prog, action.option_strings or action.dest)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


def test_options_work_before_and_after_the_command() -> None:
    job = str(uuid4())
    parser = build_parser()

    before = parser.parse_args(["--api-key", "A", "--base-url", "http://x", "get", job])
    after = parser.parse_args(["get", job, "--api-key", "B"])
    both = parser.parse_args(["--api-key", "A", "get", job, "--api-key", "B"])

    assert (before.api_key, before.base_url) == ("A", "http://x")
    assert (after.api_key, after.base_url) == ("B", None)
    assert both.api_key == "B"


def test_timeout_before_the_command_is_per_request_after_wait_it_is_the_deadline() -> None:
    job = str(uuid4())
    args = build_parser().parse_args(["--timeout", "7", "wait", job, "--timeout", "90"])
    assert (args.request_timeout, args.wait_timeout) == (7.0, 90.0)
    args = build_parser().parse_args(["download", job, ".", "--request-timeout", "3"])
    assert args.request_timeout == 3.0
    assert args.wait_timeout == 30 * 60


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["get"],
        ["frobnicate"],
        ["get", "3fa85f64571745623fa85f64-5717-4562"],
        ["get", "{3fa85f64-5717-4562-b3fc-2c963f66afa6}"],
        ["wait", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "--timeout", "0"],
        ["wait", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "--poll-interval", "soon"],
        ["--timeout", "-1", "get", "3fa85f64-5717-4562-b3fc-2c963f66afa6"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == ExitCode.USAGE
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("error: ")
    assert "--help" in captured.err


def test_bad_base_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    code = main(["get", str(uuid4()), "--base-url", "ftp://example.invalid"])
    assert code == ExitCode.USAGE
    assert capsys.readouterr().err.startswith("error: base_url must be an absolute http(s) URL")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from companyenrich_export import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"companyenrich-export {__version__}\n"


# --- in-process: output, driven deterministically -------------------------------------


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeCompanyEnrich, str]]:
    """The CLI's client wired to a fake in this process, sharing a ManualClock.

    The client's poll sleeps move the fake's jobs: every status is seen, at
    once and the same way on every run.
    """
    clock = ManualClock()
    base = "https://api.companyenrich.test"
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock, base_url=base)
    with httpx.Client(transport=fake.transport()) as http:
        factory = functools.partial(CompanyEnrich, clock=clock, http_client=http)
        monkeypatch.setattr(_cli, "CompanyEnrich", factory)
        monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
        yield fake, base


def test_wait_prints_one_line_per_new_snapshot(
    in_process: tuple[FakeCompanyEnrich, str], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, base = in_process
    job_id = fake.add_job(requested_count=100, pending_for=2, processing_for=4, completing_for=2)

    code = main(["wait", str(job_id), "--poll-interval", "1", "--base-url", base])

    assert code == ExitCode.OK
    lines = progress_lines(capsys.readouterr().out)
    assert all(PROGRESS_LINE.match(line) for line in lines), lines
    states = [line.split()[2:4] for line in lines]
    # Polls at 0, 1, ... 8 s: pending twice (same snapshot, one line), then
    # a quarter of the rows a second, completing, completed.
    assert states == [
        ["pending", "0/100"],
        ["processing", "0/100"],
        ["processing", "25/100"],
        ["processing", "50/100"],
        ["processing", "75/100"],
        ["completing", "100/100"],
        ["completed", "100/100"],
    ]


def test_download_draws_rich_bars_on_a_terminal(
    in_process: tuple[FakeCompanyEnrich, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    fake, base = in_process
    job_id = fake.add_job(requested_count=20, pending_for=1, processing_for=2, completing_for=1)
    monkeypatch.setattr(_cli, "_interactive", lambda: True)

    code = main(["download", str(job_id), str(tmp_path / "out.csv"), "--base-url", base])

    assert code == ExitCode.OK
    out = capsys.readouterr().out
    assert "completed" in out
    assert "20/20 (100%) exported" in out
    assert f"Saved {(tmp_path / 'out.csv').resolve()} " in out


def test_plain_byte_progress_is_throttled() -> None:
    now = [0.0]
    stream = io.StringIO()
    from companyenrich_export._cli_output import _PlainByteProgress

    with _PlainByteProgress(stream, clock=lambda: now[0]) as progress:
        for received in range(0, 10_001, 1_000):
            progress(received, 10_000)
            now[0] += 0.3
    lines = stream.getvalue().splitlines()
    # First call, then once a second at most, and always the finishing call.
    assert [line.split("] ")[1] for line in lines] == [
        "downloading 0 B of 9.8 KiB (0%)",
        "downloading 3.9 KiB of 9.8 KiB (40%)",
        "downloading 7.8 KiB of 9.8 KiB (80%)",
        "downloading 9.8 KiB of 9.8 KiB (100%)",
    ]


def test_progress_contexts_work_without_snapshots() -> None:
    for interactive in (False, True):
        stream = io.StringIO()
        with job_progress(stream, interactive=interactive):
            pass
        with byte_progress(stream, interactive=interactive) as bytes_seen:
            bytes_seen(10, None)


def _job(**changes: object) -> ExportJob:
    fields: dict[str, object] = {
        "job_id": UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6"),
        "status": JobStatus.PROCESSING,
        "requested_count": 2_000,
        "total_matching": 15_000,
        "exported_count": 500,
        "credits_charged": 0,
        "created_at": datetime.fromisoformat("2026-02-17T02:04:03+00:00"),
        "started_at": None,
        "completed_at": None,
        "results_url": None,
        "error_message": None,
    }
    fields.update(changes)
    return ExportJob(**fields)  # type: ignore[arg-type]


def test_readable_view_and_json() -> None:
    job = _job(results_url="https://files.example/x.csv?X-Sig=secret", error_message=None)
    text = format_job(job)
    assert "Exported:         500/2,000 (25%)" in text
    assert "Started:          -" in text
    assert "Created:          2026-02-17 02:04:03 UTC" in text
    assert "secret" not in text
    data = job_to_json(job)
    assert set(data) == API_FIELDS
    assert data["created_at"] == "2026-02-17T02:04:03+00:00"
    assert data["results_url"] == "https://files.example/x.csv?X-Sig=secret"


@pytest.mark.parametrize(
    ("size", "shown"),
    [
        (0, "0 B"),
        (1023, "1023 B"),
        (1024, "1.0 KiB"),
        (5 * 2**20, "5.0 MiB"),
        (3 * 2**40, "3.0 TiB"),
    ],
)
def test_human_size(size: int, shown: str) -> None:
    assert human_size(size) == shown


# --- in-process: error mapping --------------------------------------------------------


def _response(status: int, body: object) -> httpx.Response:
    request = httpx.Request("GET", "https://api.companyenrich.test/x")
    return httpx.Response(status, json=body, request=request)


def test_every_error_class_has_its_exit_code() -> None:
    request = httpx.Request("GET", "https://files.example/r.csv?sig=secret")
    not_found = status_error(
        _response(404, {"title": "Not Found", "detail": "no such job"}), retry_after=None
    )
    server = status_error(
        _response(503, {"title": "Service Unavailable", "traceId": "00-abc"}), retry_after=None
    )
    cases: list[tuple[BaseException, ExitCode, str]] = [
        (not_found, ExitCode.API_ERROR, "404 Not Found: no such job"),
        (server, ExitCode.API_ERROR, "503 Service Unavailable (request id 00-abc)"),
        (
            APIConnectionError("Connection error: refused", request=request),
            ExitCode.API_ERROR,
            "Connection error: refused (https://files.example)",
        ),
        (
            ResponseValidationError("export job: bad", response=None, body="{}"),
            ExitCode.API_ERROR,
            "unexpected response from the API: export job: bad",
        ),
        (
            ExportFailedError(_job(status=JobStatus.FAILED, error_message="boom")),
            ExitCode.EXPORT_FAILED,
            "Export job 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed: boom",
        ),
        (
            WaitTimeoutError("x", 5.0, None),
            ExitCode.WAIT_TIMEOUT,
            "Export job x did not finish within 5 s.",
        ),
        (ValueError("bad dest"), ExitCode.USAGE, "bad dest"),
        (
            PermissionError(13, "Permission denied", "/ro/x.csv"),
            ExitCode.LOCAL_ERROR,
            "Permission denied: /ro/x.csv",
        ),
    ]
    for error, code, message in cases:
        assert describe_error(error) == (code, message)
    assert isinstance(not_found, NotFoundError)


def test_exit_codes_are_distinct() -> None:
    values = [code.value for code in ExitCode]
    assert len(values) == len(set(values))
    assert int(ExitCode.INTERRUPTED) == 130


def test_a_key_echoed_by_a_server_is_redacted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def echo_key(*_args: object, **_kwargs: object) -> object:
        raise ResponseValidationError(f"body mentions {KEY}", response=None, body="")

    monkeypatch.setattr(_cli, "_run_get", echo_key)
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    code = main(["get", str(uuid4()), "--base-url", "http://127.0.0.1:9"])
    assert code == ExitCode.API_ERROR
    err = capsys.readouterr().err
    assert KEY not in err
    assert "[redacted]" in err


@pytest.mark.parametrize(
    "argv",
    [
        ["get", KEY],
        ["--api-key", "typed-key-1234", "get", "typed-key-1234"],
        [
            "get",
            "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "--api-key=typed-key-1234",
            "typed-key-1234",
        ],
        ["--api", "typed-key-1234", "wait", "typed-key-1234"],
    ],
)
def test_a_key_in_the_wrong_place_is_not_quoted_back(
    argv: list[str], capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    assert main(argv) == ExitCode.USAGE
    err = capsys.readouterr().err
    assert KEY not in err
    assert "typed-key-1234" not in err
    assert "[redacted]" in err


@pytest.mark.slow
def test_a_closed_pipe_ends_quietly(fake: FakeCompanyEnrich, base_url: str) -> None:
    job_id = done_job(fake)
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read: the first write fails with EPIPE
    try:
        result = subprocess.run(  # noqa: S603 - this interpreter running our own CLI
            _command("get", str(job_id), "--json", "--base-url", base_url),
            stdout=writer,
            stderr=subprocess.PIPE,
            text=True,
            env=_env(KEY),
            timeout=SUBPROCESS_DEADLINE,
            check=False,
        )
    finally:
        os.close(writer)
    assert result.returncode == ExitCode.LOCAL_ERROR
    assert result.stderr == ""
