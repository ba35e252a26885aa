"""Reading results files as rows: every format the fake serves, the rule for CSV, hostile input.

The fake's files are read as a client would get them (through its
transport, `iter_raw`, split at arbitrary points), and what the reader
yields is compared with the records the fake made. For CSV, which cannot
carry every distinction, the expected rows are worked out here, separately
from the reader, from the documented rule: an absent field, a null and an
empty string read as None, and an object whose fields are all empty reads
as None.
"""

from __future__ import annotations

import codecs
import gzip
import itertools
import json
import tracemalloc
import zlib
from collections.abc import Iterator
from pathlib import Path
from typing import Any
from uuid import UUID

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from companyenrich_export import (
    CompanyEnrichError,
    MalformedResultsError,
    ResultsFileError,
    RowReader,
    UnsupportedResultsFormatError,
    flatten_row,
    format_table,
    read_rows,
)
from companyenrich_export._results._record import FIELD_KINDS, OBJECT_PATHS, RECORD_COLUMNS
from companyenrich_export._results._rows import (
    STEP_BYTES,
    aiter_rows_from_chunks,
    iter_rows_from_chunks,
)
from companyenrich_export.testing import (
    RESULTS_FORMATS,
    FakeCompanyEnrich,
    ManualClock,
    ResultsFile,
)

from _rows_expect import csv_view, expected_rows

API_KEY = "test-key"
MiB = 1024 * 1024


# --- what the reader should yield ----------------------------------------------


def split(data: bytes, cuts: list[int]) -> list[bytes]:
    points = sorted({cut % (len(data) + 1) for cut in cuts})
    bounds = [0, *points, len(data)]
    return [data[a:b] for a, b in itertools.pairwise(bounds)]


# --- the fake, as a client downloads from it ------------------------------------


@pytest.fixture
def fake() -> FakeCompanyEnrich:
    return FakeCompanyEnrich(API_KEY, clock=ManualClock(), seed=14)


def _completed(fake: FakeCompanyEnrich, rows: int, results_format: str) -> UUID:
    return fake.add_job(
        requested_count=rows,
        total_matching=rows + 10,
        pending_for=0,
        processing_for=0,
        completing_for=0,
        results_format=results_format,
    )


def _results_url(fake: FakeCompanyEnrich, job_id: UUID) -> str:
    url: str = fake.job_body(job_id)["results_url"]
    return url


@pytest.mark.parametrize("results_format", RESULTS_FORMATS)
def test_every_format_from_the_fake_reads_as_its_records(
    fake: FakeCompanyEnrich, results_format: str
) -> None:
    job_id = _completed(fake, 120, results_format)
    url = _results_url(fake, job_id)
    with (
        httpx.Client(transport=fake.transport()) as storage,
        storage.stream("GET", url) as response,
    ):
        assert response.status_code == 200
        rows = list(
            iter_rows_from_chunks(
                response.iter_raw(),
                content_type=response.headers.get("content-type"),
                content_encoding=response.headers.get("content-encoding"),
                name=url,
            )
        )
    file = fake.results_file(job_id)
    assert len(rows) == 120
    assert rows == expected_rows(file)
    # The JSON forms return the vendor's record exactly; CSV restores its shape.
    assert isinstance(rows[0]["location"]["city"]["id"], int)
    assert isinstance(rows[0]["location"]["city"]["latitude"], float)


@pytest.mark.anyio
@pytest.mark.parametrize("results_format", RESULTS_FORMATS)
async def test_every_format_reads_from_an_async_stream(
    fake: FakeCompanyEnrich, results_format: str
) -> None:
    job_id = _completed(fake, 40, results_format)
    url = _results_url(fake, job_id)
    async with (
        httpx.AsyncClient(transport=fake.transport()) as storage,
        storage.stream("GET", url) as response,
    ):
        rows = [
            row
            async for row in aiter_rows_from_chunks(
                response.aiter_raw(),
                content_type=response.headers.get("content-type"),
                content_encoding=response.headers.get("content-encoding"),
                name=url,
            )
        ]
    assert rows == expected_rows(fake.results_file(job_id))


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"


