"""Reading a results file as records, in flat memory, from bytes as they arrive.

The vendor does not document the results file's format, so the reader is
chosen from what the response says, in this order:

1. `Content-Encoding: gzip` (or `x-gzip`), `Content-Type: application/gzip`
   or a `.gz` name: the bytes are gzip. Gzip's magic bytes are also
   recognised undeclared (a misconfigured server, a file saved as served).
2. The records format: a specific `Content-Type` wins (`text/csv`;
   `application/json`, `application/x-ndjson` and kin), else the name's
   extension (`.csv`; `.json`, `.jsonl`, `.ndjson`). With neither, a file
   starting with `[` or `{` is read as JSON. JSON and JSON Lines are told
   apart by the first byte: `[` is an array of records, `{` one record per
   line.

Anything else (HTML, XML, ZIP, Excel, Parquet, Brotli...) raises
`UnsupportedResultsFormatError` naming what was seen, before a byte is read.

**One rule for every format: a row is the vendor's company record.** Nested
objects are dicts (`row["location"]["city"]["name"]`), lists are lists.
JSON and JSON Lines records are returned as they are. CSV rows are restored
to that shape: dotted column names nest (`location.city.name`), numeric
fields (`founded_year`, `page_rank`, ids, coordinates, amounts) become int
or float exactly as JSON would read the same text, list fields (`keywords`,
`financial.funding`, ...) are parsed from their JSON text, and an empty cell
is None. What CSV cannot say is lost the same way every time: an absent
field, a null and an empty string all read as None, and a nested object all
of whose fields are empty reads as None. A value that does not parse as its
kind (a number column holding `n/a`, a list column that is not a JSON
array) is kept as text rather than dropped. `flatten_row` turns any row
into the flat layout again (for CSV output and DataFrames).

Memory stays flat: input is processed in steps of at most `STEP_BYTES`
(gzip output included, so a small compressed chunk cannot expand into
gigabytes at once), and one record may hold at most `max_record_bytes`
(16 MiB by default); a longer one raises `MalformedResultsError`, as do
invalid UTF-8, a truncated gzip stream, a truncated file, nesting too deep
to parse, and CSV that breaks its quoting.
"""

from __future__ import annotations

import os
import zlib
from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
)
from pathlib import Path, PurePosixPath
from typing import Final, Literal, Protocol
from urllib.parse import unquote, urlsplit

from companyenrich_export._exceptions import MalformedResultsError, UnsupportedResultsFormatError
from companyenrich_export._results._record import Row
from companyenrich_export._results._rows_csv import CsvParser
from companyenrich_export._results._rows_json import JsonSniffer

__all__ = [
    "DEFAULT_MAX_RECORD_BYTES",
    "STEP_BYTES",
    "RowReader",
    "aiter_rows_from_chunks",
    "iter_rows_from_chunks",
    "read_rows",
]

DEFAULT_MAX_RECORD_BYTES: Final = 16 * 1024 * 1024
STEP_BYTES: Final = 64 * 1024
"""Most bytes handled at once: of input, and of gzip output.

Small on purpose: with 256 KiB steps the temporary strings were large enough
for glibc's malloc to fragment, and RSS crept up with the file's size (22 MB
over a 73 MB JSON file); at 64 KiB it stays flat, and reading is faster."""

_GZIP_MAGIC: Final = b"\x1f\x8b"
_CSV_TYPES: Final = frozenset(
    {"text/csv", "application/csv", "text/comma-separated-values", "text/x-csv"}
)
_JSON_TYPES: Final = frozenset({
    "application/json", "text/json", "application/x-json",
    "application/x-ndjson", "application/ndjson", "application/jsonl", "application/x-jsonl",
    "application/jsonlines", "application/x-jsonlines", "application/json-lines", "text/x-ndjson",
})  # fmt: skip
_GZIP_TYPES: Final = frozenset({
    "application/gzip", "application/x-gzip", "application/gzip-compressed",
    "application/x-gzip-compressed",
})  # fmt: skip
# Formats a results file might plausibly come in that this library does not read.
_REFUSED_EXTENSIONS: Final = frozenset({
    ".xlsx", ".xls", ".zip", ".parquet", ".xml", ".html", ".htm", ".tsv", ".avro",
})  # fmt: skip
# Types that say nothing about the content: the name's extension decides.
_GENERIC_TYPES: Final = frozenset({
    "", "application/octet-stream", "binary/octet-stream", "application/binary",
    "application/download", "application/force-download", "application/x-download",
    "text/plain", "application/vnd.ms-excel",  # what Windows calls any .csv
})  # fmt: skip
_CSV_EXTENSIONS: Final = frozenset({".csv"})
_JSON_EXTENSIONS: Final = frozenset({".json", ".jsonl", ".ndjson", ".jsonlines", ".ldjson"})
_GZIP_EXTENSIONS: Final = frozenset({".gz", ".gzip"})
_IDENTITY_ENCODINGS: Final = frozenset({"", "identity"})
_GZIP_ENCODINGS: Final = frozenset({"gzip", "x-gzip"})

