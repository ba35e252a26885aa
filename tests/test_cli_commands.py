"""Each command of the CLI against the fake on loopback.

Each command runs at least once as the installed console script in a process
of its own (`run_cli`), and so does whatever needs a real process (stdout
on /dev/full, the terminal's encoding, Ctrl-C); the other cases run the same
`main()` in this process (`run_main`), which sends the same requests and
writes the same lines, without starting an interpreter each.

Every test says which stream each kind of output lands on (data on stdout;
progress, messages and errors on stderr) and compares the exit status with
the number the README documents, not with the enum that names it.
"""

from __future__ import annotations

import json
import os
import re
import selectors
import signal
import socket
import subprocess
from collections.abc import Iterator
from datetime import datetime
from pathlib import Path
from uuid import UUID, uuid4

import pytest
from _cli_helpers import (
    API_FIELDS,
    BIN,
    BYTES_LINE,
    CLI,
    DEADLINE,
    PROGRESS_LINE,
    QUERY,
    Served,
    as_from_a_terminal,
    assert_clean,
    cli_env,
    one_error_line,
    run_cli,
    run_main,
    served_fake,
)

from companyenrich_export._cli._output import human_size
from companyenrich_export.testing import Fault

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with served_fake() as each:
        yield each


@pytest.fixture(autouse=True)
def _no_leftover_faults(served: Served) -> Iterator[None]:
    yield
    served.fake.clear_faults()


def progress(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if line.startswith("[")]


def talk(stderr: str) -> list[str]:
    """stderr without the progress lines: the messages."""
    return [line for line in stderr.splitlines() if not line.startswith("[")]


# --- success paths -------------------------------------------------------------------


def test_get_prints_the_job_on_stdout_and_nothing_on_stderr(served: Served) -> None:
    job_id = served.done_job(requested_count=250, total_matching=1_000)

    result = run_cli(served, "get", job_id)

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    assert f"Job:              {job_id}" in result.stdout
    assert "Status:           completed" in result.stdout
    assert "Exported:         250/250 (100%)" in result.stdout
    # Where the file is, never the pre-signed link's path or signature.
    storage = served.fake.storage_base_url
    assert f"Results:          ready at {storage} (full link: --json)" in result.stdout
    assert "signature" not in result.stdout
    assert_clean(result.stdout)


def test_get_json_uses_the_api_field_names_and_values(served: Served) -> None:
    job_id = served.done_job(requested_count=40)

    result = run_main(served, "get", job_id, "--json")

    assert result.returncode == 0, result.stderr
    assert result.stderr == ""
    printed = json.loads(result.stdout)
    assert set(printed) == API_FIELDS
    raw = served.fake.job_body(job_id)
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


def test_wait_talks_on_stderr_only(served: Served) -> None:
    job_id = str(
        served.fake.add_job(
            requested_count=500, pending_for=0.1, processing_for=0.3, completing_for=0.1
        )
    )

    result = run_cli(served, "wait", job_id, "--poll-interval", "0.5", "--wait-timeout", "30")
    quiet = run_main(served, "wait", job_id, "--quiet")

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    lines = progress(result.stderr)
    assert lines, result.stderr
    assert all(PROGRESS_LINE.match(line) for line in lines), lines
    assert lines[-1].split()[2:] == ["completed", "500/500", "(100%)", "exported"]
    assert talk(result.stderr) == [f"Export {job_id} completed: 500 companies exported."]
    # Not a terminal: no escape codes, no bar redrawn in place.
    assert "\r" not in result.stderr
    assert_clean(result.stderr)
    assert (quiet.returncode, quiet.stdout, quiet.stderr) == (0, "", "")


