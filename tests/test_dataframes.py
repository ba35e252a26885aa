"""Rows into pandas and polars DataFrames (optional extras).

The missing-library message is tested with the library hidden; the
conversions always run (pandas and polars are in the test extra).
"""

from __future__ import annotations

import sys
from typing import Any
from uuid import UUID

import pytest

from companyenrich_export import rows_to_pandas, rows_to_polars
from companyenrich_export._results._record import RECORD_COLUMNS
from companyenrich_export.testing import ResultsFile


@pytest.fixture(scope="module")
def companies() -> list[dict[str, Any]]:
    return list(ResultsFile(UUID(int=11), 60, results_format="json").records())


@pytest.mark.parametrize(
    ("convert", "module", "extra"),
    [(rows_to_pandas, "pandas", "pandas"), (rows_to_polars, "polars", "polars")],
)
def test_a_missing_library_says_which_extra_to_install(
    monkeypatch: pytest.MonkeyPatch, convert: Any, module: str, extra: str
) -> None:
    monkeypatch.setitem(sys.modules, module, None)  # as if not installed
    with pytest.raises(ImportError) as caught:
        convert([{"name": "Acme"}])
    assert str(caught.value) == (
        f"{module} is not installed; it is an optional extra: "
        f'pip install "companyenrich-export[{extra}]"'
    )


@pytest.mark.parametrize("convert", [rows_to_pandas, rows_to_polars])
def test_a_bad_batch_size_is_refused_before_importing(
    monkeypatch: pytest.MonkeyPatch, convert: Any
) -> None:
    monkeypatch.setitem(sys.modules, "pandas", None)
    monkeypatch.setitem(sys.modules, "polars", None)
    with pytest.raises(ValueError, match="batch_size"):
        convert([{}], batch_size=0)


def test_pandas_frame_has_the_flat_layout_and_nullable_types(
    companies: list[dict[str, Any]],
) -> None:
    frame = rows_to_pandas(companies, batch_size=7)  # several batches, concatenated
    assert frame.shape == (60, len(RECORD_COLUMNS))
    assert list(frame.columns) == list(RECORD_COLUMNS)
    assert str(frame["founded_year"].dtype) == "Int64"
    assert str(frame["location.city.latitude"].dtype) == "Float64"
    assert frame["name"].tolist() == [company["name"] for company in companies]
    keywords = frame["keywords"].tolist()
    assert keywords[0] == companies[0].get("keywords")
    assert rows_to_pandas([]).shape == (0, len(RECORD_COLUMNS))


def test_polars_frame_keeps_lists_and_structs(companies: list[dict[str, Any]]) -> None:
    import polars as pl

    frame = rows_to_polars(companies, batch_size=7)
    assert frame.shape == (60, len(RECORD_COLUMNS))
    assert frame.columns == list(RECORD_COLUMNS)
    assert frame.schema["keywords"] == pl.List(pl.String)
    assert frame.schema["founded_year"] == pl.Int64
    funding = frame.schema["financial.funding"]
    assert isinstance(funding, pl.List)
    assert frame["domain"].to_list() == [company["domain"] for company in companies]
    # A column all null in one batch takes its type from the others.
    mixed = rows_to_polars([{"page_rank": None}, {"page_rank": 2.5}], batch_size=1)
    assert mixed.schema["page_rank"] == pl.Float64
    assert rows_to_polars([]).shape == (0, len(RECORD_COLUMNS))
