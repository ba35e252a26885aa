"""`companyenrich-export create` refuses a bad filter with exit code 2 and sends nothing.

The CLI talking real HTTP to a fake served on 127.0.0.1, so every request it
makes is in `fake.request_log`: its `main()` in this process, and the
installed script where the interpreter's own warning display is the point.
"""

from __future__ import annotations

import subprocess
from collections.abc import Iterator
from uuid import UUID

import pytest
from _cli_helpers import run_cli, run_main

from companyenrich_export.testing import FakeCompanyEnrich, serve

KEY = "cli-filter-test-key-8c2e41"

pytestmark = pytest.mark.slow


@pytest.fixture
def fake() -> FakeCompanyEnrich:
    return FakeCompanyEnrich(api_key=KEY)


@pytest.fixture
def base_url(fake: FakeCompanyEnrich) -> Iterator[str]:
    with serve(fake) as url:
        yield url


def create(base_url: str, *args: str, as_script: bool = False) -> subprocess.CompletedProcess[str]:
    run = run_cli if as_script else run_main
    return run(None, "create", "--count", "10", *args, "--base-url", base_url, key=KEY)


@pytest.mark.parametrize(
    ("args", "message"),
    [
        (
            ("--search", '{"countrys": ["DE"]}'),
            "error: search filter refused, nothing was sent: search.countrys: unknown field, "
            "did you mean 'countries'? To send fields or values this client does not know "
            "yet, pass --allow-unknown-filters.",
        ),
        (
            ("--similar", '{"domains": ["stripe.com"], "exclude": {"employees": ["10-50"]}}'),
            "error: similar filter refused, nothing was sent: similar.exclude.employees[0]: "
            "'10-50' is not a documented value, did you mean '11-50'? To send fields or values "
            "this client does not know yet, pass --allow-unknown-filters.",
        ),
        (
            ("--search", "{}"),
            "error: search filter refused, nothing was sent: search: empty filter: it would "
            "match every company",
        ),
        (
            ("--search", '{"semanticWeight": 5}', "--allow-unknown-filters"),
            "error: search filter refused, nothing was sent: search.semanticWeight: 5 is out "
            "of range (from 0 to 1)",
        ),
    ],
)
def test_a_bad_filter_exits_2_with_one_line_and_sends_nothing(
    fake: FakeCompanyEnrich, base_url: str, args: tuple[str, ...], message: str
) -> None:
    result = create(base_url, *args)
    assert result.returncode == 2, result.stderr
    assert result.stderr.splitlines() == [message]
    assert result.stdout == ""
    assert fake.request_log == []


def test_allow_unknown_filters_sends_them_and_warns_without_values(
    fake: FakeCompanyEnrich, base_url: str
) -> None:
    result = create(
        base_url,
        "--search",
        '{"countries": ["DE"], "newFilter": "value-not-to-be-logged", "type": ["co-op"]}',
        "--allow-unknown-filters",
        # The warning is Python's, shown by the interpreter's own filters (pytest
        # would catch it in this process).
        as_script=True,
    )
    assert result.returncode == 0, result.stderr
    job_id = UUID(result.stdout.strip())
    assert fake.jobs[job_id].request == {
        "search": {"countries": ["DE"], "newFilter": "value-not-to-be-logged", "type": ["co-op"]},
        "similar": None,
        "count": 10,
    }
    # The warning, then the CLI's own note that the export started.
    assert result.stderr.splitlines()[0] == (
        "Sending search unchecked (allow_unknown_filters=True): unknown fields "
        "search.newFilter; undocumented values at search.type[0]"
    )
    assert result.stderr.splitlines()[1].startswith(f"Export {job_id} started")
    assert "value-not-to-be-logged" not in result.stderr
