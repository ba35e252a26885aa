"""`scripts/generate.py --check` catches hand edits to the generated client.

The generator runs twice in this module (about a second each): once on an
untouched copy of `generated/`, once on a copy with three kinds of damage.
"""

from __future__ import annotations

import importlib.util
import shutil
import subprocess
import sys
from pathlib import Path
from types import ModuleType

import pytest

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "generate.py"
PACKAGE = ROOT / "generated" / "companyenrich_export_api"


def _load_generate() -> ModuleType:
    spec = importlib.util.spec_from_file_location("_generate_under_test", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


generate = _load_generate()


def _copy_package(tmp_path: Path) -> Path:
    copy = tmp_path / PACKAGE.name
    shutil.copytree(PACKAGE, copy, ignore=shutil.ignore_patterns(*generate.IGNORED))
    return copy


def _check(target: Path) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script, with this interpreter
        [sys.executable, str(SCRIPT), "--check", "--target", str(target)],
        capture_output=True,
        text=True,
        check=False,
        timeout=300,
    )


@pytest.mark.slow
def test_check_passes_on_an_untouched_copy(tmp_path: Path) -> None:
    copy = _copy_package(tmp_path)
    result = _check(copy)
    assert result.returncode == 0, result.stdout + result.stderr
    assert "up to date" in result.stdout


@pytest.mark.slow
def test_check_names_every_changed_missing_and_extra_file(tmp_path: Path) -> None:
    copy = _copy_package(tmp_path)
    edited = Path("models") / "export_job.py"
    deleted = Path("models") / "job_status.py"
    added = Path("models") / "hand_written.py"
    assert (copy / edited).is_file()
    assert (copy / deleted).is_file()
    with (copy / edited).open("a", encoding="utf-8") as handle:
        handle.write("# a hand edit\n")
    (copy / deleted).unlink()
    (copy / added).write_text("VALUE = 1\n", encoding="utf-8")
    # Build artefacts are not drift.
    (copy / "__pycache__").mkdir(exist_ok=True)
    (copy / "__pycache__" / "client.cpython-311.pyc").write_bytes(b"\0")

    result = _check(copy)

    assert result.returncode == 1, result.stdout + result.stderr
    lines = [line.strip() for line in result.stderr.splitlines()]
    problems = [
        line for line in lines if line.split(":")[0] in {"missing", "unexpected", "differs"}
    ]
    assert problems == [f"missing: {deleted}", f"unexpected: {added}", f"differs: {edited}"], (
        result.stderr
    )
    assert "out of date with openapi.yaml" in result.stderr
    assert "make generate" in result.stderr


def _tree(root: Path, files: dict[str, str]) -> Path:
    for name, text in files.items():
        path = root / name
        path.parent.mkdir(parents=True, exist_ok=True)
        path.write_text(text, encoding="utf-8")
    return root


def test_differences_is_empty_for_equal_trees(tmp_path: Path) -> None:
    files = {"a.py": "a\n", "sub/b.py": "b\n", "py.typed": ""}
    expected = _tree(tmp_path / "expected", files)
    actual = _tree(tmp_path / "actual", {**files, "__pycache__/a.pyc": "x", ".ruff_cache/x": "y"})
    assert generate.differences(expected, actual) == []


def test_differences_reports_missing_unexpected_and_differing_files(tmp_path: Path) -> None:
    expected = _tree(
        tmp_path / "expected",
        {
            "same.py": "same\n",
            "z_changed.py": "old\n",
            "sub/changed.py": "old\n",
            "sub/gone.py": "x\n",
            "a_gone.py": "x\n",
            "size_same.py": "abc\n",
        },
    )
    actual = _tree(
        tmp_path / "actual",
        {
            "same.py": "same\n",
            "z_changed.py": "new\n",
            "sub/changed.py": "old\n# edit\n",
            "sub/extra.py": "x\n",
            "b_extra.py": "x\n",
            "size_same.py": "abd\n",
            "sub/__pycache__/changed.cpython-311.pyc": "ignored",
        },
    )

    assert generate.differences(expected, actual) == [
        f"missing: {Path('a_gone.py')}",
        f"missing: {Path('sub/gone.py')}",
        f"unexpected: {Path('b_extra.py')}",
        f"unexpected: {Path('sub/extra.py')}",
        f"differs: {Path('size_same.py')}",
        f"differs: {Path('sub/changed.py')}",
        f"differs: {Path('z_changed.py')}",
    ]
