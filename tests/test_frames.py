"""`read_pandas` / `read_polars`: a results file straight into a typed, flat DataFrame.

pandas, pyarrow and polars are in the test extra, so these run everywhere
the suite does. Every format the fake serves is read by both, and the
values are compared with `read_rows` (the reference reader) cell by cell.
"""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any
from uuid import UUID

import pandas as pd
import polars as pl
import pytest

from companyenrich_export import (
    MalformedResultsError,
    UnsupportedResultsFormatError,
    flatten_row,
    read_pandas,
    read_polars,
    read_rows,
)
from companyenrich_export._results._record import FIELD_KINDS, RECORD_COLUMNS
from companyenrich_export.testing import ResultsFile

COUNT = 40
FORMATS = ["csv", "jsonl", "json", "csv.gz", "jsonl.gz", "json.gz"]


def _write(folder: Path, results_format: str, name: str | None = None) -> Path:
    results = ResultsFile(UUID(int=22), COUNT, results_format=results_format)
    path = folder / (name or results.file_name)
    path.write_bytes(results.read())
    return path


def _pandas_cells(frame: pd.DataFrame, column: str) -> list[Any]:
    # Missing is NA, None or NaN (pandas 3's `str` dtype); a list cell is never missing.
    return [
        None if not isinstance(value, list | tuple) and pd.isna(value) else value
        for value in frame[column].tolist()
    ]


def _expected(path: Path, column: str, *, decoded: bool) -> list[Any]:
    """The column as `read_rows` + `flatten_row` see it: lists as JSON text unless `decoded`."""
    return [flatten_row(row, lists_as_json=not decoded)[column] for row in read_rows(path)]


@pytest.mark.parametrize("results_format", FORMATS)
def test_every_format_reads_into_the_flat_layout_with_the_records_values(
    tmp_path: Path, results_format: str
) -> None:
    path = _write(tmp_path, results_format)
    from_json = not results_format.startswith("csv")
    frames = {
        "pandas": read_pandas(path, decode_lists=True),
        "polars": read_polars(path, decode_lists=True),
    }
    assert list(frames["pandas"].columns) == list(RECORD_COLUMNS)
    assert frames["polars"].columns == list(RECORD_COLUMNS)
    for column in RECORD_COLUMNS:
        expected = _expected(path, column, decoded=True)
        if FIELD_KINDS[column] == "list":
            pandas_cells = [
                None if cell is None else json.loads(json.dumps(list(cell), default=dict))
                for cell in _pandas_cells(frames["pandas"], column)
            ]
        else:
            pandas_cells = _pandas_cells(frames["pandas"], column)
        assert pandas_cells == expected, (column, from_json)
        assert frames["polars"][column].to_list() == expected, column


def test_column_types_come_from_the_record_model(tmp_path: Path) -> None:
    path = _write(tmp_path, "csv")
    frame = read_pandas(path)
    assert str(frame["founded_year"].dtype) == "Int64"
    assert str(frame["location.city.id"].dtype) == "Int64"
    assert str(frame["page_rank"].dtype) == "Float64"
    assert pd.api.types.is_string_dtype(frame["location.postal_code"])
    assert pd.api.types.is_string_dtype(frame["keywords"])  # CSV: the file's JSON text
    polars_frame = read_polars(path)
    assert polars_frame.schema["founded_year"] == pl.Int64
    assert polars_frame.schema["page_rank"] == pl.Float64
    assert polars_frame.schema["keywords"] == pl.String
    assert read_polars(path, decode_lists=True).schema["keywords"] == pl.List(pl.String)
    funding = read_polars(_write(tmp_path, "jsonl")).schema["financial.funding"]
    assert funding == pl.List(
        pl.Struct(
            {
                "date": pl.String,
                "type": pl.String,
                "amount": pl.Float64,
                "from": pl.String,
                "url": pl.String,
            }
        )
    )
    assert (
        str(read_pandas(_write(tmp_path, "jsonl"))["keywords"].dtype)
        == "list<item: string>[pyarrow]"
    )


def test_csv_lists_stay_json_text_unless_decoded(tmp_path: Path) -> None:
    path = _write(tmp_path, "csv")
    expected = _expected(path, "technologies", decoded=False)
    assert _pandas_cells(read_pandas(path), "technologies") == expected
    assert read_polars(path)["technologies"].to_list() == expected


