"""Signals as a shell delivers them to the installed `companyenrich-export`, in real processes.

Each child starts as from a terminal (SIGINT at its default: a test run
started with `&` would otherwise hand it on as ignored) plus whatever the
case ignores, as `nohup` does.
"""

from __future__ import annotations

import selectors
import signal
import subprocess
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli_helpers import (
    CLI,
    DEADLINE,
    PROGRESS_LINE,
    Served,
    as_from_a_terminal,
    assert_clean,
    cli_env,
    served_fake,
)

pytestmark = pytest.mark.slow

# Holds the CLI inside the import of its own module until the test has sent
# its signal: "importing" on stderr says the child got there, and the read of
# stdin (a pipe the test never writes to) waits until a signal interrupts it.
_HOLD_THE_IMPORT = """\
import sys


class _Hold:
    def find_spec(self, name, path=None, target=None):
        if name == "companyenrich_export._cli._main":
            sys.meta_path.remove(self)
            sys.stderr.write("importing\\n")
            sys.stderr.flush()
            sys.stdin.readline()
        return None


sys.meta_path.insert(0, _Hold())
"""


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with served_fake() as fake:
        yield fake


def _first_line(process: subprocess.Popen[str]) -> str:
    assert process.stderr is not None
    with selectors.DefaultSelector() as selector:
        selector.register(process.stderr, selectors.EVENT_READ)
        assert selector.select(timeout=DEADLINE), "the child said nothing"
    return process.stderr.readline()


def _start(argv: list[str], env: dict[str, str], *ignored: str) -> subprocess.Popen[str]:
    return subprocess.Popen(  # noqa: S603 - our own console script
        as_from_a_terminal(argv, env, *ignored),
        stdin=subprocess.PIPE,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
    )


def _finish(process: subprocess.Popen[str]) -> tuple[str, str]:
    try:
        return process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()


def test_ctrl_c_while_the_cli_is_still_importing_exits_130_with_one_line(
    served: Served, tmp_path: Path
) -> None:
    (tmp_path / "sitecustomize.py").write_text(_HOLD_THE_IMPORT)
    env = cli_env(served, PYTHONPATH=str(tmp_path))
    process = _start([str(CLI), "get", served.done_job()], env)

    first = _first_line(process)
    assert first == "importing\n"
    process.send_signal(signal.SIGINT)
    stdout, stderr = _finish(process)

    # Not killed by the signal (-2), not a traceback: the documented code and line.
    assert process.returncode == 130
    assert stdout == ""
    assert stderr == "error: interrupted\n"


def test_a_hang_up_inherited_as_ignored_stays_ignored(served: Served) -> None:
    # `nohup companyenrich-export wait ...`: the terminal going away must not stop it.
    job_id = str(served.fake.add_job(pending_for=3600))
    env = cli_env(served)
    process = _start([str(CLI), "wait", job_id, "--poll-interval", "0.5"], env, "SIGHUP")

    first = _first_line(process)
    assert PROGRESS_LINE.match(first.rstrip("\n")), first
    process.send_signal(signal.SIGHUP)
    # Had the hang-up been acted on, the CLI would exit 129 ("hung up") before or
    # instead of this: signals pending together are handled in number order.
    process.send_signal(signal.SIGINT)
    stdout, stderr = _finish(process)

    assert process.returncode == 130
    assert stdout == ""
    assert stderr.splitlines()[-1] == "error: interrupted"
    assert "hung up" not in stderr
    assert_clean(first + stderr)


def test_a_hang_up_at_its_default_still_stops_the_cli_with_129(served: Served) -> None:
    job_id = str(served.fake.add_job(pending_for=3600))
    env = cli_env(served)
    process = _start([str(CLI), "wait", job_id, "--poll-interval", "0.5"], env)

    first = _first_line(process)
    assert PROGRESS_LINE.match(first.rstrip("\n")), first
    process.send_signal(signal.SIGHUP)
    _, stderr = _finish(process)

    assert process.returncode == 129
    assert stderr.splitlines()[-1] == "error: hung up (SIGHUP)"
