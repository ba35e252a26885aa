"""Generate the sync client (`_sync/`) from the hand-written async one (`_async/`).

    python scripts/generate_sync.py            # rewrite wrapper/companyenrich_export/_sync
    python scripts/generate_sync.py --check    # generate into a temporary folder and compare

unasync drops `async`/`await` and renames tokens by rule, as httpcore does:
every `AsyncXxx` defined in `_async/` loses its prefix (`AsyncExports` ->
`Exports`), while an `AsyncXxx` imported from a hand-written module keeps
unasync's own rule and becomes that module's `SyncXxx` (`AsyncBackend` ->
`SyncBackend` of `_core/_backends.py`). httpx's `AsyncClient` is its
`Client`, and the few async method names below have their sync spellings.
ruff then sorts the imports the renames reordered and formats the result, so
the output passes the project's lint. `make generate` and
`make check-generated` run this.
"""

from __future__ import annotations

import argparse
import ast
import shutil
import subprocess
import sys
import tempfile
from pathlib import Path

import unasync

ROOT = Path(__file__).resolve().parent.parent
PACKAGE = ROOT / "wrapper" / "companyenrich_export"
SOURCE = PACKAGE / "_async"
DEFAULT_TARGET = PACKAGE / "_sync"

# Spellings that no rule gives: httpx's client, and its async method names.
REPLACEMENTS = {
    "AsyncClient": "Client",
    "aclose": "close",
    "aclosing": "closing",
    "aiter_raw": "iter_raw",
    "aiter_bytes": "iter_bytes",
    "aread": "read",
    "asleep": "sleep",
}


def _defined_async_names(sources: list[Path]) -> dict[str, str]:
    """`AsyncXxx` -> `Xxx` for every class or alias the async modules define."""
    renames: dict[str, str] = {}
    for source in sources:
        for node in ast.parse(source.read_text(encoding="utf-8")).body:
            if isinstance(node, ast.ClassDef):
                names = [node.name]
            elif isinstance(node, ast.Assign):
                names = [target.id for target in node.targets if isinstance(target, ast.Name)]
            elif isinstance(node, ast.AnnAssign) and isinstance(node.target, ast.Name):
                names = [node.target.id]
            else:
                continue
            for name in names:
                if len(name) > 5 and name.startswith("Async") and name[5].isupper():
                    renames[name] = name[5:]
    return renames


def _header(source: Path) -> str:
    return (
        f"# Generated from _async/{source.name} by scripts/generate_sync.py (make generate).\n"
        "# Do not edit: change the async code and regenerate (make check-generated fails).\n"
    )


def _ruff(*args: str) -> None:
    ruff = shutil.which("ruff", path=str(Path(sys.executable).parent)) or shutil.which("ruff")
    if ruff is None:
        raise SystemExit("ruff is not installed: the generated code would be left unformatted")
    # The project's settings, wherever the files are (the check writes to a temp folder).
    config = ("--config", str(ROOT / "pyproject.toml"))
    subprocess.run([ruff, *args, *config], check=True, capture_output=True)


def generate(target: Path) -> None:
    """Write the sync twin of every module in SOURCE into TARGET (replacing it)."""
    with tempfile.TemporaryDirectory(prefix="companyenrich-unasync-") as scratch:
        staged_async = Path(scratch) / "_async"
        staged_sync = Path(scratch) / "_sync"
        shutil.copytree(SOURCE, staged_async, ignore=shutil.ignore_patterns("__pycache__"))
        sources = sorted(staged_async.glob("*.py"))
        renames = {**_defined_async_names(sources), **REPLACEMENTS}
        rule = unasync.Rule(f"{staged_async}/", f"{staged_sync}/", renames)
        unasync.unasync_files([str(path) for path in sources], [rule])
        outputs = sorted(staged_sync.glob("*.py"))
        for path in outputs:
            path.write_text(_header(path) + path.read_text(encoding="utf-8"), encoding="utf-8")
        files = [str(path) for path in outputs]
        _ruff("check", "--fix", "--select", "I", "--quiet", *files)
        _ruff("format", "--quiet", *files)
        if target.exists():
            shutil.rmtree(target)
        shutil.copytree(staged_sync, target)


def differences(expected: Path, actual: Path) -> list[str]:
    def names(folder: Path) -> set[str]:
        return {path.name for path in folder.glob("*.py")} if folder.is_dir() else set()

    wanted, present = names(expected), names(actual)
    lines = [f"missing: {name}" for name in sorted(wanted - present)]
    lines += [f"unexpected: {name}" for name in sorted(present - wanted)]
    lines += [
        f"differs: {name}"
        for name in sorted(wanted & present)
        if (expected / name).read_bytes() != (actual / name).read_bytes()
    ]
    return lines


def check(target: Path) -> int:
    with tempfile.TemporaryDirectory(prefix="companyenrich-unasync-check-") as scratch:
        fresh = Path(scratch) / "_sync"
        generate(fresh)
        problems = differences(fresh, target)
    shown = target.relative_to(ROOT) if target.is_relative_to(ROOT) else target
    if problems:
        print(f"{shown} is out of date with _async/:", file=sys.stderr)
        for line in problems:
            print(f"  {line}", file=sys.stderr)
        print("Run `make generate` and commit the result; never edit it by hand.", file=sys.stderr)
        return 1
    print(f"{shown}: up to date with _async/")
    return 0


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--check", action="store_true", help="compare instead of writing")
    parser.add_argument("--target", type=Path, default=DEFAULT_TARGET, help="the _sync folder")
    args = parser.parse_args(argv)
    target: Path = args.target.resolve()
    if args.check:
        return check(target)
    generate(target)
    print(f"generated {target}")
    return 0


if __name__ == "__main__":
    raise SystemExit(main())
