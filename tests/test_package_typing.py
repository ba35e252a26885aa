"""A user's `mypy --strict` sees the package's real names: a misspelled import is an error.

The package loads its row and DataFrame helpers lazily (a module
`__getattr__` hidden from type checkers), so this pins that mypy resolves
them through their real types and refuses a name the package lacks. The
same pattern as test_filters_typing: the pinned mypy, a folder of its own.
"""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest

pytestmark = pytest.mark.slow

USER_SCRIPT = """\
from companyenrich_export import iter_rows
from companyenrich_export import read_pandas, read_polars, read_rows, rows_to_pandas

reveal_type(read_pandas("companies.csv"))
reveal_type(read_polars("companies.jsonl"))
reveal_type(rows_to_pandas(read_rows("companies.csv")))
reveal_type(read_rows)
"""

EXPECTED = [
    'user_script.py:1: error: Module "companyenrich_export" has no attribute "iter_rows"  '
    "[attr-defined]",
    'user_script.py:4: note: Revealed type is "pandas.core.frame.DataFrame"',
    'user_script.py:5: note: Revealed type is "polars.dataframe.frame.DataFrame"',
    'user_script.py:6: note: Revealed type is "pandas.core.frame.DataFrame"',
    'user_script.py:7: note: Revealed type is "def (path: str | os.PathLike[str], *, '
    'max_record_bytes: int =) -> typing.Iterator[dict[str, Any]]"',
    "Found 1 error in 1 file (checked 1 source file)",
]


def test_mypy_refuses_a_misspelled_import_and_sees_precise_frame_types(tmp_path: Path) -> None:
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
        timeout=180,
        check=False,
    )
    assert result.returncode == 1, result.stdout + result.stderr
    assert result.stdout.splitlines() == EXPECTED
