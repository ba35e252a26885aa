"""JSON results files: an array of records, or JSON Lines (one record per line).

Both are read one record at a time as the bytes arrive: the array with
`json.JSONDecoder.raw_decode` over a sliding window of text, the lines in
blocks of complete lines. Which one a file is, the first byte says.
"""

from __future__ import annotations

import codecs
import json
import re
from collections.abc import Callable, Iterator
from typing import Final, Literal

from companyenrich_export._exceptions import MalformedResultsError
from companyenrich_export._results._record import Row

__all__ = ["JsonSniffer"]

_WHITESPACE: Final = frozenset(b" \t\r\n")
_UTF8_BOM: Final = codecs.BOM_UTF8


class JsonSniffer:
    """Holds the first bytes until the first non-blank one says `[` (JSON) or `{` (lines)."""

    def __init__(
        self,
        cap: int,
        charset: str,
        *,
        declared: bool,
        unsupported: Callable[[str], Exception],
    ) -> None:
        self._cap = cap
        self._charset = charset
        self._declared = declared
        self._unsupported = unsupported
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
            raise self._unsupported(
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
        self._decode = json.JSONDecoder().raw_decode
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
        decode = self._decode
        for number, line in enumerate(lines, start=first_line):
            try:
                # `raw_decode` and a look at what follows: `json.loads` less its Python layers.
                record, end = decode(line)
                if end != len(line) and line[end:].strip(" \t\r\n"):  # JSON's blanks only
                    raise ValueError("extra data")
            except RecursionError:
                raise self._error(f"line {number} is nested too deeply to read") from None
            except ValueError:
                if not line.strip():
                    continue  # a blank line
                record = self._slowly(line, number)
            if type(record) is not dict:
                raise self._error(
                    f"line {number} is a JSON {type(record).__name__}, not a record (an object)"
                )
            self._records += 1
            yield record

    def _slowly(self, line: str, number: int) -> object:
        """`json.loads` (leading blanks allowed), or the error saying what is wrong."""
        try:
            return json.loads(line)
        except RecursionError:
            raise self._error(f"line {number} is nested too deeply to read") from None
        except ValueError as error:
            raise self._error(f"line {number} is not JSON ({_reason(error)})") from None

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
