"""A user's `mypy --strict` over their own code: filter typos and misspelled imports are errors.

The pinned mypy (this interpreter's) checks two small user scripts against
the installed package, as a user's CI would: through its `py.typed` marker,
in a folder of its own so this project's mypy settings do not apply. One
mypy run checks both (it costs seconds), and each test pins every line it
reports for its script, and that the valid lines pass.

- `filter_typos.py`: the filters are typed (TypedDicts and Literals), so a
  misspelled key or an off-list value fails before anything runs.
- `package_names.py`: the package loads its row and DataFrame helpers lazily
  (a module `__getattr__` hidden from type checkers), so mypy must resolve
  them through their real types and refuse a name the package lacks.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

pytestmark = pytest.mark.slow

FILTER_SCRIPT = """\
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


PACKAGE_SCRIPT = """\
from companyenrich_export import iter_rows
from companyenrich_export import read_pandas, read_polars, read_rows, rows_to_pandas

reveal_type(read_pandas("companies.csv"))
reveal_type(read_polars("companies.jsonl"))
reveal_type(rows_to_pandas(read_rows("companies.csv")))
reveal_type(read_rows)
"""


EMPLOYEE_RANGES = (
    "Literal['1-10', '11-50', '51-200', '201-500', '501-1K', '1K-5K', '5K-10K', 'over-10K']"
)
COMPANY_TYPES = (
    "Literal['private', 'public', 'self-employed', 'self-owned', 'partnership', 'nonprofit', "
    "'educational', 'government']"
)
FILTER_EXPECTED = [
    # An inline dict is checked against `SearchFilter | None` as a whole: mypy names the
    # argument. Annotated as a SearchFilter, it names the key or the value.
    'filter_typos.py:8: error: Argument "search" to "create" of "Exports" has incompatible type '
    '"dict[str, list[str]]"; expected "SearchFilter | None"  [arg-type]',
    'filter_typos.py:9: error: Argument "search" to "create" of "Exports" has incompatible type '
    '"dict[str, list[str]]"; expected "SearchFilter | None"  [arg-type]',
    'filter_typos.py:10: error: Argument "similar" to "create" of "Exports" has incompatible type '
    '"dict[str, float]"; expected "SimilarFilter | None"  [arg-type]',
    'filter_typos.py:11: error: Extra key "countrys" for TypedDict "SearchFilter"  '
    "[typeddict-unknown-key]",
    "filter_typos.py:12: error: List item 0 has incompatible type \"Literal['10-50']\"; "
    f'expected "{EMPLOYEE_RANGES}"  [list-item]',
    "filter_typos.py:13: error: List item 0 has incompatible type \"Literal['startup']\"; "
    f'expected "{COMPANY_TYPES}"  [list-item]',
    'filter_typos.py:14: error: Incompatible types (expression has type "str", TypedDict item '
    '"semanticWeight" has type "float")  [typeddict-item]',
    'filter_typos.py:14: error: List item 0 has incompatible type "str"; expected "int"  '
    "[list-item]",
    'filter_typos.py:15: error: Missing key "domains" for TypedDict "SimilarFilter"  '
    "[typeddict-item]",
    # A dict[str, Any] is not a SearchFilter: cast it (the check still runs), or pass Any.
    'filter_typos.py:21: error: Argument "search" to "create" of "Exports" has incompatible type '
    '"dict[str, Any]"; expected "SearchFilter | None"  [arg-type]',
    'filter_typos.py:28: error: Argument "search" to "run" of "AsyncExports" has incompatible type '
    '"dict[str, list[str]]"; expected "SearchFilter | None"  [arg-type]',
]


PACKAGE_EXPECTED = [
    'package_names.py:1: error: Module "companyenrich_export" has no attribute "iter_rows"  '
    "[attr-defined]",
    'package_names.py:4: note: Revealed type is "pandas.core.frame.DataFrame"',
    'package_names.py:5: note: Revealed type is "polars.dataframe.frame.DataFrame"',
    'package_names.py:6: note: Revealed type is "pandas.core.frame.DataFrame"',
    'package_names.py:7: note: Revealed type is "def (path: str | os.PathLike[str], *, '
    'max_record_bytes: int =) -> typing.Iterator[dict[str, Any]]"',
]

SUMMARY = "Found 12 errors in 2 files (checked 2 source files)"


@pytest.fixture(scope="module")
def mypy_lines(tmp_path_factory: pytest.TempPathFactory) -> list[str]:
    folder = tmp_path_factory.mktemp("user-code")
    (folder / "filter_typos.py").write_text(FILTER_SCRIPT, encoding="utf-8")
    (folder / "package_names.py").write_text(PACKAGE_SCRIPT, encoding="utf-8")
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
            str(folder / ".mypy_cache"),
            "filter_typos.py",
            "package_names.py",
        ],
        cwd=folder,  # no project config: the user's view of the package
        capture_output=True,
        text=True,
        timeout=180,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    lines = result.stdout.splitlines()
    assert lines[-1] == SUMMARY, result.stdout
    return lines


def _of(lines: list[str], script: str) -> list[str]:
    return [line for line in lines if line.startswith(f"{script}:")]


def test_mypy_flags_filter_typos_in_user_code(mypy_lines: list[str]) -> None:
    assert _of(mypy_lines, "filter_typos.py") == FILTER_EXPECTED


def test_mypy_refuses_a_misspelled_import_and_sees_precise_frame_types(
    mypy_lines: list[str],
) -> None:
    assert _of(mypy_lines, "package_names.py") == PACKAGE_EXPECTED


def test_the_two_scripts_are_all_that_mypy_reported_on(mypy_lines: list[str]) -> None:
    assert len(mypy_lines) == len(FILTER_EXPECTED) + len(PACKAGE_EXPECTED) + 1
