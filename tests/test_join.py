"""Joining several jobs' results files into one (`enrichments.run()` above 10,000 domains)."""

from __future__ import annotations

import gzip
import json
from pathlib import Path

import pytest

from companyenrich_export import ResultsFileError, read_rows
from companyenrich_export._results._join import join_format, joined_chunks


def _joined(*parts: Path) -> bytes:
    return b"".join(joined_chunks(parts))


def _part(folder: Path, name: str, content: bytes) -> Path:
    path = folder / name
    path.write_bytes(content)
    return path


def test_csv_keeps_one_header_and_ends_each_part_with_a_line_break(tmp_path: Path) -> None:
    first = _part(tmp_path, "1.csv", b"domain,name\r\nstripe.com,Stripe")  # no final newline
    second = _part(tmp_path, "2.csv", b"\xef\xbb\xbfdomain,name\r\nopenai.com,OpenAI\r\n")
    assert _joined(first, second) == (b"domain,name\r\nstripe.com,Stripe\r\nopenai.com,OpenAI\r\n")


def test_csv_parts_with_other_columns_are_refused_naming_the_part(tmp_path: Path) -> None:
    first = _part(tmp_path, "1.csv", b"domain,name\nstripe.com,Stripe\n")
    second = _part(tmp_path, "2.csv", b"domain,name\nopenai.com,OpenAI\n")
    third = _part(tmp_path, "3.csv", b"name,domain\nGitHub,github.com\n")
    with pytest.raises(ResultsFileError, match="job 3 has other columns"):
        _joined(first, second, third)


def test_json_lines_are_concatenated_each_ending_with_a_newline(tmp_path: Path) -> None:
    first = _part(tmp_path, "1.jsonl", b'{"domain": "stripe.com"}')
    second = _part(tmp_path, "2.jsonl", b'{"domain": "openai.com"}\n')
    assert _joined(first, second) == b'{"domain": "stripe.com"}\n{"domain": "openai.com"}\n'


def test_json_arrays_become_one_array_of_every_record_in_order(tmp_path: Path) -> None:
    first = _part(tmp_path, "1.json", b'[{"domain": "stripe.com"},\n {"domain": "x.io"}]')
    second = _part(tmp_path, "2.json", b'[ {"domain": "openai.com"} ]')
    joined = json.loads(_joined(first, second))
    assert [record["domain"] for record in joined] == ["stripe.com", "x.io", "openai.com"]


def test_a_gzipped_part_is_joined_plain(tmp_path: Path) -> None:
    first = _part(tmp_path, "1.csv.gz", gzip.compress(b"domain\nstripe.com\n"))
    second = _part(tmp_path, "2.csv", b"domain\nopenai.com\n")
    joined = _part(tmp_path, "joined.csv", _joined(first, second))
    assert [row["domain"] for row in read_rows(joined)] == ["stripe.com", "openai.com"]


def test_parts_of_different_formats_are_refused(tmp_path: Path) -> None:
    first = _part(tmp_path, "1.csv", b"domain\nstripe.com\n")
    second = _part(tmp_path, "2.jsonl", b'{"domain": "openai.com"}\n')
    with pytest.raises(ResultsFileError, match=r"different formats \(csv, jsonl\)"):
        _joined(first, second)


@pytest.mark.parametrize(
    ("name", "content", "expected"),
    # ids, not the bytes: pytest-xdist's workers must collect the same names,
    # and a gzip header carries the second it was made in.
    [
        ("part", b'[{"a": 1}]', "json"),
        ("part", b'\xef\xbb\xbf {"a": 1}\n', "jsonl"),
        ("part", b"a,b\n1,2\n", "csv"),
        ("part.ndjson.gz", gzip.compress(b'{"a": 1}\n', mtime=0), "jsonl"),
        ("part.JSON", b"[]", "json"),
    ],
    ids=["json-sniffed", "jsonl-after-bom", "csv-sniffed", "ndjson-gz-named", "json-upper-case"],
)
def test_a_parts_format_comes_from_its_extension_else_its_first_byte(
    tmp_path: Path, name: str, content: bytes, expected: str
) -> None:
    assert join_format(_part(tmp_path, name, content)) == expected


def test_nothing_to_join_is_a_value_error() -> None:
    with pytest.raises(ValueError, match="nothing to join"):
        _joined()
