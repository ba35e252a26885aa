"""6. Rows: reading a 50,000-record results file, against the standard library on the same file.

The files are the fake's (the vendor's company record: about 48 fields,
nested objects, lists), written once to a temporary folder in each format.
Each variant reads one file start to end in a fresh process and reports
rows, wall time, and how much its peak RSS grew over its RSS just before
(the peak is reset through /proc/self/clear_refs and read from VmHWM).
Variants are interleaved round by round; ratios are the median of each
round's ratio.

    python -m benchmarks.rows child VARIANT PATH
"""

from __future__ import annotations

import csv
import gzip
import json
import shutil
import sys
import tempfile
import time
import uuid
from collections.abc import Callable, Iterator, Sequence
from pathlib import Path
from typing import Any

from companyenrich_export._results._record import FIELD_KINDS, RECORD_COLUMNS, flatten_row

from ._common import (
    Config,
    Row,
    Section,
    median,
    peak_rss_mb,
    print_result,
    ratio,
    reset_peak_rss,
    rss_mb,
    secs,
)

THROUGHPUT_TARGET = 0.90
RSS_TARGET_MB = 32.0
FILES = {"csv": "companies.csv", "jsonl": "companies.jsonl", "json": "companies.json"}


# --- the files -------------------------------------------------------------------


def write_files(folder: Path, count: int) -> dict[str, Path]:
    """The same `count` records as CSV, JSON Lines, JSON and gzipped CSV, in one pass."""
    from companyenrich_export.testing._companies import CompanyRecords

    paths = {kind: folder / name for kind, name in FILES.items()}
    paths["csv.gz"] = folder / "companies.csv.gz"
    companies = CompanyRecords(uuid.UUID(int=50_000), count)
    with (
        paths["csv"].open("w", encoding="utf-8", newline="") as csv_file,
        paths["jsonl"].open("w", encoding="utf-8") as lines_file,
        paths["json"].open("w", encoding="utf-8") as array_file,
    ):
        writer = csv.writer(csv_file, lineterminator="\r\n")
        writer.writerow(RECORD_COLUMNS)
        array_file.write("[\n")
        for index, record in enumerate(companies):
            flat = flatten_row(record)
            writer.writerow([flat[column] for column in RECORD_COLUMNS])
            text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
            lines_file.write(text + "\n")
            array_file.write(("," if index else "") + text + "\n")
        array_file.write("]\n")
    with (
        paths["csv"].open("rb") as plain,
        gzip.open(paths["csv.gz"], "wb", compresslevel=6) as packed,
    ):
        shutil.copyfileobj(plain, packed)
    return paths


# --- what each variant does --------------------------------------------------------


def _read_rows(path: Path) -> Iterator[Any]:
    from companyenrich_export import read_rows

    return read_rows(path)


