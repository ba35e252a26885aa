"""9. DataFrames: `read_pandas` / `read_polars` against the libraries' own readers, same file.

The 50,000-record CSV and JSON Lines files of section 6 (the fake's
records). Each variant reads one file into a DataFrame in a fresh process
that has already imported pandas, pyarrow, polars and this package (so
imports cost neither side anything) and reports the read's wall time and
the process's peak RSS (VmHWM: imports included, the same on both sides).
Variants are interleaved round by round; ratios are medians of each
round's ratio. Targets (issue 22): at most 1.25 times the native reader's
time and peak memory.

    python -m benchmarks.frames child VARIANT PATH
"""

from __future__ import annotations

import shutil
import sys
import tempfile
import time
from collections.abc import Callable, Sequence
from pathlib import Path
from typing import Any

from ._common import Config, Row, Section, median, peak_rss_mb, print_result, ratio, run_child, secs
from .rows import write_files

TARGET = 1.25


def _native(name: str) -> Callable[[Path], Any]:
    def read(path: Path) -> Any:
        import pandas as pd
        import polars as pl

        readers: dict[str, Callable[[Path], Any]] = {
            "pandas-csv": pd.read_csv,
            "pandas-jsonl": lambda p: pd.read_json(p, lines=True),
            "polars-csv": pl.read_csv,
            "polars-jsonl": pl.read_ndjson,
        }
        return readers[name](path)

    return read


def _ours(name: str) -> Callable[[Path], Any]:
    def read(path: Path) -> Any:
        from companyenrich_export import read_pandas, read_polars

        return (read_pandas if name.startswith("pandas") else read_polars)(path)

    return read


# variant: (file kind, reader)
VARIANTS: dict[str, tuple[str, Callable[[Path], Any]]] = {
    f"{side}:{library}-{kind}": (kind, (_ours if side == "ours" else _native)(f"{library}-{kind}"))
    for library in ("pandas", "polars")
    for kind in ("csv", "jsonl")
    for side in ("ours", "native")
}


def _measure(variant: str, path: Path) -> dict[str, Any]:
    import pandas  # noqa: F401  (imported before the clock, on both sides)
    import polars  # noqa: F401
    import pyarrow.csv
    import pyarrow.json  # noqa: F401

    import companyenrich_export._results._frames  # noqa: F401

    _, read = VARIANTS[variant]
    started = time.perf_counter()
    frame = read(path)
    seconds = time.perf_counter() - started
    return {"rows": len(frame), "seconds": seconds, "peak_rss_mb": peak_rss_mb()}


def child(argv: Sequence[str]) -> int:
    variant, path = argv
    print_result(_measure(variant, Path(path)))
    return 0


def run(config: Config) -> Section:
    count = config.pick(50_000, 300)
    rounds = config.pick(3, 1)
    folder = Path(tempfile.mkdtemp(prefix="companyenrich-frames-"))
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in VARIANTS}
    try:
        paths = write_files(folder, count)
        names = list(VARIANTS)
        for number in range(rounds):
            shift = number % len(names)
            for variant in names[shift:] + names[:shift]:
                path = paths[VARIANTS[variant][0]]
                # Smoke: in this process (the imports, seconds each, paid once).
                results[variant].append(
                    _measure(variant, path)
                    if config.smoke
                    else run_child("frames", variant, str(path))
                )
        sizes = {kind: paths[kind].stat().st_size for kind in ("csv", "jsonl")}
    finally:
        shutil.rmtree(folder, ignore_errors=True)
    for variant, runs in results.items():
        if any(result["rows"] != count for result in runs):
            raise RuntimeError(f"{variant} read {[r['rows'] for r in runs]} rows, not {count}")

    def per_round(ours: str, native: str, field: str) -> float:
        return median(
            [
                float(results[ours][i][field]) / float(results[native][i][field])
                for i in range(rounds)
            ]
        )

    def med(variant: str, field: str) -> float:
        return median([float(result[field]) for result in results[variant]])

    section = Section(9, f"DataFrames: a {count:,}-record results file into pandas and polars")
    labels = {
        "pandas-csv": ("`read_pandas`, CSV", "`pd.read_csv`"),
        "polars-csv": ("`read_polars`, CSV", "`pl.read_csv`"),
        "pandas-jsonl": ("`read_pandas`, JSON Lines", "`pd.read_json(lines=True)`"),
        "polars-jsonl": ("`read_polars`, JSON Lines", "`pl.read_ndjson`"),
    }
    for key, (figure, baseline) in labels.items():
        ours, native = f"ours:{key}", f"native:{key}"
        time_ratio = per_round(ours, native, "seconds")
        memory_ratio = per_round(ours, native, "peak_rss_mb")
        section.add(
            Row(
                f"{figure}: time",
                secs(med(ours, "seconds")),
                f"{baseline}: {secs(med(native, 'seconds'))}",
                ratio(time_ratio, 1.0),
                f"≤ {TARGET:.2f}",
                time_ratio <= TARGET,
            )
        )
        section.add(
            Row(
                f"{figure}: peak RSS",
                f"{med(ours, 'peak_rss_mb'):,.0f} MB",
                f"{baseline}: {med(native, 'peak_rss_mb'):,.0f} MB",
                ratio(memory_ratio, 1.0),
                f"≤ {TARGET:.2f}",
                memory_ratio <= TARGET,
            )
        )
    section.note(
        f"Files: CSV {sizes['csv'] / 1e6:,.1f} MB, JSON Lines {sizes['jsonl'] / 1e6:,.1f} MB. "
        f"{rounds} interleaved round(s), each variant in a fresh process with pandas, pyarrow, "
        "polars and this package imported before the clock starts; wall time of the read; "
        "peak RSS is the process's (VmHWM), imports included on both sides."
    )
    section.note(
        "Not the same frame: ours has the record's types (Int64, Float64, text kept as text, "
        "`postal_code` with its zeros), every record column in order, and nested JSON "
        "flattened to dotted columns; the native readers guess types, and their JSON readers "
        "leave nested objects as dicts or structs (23 columns). List fields from CSV stay "
        "JSON text on both sides here (`decode_lists=True` decodes them, at a cost)."
    )
    return section


if __name__ == "__main__":
    if sys.argv[1:2] != ["child"]:
        sys.exit("usage: python -m benchmarks.frames child VARIANT PATH")
    sys.exit(child(sys.argv[2:]))
