"""The CLI's `main()` in this process: parsing, help, error mapping, and what is drawn where.

What needs no subprocess runs here, fast and deterministic: the client is
wired to an in-process fake sharing a ManualClock, so every status is seen
the same way on every run.
"""

from __future__ import annotations

import argparse
import errno
import functools
import io
import json
import re
import signal
import sys
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from uuid import UUID, uuid4

import httpx
import pytest
from _cli_helpers import API_FIELDS, QUERY

from companyenrich_export import CompanyEnrich, ExportJob, JobStatus
from companyenrich_export._cli import _main as _cli
from companyenrich_export._cli import _output as _cli_output
from companyenrich_export._cli._main import build_parser, describe_error, main
from companyenrich_export._cli._output import (
    StdoutClosedError,
    Streams,
    byte_progress,
    format_job,
    format_jobs_table,
    human_size,
    job_progress,
    redact,
    terminal_safe,
    url_origin,
)
from companyenrich_export._exceptions import (
    APIConnectionError,
    ExportFailedError,
    NotFoundError,
    ResponseValidationError,
    WaitTimeoutError,
    status_error,
)
from companyenrich_export._jobs._models import ExportJobSummary
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

KEY = "cli-test-key-5f1d9c"
CLI_DOCS = Path(__file__).resolve().parents[1] / "docs" / "cli.md"
# The exit codes docs/cli.md documents, by number: every one is produced by a test
# (0-5 and 141-143 in test_cli_commands.py / test_cli_pipelines.py, 8 in
# test_cli_preflight.py, 70 here).
DOCUMENTED_EXIT_CODES = {0, 1, 2, 3, 4, 5, 6, 7, 8, 70, 129, 130, 141, 143}
PROGRESS_LINE = re.compile(
    r"^\[\s*\d+\.\d+s\] (pending|processing|completing|completed|failed)\s+"
    r"[\d,]+/[\d,]+ \(\d+%\) exported$"
)


def _subparsers(parser: argparse.ArgumentParser) -> dict[str, argparse.ArgumentParser]:
    for action in parser._actions:
        if isinstance(action, argparse._SubParsersAction):
            return dict(action.choices)
    raise AssertionError("no subcommands")


# --- the documented exit codes ----------------------------------------------------------


def test_the_docs_help_and_enum_list_the_same_exit_codes(
    capsys: pytest.CaptureFixture[str],
) -> None:
    table = CLI_DOCS.read_text().split("| exit code | meaning |", 1)[1].split("\n\n", 1)[0]
    in_docs = {int(code) for code in re.findall(r"^\| (\d+) \|", table, re.MULTILINE)}
    assert main(["--help"]) == 0
    in_help = capsys.readouterr().out.split("exit codes:", 1)[1]
    listed = {int(code) for code in re.findall(r"^  (\d+)\s+\S", in_help, re.MULTILINE)}

    assert in_docs == DOCUMENTED_EXIT_CODES
    assert listed == DOCUMENTED_EXIT_CODES
    assert {int(code) for code in _cli.ExitCode} == DOCUMENTED_EXIT_CODES


