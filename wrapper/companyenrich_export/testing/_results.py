"""The results file of a completed job, in any of the plausible formats, made lazily.

The vendor does not document the file's format, so the fake serves each
plausible one (`RESULTS_FORMATS`):

| format | URL ends | Content-Type | Content-Encoding |
|---|---|---|---|
| `csv` | `.csv` | `text/csv; charset=utf-8` | - |
| `json` | `.json` | `application/json` | - |
| `jsonl` | `.jsonl` | `application/x-ndjson` | - |
| `csv+gzip`, `json+gzip`, `jsonl+gzip` | as without | as without | `gzip` |
| `csv.gz`, `json.gz`, `jsonl.gz` | `.csv.gz`, ... | `application/gzip` | - |

`+gzip` is a plain file stored compressed and served with
`Content-Encoding: gzip` (what S3 does for an object uploaded with that
metadata): sizes, ranges and the ETag are those of the compressed bytes.
`.gz` is a gzip file served as such.

CSV is RFC 4180 (CRLF line ends, quotes where needed) with a header of the
flat layout (`companyenrich_export._results._record.RECORD_COLUMNS`: dotted names
for nested fields, lists as JSON text, null and absent as an empty cell).
JSON is one array of records, one per line; JSON Lines one record per line.

Same job, revision and format, same bytes: the records come from
`CompanyRecords` and the size is known before a byte is sent (for
`Content-Length` and ranges). Bytes are made as they are sent, so a 500 MB
file costs no memory; those made to size a file are kept on disk, within
bounds, and served again from there (`_spool`); gzip is deterministic, so a
range of a compressed file no longer kept is found by compressing again
from the start.
"""

from __future__ import annotations

import csv
import hashlib
import json
import threading
import weakref
import zlib
from collections.abc import Iterable, Iterator, Sequence
from dataclasses import dataclass
from datetime import datetime
from functools import cached_property
from operator import itemgetter
from typing import Final, Literal, get_args
from uuid import UUID

from companyenrich_export._results._record import RECORD_COLUMNS, Row, flatten_row

from ._companies import CompanyRecords
from ._spool import SPOOLS

CHUNK_SIZE: Final = 64 * 1024

RecordFormat = Literal["csv", "json", "jsonl"]
Compression = Literal["none", "content-encoding", "file"]
RESULTS_FORMATS: Final = (
    "csv", "json", "jsonl",
    "csv+gzip", "json+gzip", "jsonl+gzip",
    "csv.gz", "json.gz", "jsonl.gz",
)  # fmt: skip

_CONTENT_TYPES: Final[dict[RecordFormat, str]] = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}
# Padding goes inside `description`; this stands for it while a row is encoded.
# A private-use character: no generated text contains it, and no format escapes it.
_PAD_MARK: Final = "\ue000"
_PAD_MARK_BYTES: Final = _PAD_MARK.encode()
# No comma, quote, backslash or line break, so it needs no quoting in any format.
_FILLER_TEXT: Final = (" lorem ipsum dolor sit amet consectetur adipiscing elit" * 1200)[
    :CHUNK_SIZE
]
_FILLER: Final = _FILLER_TEXT.encode()
_CSV_CELLS: Final = itemgetter(*RECORD_COLUMNS)


@dataclass(frozen=True, slots=True)
class ResultsFormat:
    """How a results file is written and served."""

    records: RecordFormat
    compression: Compression = "none"

    @classmethod
    def parse(cls, spec: str | ResultsFormat) -> ResultsFormat:
        """`"csv"`, `"jsonl+gzip"`, `"json.gz"`, ... (see `RESULTS_FORMATS`)."""
        if isinstance(spec, ResultsFormat):
            return spec
        if spec not in RESULTS_FORMATS:
            raise ValueError(
                f"results_format must be one of {', '.join(RESULTS_FORMATS)}; got {spec!r}"
            )
        if spec.endswith("+gzip"):
            return cls(_record_format(spec.removesuffix("+gzip")), "content-encoding")
        if spec.endswith(".gz"):
            return cls(_record_format(spec.removesuffix(".gz")), "file")
        return cls(_record_format(spec))

    @property
    def name(self) -> str:
        suffix = {"none": "", "content-encoding": "+gzip", "file": ".gz"}[self.compression]
        return self.records + suffix

    @property
    def extension(self) -> str:
        return f".{self.records}.gz" if self.compression == "file" else f".{self.records}"

    @property
    def content_type(self) -> str:
        return "application/gzip" if self.compression == "file" else _CONTENT_TYPES[self.records]

    @property
    def content_encoding(self) -> str | None:
        return "gzip" if self.compression == "content-encoding" else None


