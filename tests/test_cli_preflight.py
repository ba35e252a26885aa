"""The CLI's pre-flight: `count`, `account`, `create --dry-run/--max-credits`, the prompt, exit 8.

Against one fake served on loopback; "zero create requests" is counted at
the fake. The confirmation is tested through the installed console script on
a real pseudo-terminal (`os.openpty`) and, without one, never asked; `count`
and `account` run as that script too, the other cases as `main()` in this
process (`run_main`).
"""

from __future__ import annotations

import functools
import json
import os
import re
import selectors
import signal
import subprocess
import time
from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest
from _cli_helpers import (
    CLI,
    DEADLINE,
    KEY,
    PROGRESS_LINE,
    QUERY,
    UUID_LINE,
    Served,
    assert_clean,
    cli_env,
    one_error_line,
    run_cli,
    run_main,
    served_fake,
)

from companyenrich_export import CompanyEnrich
from companyenrich_export._cli import _main as _cli
from companyenrich_export._cli._main import main
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

CREATE_PATH = "/companies/search/async"
# {"countries": ["DE"]} matches 800,000 of the fake's 20,000,000 companies.
MATCHING_DE = 800_000


@pytest.fixture(scope="module")
def module_served() -> Iterator[Served]:
    with served_fake() as served:
        yield served


@pytest.fixture
def served(module_served: Served) -> Iterator[Served]:
    fake = module_served.fake
    fake.set_credits(100_000_000, used=0, async_limit=50_000)
    yield module_served
    fake.count_shape = "integer"
    fake.default_durations = (0.0, 0.3, 0.0)
    fake.clear_faults()


def creates(served: Served, mark: int) -> int:
    return sum(
        1 for entry in served.since(mark) if (entry.method, entry.path) == ("POST", CREATE_PATH)
    )


# --- count and account ---------------------------------------------------------------------


@pytest.mark.parametrize("shape", ["integer", "count", "totalItems"])
def test_count_prints_the_number_whatever_the_answers_shape(served: Served, shape: str) -> None:
    served.fake.count_shape = shape  # type: ignore[assignment]
    mark = served.mark()

    plain = run_main(served, "count", "--search", QUERY)
    as_json = run_main(served, "count", "--search", QUERY, "--json")

    assert (plain.returncode, plain.stdout, plain.stderr) == (0, f"{MATCHING_DE}\n", "")
    assert json.loads(as_json.stdout) == {"count": MATCHING_DE}
    assert [entry.path for entry in served.since(mark)] == ["/companies/search/count"] * 2


def test_count_of_similar_companies(served: Served) -> None:
    result = run_cli(served, "count", "--similar-to", "stripe.com", "--similar-to", "adyen.com")
    assert (result.returncode, result.stdout) == (0, "400000\n")


def test_count_refuses_a_bad_filter_before_sending(served: Served) -> None:
    mark = served.mark()
    result = run_main(served, "count", "--search", '{"countrys": ["DE"]}')
    assert result.returncode == 2
    assert "did you mean 'countries'" in one_error_line(result.stderr)
    assert served.since(mark) == []


def test_count_answer_off_contract_is_exit_3(served: Served) -> None:
    from companyenrich_export.testing import Fault

    served.fake.inject(Fault.malformed(b'{"total": 5}', content_type="application/json"))
    result = run_main(served, "count", "--search", QUERY)
    assert result.returncode == 3
    assert "company count breaks the API contract" in one_error_line(result.stderr)


def test_account_shows_credits_and_limits(served: Served) -> None:
    served.fake.set_credits(5_000, used=1_250, async_limit=20_000)

    plain = run_cli(served, "account")
    as_json = run_main(served, "account", "--json")

    assert plain.returncode == 0
    rows = dict(re.findall(r"^(\w[\w ]*?)\s{2,}(.+)$", plain.stdout, re.M))
    assert rows["credits remaining"] == "3,750"
    assert rows["credits used"] == "1,250 of 5,000"
    assert rows["export limit"] == "20,000 companies per export"
    document = json.loads(as_json.stdout)
    assert document["credits"] == {"used": 1_250, "total": 5_000, "remaining": 3_750}
    assert document["limits"]["companySearchAsyncLimit"] == 20_000
    assert_clean(plain.stdout + plain.stderr + as_json.stdout + as_json.stderr)


# --- create: the price before paying ----------------------------------------------------------


def test_dry_run_prints_the_estimate_and_creates_nothing(served: Served) -> None:
    served.fake.set_credits(10_000, used=1_000)
    mark = served.mark()

    plain = run_main(served, "create", "--count", "500", "--search", QUERY, "--dry-run")
    as_json = run_main(served, "create", "--count", "500", "--search", QUERY, "--dry-run", "--json")

    assert plain.returncode == 0, plain.stderr
    assert re.search(r"^matching\s+800,000 companies$", plain.stdout, re.M)
    assert re.search(r"^would cost\s+about 500 credits", plain.stdout, re.M)
    assert re.search(r"^balance\s+9,000 credits remaining: covered$", plain.stdout, re.M)
    assert plain.stderr == "Dry run: nothing was created.\n"
    assert as_json.returncode == 0
    assert json.loads(as_json.stdout) == {
        "count": 500,
        "matching": MATCHING_DE,
        "exported": 500,
        "credits": 500,
        "credits_remaining": 9_000,
        "covered": True,
        "async_limit": 50_000,
        "within_limit": True,
    }
    assert creates(served, mark) == 0
    assert {entry.path for entry in served.since(mark)} == {"/companies/search/count", "/me"}