RecordsKind = Literal["csv", "json"]
_ASCII_PROBE: Final = b'id,name\r\n[{"a":1}]\n'


# --- choosing the reader ---------------------------------------------------------


class _Plan:
    """What the headers and the name say: gzip or not, CSV, JSON, or find out."""

    __slots__ = ("charset", "gzip", "records")

    def __init__(self, records: RecordsKind | None, gzip: bool, charset: str | None) -> None:
        self.records = records  # None: look at the first bytes
        self.gzip = gzip  # declared; undeclared gzip is recognised by its magic bytes
        self.charset = charset


def _base_name(name: str | os.PathLike[str] | None) -> str | None:
    """The file name part: a URL's last path segment (never its query), or a path's name."""
    if name is None:
        return None
    text = os.fspath(name)
    if "://" in text or "?" in text:
        text = unquote(urlsplit(text).path)
    return PurePosixPath(text.replace("\\", "/")).name or None


def _extensions(name: str | None) -> tuple[str, bool]:
    """(the records extension, whether a gzip extension follows it), lower-cased."""
    if not name:
        return "", False
    suffixes = [suffix.lower() for suffix in PurePosixPath(name).suffixes]
    gzipped = bool(suffixes) and suffixes[-1] in _GZIP_EXTENSIONS
    if gzipped:
        suffixes.pop()
    return (suffixes[-1] if suffixes else ""), gzipped


def _plan(content_type: str | None, content_encoding: str | None, name: str | None) -> _Plan:
    def unsupported(reason: str) -> UnsupportedResultsFormatError:
        return UnsupportedResultsFormatError(
            reason, content_type=content_type, content_encoding=content_encoding, name=name
        )

    encoding = (content_encoding or "").strip().lower()
    if encoding not in _IDENTITY_ENCODINGS | _GZIP_ENCODINGS:
        raise unsupported(f"Content-Encoding {encoding!r} is not supported (only gzip)")
    media_type, _, parameters = (content_type or "").partition(";")
    media_type = media_type.strip().lower()
    charset = _charset(parameters, unsupported)
    extension, gzip_extension = _extensions(name)
    gzip = encoding in _GZIP_ENCODINGS or media_type in _GZIP_TYPES or gzip_extension

    by_type: RecordsKind | None = None
    if media_type in _CSV_TYPES:
        by_type = "csv"
    elif media_type in _JSON_TYPES or media_type.endswith("+json"):
        by_type = "json"
    elif media_type not in _GENERIC_TYPES and media_type not in _GZIP_TYPES:
        raise unsupported(f"Content-Type {media_type!r} is not a records format")
    by_name: RecordsKind | None = None
    if extension in _CSV_EXTENSIONS:
        by_name = "csv"
    elif extension in _JSON_EXTENSIONS:
        by_name = "json"
    elif extension in _REFUSED_EXTENSIONS and by_type is None:
        raise unsupported(f"a {extension} file is not a records format this library reads")
    return _Plan(by_type or by_name, gzip, charset)


def _charset(parameters: str, unsupported: Callable[[str], Exception]) -> str | None:
    for parameter in parameters.split(";"):
        key, _, value = parameter.partition("=")
        if key.strip().lower() == "charset":
            charset = value.strip().strip('"').lower()
            try:
                # Line ends, quotes and brackets are found in the bytes before decoding.
                compatible = _ASCII_PROBE.decode("ascii").encode(charset) == _ASCII_PROBE
            except LookupError:
                raise unsupported(f"charset {charset!r} is unknown") from None
            if not compatible:
                raise unsupported(f"charset {charset!r} is not ASCII-compatible (UTF-8 is)")
            return charset
    return None


# --- the reader ------------------------------------------------------------------


class _RecordParser(Protocol):
    """Turns decompressed bytes into rows, one at a time as they are taken.

    Rows are made lazily on purpose: a record used and dropped before the
    next is made lets the allocator reuse its memory, which makes reading
    about twice as fast as building a chunk's rows in a list first. The
    reader exhausts one `feed()` before the next, so state stays in order.
    """

    def feed(self, data: bytes) -> Iterator[Row]: ...

    def finish(self) -> Iterator[Row]: ...