def test_text_that_looks_numeric_stays_text_and_only_empty_cells_are_null(tmp_path: Path) -> None:
    header = ",".join(RECORD_COLUMNS)
    cells = dict.fromkeys(RECORD_COLUMNS, "")
    cells.update({"name": "NA", "location.postal_code": "01234", "founded_year": "1999"})
    path = tmp_path / "zeros.csv"
    path.write_text(header + "\r\n" + ",".join(cells[c] for c in RECORD_COLUMNS) + "\r\n")
    for frame_cells in (
        lambda column: _pandas_cells(read_pandas(path), column),
        lambda column: read_polars(path)[column].to_list(),
    ):
        assert frame_cells("location.postal_code") == ["01234"]
        assert frame_cells("name") == ["NA"]
        assert frame_cells("founded_year") == [1999]
        assert frame_cells("domain") == [None]


def test_missing_fields_are_null_columns_and_new_fields_come_last(tmp_path: Path) -> None:
    path = tmp_path / "few.jsonl"
    path.write_text(
        '{"name": "Acme", "vendor_score": 7, "location": {"city": {"name": "Kiel"}}}\n'
        '{"name": "Beta", "vendor_score": 9}\n'
    )
    pandas_frame = read_pandas(path)
    polars_frame = read_polars(path)
    assert list(pandas_frame.columns) == [*RECORD_COLUMNS, "vendor_score"]
    assert polars_frame.columns == [*RECORD_COLUMNS, "vendor_score"]
    assert _pandas_cells(pandas_frame, "location.city.name") == ["Kiel", None]
    assert polars_frame["location.city.name"].to_list() == ["Kiel", None]
    assert _pandas_cells(pandas_frame, "founded_year") == [None, None]
    assert str(pandas_frame["founded_year"].dtype) == "Int64"
    assert polars_frame.schema["founded_year"] == pl.Int64
    assert polars_frame["vendor_score"].to_list() == [7, 9]


def test_gzip_saved_under_a_plain_name_is_recognised(tmp_path: Path) -> None:
    plain = _write(tmp_path, "csv")
    packed = tmp_path / "as-served.csv"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    assert read_pandas(packed).shape == (COUNT, len(RECORD_COLUMNS))
    assert read_polars(packed).shape == (COUNT, len(RECORD_COLUMNS))


@pytest.mark.parametrize("reader", [read_pandas, read_polars])
def test_bad_content_is_a_typed_error(tmp_path: Path, reader: Any) -> None:
    header = ",".join(RECORD_COLUMNS)
    cells = dict.fromkeys(RECORD_COLUMNS, "")
    cells["founded_year"] = "n/a"
    bad_number = tmp_path / "bad.csv"
    bad_number.write_text(header + "\r\n" + ",".join(cells[c] for c in RECORD_COLUMNS) + "\r\n")
    with pytest.raises(MalformedResultsError, match=r"^Malformed csv results file: "):
        reader(bad_number)
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(gzip.compress(_write(tmp_path, "jsonl").read_bytes())[:-40])
    with pytest.raises(
        MalformedResultsError, match=r"^Malformed gzip results file: Compressed file ended"
    ):
        reader(cut)
    html = tmp_path / "page.json"
    html.write_text("<html>no</html>")
    with pytest.raises(MalformedResultsError, match="neither a JSON array nor JSON Lines"):
        reader(html)
    with pytest.raises(UnsupportedResultsFormatError, match=r"\.xlsx"):
        reader(tmp_path / "x.xlsx") if (tmp_path / "x.xlsx").write_bytes(b"PK") else None
    with pytest.raises(FileNotFoundError):
        reader(tmp_path / "missing.csv")


@pytest.mark.parametrize("reader", [read_pandas, read_polars])
def test_a_json_array_is_read_like_json_lines(tmp_path: Path, reader: Any) -> None:
    lines = reader(_write(tmp_path, "jsonl"))
    array = reader(_write(tmp_path, "json"))
    if isinstance(lines, pd.DataFrame):
        pd.testing.assert_frame_equal(lines, array)
    else:
        assert lines.equals(array)
