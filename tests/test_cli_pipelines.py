"""The installed CLI in real shell pipelines (`bash -c`), against the fake on loopback.

What a script does with it: capture a job id with `| head -1` while the
download goes on, hash `download JOB -`, drop stderr, parse --json, run with
stdout already closed, and be stopped by SIGTERM or SIGHUP mid-download.
Exit codes are compared with the documented numbers.
"""

from __future__ import annotations

import hashlib
import json
import os
import re
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli_helpers import (
    CLI,
    DEADLINE,
    UUID_LINE,
    Served,
    as_from_a_terminal,
    assert_clean,
    cli_env,
    one_error_line,
    poll_until,
    served_fake,
    shell,
)

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


def test_head_captures_the_job_id_and_the_download_still_completes(
    served: Served, tmp_path: Path
) -> None:
    (tmp_path / "out").mkdir()
    # pipefail: the CLI's own exit status, not head's, decides the pipeline's.
    result = shell(
        served,
        'set -o pipefail; JOB=$(companyenrich-export create --count 30 --search \'{"countries":'
        ' ["DE"]}\' --download out/ --poll-interval 0.5 2>err.txt | head -1); '
        'echo "status=$? job=$JOB"',
        cwd=tmp_path,
    )

    match = re.fullmatch(rf"status=0 job=({UUID_LINE.pattern})\n", result.stdout.decode())
    assert match, (result.stdout, (tmp_path / "err.txt").read_text())
    job_id = match.group(1)
    saved = tmp_path / "out" / f"{job_id}.csv"
    assert saved.read_bytes() == served.results(job_id)
    assert saved.read_bytes().count(b"\n") == 31
    # All the talk went to stderr, the download's last word included.
    err = (tmp_path / "err.txt").read_text()
    assert f"Saved {saved} " in err
    assert_clean(err)


def test_download_to_stdout_hashes_like_the_file(served: Served, tmp_path: Path) -> None:
    job_id = served.done_job(requested_count=1_000, result_bytes=1024 * 1024)

    result = shell(
        served,
        'set -o pipefail; companyenrich-export download "$JOB" - | sha256sum; echo "status=$?"; '
        'companyenrich-export download "$JOB" saved.csv 2>/dev/null; sha256sum saved.csv; '
        'companyenrich-export create --count 7 --search \'{"countries": ["DE"]}\' '
        "--download - --poll-interval 0.5 "
        "2>created.txt | sha256sum",
        cwd=tmp_path,
        JOB=job_id,
    )

    piped, status, saved, created = result.stdout.decode().splitlines()
    expected = hashlib.sha256(served.results(job_id)).hexdigest()
    assert piped == f"{expected}  -"
    assert status == "status=0"
    assert saved == f"{expected}  saved.csv"
    # create --download -: stdout is the file alone, the new job's id is on stderr.
    new_job = re.search(
        rf"^Export ({UUID_LINE.pattern}) started", (tmp_path / "created.txt").read_text(), re.M
    )
    assert new_job
    assert created == f"{hashlib.sha256(served.results(new_job.group(1))).hexdigest()}  -"
    # `-` is stdout, never a file named "-".
    assert sorted(path.name for path in tmp_path.iterdir()) == ["created.txt", "saved.csv"]
    assert re.search(r"^Wrote 1\.0 MiB to stdout \(1,000 companies", result.stderr.decode(), re.M)


def test_stderr_dropped_leaves_only_data_on_stdout(served: Served, tmp_path: Path) -> None:
    job_id = served.done_job(requested_count=12)

    result = shell(
        served,
        "exec 2>/dev/null; "
        'companyenrich-export create --count 4 --search \'{"countries": ["DE"]}\' '
        "--wait --poll-interval 0.5; "
        'echo "--"; companyenrich-export wait "$JOB"; '
        'echo "--"; companyenrich-export download "$JOB" - | sha256sum; '
        'echo "--"; companyenrich-export get "$JOB" --json',
        cwd=tmp_path,
        JOB=job_id,
    )

    created, waited, file_hash, as_json = result.stdout.decode().split("--\n")
    # create --wait: the job id and nothing else (progress and "completed" were on stderr).
    assert UUID_LINE.fullmatch(created.strip())
    assert created.count("\n") == 1
    assert waited == ""  # wait's data is its exit status
    # The file's bytes and nothing mixed in.
    assert file_hash == f"{hashlib.sha256(served.results(job_id)).hexdigest()}  -\n"
    assert json.loads(as_json)["job_id"] == job_id
    assert result.stderr == b""


def test_every_command_prints_one_json_document(served: Served, tmp_path: Path) -> None:
    job_id = served.done_job(requested_count=6)
    commands = {
        "create": 'create --count 2 --search \'{"countries": ["DE"]}\' --json',
        "create --download": 'create --count 2 --search \'{"countries": ["DE"]}\' '
        "--download new.csv "
        "--poll-interval 0.5 --json",
        "get": f"get {job_id} --json",
        "wait": f"wait {job_id} --json",
        "download": f"download {job_id} old.csv --json",
        "list": "list --limit 2 --json",
    }
    script = "; ".join(
        f"companyenrich-export {command} > {index}.json"
        for index, command in enumerate(commands.values())
    )

    result = shell(served, script, cwd=tmp_path)

    assert result.returncode == 0, result.stderr
    documents = {
        name: json.loads((tmp_path / f"{index}.json").read_text())
        for index, name in enumerate(commands)
    }
    assert set(documents["create"]) == {
        "job_id",
        "status",
        "requested_count",
        "total_matching",
        "estimated_credits",
    }
    for name in ("create --download", "get", "wait", "download"):
        assert documents[name]["status"] == "completed", name
    assert documents["get"]["job_id"] == documents["wait"]["job_id"] == job_id
    for name, file in (("create --download", "new.csv"), ("download", "old.csv")):
        saved = tmp_path / file
        assert documents[name]["path"] == str(saved)
        assert documents[name]["size"] == saved.stat().st_size
    assert len(documents["list"]) == 2
    assert_clean(result.stderr.decode())


