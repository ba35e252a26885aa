"""Running the installed `companyenrich-export` as a user does, against a fake served on loopback.

Shared by the tests/test_cli_*.py modules. Each module serves one fake for
all its tests (starting uvicorn per test costs more than most tests), so a
test that asserts "nothing was sent" compares the request log from a mark
it took, and a test that injects a fault consumes it (the module's fixture
clears leftovers after every test).
"""

from __future__ import annotations

import io
import os
import re
import subprocess
import sys
import time
import warnings
from collections.abc import Callable, Iterator
from contextlib import chdir, contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import TextIO

import httpx

from companyenrich_export._cli._main import main as cli_main
from companyenrich_export.testing import (
    FakeCompanyEnrich,
    RecordedRequest,
    reset_request_budgets,
    serve,
)

KEY = "cli-test-key-5f1d9c"
# The console script `make install` puts beside the interpreter, as a user's shell finds it.
BIN = Path(sys.executable).parent
CLI = BIN / "companyenrich-export"
# Generous: a loaded CI machine may take seconds to start a Python process.
DEADLINE = 60.0
PROGRESS_LINE = re.compile(
    r"^\[\s*\d+\.\d+s\] (pending|processing|completing|completed|failed)\s+"
    r"[\d,]+/[\d,]+ \(\d+%\) exported$"
)
BYTES_LINE = re.compile(r"^\[\s*\d+\.\d+s\] downloading .+$")
UUID_LINE = re.compile(r"[0-9a-f]{8}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{4}-[0-9a-f]{12}")


# Runs argv[1:] with SIGINT, SIGHUP and SIGTERM at their defaults and the
# signals named in IGNORE ignored: what a terminal gives a command (Ctrl-C
# works) or `nohup` does. A test run started with `&` from a script inherits
# SIGINT as ignored, one under `nohup` SIGHUP, and a child would keep that.
_SIGNALS_THEN_EXEC = (
    "import os, signal, sys\n"
    "for number in (signal.SIGINT, signal.SIGHUP, signal.SIGTERM):\n"
    "    signal.signal(number, signal.SIG_DFL)\n"
    "for name in os.environ.get('IGNORE', '').split():\n"
    "    signal.signal(getattr(signal, name), signal.SIG_IGN)\n"
    "os.execv(sys.argv[1], sys.argv[1:])\n"
)


def as_from_a_terminal(argv: list[str], env: dict[str, str], *ignored: str) -> list[str]:
    """`argv` started with SIGINT, SIGHUP, SIGTERM at their defaults and `ignored` ignored.

    `env` gains IGNORE for the wrapper; the command itself does not look at it.
    """
    env["IGNORE"] = " ".join(ignored)
    return [sys.executable, "-c", _SIGNALS_THEN_EXEC, *argv]


@dataclass
class Served:
    fake: FakeCompanyEnrich
    url: str

    def mark(self) -> int:
        return len(self.fake.request_log)

    def since(self, mark: int) -> list[RecordedRequest]:
        return self.fake.request_log[mark:]

    def done_job(self, **kwargs: object) -> str:
        """A job that is already complete when the CLI first asks."""
        job = self.fake.add_job(pending_for=0, processing_for=0, completing_for=0, **kwargs)  # type: ignore[arg-type]
        return str(job)

    def results(self, job_id: str) -> bytes:
        """The job's results file, fetched straight from the fake's storage."""
        url = self.fake.job_body(job_id)["results_url"]
        return httpx.get(url).content


@contextmanager
def served_fake() -> Iterator[Served]:
    if not CLI.exists():
        raise RuntimeError(f"{CLI} is not installed: run `make install`")
    fake = FakeCompanyEnrich(api_key=KEY, default_durations=(0.0, 0.3, 0.0))
    with serve(fake) as url:
        yield Served(fake, url)


def cli_env(served: Served | None, key: str | None = KEY, **extra: str) -> dict[str, str]:
    # Nothing from the developer's shell may point the CLI at the real API.
    env = {
        name: value for name, value in os.environ.items() if not name.startswith("COMPANYENRICH")
    }
    env["PATH"] = f"{BIN}{os.pathsep}{env.get('PATH', '')}"
    if key is not None:
        env["COMPANYENRICH_API_KEY"] = key
    if served is not None:
        env["COMPANYENRICH_BASE_URL"] = served.url
    env.update(extra)
    return env


