"""Rows into a pandas or polars DataFrame, for whoever installed one.

For a results file on disk, `read_pandas` / `read_polars` (in `_frames`)
are the fast way: the libraries' own readers, no dict per row. The
functions here take rows from anywhere (`iter_rows`, a filter, a test).

    pip install "companyenrich-export[pandas]"   # or [polars]

Neither library is a dependency: each is imported when its function is
first called, and a missing one raises `ImportError` saying which extra
to install. A DataFrame is flat, so rows are flattened first (the layout
of `flatten_row`: dotted column names such as `location.city.name`, the
record's columns first, in order), but lists stay lists (polars: a List
column; pandas: objects). Rows are converted in batches, so the Python
dicts of at most `batch_size` rows exist at once beside the frame.
"""

from __future__ import annotations

import itertools
from collections.abc import Iterable, Iterator
from typing import TYPE_CHECKING, Any

from companyenrich_export._results._frames import _import, read_pandas, read_polars
from companyenrich_export._results._record import Row, flatten_row

if TYPE_CHECKING:
    import pandas
    import polars

__all__ = ["read_pandas", "read_polars", "rows_to_pandas", "rows_to_polars"]

DEFAULT_BATCH_SIZE = 10_000


def _check(batch_size: int) -> None:
    if batch_size < 1:
        raise ValueError("batch_size must be positive")


def _flat_batches(rows: Iterable[Row], batch_size: int) -> Iterator[list[dict[str, Any]]]:
    iterator = iter(rows)
    while batch := [
        flatten_row(row, lists_as_json=False) for row in itertools.islice(iterator, batch_size)
    ]:
        yield batch


def rows_to_pandas(
    rows: Iterable[Row], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> pandas.DataFrame:
    """A pandas DataFrame of `rows`, with nullable dtypes (`founded_year` is Int64, not float)."""
    _check(batch_size)
    pd = _import("pandas", "pandas")
    frames = [pd.DataFrame.from_records(batch) for batch in _flat_batches(rows, batch_size)]
    if not frames:
        empty: pandas.DataFrame = pd.DataFrame(columns=list(flatten_row({})))
        return empty
    frame = pd.concat(frames, ignore_index=True) if len(frames) > 1 else frames[0]
    typed: pandas.DataFrame = frame.convert_dtypes()
    return typed


def rows_to_polars(
    rows: Iterable[Row], *, batch_size: int = DEFAULT_BATCH_SIZE
) -> polars.DataFrame:
    """A polars DataFrame of `rows`; types are inferred from all rows of each batch."""
    _check(batch_size)
    pl = _import("polars", "polars")
    frames = [
        pl.from_dicts(batch, infer_schema_length=None) for batch in _flat_batches(rows, batch_size)
    ]
    if not frames:
        empty: polars.DataFrame = pl.DataFrame(schema=dict.fromkeys(flatten_row({}), pl.Null))
        return empty
    # "diagonal_relaxed": a column absent or all-null in one batch takes the others' type.
    frame: polars.DataFrame = (
        pl.concat(frames, how="diagonal_relaxed") if len(frames) > 1 else frames[0]
    )
    return frame
