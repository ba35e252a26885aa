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

import codecs
import csv
import io
import itertools
import json
import os
import re
import zlib
from collections import deque
from collections.abc import (
    AsyncIterable,
    AsyncIterator,
    Callable,
    Iterable,
    Iterator,
    Mapping,
    Sequence,
)
from operator import itemgetter
from pathlib import Path, PurePosixPath
from typing import Any, Final, Literal, Protocol
from urllib.parse import unquote, urlsplit

from ._exceptions import MalformedResultsError, UnsupportedResultsFormatError
from ._record import FIELD_KINDS, Row, flatten_row

__all__ = [
    "DEFAULT_MAX_RECORD_BYTES",
    "STEP_BYTES",
    "RowReader",
    "aiter_rows_from_chunks",
    "flatten_row",
    "format_table",
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
            return _CsvParser(cap, charset)
        return _Sniffer(cap, charset, declared=self._plan.records == "json", plan=self)

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


# --- CSV -------------------------------------------------------------------------

# JSON's number grammar: what the same value would be in a JSON file.
_NUMBER: Final = re.compile(r"-?(?:0|[1-9][0-9]*)(\.[0-9]+)?([eE][-+]?[0-9]+)?", re.ASCII)


def _number(text: str) -> Any:
    if text.isdigit() and text.isascii() and (text[0] != "0" or len(text) == 1) and len(text) < 20:
        return int(text)  # the common case, without the regular expression
    match = _NUMBER.fullmatch(text)
    if match is None:
        return text
    try:
        return float(text) if match.group(1) or match.group(2) else int(text)
    except ValueError:  # more digits than int() takes: keep the text
        return text


# A list of plain strings (no escape, quote or control character): split, not parsed,
# with exactly the result `json.loads` would give.
_PLAIN_STRINGS: Final = re.compile(r'\["[^"\\\x00-\x1f]*"(?:,"[^"\\\x00-\x1f]*")*\]')


def _json_list(text: str) -> Any:
    if text == "[]":
        return []
    if _PLAIN_STRINGS.fullmatch(text):
        return text[2:-2].split('","')
    if not text.startswith("["):
        return text
    try:
        value = json.loads(text)
    except (ValueError, RecursionError):
        return text
    return value if isinstance(value, list) else text


_PARSED_LIMIT: Final = 4096


def _object_getter(indices: Sequence[int]) -> Callable[[list[Any]], tuple[Any, ...]]:
    if len(indices) == 1:
        only = indices[0]
        return lambda values: (values[only],)
    return itemgetter(*indices)


class _CsvLayout:
    """How one CSV header maps to the record: typed columns and nesting, worked out once."""

    def __init__(self, columns: list[str]) -> None:
        self.width = len(columns)
        seen: set[str] = set()
        for column in columns:
            if column in seen:
                raise ValueError(f"the header names column {column!r} twice")
            seen.add(column)
        self.numbers = [
            index
            for index, column in enumerate(columns)
            if FIELD_KINDS.get(column) in ("integer", "number")
        ]
        self.lists = [i for i, column in enumerate(columns) if FIELD_KINDS.get(column) == "list"]
        # Numbers repeat (city ids, coordinates, years): each text is parsed once, up to
        # a bound. Numbers are immutable, so rows can share them.
        self.parsed_numbers: dict[str, Any] = {}
        # A tree of the dotted names: {key: column index | subtree}.
        tree: dict[str, Any] = {}
        for index, column in enumerate(columns):
            parts = column.split(".")
            if not all(parts):
                parts = [column]  # "a..b", ".a": a plain key, not a path
            node = tree
            for depth, part in enumerate(parts[:-1]):
                child = node.setdefault(part, {})
                if not isinstance(child, dict):
                    raise ValueError(
                        f"column {column!r} nests under {'.'.join(parts[: depth + 1])!r}, "
                        "which is a column of its own"
                    )
                node = child
            if parts[-1] in node:
                raise ValueError(f"column {column!r} is also the name of nested columns")
            node[parts[-1]] = index
        # Objects are built bottom-up; each appends its value after the cells.
        self.objects: list[tuple[Callable[[list[Any]], tuple[Any, ...]], tuple[str, ...]]] = []
        slot = [self.width]

        def place(subtree: dict[str, Any]) -> tuple[tuple[str, ...], list[int]]:
            keys: list[str] = []
            indices: list[int] = []
            for key, value in subtree.items():
                if isinstance(value, dict):
                    child_keys, child_indices = place(value)
                    self.objects.append((_object_getter(child_indices), child_keys))
                    indices.append(slot[0])
                    slot[0] += 1
                else:
                    indices.append(value)
                keys.append(key)
            return tuple(keys), indices

        top_keys, top_indices = place(tree)
        self.top_keys = top_keys
        self.top = _object_getter(top_indices)

    def build(self, cells: list[str]) -> Row:
        values: list[Any] = [cell or None for cell in cells]
        parsed = self.parsed_numbers
        for index in self.numbers:
            cell = values[index]
            if cell is not None:
                number = parsed.get(cell)
                if number is None:
                    number = _number(cell)
                    if len(parsed) < _PARSED_LIMIT:
                        parsed[cell] = number
                values[index] = number
        for index in self.lists:
            cell = values[index]
            if cell is not None:
                values[index] = [] if cell == "[]" else _json_list(cell)
        append = values.append
        for getter, keys in self.objects:
            parts = getter(values)
            append(
                None if parts.count(None) == len(parts) else dict(zip(keys, parts, strict=False))
            )
        return dict(zip(self.top_keys, self.top(values), strict=False))


# The last line break outside quotes, from a start outside (or inside) a quoted field:
# whole quoted stretches are skipped pair by pair, and the greedy match backs off to the
# latest line break it can end on. Linear: every quote is where it is, nothing to guess.
_LAST_LINE_END: Final = re.compile(r'(?:[^"]*"[^"]*")*[^"]*\n')
_LAST_LINE_END_FROM_INSIDE: Final = re.compile(r'[^"]*"(?:[^"]*"[^"]*")*[^"]*\n')


class _CsvParser:
    """RFC 4180 CSV: a header, then records; quoted fields may hold line breaks."""

    kind = "csv"

    def __init__(self, cap: int, charset: str) -> None:
        self._cap = cap
        self._charset = charset
        self._decoder = codecs.getincrementaldecoder(charset)("strict")
        self._pieces: list[str] = []  # text of the record not yet complete
        self._pending = 0
        self._odd_quotes = False  # an odd number of quotes in the pieces: inside a quoted field
        self._layout: _CsvLayout | None = None
        self._records = 0
        self._offset = 0  # decoded bytes so far, for errors
        self._started = False
        if csv.field_size_limit() < cap:
            # The default, 128 KiB per field, would refuse records our cap allows. The limit is
            # process-wide; it is only ever raised here, never lowered.
            csv.field_size_limit(cap)

    def feed(self, data: bytes) -> Iterator[Row]:
        try:
            text = self._decoder.decode(data)
        except UnicodeDecodeError as error:
            raise self._error(
                f"not valid {self._charset} ({error.reason})", offset=self._offset + error.start
            ) from None
        self._offset += len(data)
        complete = self._take(text)
        return self._parse(complete) if complete else iter(())

    def finish(self) -> Iterator[Row]:
        try:
            text = self._decoder.decode(b"", final=True)
        except UnicodeDecodeError:
            raise self._error(
                f"the file ends inside a {self._charset} character", offset=self._offset
            ) from None
        self._pieces.append(text)
        rest = "".join(self._pieces)
        self._pieces = []
        if rest.count('"') % 2:
            raise self._error("the file ends inside a quoted field: it is truncated")
        return self._parse(rest) if rest.strip("\r\n") else iter(())

    def _take(self, text: str) -> str:
        """The complete records' text so far (maybe none); the rest waits for more."""
        if not self._started and text:
            self._started = True
            text = text.removeprefix("\ufeff")
        cut = text.rfind("\n")
        odd = self._odd_quotes
        if cut >= 0 and odd ^ (text.count('"', 0, cut) % 2 == 1):
            # That line break is inside a quoted field: find the last one outside, in one scan.
            match = (_LAST_LINE_END_FROM_INSIDE if odd else _LAST_LINE_END).match(text)
            cut = match.end() - 1 if match else -1
        if cut < 0:
            self._pieces.append(text)
            self._pending += len(text)
            self._odd_quotes = odd ^ (text.count('"') % 2 == 1)
            self._check_size()
            return ""
        self._pieces.append(text[: cut + 1])
        complete = "".join(self._pieces)
        rest = text[cut + 1 :]
        self._pieces = [rest]
        self._pending = len(rest)
        self._odd_quotes = rest.count('"') % 2 == 1
        self._check_size()
        return complete

    def _check_size(self) -> None:
        if self._pending > self._cap:
            raise self._error(
                f"a record is longer than {self._cap:,} characters "
                "(or a quoted field is never closed)"
            )

    def _parse(self, text: str) -> Iterator[Row]:
        reader = csv.reader(io.StringIO(text, newline=""), strict=True)
        try:
            for cells in reader:
                if not cells:
                    continue  # a blank line
                layout = self._layout
                if layout is None:
                    try:
                        self._layout = _CsvLayout(cells)
                    except ValueError as error:
                        raise self._error(f"bad header: {error}") from None
                    continue
                if len(cells) != layout.width:
                    raise self._error(
                        f"{len(cells)} fields where the header has {layout.width}",
                        record=self._records + 1,
                    )
                self._records += 1
                yield layout.build(cells)
        except csv.Error as error:
            raise self._error(str(error), record=self._records + 1) from None

    def _error(
        self, message: str, *, record: int | None = None, offset: int | None = None
    ) -> MalformedResultsError:
        return MalformedResultsError(
            message,
            format="csv",
            record=record if record is not None else self._records + 1,
            offset=offset,
        )


# --- JSON and JSON Lines ---------------------------------------------------------

_WHITESPACE: Final = frozenset(b" \t\r\n")
_UTF8_BOM: Final = codecs.BOM_UTF8


class _Sniffer:
    """Holds the first bytes until the first non-blank one says `[` (JSON) or `{` (lines)."""

    def __init__(self, cap: int, charset: str, *, declared: bool, plan: RowReader) -> None:
        self._cap = cap
        self._charset = charset
        self._declared = declared
        self._reader = plan
        self._head = b""
        self._inner: _JsonArrayParser | _JsonLinesParser | None = None

    @property
    def kind(self) -> str | None:
        return self._inner.kind if self._inner is not None else None

    def feed(self, data: bytes) -> Iterator[Row]:
        if self._inner is not None:
            return self._inner.feed(data)
        self._head += data
        head = self._head.removeprefix(_UTF8_BOM) if self._charset == "utf-8" else self._head
        first = next((byte for byte in head if byte not in _WHITESPACE), None)
        if first is None:
            if len(self._head) > self._cap:
                raise MalformedResultsError(
                    f"more than {self._cap:,} bytes of blanks", format="json", offset=0
                )
            return iter(())
        if first == ord("["):
            self._inner = _JsonArrayParser(self._cap, self._charset)
        elif first == ord("{"):
            self._inner = _JsonLinesParser(self._cap, self._charset)
        elif self._declared:
            raise MalformedResultsError(
                "JSON results must be an array of records ([...]) or one record per line "
                f"({{...}}); this starts with {bytes([first])!r}",
                format="json",
                offset=0,
            )
        else:
            raise self._reader._unsupported(
                f"neither the headers nor the name say the format, and the content starts "
                f"with {head[:16]!r}, which is not JSON"
            )
        head, self._head = self._head, b""
        return self._inner.feed(head)

    def finish(self) -> Iterator[Row]:
        return self._inner.finish() if self._inner is not None else iter(())


class _JsonLinesParser:
    """One JSON object per line; blank lines are skipped."""

    kind = "jsonl"

    def __init__(self, cap: int, charset: str) -> None:
        self._cap = cap
        self._charset = charset
        self._pieces: list[bytes] = []
        self._pending = 0
        self._line = 0  # complete lines so far
        self._records = 0
        self._offset = 0  # bytes before the pieces
        self._started = False

    def feed(self, data: bytes) -> Iterator[Row]:
        if not self._started:
            self._started = True
            if self._charset == "utf-8" and data.startswith(_UTF8_BOM):
                data = data[len(_UTF8_BOM) :]
                self._offset += len(_UTF8_BOM)
        cut = data.rfind(b"\n")
        if cut < 0:
            self._pieces.append(data)
            self._pending += len(data)
            if self._pending > self._cap:
                raise MalformedResultsError(
                    f"line {self._line + 1} is longer than {self._cap:,} bytes",
                    format="jsonl",
                    record=self._records + 1,
                    offset=self._offset,
                )
            return iter(())
        self._pieces.append(data[:cut])
        block = b"".join(self._pieces)
        self._pieces = [data[cut + 1 :]]
        self._pending = len(data) - cut - 1
        offset, self._offset = self._offset, self._offset + len(block) + 1
        return self._lines(block, offset)

    def finish(self) -> Iterator[Row]:
        block = b"".join(self._pieces)
        self._pieces = []
        return self._lines(block, self._offset) if block.strip() else iter(())

    def _lines(self, block: bytes, offset: int) -> Iterator[Row]:
        try:
            text = block.decode(self._charset)
        except UnicodeDecodeError as error:
            line_number = self._line + block.count(b"\n", 0, error.start) + 1
            raise MalformedResultsError(
                f"line {line_number} is not valid {self._charset} ({error.reason})",
                format="jsonl",
                offset=offset + error.start,
            ) from None
        lines = text.split("\n")
        if len(block) > self._cap and max(len(line) for line in lines) > self._cap:
            raise MalformedResultsError(
                f"a line is longer than {self._cap:,} bytes", format="jsonl", offset=offset
            )
        first_line, self._line = self._line + 1, self._line + len(lines)
        loads = json.loads
        for number, line in enumerate(lines, start=first_line):
            try:
                record = loads(line)
            except RecursionError:
                raise self._error(f"line {number} is nested too deeply to read") from None
            except ValueError as error:
                if not line.strip():
                    continue  # a blank line
                raise self._error(f"line {number} is not JSON ({_reason(error)})") from None
            if type(record) is not dict:
                raise self._error(
                    f"line {number} is a JSON {type(record).__name__}, not a record (an object)"
                )
            self._records += 1
            yield record

    def _error(self, message: str) -> MalformedResultsError:
        return MalformedResultsError(message, format="jsonl", record=self._records + 1)


def _reason(error: ValueError) -> str:
    return error.msg if isinstance(error, json.JSONDecodeError) else str(error)[:200]


_SKIP_BLANKS: Final = re.compile(r"[ \t\r\n]*")
# A decode error this close to the end of the text may only mean "more is coming".
_TAIL: Final = 16


class _JsonArrayParser:
    """`[record, record, ...]`, parsed one record at a time as the text arrives."""

    kind = "json"

    def __init__(self, cap: int, charset: str) -> None:
        self._cap = cap
        self._charset = charset
        self._decoder = codecs.getincrementaldecoder(charset)("strict")
        self._decode = json.JSONDecoder().raw_decode
        self._text = ""
        self._waiting: list[str] = []  # text come since the last try, joined at the next
        self._waiting_size = 0
        self._state: Literal["start", "first", "value", "comma", "done"] = "start"
        self._records = 0
        self._offset = 0  # bytes decoded so far
        self._retry_at = 0  # text length before another try at an incomplete record

    def feed(self, data: bytes) -> Iterator[Row]:
        try:
            text = self._decoder.decode(data)
        except UnicodeDecodeError as error:
            raise self._error(
                f"not valid {self._charset} ({error.reason})", offset=self._offset + error.start
            ) from None
        self._offset += len(data)
        if self._state == "start" and not self._text and not self._waiting:
            text = text.removeprefix("\ufeff")
        self._waiting.append(text)
        self._waiting_size += len(text)
        if len(self._text) + self._waiting_size < self._retry_at:
            if len(self._text) + self._waiting_size > self._cap:
                raise self._error(f"a record is longer than {self._cap:,} characters")
            return iter(())
        self._join_waiting()
        return self._parse(final=False)

    def _join_waiting(self) -> None:
        self._text = "".join([self._text, *self._waiting])
        self._waiting = []
        self._waiting_size = 0

    def finish(self) -> Iterator[Row]:
        try:
            self._waiting.append(self._decoder.decode(b"", final=True))
        except UnicodeDecodeError:
            raise self._error(f"the file ends inside a {self._charset} character") from None
        self._join_waiting()
        yield from self._parse(final=True)
        if self._state != "done":
            raise self._error("the array ends early: the file is truncated")

    def _parse(self, *, final: bool) -> Iterator[Row]:
        text, position, state = self._text, 0, self._state
        decode, skip = self._decode, _SKIP_BLANKS.match
        end = len(text)
        self._retry_at = 0
        while True:
            position = skip(text, position).end()  # type: ignore[union-attr]
            if position == end:
                break
            char = text[position]
            if state == "value" or (state == "first" and char != "]"):
                try:
                    record, position_after = decode(text, position)
                except RecursionError:
                    raise self._error("a record is nested too deeply to read") from None
                except json.JSONDecodeError as error:
                    unterminated = error.msg.startswith("Unterminated")
                    if final:
                        if unterminated or error.pos >= end:
                            raise self._error(
                                "the file ends inside a record: it is truncated"
                            ) from None
                        raise self._error(f"not JSON ({error.msg})") from None
                    if not unterminated and error.pos < end - _TAIL:
                        raise self._error(f"not JSON ({error.msg})") from None
                    # Try again once the text has grown enough: linear, not quadratic.
                    self._retry_at = 2 * (end - position)
                    break
                if type(record) is not dict:
                    raise self._error(f"a JSON {type(record).__name__} where a record should be")
                self._records += 1
                position, state = position_after, "comma"
                yield record
            elif state == "comma" and char == ",":
                position, state = position + 1, "value"
            elif state in ("comma", "first") and char == "]":
                position, state = position + 1, "done"
            elif state == "start" and char == "[":
                position, state = position + 1, "first"
            elif state == "done":
                raise self._error(
                    f"data after the end of the array ({text[position : position + 16]!r})"
                )
            else:
                expected = {"start": "'['", "comma": "',' or ']'"}.get(state, "a record")
                raise self._error(f"expected {expected}, found {char!r}")
        self._text = text[position:]
        self._state = state
        if len(self._text) > self._cap:
            raise self._error(f"a record is longer than {self._cap:,} characters")

    def _error(self, message: str, *, offset: int | None = None) -> MalformedResultsError:
        return MalformedResultsError(
            message, format="json", record=self._records + 1, offset=offset
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


# --- a small table, for people ---------------------------------------------------

DEFAULT_TABLE_COLUMNS: Final[Mapping[str, str]] = {
    "name": "name",
    "domain": "domain",
    "industry": "industry",
    "employees": "employees",
    "revenue": "revenue",
    "city": "location.city.name",
    "country": "location.country.code",
}
"""Heading -> dotted field, for `format_table`."""


def format_table(
    rows: Iterable[Row],
    *,
    limit: int = 5,
    columns: Sequence[str] | Mapping[str, str] = DEFAULT_TABLE_COLUMNS,
    max_width: int = 28,
) -> str:
    """The first `limit` rows as a plain-text table, for people (a demo, a quick look).

    `columns` are dotted field names (`location.city.name`), or a mapping
    of heading to field name. Takes only `limit` rows from `rows`, so it
    can be given a stream. Cells longer than `max_width` are cut with an
    ellipsis; None shows as `-`; control characters (a line break in a
    description) show as spaces.
    """
    if limit < 0:
        raise ValueError("limit must not be negative")
    if max_width < 2:
        raise ValueError("max_width must be at least 2")
    fields = dict(columns) if isinstance(columns, Mapping) else {name: name for name in columns}
    table: list[list[str]] = [[_cell(heading, max_width) for heading in fields]]
    for row in itertools.islice(rows, limit):
        flat = flatten_row(row)
        table.append([_cell(flat.get(field), max_width) for field in fields.values()])
    widths = [max(len(line[index]) for line in table) for index in range(len(fields))]
    lines = [
        "  ".join(cell.ljust(width) for cell, width in zip(line, widths, strict=True)).rstrip()
        for line in table
    ]
    lines.insert(1, "  ".join("-" * width for width in widths))
    return "\n".join(lines)


_CONTROL: Final = re.compile(r"[\x00-\x1f\x7f-\x9f\u2028\u2029]")


def _cell(value: Any, max_width: int) -> str:
    text = "-" if value is None else value if isinstance(value, str) else str(value)
    text = _CONTROL.sub(" ", text)
    return text if len(text) <= max_width else text[: max_width - 1] + "…"
