"""Joining several jobs' results files into one, as `enrichments.run()` does above 10,000.

The parts are complete files already on disk (downloaded whole, resumed,
checked), so joining is local and streamed in steps of `STEP_BYTES`: memory
stays flat whatever the files' sizes. The joined file is plain (a gzipped
part is inflated) and has the first part's format:

- CSV: the first part whole, then every later part without its header
  line, which must be the first part's (the columns would not line up
  otherwise: refused with a `ResultsFileError`).
- JSON Lines: the parts one after the other, each ending with a newline.
- JSON (an array of records): one array of every part's records, in order,
  each record written compactly (values as served, white space not).

Parts of different formats are refused too.
"""

from __future__ import annotations

import gzip
import json
from collections.abc import Iterator, Sequence
from pathlib import Path
from typing import BinaryIO, Literal

from companyenrich_export._exceptions import ResultsFileError
from companyenrich_export._results._rows import STEP_BYTES, read_rows

__all__ = ["JoinedFormat", "join_format", "joined_chunks"]

JoinedFormat = Literal["csv", "jsonl", "json"]
_GZIP_MAGIC = b"\x1f\x8b"
_JSON_LINES_EXTENSIONS = frozenset({".jsonl", ".ndjson", ".jsonlines", ".ldjson"})
# The most of a CSV header line looked at; a longer one is not a header we could compare.
_MAX_HEADER = 1024 * 1024


def _open(path: Path) -> BinaryIO:
    with path.open("rb") as probe:
        gzipped = probe.read(2) == _GZIP_MAGIC
    return gzip.open(path, "rb") if gzipped else path.open("rb")  # type: ignore[return-value]


def join_format(path: Path) -> JoinedFormat:
    """A part's format: by its extension (gzip's dropped), else by its first byte."""
    suffixes = [suffix.lower() for suffix in path.suffixes]
    if suffixes and suffixes[-1] in {".gz", ".gzip"}:
        suffixes.pop()
    extension = suffixes[-1] if suffixes else ""
    if extension == ".csv":
        return "csv"
    if extension == ".json":
        return "json"
    if extension in _JSON_LINES_EXTENSIONS:
        return "jsonl"
    with _open(path) as file:
        start = file.read(STEP_BYTES).lstrip(b"\xef\xbb\xbf \t\r\n")
    if start.startswith(b"["):
        return "json"
    if start.startswith(b"{"):
        return "jsonl"
    return "csv"


def joined_chunks(parts: Sequence[Path]) -> Iterator[bytes]:
    """The bytes of one file joining `parts`, in order (see the module's docstring)."""
    if not parts:
        raise ValueError("nothing to join")
    formats = {join_format(path) for path in parts}
    if len(formats) != 1:
        raise ResultsFileError(
            "The jobs' results files have different formats "
            f"({', '.join(sorted(formats))}) and cannot be joined into one file."
        )
    (kind,) = formats
    if kind == "json":
        return _joined_json(parts)
    return _joined_lines(parts, skip_header=kind == "csv")


def _joined_json(parts: Sequence[Path]) -> Iterator[bytes]:
    yield b"["
    separator = b"\n"
    for path in parts:
        for row in read_rows(path):
            yield separator + json.dumps(row, ensure_ascii=False).encode("utf-8")
            separator = b",\n"
    yield b"\n]\n"


def _joined_lines(parts: Sequence[Path], *, skip_header: bool) -> Iterator[bytes]:
    header: bytes | None = None
    for index, path in enumerate(parts):
        with _open(path) as file:
            head = file.readline(_MAX_HEADER)
            if skip_header:
                line = head.removeprefix(b"\xef\xbb\xbf").rstrip(b"\r\n")
                if header is None:
                    header = line
                elif line != header:
                    raise ResultsFileError(
                        f"The results file of job {index + 1} has other columns than the "
                        "first's; its rows cannot be joined into one CSV file."
                    )
            last = head[-1:]
            if index == 0 or not skip_header:
                yield head
            while chunk := file.read(STEP_BYTES):
                yield chunk
                last = chunk[-1:]
            if last not in (b"", b"\n"):
                yield b"\r\n" if skip_header else b"\n"