@pytest.mark.parametrize("results_format", ["csv+gzip", "jsonl+gzip", "json+gzip"])
def test_bytes_httpx_already_decoded_read_without_the_encoding(
    fake: FakeCompanyEnrich, results_format: str
) -> None:
    job_id = _completed(fake, 30, results_format)
    url = _results_url(fake, job_id)
    with (
        httpx.Client(transport=fake.transport()) as storage,
        storage.stream("GET", url) as response,
    ):
        rows = list(
            iter_rows_from_chunks(
                response.iter_bytes(),  # decoded by httpx
                content_type=response.headers["content-type"],
                name=url,
            )
        )
    assert rows == expected_rows(fake.results_file(job_id))


@pytest.mark.parametrize("results_format", RESULTS_FORMATS)
def test_a_downloaded_file_reads_by_its_name_and_first_bytes(
    fake: FakeCompanyEnrich, results_format: str, tmp_path: Path
) -> None:
    # Saved as served: a `+gzip` file keeps its gzip bytes under a `.csv` name.
    job_id = _completed(fake, 25, results_format)
    file = fake.results_file(job_id)
    saved = tmp_path / file.file_name
    saved.write_bytes(file.read())
    assert list(read_rows(saved)) == expected_rows(file)
    if file.format.compression != "none":
        plain = tmp_path / f"plain.{file.format.records}"
        plain.write_bytes(gzip.decompress(file.read()))
        assert list(read_rows(plain)) == expected_rows(file)


def test_read_rows_checks_the_path_before_iterating(tmp_path: Path) -> None:
    with pytest.raises(FileNotFoundError):
        read_rows(tmp_path / "missing.csv")
    (tmp_path / "book.xlsx").write_bytes(b"PK\x03\x04")
    with pytest.raises(UnsupportedResultsFormatError, match=r"'book\.xlsx'"):
        read_rows(tmp_path / "book.xlsx")


# --- property tests -------------------------------------------------------------

chunk_cuts = st.lists(st.integers(min_value=0, max_value=10**7), max_size=40)


@given(
    results_format=st.sampled_from(RESULTS_FORMATS),
    rows=st.integers(min_value=0, max_value=25),
    job=st.integers(min_value=0, max_value=2**64),
    cuts=chunk_cuts,
)
def test_the_fakes_records_come_back_whatever_the_chunks(
    results_format: str, rows: int, job: int, cuts: list[int]
) -> None:
    file = ResultsFile(UUID(int=job), rows, results_format=results_format)
    data = file.read()
    reader = RowReader(
        content_type=file.format.content_type,
        content_encoding=file.format.content_encoding,
        name=file.file_name,
    )
    got: list[dict[str, Any]] = []
    for chunk in split(data, cuts):
        got.extend(reader.feed(chunk))
    got.extend(reader.close())
    assert got == expected_rows(file)


# Text of any kind a company field might hold: quotes, commas, line breaks, any script.
field_text = st.text(
    alphabet=st.characters(blacklist_categories=["Cs"]),
    max_size=30,
)
scalars = {
    "text": st.none() | field_text,
    "integer": st.none() | st.integers(min_value=-(2**63), max_value=2**63),
    "number": st.none()
    | st.integers(min_value=-(2**53), max_value=2**53)
    | st.floats(allow_nan=False, allow_infinity=False),
    "list": st.none()
    | st.lists(field_text, max_size=4)
    | st.lists(
        st.fixed_dictionaries({"name": field_text, "amount": st.none() | st.integers()}), max_size=3
    ),
}


@st.composite
def records(draw: st.DrawFn) -> dict[str, Any]:
    """A record with any of its fields absent, null or holding awkward values."""
    record: dict[str, Any] = {}
    for column in RECORD_COLUMNS:
        if draw(st.integers(min_value=0, max_value=9)) == 0:
            continue  # absent
        *parents, leaf = column.split(".")
        node: dict[str, Any] | None = record
        for part in parents:
            assert node is not None
            if part not in node:
                node[part] = None if draw(st.integers(min_value=0, max_value=15)) == 0 else {}
            node = node[part]
            if node is None:
                break  # a null object
        else:
            assert node is not None
            node[leaf] = draw(scalars[FIELD_KINDS[column]])
    return record