def run_cli(
    served: Served | None,
    *args: str,
    key: str | None = KEY,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
) -> subprocess.CompletedProcess[str]:
    """The installed console script with these arguments, stdout and stderr captured apart."""
    return subprocess.run(  # noqa: S603 - our own console script
        [str(CLI), *args],
        capture_output=True,
        text=True,
        env=env if env is not None else cli_env(served, key),
        cwd=cwd,
        timeout=DEADLINE,
        check=False,
    )


# What Python ignores unless told otherwise (DeprecationWarning is shown only
# for __main__, which the command never is).
_IGNORED_BY_DEFAULT = (
    DeprecationWarning,
    PendingDeprecationWarning,
    ImportWarning,
    ResourceWarning,
)


def _show_on_stderr(
    message: Warning | str,
    category: type[Warning],
    filename: str,
    lineno: int,
    file: TextIO | None = None,
    line: str | None = None,
) -> None:
    sys.stderr.write(warnings.formatwarning(message, category, filename, lineno, line))


def run_main(
    served: Served | None,
    *args: str,
    key: str | None = KEY,
    env: dict[str, str] | None = None,
    cwd: Path | None = None,
    stdin: bytes = b"",
) -> subprocess.CompletedProcess[str]:
    """The CLI's `main()` in this process, as `run_cli` runs the console script.

    For what needs no process of its own: parsing, the requests sent, what is
    written where and the exit code `main()` returns. The environment, working
    directory, standard streams and request budgets are the command's alone
    while it runs, as in a process of its own; what a real process adds (the
    console script, signals, the interpreter's encoding and exit status, pipes
    and terminals) is tested through `run_cli`.
    """
    stdout = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    stderr = io.TextIOWrapper(io.BytesIO(), encoding="utf-8", newline="")
    streams = sys.stdin, sys.stdout, sys.stderr
    saved_env = dict(os.environ)
    os.environ.clear()
    os.environ.update(env if env is not None else cli_env(served, key))
    reset_request_budgets()
    sys.stdin = io.TextIOWrapper(io.BytesIO(stdin), encoding="utf-8")
    sys.stdout, sys.stderr = stdout, stderr
    try:
        with chdir(cwd if cwd is not None else Path.cwd()), warnings.catch_warnings():
            # A warning reaches stderr as the interpreter would show it, not pytest's log:
            # its default filters, and the line written where the command's stderr is.
            warnings.resetwarnings()
            for category in _IGNORED_BY_DEFAULT:
                warnings.simplefilter("ignore", category, append=True)
            warnings.showwarning = _show_on_stderr
            code = cli_main(list(args))
    finally:
        sys.stdin, sys.stdout, sys.stderr = streams
        os.environ.clear()
        os.environ.update(saved_env)
        reset_request_budgets()
    printed = []
    for stream in (stdout, stderr):
        stream.flush()
        printed.append(stream.buffer.getvalue().decode())  # type: ignore[attr-defined]
    return subprocess.CompletedProcess(["main", *args], code, printed[0], printed[1])


def shell(
    served: Served, script: str, *, cwd: Path, **variables: str
) -> subprocess.CompletedProcess[bytes]:
    """`bash -c script`, as a user types it; `variables` become environment variables."""
    return subprocess.run(  # noqa: S603 - bash running a pipeline of our own command
        ["/bin/bash", "-c", script],
        capture_output=True,
        env=cli_env(served, **variables),
        cwd=cwd,
        timeout=DEADLINE,
        check=False,
    )


def assert_clean(output: str, *secrets: str) -> None:
    """No traceback, no key, no terminal escape anywhere the user looks."""
    assert "Traceback" not in output
    assert "\x1b" not in output
    for secret in (KEY, *secrets):
        assert secret not in output


def one_error_line(stderr: str) -> str:
    lines = stderr.splitlines()
    assert len(lines) == 1, stderr
    assert lines[0].startswith("error: "), lines[0]
    return lines[0]


def poll_until(condition: Callable[[], bool], what: str, deadline: float = DEADLINE) -> None:
    """Wait, boundedly, for something another process does."""
    give_up = time.monotonic() + deadline
    while not condition():
        if time.monotonic() > give_up:
            raise AssertionError(f"gave up waiting for {what}")
        time.sleep(0.01)


# A job as `get --json` prints it: the API's own field names.
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

# A valid filter: the client refuses an empty or misspelt one before sending.
QUERY = '{"countries": ["DE"]}'
