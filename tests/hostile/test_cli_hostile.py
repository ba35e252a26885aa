"""The CLI against hostile servers: one line on stderr, exit code 3, never a traceback or the key.

Real HTTP to a loopback server. The deeply nested answers reach the CLI as
users run it, in a process of its own (what nesting does to an interpreter's
stack is a process's matter); the others reach its `main()` in this process.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys

import pytest
from _cli_helpers import run_main

from _hostile import JOB_ID, KEY, Connection, RawRequest, job_body, nested, reply, secret_forms

pytestmark = pytest.mark.slow

API_ERROR = 3
# Generous: a loaded machine may take seconds to start an interpreter.
SUBPROCESS_DEADLINE = 60


def _cli(*args: str) -> subprocess.CompletedProcess[str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COMPANY")}
    env["COMPANYENRICH_API_KEY"] = KEY
    return subprocess.run(  # noqa: S603 - this interpreter running our own CLI
        [sys.executable, "-m", "companyenrich_export._cli._main", *args],
        capture_output=True,
        text=True,
        env=env,
        timeout=SUBPROCESS_DEADLINE,
        check=False,
    )


def _serving(status: int, body: bytes, *headers: tuple[str, str]):  # type: ignore[no-untyped-def]
    def script(request: RawRequest, connection: Connection) -> None:
        connection.send(reply(status, body, [("Content-Type", "application/json"), *headers]))

    return script


CASES = {
    "deep-nesting": (200, nested(100_000), ()),
    "deep-nesting-error-body": (404, nested(100_000), ()),
    "bad-gzip": (200, json.dumps(job_body()).encode(), (("Content-Encoding", "gzip"),)),
    "bad-gzip-error-body": (404, b'{"title": "Not Found"}', (("Content-Encoding", "gzip"),)),
    "year-9999": (200, json.dumps(job_body(created_at="9999-12-31T23:00:00-05:00")).encode(), ()),
    "year-1": (200, json.dumps(job_body(created_at="0001-01-01T00:00:00+01:00")).encode(), ()),
    "key-echoed": (
        404,
        json.dumps({"title": "Not Found", "detail": f"no job for Bearer {KEY}"}).encode(),
        (),
    ),
}


# `get` meets every case; `wait` (the same reading, inside a loop) the three of the issue.
RUNS = [("get", case) for case in CASES] + [
    ("wait", case) for case in ("deep-nesting", "bad-gzip", "year-9999")
]


@pytest.mark.parametrize(("command", "case"), RUNS, ids=[f"{c}-{k}" for c, k in RUNS])
def test_a_hostile_answer_is_one_line_and_exit_3(hostile, command: str, case: str) -> None:
    status, body, headers = CASES[case]
    server = hostile(_serving(status, body, *headers))

    args = (command, JOB_ID, "--base-url", server.url)
    result = _cli(*args) if case.startswith("deep-nesting") else run_main(None, *args, key=KEY)

    output = result.stdout + result.stderr
    assert "Traceback" not in output
    for secret in secret_forms(KEY):
        assert secret not in output
    assert result.returncode == API_ERROR, output
    lines = result.stderr.splitlines()
    assert len(lines) == 1, result.stderr
    assert lines[0].startswith("error: ")