def test_download_writes_the_file_and_says_so_on_stderr(served: Served, tmp_path: Path) -> None:
    job_id = str(
        served.fake.add_job(
            requested_count=300, pending_for=0, processing_for=0.2, completing_for=0
        )
    )
    dest = tmp_path / "companies.csv"
    mark = served.mark()

    result = run_cli(served, "download", job_id, str(dest), "--poll-interval", "0.5")

    assert result.returncode == 0, result.stderr
    assert result.stdout == ""
    content = dest.read_bytes()
    assert content == served.results(job_id)
    assert content.count(b"\n") == 301
    assert any(BYTES_LINE.match(line) for line in progress(result.stderr))
    assert talk(result.stderr) == [
        f"Saved {dest} ({human_size(len(content))}, 300 companies from export {job_id})."
    ]
    assert [path.name for path in tmp_path.iterdir()] == ["companies.csv"]
    # The key went to the API only, never to the storage host of the results link.
    storage = [entry for entry in served.since(mark) if entry.route == "storage"]
    assert storage
    assert not any(entry.has_authorization or entry.carried_api_key for entry in storage)
    assert_clean(result.stderr)


@pytest.mark.parametrize("spelling", ["folder", "folder/"])
def test_download_into_a_folder_names_the_file_after_the_link(
    served: Served, tmp_path: Path, spelling: str
) -> None:
    job_id = served.done_job(requested_count=5)
    (tmp_path / "folder").mkdir()

    result = run_main(served, "download", job_id, spelling, "-q", cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    assert (result.stdout, result.stderr) == ("", "")
    written = tmp_path / "folder" / f"{job_id}.csv"
    assert written.read_bytes().count(b"\n") == 6


def test_create_prints_only_the_job_id_on_stdout(served: Served) -> None:
    mark = served.mark()

    result = run_main(served, "create", "--count", "25", "--search", QUERY)

    assert result.returncode == 0, result.stderr
    job_id = UUID(result.stdout.removesuffix("\n"))
    assert result.stdout == f"{job_id}\n"
    assert re.fullmatch(
        rf"Export {job_id} started: 25 of [\d,]+ matching companies \(about 25 credits\)\.\n",
        result.stderr,
    )
    assert served.fake.jobs[job_id].requested_count == 25
    assert [(entry.method, entry.status) for entry in served.since(mark)] == [("POST", 200)]


def test_create_with_download_runs_the_whole_workflow(served: Served, tmp_path: Path) -> None:
    search_file = tmp_path / "query.json"
    search_file.write_text('{"semanticQuery": "logistics software"}')
    (tmp_path / "out").mkdir()

    result = run_cli(
        served,
        "create",
        "--count",
        "40",
        "--search",
        f"@{search_file}",
        "--download",
        "out/",
        "--poll-interval",
        "0.5",
        cwd=tmp_path,
    )

    assert result.returncode == 0, result.stderr
    job_id = result.stdout.strip()
    assert result.stdout == f"{UUID(job_id)}\n"
    written = tmp_path / "out" / f"{job_id}.csv"
    assert written.read_bytes().count(b"\n") == 41
    assert any(re.search(r"\] completed\s+40/40", line) for line in progress(result.stderr))
    assert talk(result.stderr)[-1].startswith(f"Saved {written} ")
    assert_clean(result.stderr)


def test_bad_input_is_refused_with_exit_2_before_sending(served: Served, tmp_path: Path) -> None:
    # A few kinds, end to end; test_cli_inprocess.py has the full list.
    cases = [
        ("--count", "0", "--search", QUERY),  # count out of range (client check)
        ("--count", "5", "--search", "@/dev/zero"),  # endless: read at most 1 MiB
        (
            "--count",
            "5",
            "--search",
            QUERY,
            "--download",
            str(tmp_path / "missing") + "/",
        ),
    ]
    mark = served.mark()
    for args in cases:
        result = run_main(served, "create", *args)
        assert result.returncode == 2, (args, result.stderr)
        assert result.stdout == ""
        one_error_line(result.stderr)
    assert served.since(mark) == []
    assert list(tmp_path.iterdir()) == []


def test_download_refuses_a_missing_folder_before_waiting(served: Served, tmp_path: Path) -> None:
    job_id = str(served.fake.add_job(pending_for=3600))
    mark = served.mark()

    missing_parent = run_main(served, "download", job_id, str(tmp_path / "no" / "x.csv"))
    missing_folder = run_main(served, "download", job_id, "nope/", cwd=tmp_path)

    assert missing_parent.returncode == 2
    assert re.fullmatch(
        r"error: The folder for .*/no/x\.csv does not exist; create it first\.",
        one_error_line(missing_parent.stderr),
    )
    # Not a file named "nope": a folder, which must exist.
    assert missing_folder.returncode == 2
    assert one_error_line(missing_folder.stderr) == (
        "error: The folder nope/ does not exist; create it first."
    )
    assert served.since(mark) == []
    assert list(tmp_path.iterdir()) == []


def test_list_prints_whole_job_ids_and_json(served: Served) -> None:
    other_key = "list-test-key-0b1c"
    served.fake.add_api_key(other_key)
    first = served.fake.add_job(
        owner_key=other_key, requested_count=7, pending_for=0, processing_for=0, completing_for=0
    )
    second = served.fake.add_job(owner_key=other_key, requested_count=9, pending_for=3600)
    served.fake.add_job(requested_count=1)  # someone else's

    table = run_cli(served, "list", key=other_key)
    as_json = run_main(served, "list", "--json", key=other_key)

    for result in (table, as_json):
        assert result.returncode == 0, result.stderr
        assert result.stderr == ""
    header, *rows = table.stdout.splitlines()
    assert header.split() == ["JOB", "STATUS", "EXPORTED", "CREDITS", "CREATED"]
    # Newest first, only the caller's own jobs, each id whole.
    assert [row.split()[0] for row in rows] == [str(second), str(first)]
    listed = json.loads(as_json.stdout)
    assert [item["job_id"] for item in listed] == [str(second), str(first)]
    assert set(listed[0]) == API_FIELDS - {"results_url", "error_message"}


def test_old_timeout_spellings_work_with_a_note_on_stderr(served: Served) -> None:
    job_id = served.done_job()

    result = run_main(served, "--timeout", "5", "wait", job_id, "--timeout", "60", "-q")

    assert result.returncode == 0
    assert result.stdout == ""
    assert result.stderr.splitlines() == [
        "warning: --timeout is deprecated here and will be removed: write --request-timeout "
        "(same meaning)",
        "warning: --timeout is deprecated here and will be removed: write --wait-timeout "
        "(same meaning)",
    ]


def test_debug_logs_requests_on_stderr_and_leaves_stdout_alone(served: Served) -> None:
    job_id = served.done_job()

    result = run_main(served, "get", job_id, "--json", "--debug")

    assert result.returncode == 0
    assert json.loads(result.stdout)["job_id"] == job_id
    assert f"debug: GET /companies/search/async/{job_id} -> 200 (attempt 1)" in result.stderr
    assert_clean(result.stderr)


# --- errors: one line on stderr, the documented exit status ---------------------------


def test_wrong_key_exits_3_and_the_key_is_not_shown(served: Served) -> None:
    job_id = served.done_job()
    wrong_env, wrong_option = "wrong-key-0a9b8c7d", "wrong-option-key-77e1"

    from_env = run_main(served, "get", job_id, key=wrong_env)
    from_option = run_main(served, "get", str(uuid4()), "--api-key", wrong_option, key=None)

    for result, wrong in ((from_env, wrong_env), (from_option, wrong_option)):
        assert result.returncode == 3
        assert result.stdout == ""
        assert one_error_line(result.stderr).startswith("error: 401 Unauthorized")
        assert_clean(result.stderr, wrong)


def test_unknown_job_exits_3(served: Served) -> None:
    result = run_main(served, "get", str(uuid4()))

    assert result.returncode == 3
    assert result.stdout == ""
    assert one_error_line(result.stderr).startswith("error: 404 Not Found")


def test_invalid_job_id_or_missing_key_exits_2_and_sends_nothing(served: Served) -> None:
    mark = served.mark()

    bad_id = run_main(served, "wait", "not-a-job")
    no_key = run_main(served, "get", str(uuid4()), key=None)

    assert bad_id.returncode == 2
    assert re.fullmatch(
        r"error: argument JOB_ID: not a job id: 'not-a-job' .*", one_error_line(bad_id.stderr)
    )
    assert no_key.returncode == 2
    assert re.fullmatch(
        r"error: no API key: .*COMPANYENRICH_API_KEY", one_error_line(no_key.stderr)
    )
    assert served.since(mark) == []


def test_failed_job_exits_4_and_json_still_shows_the_job(served: Served) -> None:
    job_id = str(
        served.fake.add_job(
            pending_for=0, processing_for=0.1, completing_for=0, fail_with="index unavailable"
        )
    )

    result = run_main(served, "wait", job_id, "--poll-interval", "0.5")
    as_json = run_main(served, "wait", job_id, "--json")

    assert result.returncode == 4
    assert result.stdout == ""
    assert one_error_line("\n".join(talk(result.stderr))) == (
        f"error: Export job {job_id} failed: index unavailable"
    )
    assert as_json.returncode == 4
    job = json.loads(as_json.stdout)
    assert (job["status"], job["error_message"]) == ("failed", "index unavailable")


def test_wait_deadline_exits_5_and_json_shows_the_last_job_seen(served: Served) -> None:
    job_id = str(served.fake.add_job(requested_count=80, pending_for=3600))

    result = run_main(
        served, "wait", job_id, "--wait-timeout", "0.3", "--poll-interval", "0.5", "--json"
    )

    assert result.returncode == 5
    assert json.loads(result.stdout)["status"] == "pending"
    assert re.fullmatch(
        rf"error: Export job {job_id} did not finish within 0.3 s "
        r"\(last seen pending, 0/80 exported\); it keeps running: .*",
        one_error_line("\n".join(talk(result.stderr))),
    )
    assert progress(result.stderr)


@pytest.mark.parametrize("command", ["download", "create"])
def test_an_unwritable_destination_exits_1_naming_it_before_anything_is_sent(
    served: Served, command: str
) -> None:
    # Root may write anywhere the permission bits forbid; /proc refuses even root.
    dest = "/proc/companies.csv"
    job_id = served.done_job()
    mark = served.mark()
    args = (
        ["download", job_id, dest]
        if command == "download"
        else ["create", "--count", "5", "--search", QUERY, "--download", dest]
    )

    result = run_main(served, *args)

    assert result.returncode == 1
    assert result.stdout == ""
    line = one_error_line(result.stderr)
    assert line.startswith(f"error: cannot write {dest}: ")
    assert ".part" not in line
    assert ".probe" not in line
    assert served.since(mark) == []


def test_a_full_stdout_exits_1_naming_stdout(served: Served) -> None:
    job_id = served.done_job()
    with open("/dev/full", "w") as full:
        result = subprocess.run(  # noqa: S603 - our own console script
            [str(CLI), "download", job_id, "-", "-q"],
            stdout=full,
            stderr=subprocess.PIPE,
            text=True,
            env=cli_env(served),
            timeout=DEADLINE,
            check=False,
        )

    assert result.returncode == 1
    assert one_error_line(result.stderr) == "error: cannot write <stdout>: No space left on device"


def test_a_422_shows_the_servers_field_errors(served: Served) -> None:
    body = {
        "type": "https://tools.ietf.org/html/rfc9110#section-15.5.21",
        "title": "Unprocessable Entity",
        "status": 422,
        "detail": "One or more validation errors occurred.",
        "errors": {"search.countries[0]": ["must be an ISO 3166-1 alpha-2 code"]},
    }
    served.fake.inject(
        Fault.malformed(
            json.dumps(body).encode(), status=422, content_type="application/problem+json"
        )
    )

    result = run_main(served, "create", "--count", "5", "--search", QUERY)

    assert result.returncode == 3
    assert result.stdout == ""
    line = one_error_line(result.stderr)
    assert line.startswith("error: 422 Unprocessable Entity")
    assert "search.countries[0]: must be an ISO 3166-1 alpha-2 code" in line


def test_terminal_control_sequences_from_the_server_are_stripped(served: Served) -> None:
    hostile = "\x1b]0;owned\x07bad \x1b[2Jfilter\x9b31m here\x1b\\ and\x00 there"
    body = {"title": "Bad Request", "status": 400, "detail": hostile}
    served.fake.inject(
        Fault.malformed(
            json.dumps(body).encode(), status=400, content_type="application/problem+json"
        )
    )
    job_id = str(
        served.fake.add_job(pending_for=0, processing_for=0, completing_for=0, fail_with=hostile)
    )

    refused = run_main(served, "create", "--count", "5", "--search", QUERY)
    shown = run_main(served, "get", job_id)
    failed = run_main(served, "wait", job_id)

    # The words get through; nothing a terminal would act on does. (How much of a
    # sequence's printable tail remains depends on whether the library blanked its
    # control bytes first; the CLI's own removal is pinned in test_cli_inprocess.py.)
    words = r".*bad.*filter.*here.*and.*there"
    assert refused.returncode == 3
    assert re.fullmatch(r"error: 400 Bad Request: " + words, one_error_line(refused.stderr))
    assert shown.returncode == 0
    assert re.search(r"^Error:            " + words + "$", shown.stdout, re.MULTILINE)
    assert failed.returncode == 4
    (line,) = talk(failed.stderr)
    assert re.fullmatch(rf"error: Export job {job_id} failed: " + words, line)
    for output in (refused.stderr, shown.stdout, failed.stderr):
        assert not re.search("[\x00-\x08\x0b-\x1f\x7f-\x9f]", output)


def test_text_the_terminal_cannot_encode_is_escaped_not_an_error(served: Served) -> None:
    job_id = str(
        served.fake.add_job(
            pending_for=0, processing_for=0, completing_for=0, fail_with="Übergröße ✗"
        )
    )
    ascii_only = cli_env(served, PYTHONIOENCODING="ascii")

    shown = run_cli(served, "get", job_id, env=ascii_only)
    failed = run_cli(served, "wait", job_id, env=ascii_only)

    assert shown.returncode == 0, shown.stderr
    assert "Error:            \\xdcbergr\\xf6\\xdfe \\u2717" in shown.stdout
    assert failed.returncode == 4
    assert talk(failed.stderr) == [
        f"error: Export job {job_id} failed: \\xdcbergr\\xf6\\xdfe \\u2717"
    ]


def test_no_connection_exits_3_showing_only_the_origin(served: Served) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]  # closed again: nothing listens there
    base_url = f"http://127.0.0.1:{port}/v1"

    result = run_main(served, "get", str(uuid4()), "--base-url", base_url)

    assert result.returncode == 3
    line = one_error_line(result.stderr)
    assert line.startswith("error: Connection error:")
    assert line.endswith(f"(http://127.0.0.1:{port})")
    assert "/v1" not in line