def test_dry_run_of_an_export_that_would_be_refused_exits_8(served: Served) -> None:
    served.fake.set_credits(100)
    mark = served.mark()
    result = run_main(served, "create", "--count", "500", "--search", QUERY, "--dry-run")
    assert result.returncode == 8
    assert "NOT covered" in result.stdout
    assert result.stderr.startswith("warning: Export not created: it would cost about 500")
    assert creates(served, mark) == 0


def test_above_max_credits_nothing_is_created_exit_8(served: Served) -> None:
    mark = served.mark()
    result = run_main(
        served, "create", "--count", "500", "--search", QUERY, "--max-credits", "499", "--wait"
    )
    assert result.returncode == 8
    assert result.stdout == ""
    line = one_error_line(result.stderr)
    assert "about 500 credits" in line
    assert "max_credits=499" in line
    assert creates(served, mark) == 0


def test_within_max_credits_the_export_is_created(served: Served) -> None:
    mark = served.mark()
    result = run_main(served, "create", "--count", "500", "--search", QUERY, "--max-credits", "500")
    assert result.returncode == 0, result.stderr
    assert UUID_LINE.fullmatch(result.stdout.strip())
    assert creates(served, mark) == 1


def test_above_the_accounts_export_limit_is_refused_naming_it(served: Served) -> None:
    served.fake.set_credits(async_limit=1_000)
    mark = served.mark()
    result = run_main(
        served, "create", "--count", "1001", "--search", QUERY, "--max-credits", "5000"
    )
    assert result.returncode == 8
    assert "companySearchAsyncLimit of 1,000" in one_error_line(result.stderr)
    assert creates(served, mark) == 0


def test_402_from_the_api_is_exit_8_with_one_line(served: Served) -> None:
    served.fake.set_credits(10)
    mark = served.mark()
    result = run_main(served, "create", "--count", "500", "--search", QUERY)
    assert result.returncode == 8
    assert one_error_line(result.stderr).startswith(
        "error: 402 Payment Required: Not enough credits"
    )
    assert result.stdout == ""
    assert [entry.status for entry in served.since(mark)] == [402]


# --- the confirmation: on a terminal only ------------------------------------------------------


def test_without_a_terminal_there_is_no_prompt_and_no_extra_request(served: Served) -> None:
    mark = served.mark()
    result = subprocess.run(  # noqa: S603 - our own console script
        [str(CLI), "create", "--count", "5000", "--search", QUERY],
        stdin=subprocess.DEVNULL,
        capture_output=True,
        text=True,
        env=cli_env(served),
        timeout=DEADLINE,
        check=False,
    )
    assert result.returncode == 0, result.stderr
    assert "[y/N]" not in result.stderr
    assert [entry.path for entry in served.since(mark)] == [CREATE_PATH]


def _on_a_terminal(served: Served, *args: str, answer: bytes | None) -> tuple[int, str, str]:
    """Run the CLI with a pseudo-terminal as stdin; type `answer` once it asks."""
    leader, follower = os.openpty()
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [str(CLI), *args],
        stdin=follower,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        env=cli_env(served),
    )
    os.close(follower)
    stderr = b""
    try:
        assert process.stderr is not None
        if answer is not None:
            give_up = time.monotonic() + DEADLINE
            with selectors.DefaultSelector() as selector:
                selector.register(process.stderr, selectors.EVENT_READ)
                while b"[y/N] " not in stderr:
                    assert time.monotonic() < give_up, f"no prompt: {stderr!r}"
                    if selector.select(timeout=1.0):
                        chunk = os.read(process.stderr.fileno(), 4096)
                        assert chunk, f"stderr closed without a prompt: {stderr!r}"
                        stderr += chunk
            os.write(leader, answer)
        out, err = process.communicate(timeout=DEADLINE)
    finally:
        if process.poll() is None:
            process.kill()
            process.wait()
        os.close(leader)
    return process.returncode, out.decode(), (stderr + err).decode()


def test_on_a_terminal_a_costly_create_asks_and_no_creates_nothing(served: Served) -> None:
    mark = served.mark()
    code, out, err = _on_a_terminal(
        served, "create", "--count", "5000", "--search", QUERY, answer=b"n\n"
    )
    assert code == 8
    assert out == ""
    assert "This export would cost about 5,000 credits (5,000 of 800,000 matching" in err
    assert "error: Export not created: not confirmed." in err
    assert creates(served, mark) == 0


