"""CSV results files: RFC 4180 records, restored to the shape of the vendor's record.

The rule (see `_rows`): dotted column names nest, numeric fields become
int or float as JSON would read the same text, list fields are parsed from
their JSON text, an empty cell is None, and an object whose fields are all
empty is None. A cell that does not parse as its kind stays text.
"""

from __future__ import annotations

import codecs
import csv
import io
import json
import re
from collections.abc import Callable, Iterator, Sequence
from operator import itemgetter
from typing import Any, Final

from companyenrich_export._exceptions import MalformedResultsError
from companyenrich_export._results._record import FIELD_KINDS, Row

__all__ = ["CsvParser"]

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


class CsvParser:
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