@pytest.mark.slow
@given(
    results_format=st.sampled_from(RESULTS_FORMATS),
    companies=st.lists(records(), max_size=6),
    cuts=chunk_cuts,
)
def test_any_records_round_trip_through_every_format(
    results_format: str, companies: list[dict[str, Any]], cuts: list[int]
) -> None:
    file = ResultsFile(
        UUID(int=1), len(companies), results_format=results_format, companies=companies
    )
    data = file.read()
    reader = RowReader(
        content_type=file.format.content_type,
        content_encoding=file.format.content_encoding,
        name=file.file_name,
    )
    got: list[dict[str, Any]] = []
    for chunk in split(data, cuts):
        got.extend(reader.feed(chunk))
    got.extend(reader.close())
    assert got == expected_rows(file)


# --- choosing the reader --------------------------------------------------------

CSV_BODY = b"id,name\r\n1,Acme\r\n"
JSON_BODY = b'[{"id":"1","name":"Acme"}]'
JSONL_BODY = b'{"id":"1","name":"Acme"}\n'


def _gzip(data: bytes) -> bytes:
    # No timestamp in the header: the bytes are part of test ids, which every
    # pytest-xdist worker must compute alike.
    return gzip.compress(data, mtime=0)


@pytest.mark.parametrize(
    ("content_type", "content_encoding", "name", "body", "detected"),
    [
        ("text/csv; charset=utf-8", None, "x.csv", CSV_BODY, "csv"),
        ("application/csv", None, None, CSV_BODY, "csv"),
        ("application/json", None, "x.json", JSON_BODY, "json"),
        ("application/json", None, "x.json", JSONL_BODY, "jsonl"),  # first byte decides
        ("application/x-ndjson", None, "x.jsonl", JSONL_BODY, "jsonl"),
        ("application/vnd.companyenrich+json", None, None, JSON_BODY, "json"),
        ("application/octet-stream", None, "x.csv", CSV_BODY, "csv"),
        ("binary/octet-stream", None, "r/x.ndjson?sig=1", JSONL_BODY, "jsonl"),
        ("application/vnd.ms-excel", None, "x.csv", CSV_BODY, "csv"),
        (None, None, "x.CSV", CSV_BODY, "csv"),
        (None, None, None, JSON_BODY, "json"),  # nothing declared: JSON is recognisable
        ("text/csv", "gzip", "x.csv", _gzip(CSV_BODY), "csv+gzip"),
        ("text/csv", "x-gzip", "x.csv", _gzip(CSV_BODY), "csv+gzip"),
        ("application/gzip", None, "x.jsonl.gz", _gzip(JSONL_BODY), "jsonl+gzip"),
        ("application/octet-stream", None, "x.csv.gz", _gzip(CSV_BODY), "csv+gzip"),
        ("application/gzip", None, "x.gz", _gzip(JSON_BODY), "json+gzip"),
        # Gzip nobody declared (a misconfigured bucket, a file saved as served).
        ("text/csv", None, "x.csv", _gzip(CSV_BODY), "csv+gzip"),
        ("text/csv", "identity", "x.csv", CSV_BODY, "csv"),
        (
            "text/csv; charset=iso-8859-1",
            None,
            None,
            "id,name\r\n1,Café\r\n".encode("latin-1"),
            "csv",
        ),
    ],
)
def test_the_reader_is_chosen_by_type_encoding_and_name(
    content_type: str | None,
    content_encoding: str | None,
    name: str | None,
    body: bytes,
    detected: str,
) -> None:
    reader = RowReader(content_type=content_type, content_encoding=content_encoding, name=name)
    rows = list(reader.feed(body)) + reader.close()
    assert reader.format == detected
    assert len(rows) == 1
    assert rows[0]["id"] in ("1", 1)
    assert rows[0]["name"] in ("Acme", "Café")