def test_an_unexpected_error_is_one_line_exit_70_and_debug_shows_the_traceback(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(*_args: object) -> object:
        raise TypeError(f"a bug that mentions {KEY}")

    monkeypatch.setattr(_cli, "_run_get", broken)
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    job_id = str(uuid4())

    assert main(["get", job_id]) == 70
    plain = capsys.readouterr()
    assert main(["get", job_id, "--debug"]) == 70
    debug = capsys.readouterr()

    assert plain.out == ""
    assert plain.err == (
        "error: unexpected TypeError: a bug that mentions [redacted]. This is a bug; "
        "'companyenrich-export --debug ...' shows where it happened\n"
    )
    assert "Traceback (most recent call last):" in debug.err
    assert "in broken" in debug.err
    assert KEY not in debug.err


# --- help and parsing --------------------------------------------------------------------


def test_help_is_long_once_and_short_per_command(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["--help"]) == 0
    top = capsys.readouterr().out
    for text in ("--api-key", "--base-url", "--request-timeout", "--quiet", "--debug", "--version"):
        assert text in top
    assert "COMPANYENRICH_API_KEY" in top
    assert "--timeout" not in top  # the old spelling works, but is not offered
    for command in ("create", "get", "wait", "download", "list"):
        assert main([command, "--help"]) == 0
        text = capsys.readouterr().out
        assert "\nexit codes:\n" not in text
        assert "\nenvironment:\n" not in text
        assert "'companyenrich-export --help'" in text
        assert "--request-timeout" in text
        assert "--json" in text
        assert re.search(r"--timeout\b", text) is None
        assert ("--wait-timeout" in text) == (command in ("create", "wait", "download"))
    # Every option a user can see has a help text.
    parser = build_parser()
    for each in [parser, *_subparsers(parser).values()]:
        for action in each._actions:
            assert action.help, (each.prog, action.option_strings or action.dest)


def test_options_work_before_and_after_the_command() -> None:
    job = str(uuid4())
    parser = build_parser()

    before = parser.parse_args(["--api-key", "A", "--base-url", "http://x", "-q", "get", job])
    after = parser.parse_args(["get", job, "--api-key", "B", "--debug"])
    both = parser.parse_args(["--api-key", "A", "get", job, "--api-key", "B"])

    assert (before.api_key, before.base_url, before.quiet, before.debug) == (
        "A",
        "http://x",
        True,
        False,
    )
    assert (after.api_key, after.base_url, after.quiet, after.debug) == ("B", None, False, True)
    assert both.api_key == "B"


def test_one_flag_one_meaning_and_the_old_spelling_is_noted() -> None:
    job = str(uuid4())
    parser = build_parser()

    new = parser.parse_args(
        ["--request-timeout", "7", "wait", job, "--wait-timeout", "90", "--request-timeout", "8"]
    )
    old = parser.parse_args(["--timeout", "7", "download", job, ".", "--timeout", "90"])
    default = parser.parse_args(["create", "--count", "1", "--search", QUERY, "--wait"])

    assert (new.request_timeout, new.wait_timeout) == (8.0, 90.0)
    assert _cli._deprecation_notes(new) == []
    assert (old.request_timeout, old.wait_timeout) == (7.0, 90.0)
    assert [note.split(":", 1)[1] for note in _cli._deprecation_notes(old)] == [
        " write --request-timeout (same meaning)",
        " write --wait-timeout (same meaning)",
    ]
    assert (default.request_timeout, default.wait_timeout) == (None, 30 * 60)


@pytest.mark.parametrize(
    "argv",
    [
        [],
        ["get"],
        ["frobnicate"],
        ["get", "3fa85f64571745623fa85f64-5717-4562"],
        ["get", "{3fa85f64-5717-4562-b3fc-2c963f66afa6}"],
        ["wait", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "--wait-timeout", "0"],
        ["wait", "3fa85f64-5717-4562-b3fc-2c963f66afa6", "--poll-interval", "soon"],
        ["--request-timeout", "-1", "get", "3fa85f64-5717-4562-b3fc-2c963f66afa6"],
        ["list", "--limit", "-1"],
        ["create", "--count", "٣", "--search", QUERY],
        ["create", "--count", "3", "--search", "@/no/such/file.json"],
    ],
)
def test_usage_errors_exit_2_with_one_line(
    argv: list[str], capsys: pytest.CaptureFixture[str]
) -> None:
    assert main(argv) == 2
    captured = capsys.readouterr()
    assert captured.out == ""
    assert len(captured.err.splitlines()) == 1
    assert captured.err.startswith("error: ")
    assert "--help" in captured.err


def test_search_from_stdin_is_read_up_to_one_mebibyte(monkeypatch: pytest.MonkeyPatch) -> None:
    parser = build_parser()
    small = io.TextIOWrapper(io.BytesIO(QUERY.encode()))
    monkeypatch.setattr("sys.stdin", small)
    args = parser.parse_args(["create", "--count", "1", "--search", "@-"])
    assert args.search == {"countries": ["DE"]}

    huge = io.TextIOWrapper(io.BytesIO(b" " * (1024 * 1024 + 1)))
    monkeypatch.setattr("sys.stdin", huge)
    with pytest.raises(_cli.UsageError, match="stdin is larger than 1 MiB"):
        parser.parse_args(["create", "--count", "1", "--search", "@-"])


def test_bad_base_url_is_a_usage_error(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    code = main(["get", str(uuid4()), "--base-url", "ftp://example.invalid"])
    assert code == 2
    assert capsys.readouterr().err.startswith("error: base_url must be an absolute http(s) URL")


def test_version(capsys: pytest.CaptureFixture[str]) -> None:
    from companyenrich_export import __version__

    assert main(["--version"]) == 0
    assert capsys.readouterr().out == f"companyenrich-export {__version__}\n"


# --- signals -------------------------------------------------------------------------------


@pytest.mark.parametrize("signum", [signal.SIGTERM, signal.SIGHUP])
def test_sigterm_and_sighup_unwind_like_ctrl_c(signum: int) -> None:
    # As a terminal gives them: under `nohup` SIGHUP arrives ignored, and the
    # command rightly keeps it so (tests/test_cli_signals.py).
    inherited = signal.signal(signum, signal.SIG_DFL)
    try:
        _unwinds_like_ctrl_c(signum)
    finally:
        signal.signal(signum, inherited)


def _unwinds_like_ctrl_c(signum: int) -> None:
    before = signal.getsignal(signum)
    seen: list[object] = []

    def interrupted_work() -> None:
        with _cli._terminating_signals_raise():
            try:
                signal.raise_signal(signum)  # runs the handler before returning
            finally:
                # `finally` and `with` blocks run; a second signal now ends the process.
                seen.append(signal.getsignal(signum))

    with pytest.raises(_cli._Terminated) as raised:
        interrupted_work()

    assert raised.value.signum == signum
    assert seen == [signal.SIG_DFL]
    assert signal.getsignal(signum) == before


# --- in-process runs against a fake sharing a ManualClock ----------------------------------


@pytest.fixture
def in_process(monkeypatch: pytest.MonkeyPatch) -> Iterator[tuple[FakeCompanyEnrich, str]]:
    clock = ManualClock()
    base = "https://api.companyenrich.test"
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock, base_url=base)
    with httpx.Client(transport=fake.transport()) as http:
        factory = functools.partial(CompanyEnrich, clock=clock, http_client=http)
        monkeypatch.setattr(_cli, "CompanyEnrich", factory)
        monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
        yield fake, base


def test_create_refuses_bad_input_with_exit_2_before_sending(
    in_process: tuple[FakeCompanyEnrich, str],
    capsys: pytest.CaptureFixture[str],
    tmp_path: Path,
) -> None:
    fake, base = in_process
    (tmp_path / "a-file").write_text("")
    deep = tmp_path / "deep.json"
    deep.write_text("[" * 100_000)
    cases = [
        ("--count", "0", "--search", QUERY),  # count out of range (client check)
        ("--count", "1_000", "--search", QUERY),  # not plain digits
        ("--count", "5", "--search", "[1]"),  # not an object (parser check)
        ("--count", "5", "--search", QUERY, "--similar-to", "a.com"),  # both
        ("--count", "5", "--similar-to", *[f"--similar-to=d{i}.com" for i in range(11)]),
        ("--count", "5", "--search", "@/dev/zero"),  # endless: read at most 1 MiB
        ("--count", "5", "--search", f"@{deep}"),  # nested past the parser's recursion limit
        ("--count", "5", "--search", QUERY, "--webhook-url", "ftp://x"),
        (
            "--count",
            "5",
            "--search",
            QUERY,
            "--download",
            str(tmp_path / "no" / "such"),
        ),
        (
            "--count",
            "5",
            "--search",
            QUERY,
            "--download",
            str(tmp_path / "missing") + "/",
        ),
        (
            "--count",
            "5",
            "--search",
            QUERY,
            "--download",
            str(tmp_path / "a-file") + "/",
        ),
        ("--count", "5", "--search", QUERY, "--download", "-", "--json"),
    ]
    for args in cases:
        assert main(["create", *args, "--base-url", base]) == 2, args
        captured = capsys.readouterr()
        assert captured.out == "", args
        assert len(captured.err.splitlines()) == 1, (args, captured.err)
        assert captured.err.startswith("error: "), args
    assert fake.request_log == []
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file", "deep.json"]


def test_wait_prints_one_line_per_new_snapshot_on_stderr(
    in_process: tuple[FakeCompanyEnrich, str], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, base = in_process
    job_id = fake.add_job(requested_count=100, pending_for=2, processing_for=4, completing_for=2)

    code = main(["wait", str(job_id), "--poll-interval", "1", "--base-url", base])

    assert code == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    lines = [line for line in captured.err.splitlines() if line.startswith("[")]
    assert all(PROGRESS_LINE.match(line) for line in lines), lines
    # Polls at 0, 1, ... 8 s: pending twice (same snapshot, one line), then
    # a quarter of the rows a second, completing, completed.
    assert [line.split()[2:4] for line in lines] == [
        ["pending", "0/100"],
        ["processing", "0/100"],
        ["processing", "25/100"],
        ["processing", "50/100"],
        ["processing", "75/100"],
        ["completing", "100/100"],
        ["completed", "100/100"],
    ]


def test_create_wait_json_prints_the_finished_job_alone(
    in_process: tuple[FakeCompanyEnrich, str], capsys: pytest.CaptureFixture[str]
) -> None:
    _, base = in_process

    code = main(
        [
            "create",
            "--count",
            "8",
            "--search",
            QUERY,
            "--wait",
            "--json",
            "--base-url",
            base,
        ]
    )

    assert code == 0
    captured = capsys.readouterr()
    job = json.loads(captured.out)  # one document: no job id line before it
    assert (job["status"], job["exported_count"]) == ("completed", 8)
    assert f"Export {job['job_id']} started: 8 of " in captured.err
    assert re.search(r"^\[\s*\d+\.\d+s\] completed\s+8/8", captured.err, re.MULTILINE)


def test_create_download_to_stdout_keeps_the_job_id_on_stderr_even_when_quiet(
    in_process: tuple[FakeCompanyEnrich, str], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, base = in_process

    code = main(
        [
            *(
                "create",
                "--count",
                "3",
                "--search",
                QUERY,
                "--download",
                "-",
                "-q",
            ),
            *("--base-url", base),
        ]
    )

    assert code == 0
    captured = capsys.readouterr()
    (job_id,) = fake.jobs
    with httpx.Client(transport=fake.transport()) as http:
        served = http.get(fake.job_body(job_id)["results_url"]).text
    assert captured.out == served
    assert captured.err == (
        f"Export {job_id} started: 3 of {fake.jobs[job_id].total_matching:,} matching "
        "companies (about 3 credits).\n"
    )


def test_list_filters_by_status_and_stops_at_the_limit(
    in_process: tuple[FakeCompanyEnrich, str], capsys: pytest.CaptureFixture[str]
) -> None:
    fake, base = in_process
    done = fake.add_job(pending_for=0, processing_for=0, completing_for=0)
    pending = [fake.add_job(pending_for=3600) for _ in range(3)]

    assert main(["list", "--status", "pending", "--json", "--base-url", base]) == 0
    only_pending = json.loads(capsys.readouterr().out)
    assert main(["list", "--limit", "2", "--json", "--base-url", base]) == 0
    limited = json.loads(capsys.readouterr().out)
    assert main(["list", "--status", "failed", "--base-url", base]) == 0
    none = capsys.readouterr()

    assert [item["job_id"] for item in only_pending] == [str(job) for job in reversed(pending)]
    assert [item["job_id"] for item in limited] == [str(pending[2]), str(pending[1])]
    assert str(done) not in json.dumps(only_pending)
    # No jobs: no data, and a message for a person on stderr.
    assert (none.out, none.err) == ("", "No export jobs in status failed.\n")


def test_progress_bars_draw_on_stderr_when_it_is_a_terminal(
    in_process: tuple[FakeCompanyEnrich, str],
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    tmp_path: Path,
) -> None:
    fake, base = in_process
    job_id = fake.add_job(requested_count=20, pending_for=1, processing_for=2, completing_for=1)
    # Only stderr is a terminal (stdout is piped, say): bars belong there.
    monkeypatch.setattr(_cli_output, "_draws", lambda channel: channel._stream is sys.stderr)

    code = main(["download", str(job_id), str(tmp_path / "out.csv"), "--base-url", base])

    assert code == 0
    captured = capsys.readouterr()
    assert captured.out == ""
    # rich's live display: the bar's text, and no plain "[  0.0s]" log lines.
    assert "20/20 (100%) exported" in captured.err
    assert "download" in captured.err
    assert not re.search(r"^\[\s*\d+\.\d+s\]", captured.err, re.MULTILINE)
    assert f"Saved {tmp_path / 'out.csv'} " in captured.err


def test_a_closed_stdout_never_stops_a_download_to_a_file(
    in_process: tuple[FakeCompanyEnrich, str], capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    _, base = in_process

    class ClosedPipe(io.StringIO):
        def write(self, text: str) -> int:
            raise BrokenPipeError(errno.EPIPE, "Broken pipe")

    with pytest.MonkeyPatch.context() as patch:
        patch.setattr("sys.stdout", ClosedPipe())
        code = main(
            [
                *("create", "--count", "30", "--search", QUERY),
                *("--download", str(tmp_path / "o.csv"), "--poll-interval", "1"),
                *("--base-url", base),
            ]
        )

    assert code == 141
    assert (tmp_path / "o.csv").read_bytes().count(b"\n") == 31
    assert "Saved " in capsys.readouterr().err


# --- what is drawn ---------------------------------------------------------------------------


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
    job = _job(
        results_url="https://user:pw@files.example/exports/x.csv?X-Sig=secret",
        error_message="line one\nline\x1b[31m two",
    )
    text = format_job(job)
    assert "Exported:         500/2,000 (25%)" in text
    assert "Started:          -" in text
    assert "Created:          2026-02-17 02:04:03 UTC" in text
    assert "Results:          ready at https://files.example (full link: --json)" in text
    assert "Error:            line one line two" in text
    for hidden in ("secret", "pw", "exports/x.csv", "\x1b"):
        assert hidden not in text
    data = job.to_dict()
    assert set(data) == API_FIELDS
    assert data["created_at"] == "2026-02-17T02:04:03+00:00"
    assert data["results_url"] == "https://user:pw@files.example/exports/x.csv?X-Sig=secret"


def test_a_table_on_a_terminal_never_cuts_a_job_id(monkeypatch: pytest.MonkeyPatch) -> None:
    jobs: list[ExportJobSummary] = [_job(), _job(job_id=uuid4())]
    for width in (200, 60, 20):
        monkeypatch.setenv("COLUMNS", str(width))
        stream = io.StringIO()
        format_jobs_table(jobs, stream, interactive=True)
        for job in jobs:
            assert str(job.job_id) in stream.getvalue(), width


def test_plain_byte_progress_is_throttled() -> None:
    now = [0.0]
    stream = io.StringIO()
    from companyenrich_export._cli._output import _PlainByteProgress

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


@pytest.mark.parametrize(
    ("text", "shown"),
    [
        ("plain text", "plain text"),
        ("\x1b]0;window title\x07after", "after"),  # OSC ended by BEL
        ("\x1b]8;;https://evil.example\x1b\\link\x1b]8;;\x1b\\", "link"),  # OSC 8 hyperlink
        ("\x1b[2J\x1b[1;31mred\x1b[0m", "red"),  # CSI
        ("\x9b31mC1 CSI", "C1 CSI"),  # 8-bit CSI
        ("reset\x1bc here", "reset here"),  # two-byte ESC sequence
        ("tab\there\nnew\x00nul\x7fdel\x85nel", "tab here new nul del nel"),
        ("abc\u202edcba", "abc dcba"),  # a bidi override
        ("Übergröße ✓", "Übergröße ✓"),  # printable Unicode stays
    ],
)
def test_terminal_safe(text: str, shown: str) -> None:
    assert terminal_safe(text) == shown


def test_urls_are_shown_by_origin_and_secrets_redacted() -> None:
    assert url_origin("https://user:pw@Files.Example:8443/a/b.csv?sig=1#x") == (
        "https://files.example:8443"
    )
    assert url_origin("http://[::1]:9/x") == "http://[::1]:9"
    assert url_origin("not a url") == "<URL>"
    assert url_origin("http://[::1/x") == "<URL>"
    assert url_origin("http://h.example:port/x") == "<URL>"
    message = "failed (https://a:b@s.example/r.csv?X-Sig=zzz), see http://h.example/x."
    assert redact(message) == "failed (https://s.example), see http://h.example."
    assert redact(f"echoed {KEY}!", [KEY, "abc"]) == "echoed [redacted]!"


# --- the two channels -------------------------------------------------------------------------


class Failing(io.StringIO):
    def __init__(self, error: OSError) -> None:
        super().__init__()
        self.error = error

    def write(self, text: str) -> int:
        raise self.error


def test_a_lost_stdout_is_noted_and_the_rest_dropped() -> None:
    out = Streams(Failing(BrokenPipeError(errno.EPIPE, "Broken pipe")), io.StringIO())
    out.data("first")
    out.data("second")  # no second attempt, no exception
    lost = out.close()
    assert isinstance(lost, BrokenPipeError)
    assert _cli_output.reader_left(lost)
    full = Streams(Failing(OSError(errno.ENOSPC, "No space left on device")), io.StringIO())
    full.data("x")
    lost = full.close()
    assert lost is not None
    assert not _cli_output.reader_left(lost)


def test_a_lost_stderr_never_raises() -> None:
    out = Streams(io.StringIO(), Failing(OSError(errno.EIO, "I/O error")))
    out.info("a message")
    out.error("an error")
    with out.job_progress() as progress:
        progress(_job())
    assert out.stderr.failure is not None


def test_text_a_stream_cannot_encode_is_escaped() -> None:
    raw = io.BytesIO()
    ascii_only = io.TextIOWrapper(raw, encoding="ascii", errors="strict")
    out = Streams(ascii_only, ascii_only)
    out.data("Übergröße \udcff")
    out.error("naïve")
    assert raw.getvalue() == b"\\xdcbergr\\xf6\\xdfe \\udcff\nerror: na\\xefve\n"


def test_file_bytes_to_stdout_stop_when_the_reader_leaves() -> None:
    class ClosedBinary(io.BytesIO):
        def __init__(self, error: OSError) -> None:
            super().__init__()
            self.error = error

        def write(self, data: object) -> int:
            raise self.error

    gone = Streams(io.TextIOWrapper(ClosedBinary(BrokenPipeError(errno.EPIPE, "gone"))), None)
    with pytest.raises(StdoutClosedError):
        gone.stdout_bytes().write(b"data")
    full = Streams(io.TextIOWrapper(ClosedBinary(OSError(errno.ENOSPC, "No space"))), None)
    with pytest.raises(OSError, match="No space") as raised:
        full.stdout_bytes().write(b"data")
    assert raised.value.filename == "<stdout>"
    closed = Streams(None, None)
    assert closed.stdout_reader_gone()
    with pytest.raises(StdoutClosedError):
        closed.stdout_bytes().write(b"data")


def test_quiet_silences_progress_and_messages_not_errors() -> None:
    stderr = io.StringIO()
    out = Streams(io.StringIO(), stderr)
    out.quiet = True
    with out.job_progress() as progress:
        progress(_job())
    with out.byte_progress() as bytes_seen:
        bytes_seen(1, 2)
    out.info("Saved somewhere")
    out.warn("an old flag")
    out.error("it broke")
    assert stderr.getvalue() == "warning: an old flag\nerror: it broke\n"


def test_a_key_split_by_an_escape_sequence_is_redacted_once_the_sequence_is_dropped() -> None:
    stderr = io.StringIO()
    out = Streams(io.StringIO(), stderr)
    out.secrets.append("sk-live-key-42")
    out.info("asked with sk-li\x1b[mve-key-42")
    out.warn("asked with sk-li\x1b]0;x\x07ve-key-42")
    out.error("asked with sk-li\x9b0mve-key-42")
    assert stderr.getvalue() == (
        "asked with [redacted]\nwarning: asked with [redacted]\nerror: asked with [redacted]\n"
    )


# --- error mapping ---------------------------------------------------------------------------


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
    cases: list[tuple[BaseException, int, str]] = [
        (not_found, 3, "404 Not Found: no such job"),
        (server, 3, "503 Service Unavailable (request id 00-abc)"),
        (
            APIConnectionError("Connection error: refused", request=request),
            3,
            "Connection error: refused (https://files.example)",
        ),
        (
            ResponseValidationError("export job: bad", response=None, body="{}"),
            3,
            "unexpected response from the API: export job: bad",
        ),
        (
            ExportFailedError(_job(status=JobStatus.FAILED, error_message="boom")),
            4,
            "Export job 3fa85f64-5717-4562-b3fc-2c963f66afa6 failed: boom",
        ),
        (WaitTimeoutError("x", 5.0, None), 5, "Export job x did not finish within 5 s."),
        (ValueError("bad dest"), 2, "bad dest"),
        (
            PermissionError(13, "Permission denied", "/ro/x.csv"),
            1,
            "cannot write /ro/x.csv: Permission denied",
        ),
    ]
    for error, code, message in cases:
        assert describe_error(error) == (code, message)
    assert isinstance(not_found, NotFoundError)


def test_a_key_echoed_by_a_server_is_redacted(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    def echo_key(*_args: object, **_kwargs: object) -> object:
        raise ResponseValidationError(f"body mentions {KEY}", response=None, body="")

    monkeypatch.setattr(_cli, "_run_get", echo_key)
    monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
    code = main(["get", str(uuid4()), "--base-url", "http://127.0.0.1:9"])
    assert code == 3
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
    assert main(argv) == 2
    err = capsys.readouterr().err
    assert KEY not in err
    assert "typed-key-1234" not in err
    assert "[redacted]" in err


def test_json_documents_are_one_line_safe() -> None:
    # --json output escapes control characters: a terminal shows them, never obeys them.
    job = _job(error_message="\x1b]0;owned\x07 and \x9b31m")
    printed = job.to_json(indent=2)
    assert "\x1b" not in printed
    assert "\x9b" not in printed
    assert json.loads(printed)["error_message"] == job.error_message