def _dict_reader(path: Path) -> Iterator[Any]:
    with path.open(encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def _dict_reader_gzip(path: Path) -> Iterator[Any]:
    with gzip.open(path, "rt", encoding="utf-8", newline="") as file:
        yield from csv.DictReader(file)


def _typed(row: dict[str, str]) -> dict[str, Any]:
    """The reader's CSV rule written the obvious way: the same work, for comparison."""
    record: dict[str, Any] = {}
    for column, cell in row.items():
        value: Any = cell or None
        kind = FIELD_KINDS.get(column)
        if value is not None and kind in ("integer", "number"):
            try:
                value = int(value)
            except ValueError:
                value = float(value)
        elif value is not None and kind == "list":
            value = json.loads(value)
        node = record
        *parents, leaf = column.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    def prune(node: dict[str, Any]) -> dict[str, Any] | None:
        for key, value in node.items():
            if isinstance(value, dict):
                node[key] = prune(value)
        return None if all(value is None for value in node.values()) else node

    for key, value in record.items():
        if isinstance(value, dict):
            record[key] = prune(value)
    return record


def _dict_reader_typed(path: Path) -> Iterator[Any]:
    return (_typed(row) for row in _dict_reader(path))


def _loads_per_line(path: Path) -> Iterator[Any]:
    with path.open("rb") as file:
        for line in file:
            yield json.loads(line)


def _load_whole(path: Path) -> Iterator[Any]:
    with path.open("rb") as file:
        records = json.load(file)
    yield from records


VARIANTS: dict[str, tuple[str, Callable[[Path], Iterator[Any]]]] = {
    "csv-reader": ("csv", _read_rows),
    "csv-dictreader": ("csv", _dict_reader),
    "csv-dictreader-typed": ("csv", _dict_reader_typed),
    "jsonl-reader": ("jsonl", _read_rows),
    "jsonl-loads": ("jsonl", _loads_per_line),
    "json-reader": ("json", _read_rows),
    "json-load": ("json", _load_whole),
    "csvgz-reader": ("csv.gz", _read_rows),
    "csvgz-dictreader": ("csv.gz", _dict_reader_gzip),
}


def _measure(variant: str, path: Path) -> dict[str, Any]:
    _, read = VARIANTS[variant]
    if read is _read_rows:
        import companyenrich_export._results._rows  # noqa: F401  (imported before the clock starts)
    reset_peak_rss()
    before = rss_mb()
    started, cpu_started = time.perf_counter(), time.process_time()
    rows = 0
    for _ in read(path):
        rows += 1
    cpu = time.process_time() - cpu_started
    seconds = time.perf_counter() - started
    return {"rows": rows, "seconds": seconds, "cpu": cpu, "rss_growth_mb": peak_rss_mb() - before}


def child(argv: Sequence[str]) -> int:
    variant, path = argv
    print_result(_measure(variant, Path(path)))
    return 0


# --- the table -----------------------------------------------------------------------


def run(config: Config) -> Section:
    count = config.pick(50_000, 300)
    rounds = config.pick(3, 1)
    folder = Path(tempfile.mkdtemp(prefix="companyenrich-rows-"))
    results: dict[str, list[dict[str, Any]]] = {name: [] for name in VARIANTS}
    try:
        generation_started = time.perf_counter()
        paths = write_files(folder, count)
        generation = time.perf_counter() - generation_started
        names = list(VARIANTS)
        for number in range(rounds):
            shift = number % len(names)
            for variant in names[shift:] + names[:shift]:
                path = paths[VARIANTS[variant][0]]
                results[variant].append(config.run_child("rows", variant, str(path)))
        sizes = {kind: path.stat().st_size for kind, path in paths.items()}
    finally:
        shutil.rmtree(folder, ignore_errors=True)

    for variant, runs in results.items():
        if any(result["rows"] != count for result in runs):
            raise RuntimeError(f"{variant} read {[r['rows'] for r in runs]} rows, not {count}")

    def rate(variant: str, index: int) -> float:
        # CPU seconds: reading a cached file is CPU-bound, and CPU time is what other
        # processes on a shared machine disturb least.
        result = results[variant][index]
        return float(result["rows"]) / float(result["cpu"])

    def med_rate(variant: str) -> float:
        return median([rate(variant, index) for index in range(rounds)])

    def paired(variant: str, baseline: str) -> float:
        return median([rate(variant, i) / rate(baseline, i) for i in range(rounds)])

    def growth(variant: str) -> float:
        return median([float(result["rss_growth_mb"]) for result in results[variant]])

    def per_second(variant: str) -> str:
        seconds = median([float(result["cpu"]) for result in results[variant]])
        return f"{med_rate(variant):,.0f} rows/s ({secs(seconds)} CPU)"

    section = Section(6, f"Rows: reading a {count:,}-record results file")
    # (figure, variant, baseline's label, baseline, judged against the target)
    comparisons = [
        ("CSV: `read_rows` (typed, nested)", "csv-reader",
         "`csv.DictReader`", "csv-dictreader", True),
        ("JSON Lines: `read_rows`", "jsonl-reader",
         "`json.loads` per line", "jsonl-loads", True),
        ("JSON array: `read_rows` (incremental)", "json-reader",
         "`json.load` (whole file)", "json-load", False),
        ("gzipped CSV: `read_rows`", "csvgz-reader",
         "`gzip.open` + `DictReader`", "csvgz-dictreader", False),
        ("CSV, against the same typing and nesting done plainly", "csv-reader",
         "`DictReader` + plain typing", "csv-dictreader-typed", False),
    ]  # fmt: skip
    for figure, variant, label, baseline, judged in comparisons:
        value = paired(variant, baseline)
        section.add(
            Row(
                figure,
                per_second(variant),
                f"{label}: {med_rate(baseline):,.0f} rows/s",
                ratio(value, 1.0),
                f"≥ {THROUGHPUT_TARGET:.2f}" if judged else "-",
                value >= THROUGHPUT_TARGET if judged else None,
            )
        )
    streamed = ["csv-reader", "jsonl-reader", "json-reader", "csvgz-reader"]
    worst = max(streamed, key=growth)
    section.add(
        Row(
            "peak RSS growth while reading (worst of the four formats)",
            f"{growth(worst):,.1f} MB ({worst.removesuffix('-reader')})",
            f"`json.load` of the whole file: {growth('json-load'):,.1f} MB",
            ratio(growth(worst), growth("json-load")),
            f"< {RSS_TARGET_MB:g} MB",
            growth(worst) < RSS_TARGET_MB,
        )
    )
    section.note(
        f"Files: CSV {sizes['csv'] / 1e6:,.1f} MB, JSON Lines {sizes['jsonl'] / 1e6:,.1f} MB, "
        f"JSON {sizes['json'] / 1e6:,.1f} MB, gzipped CSV {sizes['csv.gz'] / 1e6:,.1f} MB "
        f"(made in {secs(generation)}). {rounds} interleaved round(s), each variant in a "
        "fresh process; rates are rows per CPU second of the reading process (the file is "
        "in the page cache, so reading is CPU-bound); figures are medians."
    )
    section.note(
        "`read_rows` returns the vendor's record whatever the format: for CSV it also "
        "types numbers, parses list columns and rebuilds the nested objects, which "
        "`csv.DictReader` (flat strings) does not; the last comparison row does that same "
        "work in plain Python on top of `DictReader`."
    )
    return section


if __name__ == "__main__":
    if sys.argv[1:2] != ["child"]:
        sys.exit("usage: python -m benchmarks.rows child VARIANT PATH")
    sys.exit(child(sys.argv[2:]))