def _record_format(text: str) -> RecordFormat:
    for candidate in get_args(RecordFormat):
        if candidate == text:
            return candidate  # type: ignore[no-any-return]
    raise ValueError(f"unknown record format {text!r}")


class _LineSink:
    """A file-like target for `csv.writer` that keeps the last line written."""

    line = ""

    def write(self, text: str) -> int:
        self.line = text
        return len(text)


def _csv_line(cells: Iterable[object]) -> str:
    # A writer per line: a served file may be read by several threads at once.
    sink = _LineSink()
    csv.writer(sink, lineterminator="\r\n").writerow(cells)
    return sink.line


class ResultsFile:
    """The results of one job: `size`, `etag`, `records()`, and bytes on demand.

    `rows` records; `target_size`, when larger than the file would be, pads
    every record's `description` so the file (before any gzip) has exactly
    that many bytes: for download benchmarks. `revision` stands for an
    object replaced in storage: other records, another ETag. `companies`
    replaces the generated records with your own (a sequence of `rows`
    dicts), to serve exactly those.
    """

    def __init__(
        self,
        job_id: UUID,
        rows: int,
        target_size: int | None = None,
        *,
        results_format: str | ResultsFormat = "csv",
        revision: int = 0,
        last_modified: datetime | None = None,
        companies: Sequence[Row] | None = None,
    ) -> None:
        if rows < 0:
            raise ValueError("rows must not be negative")
        self.job_id = job_id
        self.rows = rows
        self.format = ResultsFormat.parse(results_format)
        self.revision = revision
        self.last_modified = last_modified
        if companies is not None and len(companies) != rows:
            raise ValueError(f"companies has {len(companies)} records, rows says {rows}")
        self.companies: Sequence[Row] = (
            companies if companies is not None else CompanyRecords(job_id, rows, revision=revision)
        )
        self._target_size = target_size
        self._kept_at: str | None = None
        self._size: int | None = None
        self._sizing = threading.Lock()

    @property
    def file_name(self) -> str:
        return f"{self.job_id}{self.format.extension}"

    # --- what the file holds ----------------------------------------------

    @cached_property
    def _padding(self) -> tuple[int, int]:
        """(bytes added to every record, records that get one byte more)."""
        if not self._target_size or not self.rows:
            return 0, 0
        marked = self._frame_size() + sum(
            len(self._encode(self._with_description(record, _PAD_MARK))) - len(_PAD_MARK_BYTES)
            for record in self.companies
        )
        if self._target_size <= marked:
            return 0, 0
        return divmod(self._target_size - marked, self.rows)

    def _pad_for(self, index: int) -> int:
        each, extra = self._padding
        return each + (1 if index < extra else 0)

    @property
    def padded(self) -> bool:
        return self._padding != (0, 0)

    @staticmethod
    def _with_description(record: Row, tail: str) -> Row:
        return {**record, "description": (record.get("description") or "") + tail}

    def records(self) -> Iterator[Row]:
        """The records the file holds, in order: what a reader of it should yield."""
        padded = self.padded
        for index, record in enumerate(self.companies):
            if padded:
                pad = self._pad_for(index)
                filler = (_FILLER_TEXT * (pad // CHUNK_SIZE + 1))[:pad]
                record = self._with_description(record, filler)
            yield record

    # --- encoding ---------------------------------------------------------

    def _encode(self, record: Row) -> bytes:
        kind = self.format.records
        if kind == "csv":
            # Only the header's columns: a field the layout does not know is not written.
            return _csv_line(_CSV_CELLS(flatten_row(record))).encode()
        text = json.dumps(record, ensure_ascii=False, separators=(",", ":"))
        return text.encode()

    def _header(self) -> bytes:
        kind = self.format.records
        if kind == "csv":
            return _csv_line(RECORD_COLUMNS).encode()
        return b"[\n" if kind == "json" else b""

    def _separator(self, index: int) -> bytes:
        """What goes before record `index`."""
        if self.format.records == "json" and index:
            return b",\n"
        return b""

    def _footer(self) -> bytes:
        kind = self.format.records
        if kind == "json":
            return b"\n]\n" if self.rows else b"]\n"
        return b""

    def _line_end(self) -> bytes:
        return b"\n" if self.format.records == "jsonl" else b""

    def _frame_size(self) -> int:
        """Bytes outside the records: header, separators, line ends, footer."""
        kind = self.format.records
        between = 2 * max(self.rows - 1, 0) if kind == "json" else 0
        return (
            len(self._header()) + between + len(self._line_end()) * self.rows + len(self._footer())
        )

    def _plain_pieces(self) -> Iterator[bytes | memoryview]:
        """The uncompressed file, piece by piece (a padding piece is a view of the filler)."""
        yield self._header()
        filler = memoryview(_FILLER)
        line_end = self._line_end()
        padded = self.padded
        for index, record in enumerate(self.companies):
            yield self._separator(index)
            if not padded:
                yield self._encode(record)
            else:
                pad = self._pad_for(index)
                encoded = self._encode(self._with_description(record, _PAD_MARK))
                before, _, after = encoded.partition(_PAD_MARK_BYTES)
                yield before
                while pad > 0:
                    piece = filler[: min(pad, CHUNK_SIZE)]
                    pad -= len(piece)
                    yield piece
                yield after
            yield line_end
        yield self._footer()

    def _pieces(self) -> Iterator[bytes | memoryview]:
        if self.format.compression == "none":
            yield from self._plain_pieces()
            return
        # mtime 0 and a fixed level: the same bytes every time, as ranges need.
        compressor = zlib.compressobj(6, zlib.DEFLATED, 31)
        for piece in self._plain_pieces():
            if piece:
                yield compressor.compress(piece)
        yield compressor.flush()

    @property
    def size(self) -> int:
        """Bytes on the wire (compressed ones for `+gzip` and `.gz`).

        Sizing makes the file, so the bytes made are kept on disk (see
        `_spool`) and served from there, not made again for each download.
        Once per file, whatever the threads: `cached_property` has no lock
        from Python 3.12, and each thread would have kept a copy.
        """
        if self._size is None:
            with self._sizing:
                if self._size is None:
                    size, kept_at = SPOOLS.keep(self._pieces())
                    if kept_at is not None:
                        self._kept_at = kept_at
                        weakref.finalize(self, SPOOLS.drop, kept_at)
                    self._size = size
        return self._size

    @cached_property
    def etag(self) -> str:
        identity = f"{self.job_id}:{self.rows}:{self.format.name}:{self.revision}:{self.size}"
        return f'"{hashlib.blake2b(identity.encode(), digest_size=16).hexdigest()}"'

    def iter_bytes(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Bytes `start` to `stop` (exclusive; default the end), in chunks of at most CHUNK_SIZE."""
        start = max(start, 0)
        end = self.size if stop is None else min(stop, self.size)
        kept = SPOOLS.read(self._kept_at, start, end, CHUNK_SIZE) if self._kept_at else None
        if kept is not None:
            yield from kept
            return
        buffer = bytearray()
        offset = 0
        for piece in self._pieces():
            end = offset + len(piece)
            if stop is not None and offset >= stop:
                break
            if end > start:
                buffer += piece[
                    max(start - offset, 0) : len(piece)
                    if stop is None
                    else min(stop - offset, len(piece))
                ]
                while len(buffer) >= CHUNK_SIZE:
                    yield bytes(buffer[:CHUNK_SIZE])
                    del buffer[:CHUNK_SIZE]
            offset = end
        if buffer:
            yield bytes(buffer)

    def read(self) -> bytes:
        """The whole file at once: for tests of small files."""
        return b"".join(self.iter_bytes())


__all__ = ["CHUNK_SIZE", "RESULTS_FORMATS", "ResultsFile", "ResultsFormat"]