def test_stdout_closed_before_start_still_saves_the_file_and_exits_141(
    served: Served, tmp_path: Path
) -> None:
    done = served.done_job()
    result = shell(
        served,
        'companyenrich-export create --count 5 --search \'{"countries": ["DE"]}\' '
        "--download out.csv "
        '--poll-interval 0.5 >&-; echo "status=$?" >&2; '
        'companyenrich-export wait "$JOB" -q >&-; echo "wait=$?" >&2',
        cwd=tmp_path,
        JOB=done,
    )

    err = result.stderr.decode()
    # wait writes nothing to stdout, so it lost nothing: a plain success.
    assert err.endswith("status=141\nwait=0\n"), err
    # The job id it could not print is in the messages on stderr.
    job_id = re.search(rf"^Export ({UUID_LINE.pattern}) started", err, re.M)
    assert job_id, err
    assert (tmp_path / "out.csv").read_bytes() == served.results(job_id.group(1))
    assert_clean(err)


def test_a_reader_gone_before_start_is_141_and_download_sends_nothing(
    served: Served, tmp_path: Path
) -> None:
    job_id = served.done_job()
    reader, writer = os.pipe()
    os.close(reader)  # nobody will read: the first write fails with EPIPE
    try:
        results = {}
        for command, arguments in (("get", "--json"), ("download", "-")):
            mark = served.mark()
            results[command] = subprocess.run(  # noqa: S603 - bash running our console script
                ["/bin/bash", "-c", f'companyenrich-export {command} "$JOB" {arguments}'],
                stdout=writer,
                stderr=subprocess.PIPE,
                env=cli_env(served, JOB=job_id),
                cwd=tmp_path,
                timeout=DEADLINE,
                check=False,
            )
            results[command + " requests"] = len(served.since(mark))
    finally:
        os.close(writer)

    get, download = results["get"], results["download"]
    assert get.returncode == 141
    assert get.stderr == b""
    # `download JOB -` sees there is nobody to write to before asking for anything.
    assert download.returncode == 141
    assert download.stderr == b""
    assert results["download requests"] == 0
    assert list(tmp_path.iterdir()) == []


def test_download_to_a_reader_that_stops_early_exits_141(served: Served, tmp_path: Path) -> None:
    job_id = served.done_job(requested_count=1_000, result_bytes=2 * 1024 * 1024)

    result = shell(
        served,
        'companyenrich-export download "$JOB" - | head -c 100 > first.bin; '
        'echo "status=${PIPESTATUS[0]}"',
        cwd=tmp_path,
        JOB=job_id,
    )

    # 2 MiB cannot fit in a pipe's buffer (64 KiB, 1 MiB at most unprivileged): the
    # CLI sees its reader go.
    assert result.stdout.decode() == "status=141\n"
    assert (tmp_path / "first.bin").read_bytes() == served.results(job_id)[:100]
    assert sorted(path.name for path in tmp_path.iterdir()) == ["first.bin"]
    # Closing a pipe early is the reader's choice, not an error worth a line.
    assert "error" not in result.stderr.decode()


@pytest.mark.parametrize(
    ("signum", "documented_code", "name"),
    [(signal.SIGTERM, 143, "terminated (SIGTERM)"), (signal.SIGHUP, 129, "hung up (SIGHUP)")],
)
def test_signal_mid_download_removes_the_partial_file(
    served: Served, tmp_path: Path, signum: int, documented_code: int, name: str
) -> None:
    job_id = served.done_job(requested_count=50)
    # Storage holds its answer back: the download is under way, its .part file open.
    served.fake.inject(Fault.slow(DEADLINE), match="storage")
    mark = served.mark()
    env = cli_env(served, JOB=job_id)
    # With the signals at their defaults, as from a terminal (not as under `nohup`).
    command = as_from_a_terminal(
        ["/bin/bash", "-c", f'exec {CLI} download "$JOB" companies.csv'], env
    )
    process = subprocess.Popen(  # noqa: S603 - bash exec-ing our own console script
        command,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=env,
        cwd=tmp_path,
    )
    try:
        # In progress: the .part file exists and storage has the request it is holding.
        poll_until(
            lambda: (
                any(tmp_path.glob(".companies.csv.*.part"))
                and any(entry.route == "storage" for entry in served.since(mark))
            ),
            "the download to be under way",
        )
        process.send_signal(signum)
        stdout, stderr = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()

    assert process.returncode == documented_code
    assert list(tmp_path.iterdir()) == []
    assert stdout == b""
    talk = [line for line in stderr.decode().splitlines() if not line.startswith("[")]
    assert one_error_line("\n".join(talk)) == f"error: {name}"
