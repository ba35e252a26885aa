"""Regenerate `generated/` from `openapi.yaml`, or check that it is up to date.

    python scripts/generate.py            # rewrite generated/companyenrich_export_api
    python scripts/generate.py --check    # regenerate into a temporary folder and compare

The check exits 1 and names every file that differs, is missing or is extra.
`--target` points the check (or the write) at another copy, which is how the
test suite proves that a hand edit is caught.
"""

from __future__ import annotations

import argparse
import filecmp
import os
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = "companyenrich_export_api"
SPEC = ROOT / "openapi.yaml"
CONFIG = ROOT / "openapi-python-client.yaml"
DEFAULT_TARGET = ROOT / "generated" / PACKAGE
# Build artefacts that tools may drop next to the code; never part of the comparison.
IGNORED = {"__pycache__", ".ruff_cache", ".mypy_cache"}


def _tool_env() -> dict[str, str]:
    # The generator's post hooks call `ruff` by name; without it on PATH they are
    # skipped silently and the output is unformatted, so put this interpreter's
    # scripts folder (the venv's) first.
    env = dict(os.environ)
    scripts = str(Path(sys.executable).parent)
    env["PATH"] = scripts + os.pathsep + env.get("PATH", "")
    return env


def generate(output: Path) -> None:
    """Write a fresh client for SPEC into OUTPUT (replacing it)."""
    env = _tool_env()
    if shutil.which("ruff", path=env["PATH"]) is None:
        raise SystemExit("ruff is not installed: the generated code would be left unformatted")
    generator = shutil.which("openapi-python-client", path=env["PATH"])
    if generator is None:
        raise SystemExit("openapi-python-client is not installed (pip install -e '.[dev]')")
    result = subprocess.run(
        [
            generator,
            "generate",
            "--path",
            str(SPEC),
            "--config",
            str(CONFIG),
            "--meta",
            "none",
            "--output-path",
            str(output),
            "--overwrite",
            "--fail-on-warning",
        ],
        env=env,
        capture_output=True,
        text=True,
        check=False,
    )
    if result.returncode != 0:
        sys.stderr.write(result.stdout + result.stderr)
        raise SystemExit(f"openapi-python-client failed with exit code {result.returncode}")


def _files(folder: Path) -> set[Path]:
    return {
        path.relative_to(folder)
        for path in folder.rglob("*")
        if path.is_file() and not IGNORED.intersection(path.relative_to(folder).parts)
    }


def differences(expected: Path, actual: Path) -> list[str]:
    """Describe how ACTUAL differs from EXPECTED, one line a file, sorted."""
    expected_files, actual_files = _files(expected), _files(actual)
    lines = [f"missing: {path}" for path in sorted(expected_files - actual_files)]
    lines += [f"unexpected: {path}" for path in sorted(actual_files - expected_files)]
    lines += [
        f"differs: {path}"
        for path in sorted(expected_files & actual_files)
        if not filecmp.cmp(expected / path, actual / path, shallow=False)
    ]
    return lines


def check(target: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="companyenrich-generate-") as scratch:
        fresh = Path(scratch) / PACKAGE
        generate(fresh)
        if not target.is_dir():
            print(f"{target} does not exist; run `make generate`", file=sys.stderr)
            return 1
        problems = differences(fresh, target)
    if problems:
        shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
        print(f"{shown} is out of date with openapi.yaml:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("Run `make generate` and commit the result; never edit it by hand.", file=sys.stderr)
        return 1
    print(f"{target.name}: up to date with openapi.yaml")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="package folder")
    args = parser.parse_args(argv)
    target: Path = args.target.resolve()
    if args.check:
        return check(target)
    generate(target)
    print(f"generated {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