@pytest.mark.parametrize(
    ("content_type", "content_encoding", "name", "named"),
    [
        ("text/html; charset=utf-8", None, "x.csv", "'text/html'"),
        ("application/xml", None, None, "'application/xml'"),
        ("application/zip", None, "x.zip", "'application/zip'"),
        (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet",
            None,
            None,
            "spreadsheetml",
        ),
        ("text/csv", "br", "x.csv", "'br'"),
        ("text/csv", "gzip, br", "x.csv", "'gzip, br'"),
        ("text/csv", "deflate", "x.csv", "'deflate'"),
        ("application/octet-stream", None, "x.parquet", "a .parquet file"),
        (None, None, "companies.xlsx", "a .xlsx file"),
        ("text/csv; charset=klingon", None, None, "'klingon'"),
        ("text/csv; charset=utf-16", None, None, "'utf-16' is not ASCII-compatible"),
        ("application/json; charset=rot13", None, None, "'rot13' is unknown"),
    ],
)
def test_what_cannot_be_read_is_refused_before_any_byte(
    content_type: str | None, content_encoding: str | None, name: str | None, named: str
) -> None:
    with pytest.raises(UnsupportedResultsFormatError) as caught:
        RowReader(content_type=content_type, content_encoding=content_encoding, name=name)
    error = caught.value
    assert named in str(error)
    assert isinstance(error, ResultsFileError)
    assert isinstance(error, CompanyEnrichError)
    assert (error.content_type, error.content_encoding) == (content_type, content_encoding)


def test_undeclared_content_that_is_not_json_is_refused_naming_what_it_saw() -> None:
    reader = RowReader(
        content_type="application/octet-stream",
        name="https://exports.example-storage.com/r/results?X-Signature=secret-sig",
    )
    with pytest.raises(UnsupportedResultsFormatError) as caught:
        list(reader.feed(b"<html><body>Access denied</body></html>"))
    message = str(caught.value)
    assert "b'<html><body>Acce'" in message
    assert "'application/octet-stream'" in message
    assert "'results'" in message
    assert "secret-sig" not in message  # a URL's query is never repeated


def test_declared_gzip_that_is_not_gzip_is_a_typed_error() -> None:
    reader = RowReader(content_type="text/csv", content_encoding="gzip", name="x.csv")
    with pytest.raises(MalformedResultsError, match=r"Content-Encoding: gzip.*b'id'"):
        list(reader.feed(CSV_BODY))


def test_an_empty_file_has_no_rows_in_any_format() -> None:
    for name in ("x.csv", "x.json", "x.jsonl", "x.csv.gz"):
        reader = RowReader(name=name)
        assert list(reader.feed(b"")) == []
        assert reader.close() == []


# --- the CSV rule ---------------------------------------------------------------


def _read_csv(text: str, **kwargs: Any) -> list[dict[str, Any]]:
    reader = RowReader(content_type="text/csv", **kwargs)
    return list(reader.feed(text.encode())) + reader.close()


def test_csv_columns_are_typed_and_nested_as_the_record_says() -> None:
    header = ",".join(
        [
            "name",
            "founded_year",
            "page_rank",
            "keywords",
            "location.city.id",
            "location.city.latitude",
            "location.state.name",
            "location.state.code",
            "financial.funding",
            "socials.linkedin_url",
        ]
    )
    row = (
        'Acme,1999,7.5,"[""saas"",""b2b""]",52011,52.52,,,'
        '"[{""type"":""seed"",""amount"":500000}]",'
    )
    [got] = _read_csv(f"{header}\r\n{row}\r\n")
    assert got == {
        "name": "Acme",
        "founded_year": 1999,
        "page_rank": 7.5,
        "keywords": ["saas", "b2b"],
        "location": {"city": {"id": 52011, "latitude": 52.52}, "state": None},
        "financial": {"funding": [{"type": "seed", "amount": 500000}]},
        "socials": None,  # every one of its columns empty
    }
    assert type(got["founded_year"]) is int


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("42", 42),
        ("-7", -7),
        ("0", 0),
        ("2.50", 2.5),
        ("1e3", 1000.0),
        ("-0.5E-2", -0.005),
        ("12345678901234567890123", 12345678901234567890123),
        # Not a JSON number: kept as the text, never dropped.
        ("007", "007"),
        ("n/a", "n/a"),
        ("1,000", "1,000"),
        (" 12", " 12"),
        ("\uff11\uff12", "\uff11\uff12"),  # fullwidth digits
        ("NaN", "NaN"),
        ("", None),
    ],
)
def test_number_columns_read_as_json_reads_the_same_text(cell: str, value: Any) -> None:
    [got] = (
        _read_csv(f'page_rank\r\n"{cell}"\r\n') if cell else _read_csv("page_rank,name\r\n,x\r\n")
    )
    assert got["page_rank"] == value
    assert type(got["page_rank"]) is type(value)


