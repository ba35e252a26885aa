"""A user's `mypy --strict` catches filter typos in their own code, before anything runs.

The pinned mypy (this interpreter's) checks a small user script against the
installed package, as a user's CI would: through its `py.typed` marker, in
a folder of its own so this project's mypy settings do not apply. The test
pins every error it reports, and that the valid lines pass.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

USER_SCRIPT = """\
import json
from typing import Any, cast

from companyenrich_export import AsyncCompanyEnrich, CompanyEnrich, SearchFilter, SimilarFilter


def export(client: CompanyEnrich) -> None:
    client.exports.create(count=10, search={"countrys": ["DE"]})
    client.exports.create(count=10, search={"employees": ["10-50"]})
    client.exports.create(count=10, similar={"minScore": 0.5})
    typo: SearchFilter = {"countrys": ["DE"]}
    off_enum: SearchFilter = {"employees": ["10-50"]}
    nested: SearchFilter = {"exclude": {"type": ["startup"]}}
    wrong_type: SearchFilter = {"semanticWeight": "high", "states": ["Bavaria"]}
    no_seeds: SimilarFilter = {"minScore": 0.5}
    good: SearchFilter = {"semanticQuery": "B2B SaaS", "exclude": {"revenue": ["over-1b"]}}
    client.exports.create(count=10, search=good)
    client.exports.create(count=10, search={"countries": ["DE"], "employees": ["11-50"]})
    client.exports.create(count=10, similar={"domains": ["stripe.com"], "minScore": 0.5})
    loaded: dict[str, Any] = json.loads("{}")
    client.exports.create(count=10, search=loaded)
    client.exports.create(count=10, search=cast(SearchFilter, loaded))
    client.exports.create(count=10, search=json.loads("{}"))
    client.exports.create(count=10, search=good, allow_unknown_filters=True)


async def export_async(client: AsyncCompanyEnrich) -> None:
    await client.exports.run(count=10, search={"revenue": ["10M-50M"]}, dest="out.csv")
    await client.exports.run(count=10, search={"revenue": ["10m-50m"]}, dest="out.csv")
"""

EMPLOYEE_RANGES = (
    "Literal['1-10', '11-50', '51-200', '201-500', '501-1K', '1K-5K', '5K-10K', 'over-10K']"
)
COMPANY_TYPES = (
    "Literal['private', 'public', 'self-employed', 'self-owned', 'partnership', 'nonprofit', "
    "'educational', 'government']"
)
EXPECTED = [
    # An inline dict is checked against `SearchFilter | None` as a whole: mypy names the
    # argument. Annotated as a SearchFilter, it names the key or the value.
    'user_script.py:8: error: Argument "search" to "create" of "Exports" has incompatible type '
    '"dict[str, list[str]]"; expected "SearchFilter | None"  [arg-type]',
    'user_script.py:9: error: Argument "search" to "create" of "Exports" has incompatible type '
    '"dict[str, list[str]]"; expected "SearchFilter | None"  [arg-type]',
    'user_script.py:10: error: Argument "similar" to "create" of "Exports" has incompatible type '
    '"dict[str, float]"; expected "SimilarFilter | None"  [arg-type]',
    'user_script.py:11: error: Extra key "countrys" for TypedDict "SearchFilter"  '
    "[typeddict-unknown-key]",
    "user_script.py:12: error: List item 0 has incompatible type \"Literal['10-50']\"; "
    f'expected "{EMPLOYEE_RANGES}"  [list-item]',
    "user_script.py:13: error: List item 0 has incompatible type \"Literal['startup']\"; "
    f'expected "{COMPANY_TYPES}"  [list-item]',
    'user_script.py:14: error: Incompatible types (expression has type "str", TypedDict item '
    '"semanticWeight" has type "float")  [typeddict-item]',
    'user_script.py:14: error: List item 0 has incompatible type "str"; expected "int"  '
    "[list-item]",
    'user_script.py:15: error: Missing key "domains" for TypedDict "SimilarFilter"  '
    "[typeddict-item]",
    # A dict[str, Any] is not a SearchFilter: cast it (the check still runs), or pass Any.
    'user_script.py:21: error: Argument "search" to "create" of "Exports" has incompatible type '
    '"dict[str, Any]"; expected "SearchFilter | None"  [arg-type]',
    'user_script.py:28: error: Argument "search" to "run" of "AsyncExports" has incompatible type '
    '"dict[str, list[str]]"; expected "SearchFilter | None"  [arg-type]',
    "Found 11 errors in 1 file (checked 1 source file)",
]


def test_mypy_flags_filter_typos_in_user_code(tmp_path: Path) -> None:
    (tmp_path / "user_script.py").write_text(USER_SCRIPT, encoding="utf-8")
    result = subprocess.run(  # noqa: S603 - the pinned mypy, run by this interpreter
        [
            sys.executable,
            "-m",
            "mypy",
            "--strict",
            "--no-incremental",
            "--show-error-codes",
            "--python-version",
            "3.11",
            "--cache-dir",
            str(tmp_path / ".mypy_cache"),
            "user_script.py",
        ],
        cwd=tmp_path,  # no project config: the user's view of the package
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == EXPECTED
