"""Results files straight into DataFrames, on the libraries' own (native) readers.

`read_pandas` and `read_polars` (re-exported by `_dataframes`) read a
downloaded results file without building a Python dict per row: pandas
through pyarrow's CSV and JSON readers (what `pd.read_csv(engine="pyarrow")`
and `pd.read_json(engine="pyarrow")` use), polars through `pl.read_csv`,
`pl.read_ndjson` and `pl.read_json`. The column types come from the record
model (`_record.RECORD_FIELDS`) instead of being guessed, so a postal code
keeps its leading zero and a `founded_year` column with gaps stays integer.

The layout is the flat one of `flatten_row` (and of the fake's CSV): dotted
column names (`location.city.name`), the record's columns first in the
record's order (all of them, even when the file has none of a field), then
any column the vendor added, typed by the library's inference. See
docs/dataframes.md for the table of types.
"""

from __future__ import annotations

import csv
import gzip
import importlib
import io
import json
import os
import tempfile
import zlib
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any, Final, Literal

from companyenrich_export._exceptions import MalformedResultsError
from companyenrich_export._results._record import FIELD_KINDS, RECORD_COLUMNS, RECORD_FIELDS
from companyenrich_export._results._rows import _GZIP_MAGIC, _plan, read_rows

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = ["FrameFormat", "read_pandas", "read_polars", "sniff_format"]

FrameFormat = Literal["csv", "jsonl", "json"]
"""`json` is one array of records; `jsonl` one record a line."""

_SNIFF_BYTES: Final = 64 * 1024
# Element types of the record's lists, as the vendor's reference shows them.
_STRING_LISTS: Final = frozenset(
    {"industries", "categories", "keywords", "technologies", "naics_codes"}
)
_FUNDING_FIELDS: Final = (
    ("date", "text"), ("type", "text"), ("amount", "number"), ("from", "text"), ("url", "text"),
)  # fmt: skip
_SUBSIDIARY_FIELDS: Final = (("name", "text"), ("domain", "text"))
_OBJECT_LISTS: Final = {"financial.funding": _FUNDING_FIELDS, "subsidiaries": _SUBSIDIARY_FIELDS}


def _import(module: str, extra: str) -> Any:
    try:
        return importlib.import_module(module)
    except ImportError as error:
        raise ImportError(
            f"{module} is not installed; it is an optional extra: "
            f'pip install "companyenrich-export[{extra}]"'
        ) from error


# --- which format ---------------------------------------------------------------------


def sniff_format(path: str | os.PathLike[str]) -> tuple[FrameFormat, bool]:
    """(the records format, whether the bytes are gzip), from the name and the first bytes.

    The same rules as `read_rows`: gzip is recognised by its magic bytes
    whatever the name; `.csv` is CSV; otherwise the first byte that is not
    white space tells a JSON array (`[`) from JSON Lines (`{`).
    """
    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"No results file at {target}")
    plan = _plan(None, None, target.name)  # refuses .xlsx, .parquet, ... by name
    with target.open("rb") as file:
        packed = file.read(2) == _GZIP_MAGIC
    if plan.records == "csv":
        return "csv", packed
    try:
        head = _head(target, packed).lstrip(b"\xef\xbb\xbf \t\r\n")
    except (OSError, EOFError, zlib.error) as error:
        raise _malformed("gzip", error) from error
    if head.startswith(b"["):
        return "json", packed
    if head.startswith(b"{") or (plan.records == "json" and not head):
        return "jsonl", packed
    if plan.records is None and not head.startswith((b"<", b"PK")):
        return "csv", packed
    raise MalformedResultsError(
        "neither a JSON array nor JSON Lines (the first byte is not [ or {)", format="json"
    )


def _head(path: Path, packed: bool) -> bytes:
    if packed:
        with gzip.open(path, "rb") as file:
            return file.read(_SNIFF_BYTES)
    with path.open("rb") as file:
        return file.read(_SNIFF_BYTES)