@pytest.mark.parametrize(
    ("cell", "value"),
    [
        ("[]", []),
        ('["a","b"]', ["a", "b"]),
        ('["a, b","c\\"d"]', ["a, b", 'c"d']),
        ('[{"name":"X","domain":"x.io"}]', [{"name": "X", "domain": "x.io"}]),
        ("saas;b2b", "saas;b2b"),  # not a JSON array: kept as text
        ('["unclosed"', '["unclosed"'),
        ('{"a":1}', '{"a":1}'),
        ("[" * 5000 + "]" * 5000, "[" * 5000 + "]" * 5000),  # too deep: text, not a crash
    ],
)
def test_list_columns_are_json_arrays_or_kept_as_text(cell: str, value: Any) -> None:
    quoted = '"' + cell.replace('"', '""') + '"'
    [got] = _read_csv(f"keywords,name\r\n{quoted},x\r\n")
    assert got["keywords"] == value


def test_the_memory_of_parsed_numbers_is_bounded() -> None:
    text = "page_rank\n" + "".join(f"{n}.5\n" for n in range(10_000))
    reader = RowReader(name="x.csv")
    rows = list(reader.feed(text.encode())) + reader.close()
    assert [row["page_rank"] for row in rows] == [n + 0.5 for n in range(10_000)]
    layout = reader._parser._layout  # type: ignore[union-attr]
    assert len(layout.parsed_numbers) == 4096


def test_csv_unknown_columns_nest_and_stay_text() -> None:
    [got] = _read_csv("name,extra.score,extra.rank,odd..name\nAcme,12,,v\n")
    assert got == {"name": "Acme", "extra": {"score": "12", "rank": None}, "odd..name": "v"}


def test_csv_quoted_line_breaks_bom_blank_lines_and_line_ends() -> None:
    text = '\ufeffname,description\r\n"A, Inc.","two\r\nlines"\n\nB,"say ""hi"""\rC,plain\r\n'
    assert _read_csv(text) == [
        {"name": "A, Inc.", "description": "two\r\nlines"},
        {"name": "B", "description": 'say "hi"'},
        {"name": "C", "description": "plain"},
    ]


def test_csv_without_a_final_line_end_still_yields_the_last_record() -> None:
    assert _read_csv("name\nA\nB") == [{"name": "A"}, {"name": "B"}]


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ("name,name\nA,B\n", "column 'name' twice"),
        ("location,location.city.name\nA,B\n", "'location'"),
        ("name,domain\nA\n", "1 fields where the header has 2"),
        ('name\n"A"B\n', "expected after"),
        ('name,description\nA,"never closed\n', "ends inside a quoted field"),
    ],
)
def test_broken_csv_is_a_typed_error(text: str, message: str) -> None:
    with pytest.raises(MalformedResultsError, match=message) as caught:
        _read_csv(text)
    assert caught.value.format == "csv"


def test_flatten_row_is_the_inverse_layout() -> None:
    record = {
        "name": "Acme",
        "keywords": ["a", "b"],
        "location": {"city": {"name": "Berlin"}},
        "socials": None,
        "vendor_extra": {"x": 1},
    }
    flat = flatten_row(record)
    assert list(flat)[: len(RECORD_COLUMNS)] == list(RECORD_COLUMNS)
    assert flat["keywords"] == '["a","b"]'
    assert flat["location.city.name"] == "Berlin"
    assert flat["socials.linkedin_url"] is None
    assert "socials" not in flat
    assert flat["vendor_extra.x"] == 1
    assert flatten_row(record, lists_as_json=False)["keywords"] == ["a", "b"]
    assert {path.split(".")[0] for path in OBJECT_PATHS} == {"location", "socials", "financial"}


# --- JSON and JSON Lines --------------------------------------------------------


