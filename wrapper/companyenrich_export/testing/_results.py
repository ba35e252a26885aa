"""The CSV file a completed job exports, produced lazily and deterministically.

Same job id, same bytes: row *i* is derived from a hash of the job id and
*i*. The size is known up front (for `Content-Length` and ranges) and the
body is generated chunk by chunk, so a 500 MB file costs no memory.
"""

from __future__ import annotations

import hashlib
from collections.abc import Iterator
from typing import Final
from uuid import UUID

HEADER: Final = b"domain,name,country,employees,description\n"
CHUNK_SIZE: Final = 64 * 1024

_SYLLABLES = (
    "ac", "bri", "cor", "dax", "el", "fen", "gal", "hex", "io", "jun", "kel", "lum",
    "mar", "nov", "or", "pax", "quin", "ros", "sol", "tor", "ul", "vex", "wen", "zen",
)  # fmt: skip
_SUFFIXES = ("Labs", "Systems", "Analytics", "Group", "Works", "Software", "Logistics", "Health")
_COUNTRIES = ("US", "GB", "DE", "FR", "NL", "SE", "ES", "IT", "CA", "AU", "JP", "BR", "IN", "PL")
# Filler for padded descriptions: no comma, quote or newline, so rows stay one CSV field wide.
_FILLER: Final = (b"lorem ipsum dolor sit amet consectetur adipiscing elit " * 1200)[:CHUNK_SIZE]


class ResultsFile:
    """The results CSV of one job: `size`, `etag`, and bytes on demand."""

    def __init__(self, job_id: UUID, rows: int, target_size: int | None = None) -> None:
        if rows < 0:
            raise ValueError("rows must not be negative")
        self.job_id = job_id
        self.rows = rows
        natural = len(HEADER) + sum(len(self._row(index)) + 1 for index in range(rows))
        padding = max(0, (target_size or 0) - natural) if rows else 0
        # Spread the padding over the rows so every row stays a plausible record.
        self._pad_each, self._pad_extra = divmod(padding, rows) if rows else (0, 0)
        self.size = natural + padding
        digest = hashlib.blake2b(f"{job_id}:{rows}:{self.size}".encode(), digest_size=16)
        self.etag = f'"{digest.hexdigest()}"'

    def _row(self, index: int) -> bytes:
        """Row `index` without its padding and newline."""
        seed = hashlib.blake2b(self.job_id.bytes + index.to_bytes(8, "big"), digest_size=8)
        d = seed.digest()
        stem = _SYLLABLES[d[0] % len(_SYLLABLES)] + _SYLLABLES[d[1] % len(_SYLLABLES)]
        name = f"{stem.capitalize()} {_SUFFIXES[d[2] % len(_SUFFIXES)]}"
        country = _COUNTRIES[d[3] % len(_COUNTRIES)]
        employees = 1 + int.from_bytes(d[4:7], "big") % 25_000
        description = f"Company {index + 1} of export {str(self.job_id)[:8]}"
        # `.example` is reserved (RFC 2606): no exported domain is a real company.
        return f"{stem}{index + 1}.example,{name},{country},{employees},{description}".encode()

    def _pieces(self) -> Iterator[bytes | memoryview]:
        yield HEADER
        filler = memoryview(_FILLER)
        for index in range(self.rows):
            yield self._row(index)
            padding = self._pad_each + (1 if index < self._pad_extra else 0)
            if padding:
                yield b" "
                padding -= 1
            while padding > 0:
                piece = filler[: min(padding, CHUNK_SIZE)]
                padding -= len(piece)
                yield piece
            yield b"\n"

    def iter_bytes(self, start: int = 0, stop: int | None = None) -> Iterator[bytes]:
        """Bytes `start` to `stop` (exclusive), in chunks of at most CHUNK_SIZE."""
        stop = self.size if stop is None else min(stop, self.size)
        buffer = bytearray()
        offset = 0
        for piece in self._pieces():
            end = offset + len(piece)
            if end > start:
                if offset >= stop:
                    break
                buffer += piece[max(start - offset, 0) : min(stop - offset, len(piece))]
                while len(buffer) >= CHUNK_SIZE:
                    yield bytes(buffer[:CHUNK_SIZE])
                    del buffer[:CHUNK_SIZE]
            offset = end
        if buffer:
            yield bytes(buffer)
