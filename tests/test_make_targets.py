"""What `make unit` runs: every test module, in one of its two pytest runs.

The xdist run deselects tests marked `serial` and does not even collect the
modules named in the Makefile's SERIAL_TESTS (schemathesis builds its cases
while collecting); the plain run collects only those. A module marked serial
but missing from that list would run in neither.
"""

from __future__ import annotations

import re
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
SERIAL_MARK = re.compile(r"^\s*(pytestmark\s*=.*|@)pytest\.mark\.serial\b", re.MULTILINE)


def _serial_tests_in_makefile() -> set[str]:
    makefile = (ROOT / "Makefile").read_text()
    match = re.search(r"^SERIAL_TESTS\s*:=\s*(.+)$", makefile, re.MULTILINE)
    assert match is not None, "the Makefile names no SERIAL_TESTS"
    return set(match.group(1).split())


def test_every_module_marked_serial_is_in_the_makefiles_serial_run() -> None:
    marked = {
        path.relative_to(ROOT).as_posix()
        for folder in ("tests", "contract_tests")
        for path in (ROOT / folder).rglob("test_*.py")
        # The Airflow provider's tests run in a venv and a pytest of their own.
        if "airflow_provider" not in path.parts and SERIAL_MARK.search(path.read_text())
    }
    assert marked == _serial_tests_in_makefile()
    # The two schemathesis modules, as of this writing: a pin, so that a
    # broken pattern above (matching nothing) cannot pass with an empty list.
    assert "contract_tests/test_schemathesis_http.py" in marked