def _read(body: bytes, name: str, **kwargs: Any) -> list[dict[str, Any]]:
    reader = RowReader(name=name, **kwargs)
    return list(reader.feed(body)) + reader.close()


def test_json_arrays_may_be_pretty_printed_and_lines_may_be_blank_or_crlf() -> None:
    records = [{"id": "1", "n": [1, {"a": None}]}, {"id": "2", "s": 'ü,\n"'}]
    pretty = json.dumps(records, indent=2, ensure_ascii=False).encode()
    assert _read(codecs.BOM_UTF8 + pretty, "x.json") == records
    lines = b"\r\n\r\n".join(json.dumps(r).encode() for r in records) + b"\r\n\n"
    assert _read(codecs.BOM_UTF8 + lines, "x.jsonl") == records


@pytest.mark.parametrize(
    ("body", "name", "message"),
    [
        (b'[{"a":1},]', "x.json", "not JSON"),
        (b'[{"a":1}', "x.json", "ends early"),
        (b'[{"a":1}] []', "x.json", "data after the end"),
        (b'[{"a":1} {"b":2}]', "x.json", "expected ',' or ']'"),
        (b"[1, 2]", "x.json", "a JSON int where a record should be"),
        (b'"text"', "x.json", "starts with b'\"'"),
        (b'{"a":1}\n[1]\n', "x.jsonl", r"line 2 is a JSON list"),
        (b'{"a":1}\n{"a":\n', "x.jsonl", "line 2 is not JSON"),
        (b'{"a":1}\n{"b":2}{"c":3}\n', "x.jsonl", "line 2 is not JSON"),
        ('{"a":1}\u00a0\n'.encode(), "x.jsonl", "line 1 is not JSON"),  # not a JSON blank
    ],
)
def test_broken_json_is_a_typed_error(body: bytes, name: str, message: str) -> None:
    with pytest.raises(MalformedResultsError, match=message):
        _read(body, name)


# --- hostile input --------------------------------------------------------------


def _gzip_of(chunks: Iterator[bytes]) -> Iterator[bytes]:
    compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
    for chunk in chunks:
        if out := compressor.compress(chunk):
            yield out
    yield compressor.flush()


@pytest.mark.parametrize("name", ["x.csv.gz", "x.json.gz", "x.jsonl.gz"])
def test_a_truncated_gzip_file_is_a_typed_error_at_every_cut(
    fake: FakeCompanyEnrich, name: str
) -> None:
    records = name.split(".")[1]
    file = ResultsFile(UUID(int=5), 3, results_format=f"{records}.gz")
    data = file.read()
    for cut in range(2, len(data) - 1, 7):
        with pytest.raises(MalformedResultsError) as caught:
            _read(data[:cut], name)
        assert caught.value.format in ("gzip", records)