@contextmanager
def _as_json_lines(path: Path) -> Iterator[Path]:
    """A JSON array rewritten as JSON Lines in a temporary file (pyarrow reads only lines).

    The array is read incrementally (`read_rows`), so memory stays flat; the
    temporary file is removed however this ends.
    """
    with tempfile.NamedTemporaryFile("wb", suffix=".jsonl", delete=False) as spool:
        name = Path(spool.name)
        try:
            dumps = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode
            for row in read_rows(path):
                spool.write(dumps(row).encode() + b"\n")
        except BaseException:
            spool.close()
            name.unlink(missing_ok=True)
            raise
    try:
        yield name
    finally:
        name.unlink(missing_ok=True)


def _malformed(kind: str, error: Exception) -> MalformedResultsError:
    message = " ".join(str(error).split())
    if len(message) > 300:
        message = message[:297] + "..."
    return MalformedResultsError(message, format=kind)


# --- pandas (through pyarrow) -------------------------------------------------------------


def _arrow_type(pa: Any, kind: str) -> Any:
    return {"integer": pa.int64(), "number": pa.float64()}.get(kind, pa.string())


def _arrow_list(pa: Any, column: str) -> Any:
    fields = _OBJECT_LISTS.get(column)
    if fields is None:
        return pa.list_(pa.string())
    return pa.list_(pa.struct([(name, _arrow_type(pa, kind)) for name, kind in fields]))


def _arrow_schema(pa: Any) -> Any:
    """The record as a nested arrow schema, for pyarrow's JSON reader."""
    tree: dict[str, Any] = {}
    for column, kind in RECORD_FIELDS:
        *parents, leaf = column.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = _arrow_list(pa, column) if kind == "list" else _arrow_type(pa, kind)

    def build(node: dict[str, Any]) -> list[Any]:
        return [
            pa.field(name, pa.struct(build(value)) if isinstance(value, dict) else value)
            for name, value in node.items()
        ]

    return pa.schema(build(tree))


def _flat_table(pa: Any, table: Any) -> Any:
    """Structs flattened to dotted columns, the record's first, in order, missing ones null."""
    while any(pa.types.is_struct(field.type) for field in table.schema):
        table = table.flatten()
    present = set(table.column_names)
    for column, kind in RECORD_FIELDS:
        if column not in present:
            kind_type = _arrow_list(pa, column) if kind == "list" else _arrow_type(pa, kind)
            table = table.append_column(column, pa.nulls(table.num_rows, kind_type))
    extras = [name for name in table.column_names if name not in FIELD_KINDS]
    return table.select([*RECORD_COLUMNS, *extras])


def _to_pandas(pd: Any, pa: Any, table: Any) -> pandas.DataFrame:
    nullable = {pa.int64(): pd.Int64Dtype(), pa.float64(): pd.Float64Dtype()}

    def mapper(arrow_type: Any) -> Any:
        if pa.types.is_list(arrow_type) or pa.types.is_large_list(arrow_type):
            return pd.ArrowDtype(arrow_type)  # zero-copy, no Python list per cell
        return nullable.get(arrow_type)

    frame: pandas.DataFrame = table.to_pandas(types_mapper=mapper, self_destruct=True)
    return frame


def _pandas_csv(pa: Any, path: Path, packed: bool) -> Any:
    from pyarrow import csv as pa_csv

    types = {
        column: pa.string() if kind == "list" else _arrow_type(pa, kind)
        for column, kind in RECORD_FIELDS
    }
    source = pa.input_stream(str(path), compression="gzip" if packed else None)
    return pa_csv.read_csv(
        source,
        convert_options=pa_csv.ConvertOptions(
            column_types=types,
            null_values=[""],
            strings_can_be_null=True,
            quoted_strings_can_be_null=True,
        ),
    )


