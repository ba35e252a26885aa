"""`scripts/generate_sync.py --check` catches a sync client edited by hand or not regenerated.

The sync client (`_sync/`) is generated from the async one (`_async/`);
`make check-generated` runs this check, so CI fails on either kind of drift.
"""

from __future__ import annotations

import re
import shutil
import subprocess
import sys
from pathlib import Path

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate_sync.py"
SYNC = ROOT / "wrapper" / "companyenrich_export" / "_sync"
ASYNC = ROOT / "wrapper" / "companyenrich_export" / "_async"


def _copy_sync(tmp_path: Path) -> Path:
    copy = tmp_path / "_sync"
    shutil.copytree(SYNC, copy, ignore=shutil.ignore_patterns("__pycache__"))
    return copy


def _check(target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script, with this interpreter
        [sys.executable, str(SCRIPT), "--check", "--target", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=120,
    )


@pytest.mark.slow
def test_check_passes_on_an_untouched_copy(tmp_path: Path) -> None:
    result = _check(_copy_sync(tmp_path))
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.mark.slow
def test_check_names_a_hand_edit_a_missing_and_an_extra_file(tmp_path: Path) -> None:
    copy = _copy_sync(tmp_path)
    machinery = copy / "_job_resource.py"
    machinery.write_text(
        machinery.read_text().replace("FINAL_POLL_TIMEOUT = 2.0", "FINAL_POLL_TIMEOUT = 9.0")
    )
    (copy / "_sinks.py").unlink()
    (copy / "_extra.py").write_text("VALUE = 1\n")

    result = _check(copy)

    assert result.returncode == 1
    assert "differs: _job_resource.py" in result.stderr
    assert "missing: _sinks.py" in result.stderr
    assert "unexpected: _extra.py" in result.stderr
    assert "make generate" in result.stderr


def test_every_async_module_has_a_generated_twin_marked_do_not_edit() -> None:
    async_modules = {path.name for path in ASYNC.glob("*.py")}
    sync_modules = {path.name for path in SYNC.glob("*.py")}
    assert async_modules == sync_modules
    for name in sync_modules:
        head = (SYNC / name).read_text().splitlines()[:2]
        assert (
            head[0]
            == f"# Generated from _async/{name} by scripts/generate_sync.py (make generate)."
        )
        assert head[1].startswith("# Do not edit")


def test_the_sync_twin_has_no_async_left_in_it() -> None:
    leftovers = re.compile(r"\basync (def|for|with)\b|\bawait\b|\bhttpx\.AsyncClient\b|\.asleep\(")
    for path in SYNC.glob("*.py"):
        found = leftovers.search(path.read_text())
        assert found is None, f"{path.name} still says {found.group(0)!r}"