class RowReader:
    """A push parser: `feed()` it the bytes of a results file as they arrive.

        reader = RowReader(content_type=..., content_encoding=..., name=...)
        for chunk in response.iter_raw():       # or `async for ... in aiter_raw()`
            for row in reader.feed(chunk):
                ...
        for row in reader.close():
            ...

    Feed the bytes as they are on the wire (`iter_raw`, not httpx's
    decoded `iter_bytes`) with the response's `Content-Encoding`, or the
    decoded bytes without it. The constructor raises
    `UnsupportedResultsFormatError` at once for a format it cannot read;
    content errors raise `MalformedResultsError` as they are met. No I/O
    happens here, so the same reader serves sync and async code.

    `feed()` returns the rows completed so far, worked out as you iterate
    (so one chunk's rows never pile up in memory); rows you do not take stay
    queued for the next call. `close()` says the input ended: it returns the
    last rows and raises if the file was cut short.
    """

    def __init__(
        self,
        *,
        content_type: str | None = None,
        content_encoding: str | None = None,
        name: str | os.PathLike[str] | None = None,
        max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
    ) -> None:
        if max_record_bytes < 1:
            raise ValueError("max_record_bytes must be positive")
        self.name = _base_name(name)
        self.content_type = content_type
        self.content_encoding = content_encoding
        self._plan = _plan(content_type, content_encoding, self.name)
        self.max_record_bytes = max_record_bytes
        self._input: deque[bytes | memoryview] = deque()
        self._head = b""  # the first bytes, until we know whether they are gzip
        self._gzip: _Gunzip | None = None
        self._decided = False
        self._parser: _RecordParser | None = None
        self._current: Iterator[Row] | None = None  # the rows of the bytes in progress
        self._closed = False
        self._finished = False
        self.bytes_fed = 0
        """Bytes given to `feed()` so far (compressed ones, for gzip)."""

    @property
    def format(self) -> str | None:
        """`csv`, `json` or `jsonl` (with `+gzip` when compressed), once the first bytes are in."""
        kind: str | None = getattr(self._parser, "kind", None)
        if kind is None:
            return None
        return kind + ("+gzip" if self._gzip is not None else "")

    def feed(self, data: bytes | bytearray | memoryview) -> Iterator[Row]:
        """Take the next bytes of the file; iterate the result for the rows they completed."""
        if self._closed:
            raise ValueError("feed() after close()")
        if data:
            # A caller may reuse its buffer: keep a copy of anything but bytes.
            self._input.append(data if isinstance(data, bytes) else bytes(data))
            self.bytes_fed += len(data)
        return self._drain()

    def close(self) -> list[Row]:
        """The input has ended: the remaining rows; raises if the file was cut short."""
        self._closed = True
        return list(self._drain())

    def _drain(self) -> Iterator[Row]:
        while True:
            current = self._current
            if current is not None:
                # `for`, not `yield from`: a caller that stops early leaves `current`
                # open, and the next call goes on from the same row.
                for row in current:  # noqa: UP028
                    yield row
                self._current = None
            if not self._step():
                return

    def _step(self) -> bool:
        """Do a bounded piece of work; False when nothing more can be done for now."""
        if not self._decided:
            return self._decide()
        gunzip = self._gzip
        if gunzip is not None and gunzip.tail:
            self._parse(gunzip.step(b""))
            return True
        if self._input:
            data = self._input[0]
            if len(data) > STEP_BYTES:
                view = data if isinstance(data, memoryview) else memoryview(data)
                self._input[0] = view[STEP_BYTES:]
                data = view[:STEP_BYTES]
            else:
                self._input.popleft()
            chunk = bytes(data) if isinstance(data, memoryview) else data
            self._parse(gunzip.step(chunk) if gunzip is not None else chunk)
            return True
        if self._closed and not self._finished:
            self._finished = True
            if gunzip is not None:
                gunzip.finish()
            if self._parser is not None:
                self._current = self._parser.finish()
            return True
        return False

    def _decide(self) -> bool:
        """Look at the first two bytes: gzip or not; then make the records parser."""
        while len(self._head) < 2 and self._input:
            self._head += bytes(self._input.popleft())
        if len(self._head) < 2 and not self._closed:
            return False
        head, self._head = self._head, b""
        if head[:2] == _GZIP_MAGIC:
            self._gzip = _Gunzip()
        elif self._plan.gzip and head:
            raise MalformedResultsError(
                f"declared gzip ({self._declared()}) but the data does not start like gzip "
                f"(it starts {head[:2]!r})",
                format="gzip",
                offset=0,
            )
        if head:
            self._input.appendleft(head)
        self._decided = True
        self._parser = self._make_parser()
        return True

    def _declared(self) -> str:
        if self.content_encoding and self.content_encoding.strip().lower() in _GZIP_ENCODINGS:
            return f"Content-Encoding: {self.content_encoding.strip()}"
        if self.content_type and "gzip" in self.content_type.lower():
            return f"Content-Type: {self.content_type.strip()}"
        return f"name {self.name!r}"

    def _make_parser(self) -> _RecordParser:
        cap = self.max_record_bytes
        charset = self._plan.charset or "utf-8"
        if self._plan.records == "csv":
            return CsvParser(cap, charset)
        return JsonSniffer(
            cap, charset, declared=self._plan.records == "json", unsupported=self._unsupported
        )

    def _parse(self, data: bytes) -> None:
        if data:
            assert self._parser is not None
            self._current = self._parser.feed(data)

    def _unsupported(self, reason: str) -> UnsupportedResultsFormatError:
        return UnsupportedResultsFormatError(
            reason,
            content_type=self.content_type,
            content_encoding=self.content_encoding,
            name=self.name,
        )