def _decode_arrow_lists(pa: Any, table: Any) -> Any:
    loads = json.loads
    for column, kind in RECORD_FIELDS:
        if kind == "list" and column in table.column_names:
            index = table.column_names.index(column)
            cells = table.column(index).to_pylist()
            values = [None if cell is None else loads(cell) for cell in cells]
            try:
                decoded = pa.array(values, type=_arrow_list(pa, column))
            except (pa.ArrowInvalid, pa.ArrowTypeError):
                decoded = pa.array(values)  # not the reference's element type: inferred
            table = table.set_column(index, column, decoded)
    return table


def _pandas_json_lines(pa: Any, path: Path, packed: bool) -> Any:
    from pyarrow import json as pa_json

    def read(schema: Any) -> Any:
        source = pa.input_stream(str(path), compression="gzip" if packed else None)
        return pa_json.read_json(
            source,
            parse_options=pa_json.ParseOptions(
                explicit_schema=schema, unexpected_field_behavior="infer"
            ),
        )

    try:
        return read(_arrow_schema(pa))
    except pa.ArrowInvalid:
        # A field of another type than the reference shows (a number as text, a
        # list of numbers): read with the types pyarrow infers rather than fail.
        return read(None)


def read_pandas(
    path: str | os.PathLike[str],
    *,
    format: FrameFormat | None = None,
    decode_lists: bool = False,
) -> pandas.DataFrame:
    """A results file (CSV, JSON Lines or a JSON array, gzipped or not) as a pandas DataFrame.

    Needs the `pandas` extra (pandas and pyarrow). Columns are flat and
    dotted; integers are `Int64`, numbers `Float64`, text pandas' string
    type; list fields are `ArrowDtype` lists from JSON, and from CSV the
    file's JSON text unless `decode_lists=True` (in Python, `json.loads`
    per cell: several times the read). `format` overrides the detection.
    Raises `FileNotFoundError`, `UnsupportedResultsFormatError`, or
    `MalformedResultsError` when the content does not fit its format or types.
    """
    pd = _import("pandas", "pandas")
    pa = _import("pyarrow", "pandas")
    kind, packed = sniff_format(path) if format is None else (format, _is_gzip(path))
    target = Path(path)
    try:
        if kind == "csv":
            table = _pandas_csv(pa, target, packed)
            if decode_lists:
                table = _decode_arrow_lists(pa, table)
        elif kind == "jsonl":
            table = _pandas_json_lines(pa, target, packed)
        else:
            with _as_json_lines(target) as lines:
                table = _pandas_json_lines(pa, lines, False)
    except (ValueError, OSError, EOFError) as error:  # ArrowInvalid and bad JSON text included
        if isinstance(error, FileNotFoundError):
            raise
        raise _malformed(kind, error) from error
    return _to_pandas(pd, pa, _flat_table(pa, table))


def _is_gzip(path: str | os.PathLike[str]) -> bool:
    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"No results file at {target}")
    with target.open("rb") as file:
        return file.read(2) == _GZIP_MAGIC


# --- polars ---------------------------------------------------------------------------


def _polars_type(pl: Any, kind: str) -> Any:
    return {"integer": pl.Int64, "number": pl.Float64}.get(kind, pl.String)


def _polars_list(pl: Any, column: str) -> Any:
    fields = _OBJECT_LISTS.get(column)
    if fields is None:
        return pl.List(pl.String)
    return pl.List(pl.Struct({name: _polars_type(pl, kind) for name, kind in fields}))


def _polars_schema(pl: Any) -> dict[str, Any]:
    """The record's top-level fields as polars types, objects as (nested) structs."""
    tree: dict[str, Any] = {}
    for column, kind in RECORD_FIELDS:
        *parents, leaf = column.split(".")
        node = tree
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = _polars_list(pl, column) if kind == "list" else _polars_type(pl, kind)

    def build(value: Any) -> Any:
        return (
            pl.Struct({k: build(v) for k, v in value.items()}) if isinstance(value, dict) else value
        )

    return {name: build(value) for name, value in tree.items()}


