"""The package's lazily loaded names keep their real types: checked by `make typecheck`.

The package loads its row and DataFrame helpers on first use (a module
`__getattr__` hidden from type checkers), so mypy must resolve them through
their real types, not `Any` (`assert_type` is exact), and refuse a name the
package lacks. Never run.
"""

from collections.abc import Iterator
from typing import Any, assert_type

import pandas as pd
import polars as pl

from companyenrich_export import iter_rows as misspelled  # type: ignore[attr-defined]
from companyenrich_export import read_pandas, read_polars, read_rows, rows_to_pandas

assert_type(read_pandas("companies.csv"), pd.DataFrame)
assert_type(read_polars("companies.jsonl"), pl.DataFrame)
# Without pandas-stubs (or polars) installed, the frame types above are Any and
# assert_type(Any, Any) passes: these lines then fail, as unused ignores.
not_a_number: int = read_pandas("companies.csv")  # type: ignore[assignment]
not_a_string: str = read_polars("companies.jsonl")  # type: ignore[assignment]
assert_type(rows_to_pandas(read_rows("companies.csv")), pd.DataFrame)
assert_type(read_rows("companies.csv", max_record_bytes=1024), Iterator[dict[str, Any]])
del misspelled, not_a_number, not_a_string
