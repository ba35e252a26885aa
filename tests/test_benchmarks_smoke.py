"""`python -m benchmarks --smoke`: every benchmark still runs and prints its table.

Tiny sizes, a few seconds; no timing is asserted (the figures mean nothing
at these sizes). The full run is `make bench`.
"""

from __future__ import annotations

import functools
import subprocess
import sys
from pathlib import Path

import pytest

REPO_ROOT = Path(__file__).resolve().parent.parent
SECTIONS = [
    "## 1. Per-call overhead",
    "## 2. Async fan-out",
    "## 3. Polling economy",
    "## 4. Download",
    "## 5. Import and CLI start-up",
    "## 6. Rows",
    "## 7. Resume",
    "## 8. Many jobs under the vendor's limit",
    "## 9. DataFrames",
]
TABLE_HEADER = "| figure | measured | baseline | ratio | target | met? |"


@functools.cache
def _smoke_output() -> str:
    # Cached in the process, not a module fixture: pytest-xdist may tear module
    # fixtures down between two tests of a module (when its queue runs dry).
    completed = subprocess.run(
        [sys.executable, "-m", "benchmarks", "--smoke"],
        cwd=REPO_ROOT,
        capture_output=True,
        text=True,
        timeout=300,
        check=False,
    )
    assert completed.returncode == 0, completed.stderr[-4000:]
    return completed.stdout


@pytest.fixture
def smoke_output() -> str:
    return _smoke_output()


@pytest.mark.slow
def test_states_the_machine(smoke_output: str) -> None:
    assert "logical CPUs" in smoke_output
    assert "Python 3." in smoke_output


@pytest.mark.slow
@pytest.mark.parametrize("header", SECTIONS)
def test_every_section_prints_a_table(smoke_output: str, header: str) -> None:
    assert header in smoke_output
    section = smoke_output.split(header, 1)[1].split("\n## ", 1)[0]
    assert TABLE_HEADER in section
    rows = [
        line
        for line in section.splitlines()
        if line.startswith("| ") and line != TABLE_HEADER and not line.startswith("|---")
    ]
    assert rows, f"no figures under {header!r}"
    # Each row: figure, measured, baseline, ratio, target, met?
    assert all(line.count(" | ") == 5 for line in rows), rows


@pytest.mark.slow
def test_every_target_is_judged(smoke_output: str) -> None:
    verdicts = ("| yes |", "| **no** |")
    assert any(line.endswith(verdicts) for line in smoke_output.splitlines())