class _Gunzip:
    """Gzip decompression in bounded steps, over any number of members."""

    def __init__(self) -> None:
        self._decompressor = zlib.decompressobj(31)
        self.tail = b""
        """Input not yet decompressed because the last step's output was full."""
        self._out = 0

    def step(self, data: bytes) -> bytes:
        """At most STEP_BYTES of output from `data`, or from the tail when `data` is empty."""
        data = data or self.tail
        try:
            out = self._decompressor.decompress(data, STEP_BYTES)
        except zlib.error as error:
            raise MalformedResultsError(
                f"the gzip data is corrupt ({error})", format="gzip", offset=self._out
            ) from None
        self.tail = self._decompressor.unconsumed_tail
        if self._decompressor.eof:
            rest = self._decompressor.unused_data
            # Trailing zeros are padding some tools add; anything else is another member
            # (concatenated gzip files are one gzip file).
            if rest.strip(b"\x00"):
                self._decompressor = zlib.decompressobj(31)
                self.tail = rest
        self._out += len(out)
        return out

    def finish(self) -> None:
        if not self._decompressor.eof:
            raise MalformedResultsError(
                "the gzip stream ends early: the file is truncated", format="gzip", offset=self._out
            )


# --- helpers ---------------------------------------------------------------------


def iter_rows_from_chunks(
    chunks: Iterable[bytes],
    *,
    content_type: str | None = None,
    content_encoding: str | None = None,
    name: str | os.PathLike[str] | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> Iterator[Row]:
    """The rows of a results file given as chunks of bytes (e.g. `response.iter_raw()`).

    An unsupported format raises here, before `chunks` is touched.
    """
    reader = RowReader(
        content_type=content_type,
        content_encoding=content_encoding,
        name=name,
        max_record_bytes=max_record_bytes,
    )
    return _rows_of(reader, chunks)


def _rows_of(reader: RowReader, chunks: Iterable[bytes]) -> Iterator[Row]:
    for chunk in chunks:
        yield from reader.feed(chunk)
    yield from reader.close()


def aiter_rows_from_chunks(
    chunks: AsyncIterable[bytes],
    *,
    content_type: str | None = None,
    content_encoding: str | None = None,
    name: str | os.PathLike[str] | None = None,
    max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES,
) -> AsyncIterator[Row]:
    """`iter_rows_from_chunks` for an async source (e.g. `response.aiter_raw()`)."""
    reader = RowReader(
        content_type=content_type,
        content_encoding=content_encoding,
        name=name,
        max_record_bytes=max_record_bytes,
    )
    return _async_rows_of(reader, chunks)


async def _async_rows_of(reader: RowReader, chunks: AsyncIterable[bytes]) -> AsyncIterator[Row]:
    async for chunk in chunks:
        for row in reader.feed(chunk):
            yield row
    for row in reader.close():
        yield row


def read_rows(
    path: str | os.PathLike[str], *, max_record_bytes: int = DEFAULT_MAX_RECORD_BYTES
) -> Iterator[Row]:
    """The rows of a downloaded results file, by its extension and its first bytes.

    A file saved as served (gzip bytes under a `.csv` name, when the server
    sent `Content-Encoding: gzip`) is recognised by gzip's magic bytes.
    Raises `FileNotFoundError` and `UnsupportedResultsFormatError` here;
    the file is opened when you start iterating, and closed at the end.
    """
    target = Path(path)
    if not target.is_file():
        raise FileNotFoundError(f"No results file at {target}")
    reader = RowReader(name=target.name, max_record_bytes=max_record_bytes)
    return _rows_of_file(reader, target)


def _rows_of_file(reader: RowReader, path: Path) -> Iterator[Row]:
    with path.open("rb") as file:
        while chunk := file.read(STEP_BYTES):
            yield from reader.feed(chunk)
    yield from reader.close()