def _flat_polars(pl: Any, frame: polars.DataFrame) -> polars.DataFrame:
    """Structs flattened to dotted columns, the record's first, in order, missing ones null."""
    columns: dict[str, Any] = {}

    def walk(expression: Any, name: str, dtype: Any) -> None:
        if isinstance(dtype, pl.Struct):
            for field in dtype.fields:
                walk(expression.struct.field(field.name), f"{name}.{field.name}", field.dtype)
        else:
            columns[name] = expression.alias(name)

    for name, dtype in frame.schema.items():
        walk(pl.col(name), name, dtype)
    ordered = [
        columns.pop(column)
        if column in columns
        else pl.lit(
            None, dtype=_polars_list(pl, column) if kind == "list" else _polars_type(pl, kind)
        ).alias(column)
        for column, kind in RECORD_FIELDS
    ]
    flat: polars.DataFrame = frame.select([*ordered, *columns.values()])
    return flat


def _csv_header(data: bytes) -> list[str]:
    text = data.decode("utf-8-sig", errors="replace")
    return next(csv.reader(io.StringIO(text)), [])


def _polars_csv(pl: Any, path: Path, packed: bool, decode_lists: bool) -> polars.DataFrame:
    source: Any = path
    if packed:
        with gzip.open(path, "rb") as file:
            source = file.read()  # polars decompresses in memory too; this way any name works
        header = _csv_header(source[:_SNIFF_BYTES])
    else:
        header = _csv_header(_head(path, False))
    # A whole schema (not overrides): polars then skips inferring, about twice as fast.
    # A column the record does not know is text, as the file has it.
    kinds = dict(RECORD_FIELDS)
    schema = {
        column: pl.String
        if kinds.get(column, "list") == "list"
        else _polars_type(pl, kinds[column])
        for column in header
    }
    frame: polars.DataFrame = pl.read_csv(source, schema=schema)
    if not decode_lists:
        return frame
    lists = [
        pl.col(column).str.json_decode(_polars_list(pl, column))
        for column, kind in RECORD_FIELDS
        if kind == "list" and column in frame.columns
    ]
    decoded: polars.DataFrame = frame.with_columns(lists) if lists else frame
    return decoded


def _polars_json(pl: Any, path: Path, packed: bool, lines: bool) -> polars.DataFrame:
    schema = _polars_schema(pl)
    reader = pl.read_ndjson if lines else pl.read_json

    def read(overrides: dict[str, Any] | None) -> polars.DataFrame:
        source: Any = path
        if packed:
            with gzip.open(path, "rb") as file:
                source = file.read()
        frame: polars.DataFrame = reader(source, schema_overrides=overrides)
        return frame

    try:
        return read(schema)
    except pl.exceptions.PolarsError:
        # As for pandas: a field unlike the reference is read as polars infers it.
        return read(None)


def read_polars(
    path: str | os.PathLike[str],
    *,
    format: FrameFormat | None = None,
    decode_lists: bool = False,
) -> polars.DataFrame:
    """A results file (CSV, JSON Lines or a JSON array, gzipped or not) as a polars DataFrame.

    Needs the `polars` extra. Columns are flat and dotted; integers are
    `Int64`, numbers `Float64`, text `String`; list fields are `List`
    columns (of structs for `financial.funding` and `subsidiaries`) from
    JSON, and from CSV the file's JSON text unless `decode_lists=True`
    (natively, `str.json_decode`; about half a CSV read more). `format`
    overrides the detection. Raises `FileNotFoundError`,
    `UnsupportedResultsFormatError`, or `MalformedResultsError` when the
    content does not fit its format or types.
    """
    pl = _import("polars", "polars")
    kind, packed = sniff_format(path) if format is None else (format, _is_gzip(path))
    target = Path(path)
    try:
        if kind == "csv":
            frame = _polars_csv(pl, target, packed, decode_lists)
        else:
            frame = _polars_json(pl, target, packed, lines=kind == "jsonl")
    except (pl.exceptions.PolarsError, OSError, EOFError) as error:
        if isinstance(error, FileNotFoundError):
            raise
        raise _malformed(kind, error) from error
    return _flat_polars(pl, frame)