def test_corrupt_gzip_is_a_typed_error() -> None:
    data = bytearray(gzip.compress(b"name\n" + b"".join(b"%d\n" % (n * n) for n in range(5000))))
    data[len(data) // 2 : len(data) // 2 + 20] = b"\xff" * 20
    with pytest.raises(MalformedResultsError, match="corrupt"):
        _read(bytes(data), "x.csv.gz")


def test_concatenated_gzip_members_and_trailing_zeros_read_as_one_file() -> None:
    data = gzip.compress(b"name\nA\n") + gzip.compress(b"B\n") + b"\x00" * 8
    assert _read(data, "x.csv.gz") == [{"name": "A"}, {"name": "B"}]


def _measured(feed: Any) -> tuple[BaseException | None, int]:
    """Run `feed()`; return what it raised and the peak of traced memory in bytes."""
    tracemalloc.start()
    try:
        feed()
    except CompanyEnrichError as error:
        raised: BaseException | None = error
    else:
        raised = None
    finally:
        _, peak = tracemalloc.get_traced_memory()
        tracemalloc.stop()
    return raised, peak


def _long_line(total: int, piece: bytes = b"x" * 65536) -> Iterator[bytes]:
    for _ in range(total // len(piece)):
        yield piece


@pytest.mark.parametrize(
    ("name", "opening"),
    [("x.csv", b"name\n"), ("x.jsonl", b'{"name":"'), ("x.json", b'[{"name":"')],
)
def test_a_100_mb_record_is_refused_in_flat_memory(name: str, opening: bytes) -> None:
    cap = 4 * MiB

    def feed() -> None:
        rows = iter_rows_from_chunks(
            iter([opening, *_long_line(100 * MiB)]), name=name, max_record_bytes=cap
        )
        for _ in rows:
            pass

    raised, peak = _measured(feed)
    assert isinstance(raised, MalformedResultsError)
    assert "longer than 4,194,304" in str(raised)
    assert peak < 4 * cap  # bounded by the cap, not by the 100 MB line


def test_a_gzip_bomb_is_read_in_bounded_steps() -> None:
    # 200 MB of one line, compressed to ~200 KB: refused at the cap, long before the end.
    bomb = list(_gzip_of(_long_line(200 * MiB, b"a" * MiB)))
    assert sum(map(len, bomb)) < 1 * MiB

    def feed() -> None:
        for _ in iter_rows_from_chunks(iter(bomb), name="x.csv.gz", max_record_bytes=2 * MiB):
            pass

    raised, peak = _measured(feed)
    assert isinstance(raised, MalformedResultsError)
    assert peak < 16 * MiB


@pytest.mark.parametrize(
    ("body", "name"),
    [
        (b"[" + b"[" * 100_000 + b"]" * 100_000 + b"]", "x.json"),
        (b"[" + b'{"a":' * 100_000 + b"1" + b"}" * 100_000 + b"]", "x.json"),
        (b'{"a":' + b"[" * 100_000 + b"]" * 100_000 + b"}\n", "x.jsonl"),
        (b"[{}," + b"[" * 100_000, "x.json"),  # deep and never closed
    ],
)
def test_deep_nesting_is_a_typed_error_not_a_recursion_error(body: bytes, name: str) -> None:
    with pytest.raises(MalformedResultsError):
        _read(body, name)


@pytest.mark.parametrize(
    ("body", "name", "offset"),
    [
        (b"name\nA\n\xff\xfe\n", "x.csv", 7),
        (b'[{"a":"ok"},{"a":"\xc3\x28"}]', "x.json", 18),
        (b'{"a":"ok"}\n{"a":"\xed\xa0\x80"}\n', "x.jsonl", 17),  # an encoded surrogate
    ],
)
def test_invalid_utf8_is_a_typed_error_naming_the_byte(body: bytes, name: str, offset: int) -> None:
    with pytest.raises(MalformedResultsError) as caught:
        _read(body, name)
    assert caught.value.offset == offset
    assert "utf-8" in str(caught.value)


def test_a_file_ending_inside_a_character_is_a_typed_error() -> None:
    with pytest.raises(MalformedResultsError, match="inside a utf-8 character"):
        _read("name\nCafé".encode()[:-1], "x.csv")


@pytest.mark.parametrize("results_format", ["csv", "json", "jsonl+gzip"])
def test_memory_stays_flat_whatever_the_file_size(results_format: str) -> None:
    peaks = []
    for rows in (250, 2000):
        file = ResultsFile(UUID(int=9), rows, results_format=results_format)
        chunks = list(file.iter_bytes())  # made before the measurement starts
        tracemalloc.start()
        count = sum(
            1
            for _ in iter_rows_from_chunks(
                iter(chunks),
                content_type=file.format.content_type,
                content_encoding=file.format.content_encoding,
            )
        )
        peaks.append(tracemalloc.get_traced_memory()[1])
        tracemalloc.stop()
        assert count == rows
    # Eight times the records, the same peak (within one step of input and its text).
    assert peaks[1] < peaks[0] + 2 * STEP_BYTES
    assert peaks[1] < 4 * MiB


@pytest.mark.parametrize("name", ["x.json", "x.jsonl", "x.csv"])
def test_a_large_record_under_the_cap_arrives_in_small_chunks(name: str) -> None:
    text = ('a "quoted", multi-line\nvalue ' * 200_000)[: 6 * MiB]
    record = {"name": "Big", "description": text}
    if name == "x.csv":
        body = ResultsFile(UUID(int=1), 1, results_format="csv", companies=[record]).read()
        expected: Any = [csv_view(record)]
    else:
        line = json.dumps(record).encode()
        body = b"[" + line + b"]" if name == "x.json" else line + b"\n"
        expected = [record]
    reader = RowReader(name=name)
    rows = [
        row
        for start in range(0, len(body), 65536)
        for row in reader.feed(body[start : start + 65536])
    ]
    assert rows + reader.close() == expected


# --- the reader's API -----------------------------------------------------------


def test_rows_not_taken_stay_queued_for_the_next_call() -> None:
    reader = RowReader(name="x.jsonl")
    first = reader.feed(b'{"n":1}\n{"n":2}\n{"n":3}\n')
    assert next(first) == {"n": 1}
    assert [row["n"] for row in reader.feed(b'{"n":4}\n')] == [2, 3, 4]
    assert reader.close() == []
    with pytest.raises(ValueError, match="after close"):
        reader.feed(b"x")


def test_a_large_chunk_is_worked_through_in_steps() -> None:
    body = b"".join(json.dumps({"n": n}).encode() + b"\n" for n in range(100_000))
    assert len(body) > 4 * STEP_BYTES
    reader = RowReader(name="x.jsonl")
    rows = reader.feed(body)
    assert next(rows) == {"n": 0}
    assert sum(1 for _ in rows) + len(reader.close()) == 99_999


def test_the_reader_says_what_it_read() -> None:
    reader = RowReader(content_type="application/json")
    assert reader.format is None
    list(reader.feed(gzip.compress(JSONL_BODY)))
    assert reader.format == "jsonl+gzip"
    assert reader.bytes_fed == len(gzip.compress(JSONL_BODY))
    with pytest.raises(ValueError, match="max_record_bytes"):
        RowReader(name="x.csv", max_record_bytes=0)


def test_errors_raised_by_close_when_the_file_is_cut_short() -> None:
    reader = RowReader(name="x.json")
    assert list(reader.feed(b'[{"a":1},{"b":')) == [{"a": 1}]
    with pytest.raises(MalformedResultsError, match=r"record 2\).*truncated"):
        reader.close()


# --- the table for people -------------------------------------------------------


def test_format_table_shows_the_first_rows_for_people() -> None:
    rows: Iterator[dict[str, Any]] = iter(
        [
            {"name": "Acme, Inc.", "domain": "acme.io", "location": {"city": {"name": "Berlin"}}},
            {"name": "Line\nBreak", "domain": None, "employees": "1K-5K"},
            {"name": "never shown"},
        ]
    )
    table = format_table(
        rows,
        limit=2,
        columns={"company": "name", "city": "location.city.name", "size": "employees"},
    )
    assert table.splitlines() == [
        "company     city    size",
        "----------  ------  -----",
        "Acme, Inc.  Berlin  -",
        "Line Break  -       1K-5K",
    ]
    assert next(rows) == {"name": "never shown"}  # only `limit` rows were taken


def test_format_table_cuts_long_cells_and_takes_dotted_names() -> None:
    table = format_table([{"description": "x" * 100}], columns=["description"], max_width=10)
    assert table.splitlines()[2] == "xxxxxxxxx…"
    with pytest.raises(ValueError, match="limit"):
        format_table([], limit=-1)


def test_the_errors_are_exported_and_typed() -> None:
    assert issubclass(UnsupportedResultsFormatError, ResultsFileError)
    assert issubclass(MalformedResultsError, ResultsFileError)
    assert issubclass(ResultsFileError, CompanyEnrichError)
    error = MalformedResultsError("boom", format="csv", record=3, offset=1200)
    assert str(error) == "Malformed csv results file (record 3, byte 1,200): boom"


# --- the demo's helper, on the fake's own bytes ----------------------------------


def test_format_table_of_a_fake_file(tmp_path: Path) -> None:
    file = ResultsFile(UUID(int=2), 8, results_format="csv")
    path = tmp_path / "out.csv"
    path.write_bytes(file.read())
    lines = format_table(read_rows(path), limit=3).splitlines()
    assert lines[0].split() == [
        "name",
        "domain",
        "industry",
        "employees",
        "revenue",
        "city",
        "country",
    ]
    assert len(lines) == 5
    first = next(file.records())
    assert first["domain"] in lines[2]