def test_on_a_terminal_yes_creates_it(served: Served) -> None:
    mark = served.mark()
    code, out, err = _on_a_terminal(
        served, "create", "--count", "5000", "--search", QUERY, answer=b"y\n"
    )
    assert code == 0, err
    assert UUID_LINE.fullmatch(out.strip())
    assert creates(served, mark) == 1


@pytest.mark.parametrize(
    "args",
    [
        ("--count", "5000", "--yes"),  # asked not to ask
        ("--count", "1000"),  # at the threshold, not above
        ("--count", "5000", "--confirm-above", "5000"),
    ],
)
def test_on_a_terminal_no_prompt_below_the_threshold_or_with_yes(
    served: Served, args: tuple[str, ...]
) -> None:
    mark = served.mark()
    code, _, err = _on_a_terminal(served, "create", *args, "--search", QUERY, answer=None)
    assert code == 0, err
    assert "[y/N]" not in err
    assert creates(served, mark) == 1


def test_a_cheap_match_is_not_asked_about_even_when_the_count_is_large(served: Served) -> None:
    # 5,000 asked, 20 match: 20 credits, under the threshold; the estimate said so.
    mark = served.mark()
    narrow = '{"cities": [1], "query": "acme"}'
    code, _, err = _on_a_terminal(
        served, "create", "--count", "5000", "--search", narrow, answer=None
    )
    assert code == 0, err
    assert "[y/N]" not in err
    assert [entry.path for entry in served.since(mark)] == [
        "/companies/search/count",
        "/me",
        CREATE_PATH,
    ]


# --- after create: the job goes on, and how to get it -------------------------------------------


def test_a_wait_deadline_after_create_prints_the_commands_to_follow_it(
    served: Served, tmp_path: Path
) -> None:
    served.fake.default_durations = (3600.0, 1.0, 1.0)
    result = run_main(
        served,
        "create",
        "--count",
        "50",
        "--search",
        QUERY,
        "--download",
        f"{tmp_path}/",
        "--wait-timeout",
        "1",
        "--poll-interval",
        "0.5",
    )
    assert result.returncode == 5
    job_id = result.stdout.strip()
    assert UUID_LINE.fullmatch(job_id)
    assert f"Export {job_id} was created and is not cancelled" in result.stderr
    assert "about 50" in result.stderr
    assert f"  follow it:    companyenrich-export wait {job_id}\n" in result.stderr
    assert f"  download it:  companyenrich-export download {job_id} {tmp_path}/\n" in result.stderr


def test_ctrl_c_after_create_prints_the_commands_to_follow_it(served: Served) -> None:
    served.fake.default_durations = (3600.0, 1.0, 1.0)
    process = subprocess.Popen(  # noqa: S603 - our own console script
        [
            str(CLI),
            "create",
            "--count",
            "50",
            "--search",
            QUERY,
            "--wait",
            "--poll-interval",
            "0.5",
        ],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=cli_env(served),
    )
    try:
        assert process.stderr is not None
        with selectors.DefaultSelector() as selector:
            selector.register(process.stderr, selectors.EVENT_READ)
            assert selector.select(timeout=DEADLINE), "no message"
            started = process.stderr.readline()
            assert started.startswith("Export "), started
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
    job_id = stdout.strip()
    assert UUID_LINE.fullmatch(job_id)
    lines = stderr.splitlines()
    assert lines[0].startswith(f"Export {job_id} was created and is not cancelled")
    assert lines[1:] == [
        f"  follow it:    companyenrich-export wait {job_id}",
        f"  download it:  companyenrich-export download {job_id} companies.csv",
        "error: interrupted",
    ]
    assert_clean(stderr)


def test_ctrl_c_after_create_in_process(
    monkeypatch: pytest.MonkeyPatch, capsys: pytest.CaptureFixture[str]
) -> None:
    """The same, deterministic: the wait raises KeyboardInterrupt as Ctrl-C would."""
    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key=KEY, clock=clock, base_url="https://api.companyenrich.test")

    def interrupted(*_args: object, **_kwargs: object) -> object:
        raise KeyboardInterrupt

    with httpx.Client(transport=fake.transport()) as http:
        monkeypatch.setattr(
            _cli, "CompanyEnrich", functools.partial(CompanyEnrich, clock=clock, http_client=http)
        )
        monkeypatch.setenv("COMPANYENRICH_API_KEY", KEY)
        monkeypatch.setattr("companyenrich_export._sync._exports.Exports.wait", interrupted)
        code = main(
            ["create", "--count", "7", "--search", QUERY, "--download", "-", "-q",
             "--base-url", "https://api.companyenrich.test"]
        )  # fmt: skip

    assert code == 130
    [job_id] = [str(job) for job in fake.jobs]
    err = capsys.readouterr().err
    # Even with -q: the only record of a paid job; `-` is where it was going.
    assert f"Export {job_id} was created and is not cancelled" in err
    assert f"  download it:  companyenrich-export download {job_id} -\n" in err
    assert err.endswith("error: interrupted\n")