def test_credentials_in_the_base_url_are_refused_unshown_before_any_request(
    served: Served,
) -> None:
    # httpx would turn them into Basic auth, replacing the Bearer key.
    mark = served.mark()
    base_url = served.url.replace("http://", "http://someone:hunter22@", 1)

    result = run_main(served, "get", str(uuid4()), "--base-url", base_url)

    assert result.returncode == 2
    line = one_error_line(result.stderr)
    assert "must not carry credentials" in line
    assert_clean(line, "hunter22", "someone")
    assert served.since(mark) == []


def test_ctrl_c_while_waiting_exits_130_without_a_traceback(served: Served) -> None:
    job_id = str(served.fake.add_job(pending_for=3600))
    env = cli_env(served)
    # As from a terminal: SIGINT at its default, whatever this test run inherited
    # (started with `&` from a script, it is ignored, and the child would keep that).
    process = subprocess.Popen(  # noqa: S603 - our own console script
        as_from_a_terminal([str(CLI), "wait", job_id, "--poll-interval", "0.5"], env),
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )
    try:
        assert process.stderr is not None
        # The first progress line proves the CLI is inside wait(), past startup.
        with selectors.DefaultSelector() as selector:
            selector.register(process.stderr, selectors.EVENT_READ)
            assert selector.select(timeout=DEADLINE), "no progress line"
        first = process.stderr.readline()
        assert PROGRESS_LINE.match(first.rstrip("\n")), first
        process.send_signal(signal.SIGINT)
        stdout, stderr = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == 130
    assert stdout == ""
    assert stderr == "error: interrupted\n"
    assert_clean(first + stderr)


def test_installed_entry_point_and_module_run() -> None:
    for command in (
        [str(CLI), "--version"],
        [str(BIN / "python"), "-m", "companyenrich_export", "--version"],
    ):
        result = subprocess.run(  # noqa: S603 - our own entry points
            command,
            capture_output=True,
            text=True,
            env={**os.environ, "PATH": str(BIN)},
            timeout=DEADLINE,
            check=False,
        )
        assert result.returncode == 0
        assert re.fullmatch(r"companyenrich-export \d+\.\d+\.\d+\S*\n", result.stdout)
