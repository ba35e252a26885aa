"""A gzip body saved under a name that does not say so ends as the plain file.

Servers may send the results gzip-compressed (`Content-Encoding: gzip`, or
a gzip object behind a `.csv` link). Saved as served under `companies.csv`,
that is gzip under a CSV name, which `pd.read_csv` and every spreadsheet
refuse. So a download to a file decides at the end, from the first bytes:

* gzip bytes, a name without `.gz` and `decompress` left at None (or True):
  the file is inflated into the destination, and nothing compressed stays;
* gzip bytes and `decompress=False`: kept as served, the name given `.gz`
  (`companies.csv` -> `companies.csv.gz`), which is what it is;
* a name ending `.gz`/`.gzip`: kept as served unless `decompress=True`;
* anything else (including a body that claims gzip and is not): as served.

The decision is made once the raw download is complete, so resuming (a
Range request after a dropped connection) works on the bytes on the wire
exactly as before; inflating is a second, local pass, from the hidden
partial file into a new hidden file that replaces the destination
atomically, as any download does. It is bounded: the output may be at most
`MAX_RATIO` times the compressed size (and at least `MIN_CAP_BYTES`), else
`MalformedResultsError` and nothing is left behind: the promise that a 1 MB
gzip bomb never becomes 1 GiB on disk holds. Memory is one chunk at a time.
"""

from __future__ import annotations

import zlib
from pathlib import Path
from typing import BinaryIO, Final

from companyenrich_export._exceptions import MalformedResultsError
from companyenrich_export._results._files import AtomicFile

__all__ = ["MAX_RATIO", "MIN_CAP_BYTES", "finish_download", "saved_name"]

MAX_RATIO: Final = 50
"""Most bytes of output per compressed byte: CSV and JSON compress 5-20 times."""
MIN_CAP_BYTES: Final = 32 * 1024 * 1024
"""Small files may inflate more than `MAX_RATIO`, up to this many bytes."""
_CHUNK: Final = 256 * 1024
_GZIP_MAGIC: Final = b"\x1f\x8b"
_GZIP_SUFFIXES: Final = (".gz", ".gzip")


def _named_gzip(path: Path) -> bool:
    return path.name.lower().endswith(_GZIP_SUFFIXES)


def saved_name(target: Path, *, gzipped: bool, decompress: bool | None) -> tuple[Path, bool]:
    """(where the file goes, whether to inflate it on the way) for a complete download."""
    if not gzipped:
        return target, False
    if decompress is None:
        decompress = not _named_gzip(target)
    if decompress:
        return target, True
    if _named_gzip(target):
        return target, False
    return target.with_name(target.name + ".gz"), False


def finish_download(partial: AtomicFile, decompress: bool | None) -> Path:
    """Commit a complete raw download: as served, renamed `.gz`, or inflated (see above)."""
    partial.flush()
    with partial.temporary.open("rb") as raw:
        gzipped = raw.read(2) == _GZIP_MAGIC
    target, inflate = saved_name(partial.target, gzipped=gzipped, decompress=decompress)
    # A name claimed in a folder stays claimed, not replaced, whatever the file ends as
    # (see AtomicFile's claim_or): the fallback name follows the same rule.
    claim_or = partial.claim_or
    if claim_or is not None:
        claim_or, _ = saved_name(claim_or, gzipped=gzipped, decompress=decompress)
    if not inflate:
        partial.target, partial.claim_or = target, claim_or
        return partial.commit()
    compressed = partial.temporary.stat().st_size
    cap = max(compressed * MAX_RATIO, MIN_CAP_BYTES)
    with AtomicFile(target, claim_or=claim_or) as plain, partial.temporary.open("rb") as raw:
        _inflate(raw, plain, cap, compressed)
        path = plain.commit()
    partial.discard()
    return path


def _inflate(raw: BinaryIO, plain: AtomicFile, cap: int, compressed: int) -> None:
    # 16 + MAX_WBITS: gzip framing. Members one after another are one file (RFC 1952).
    inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
    in_member = False
    produced = 0
    pending = b""
    try:
        while True:
            if not pending:
                pending = raw.read(_CHUNK)
                if not pending:
                    break
            if not in_member and not pending.strip(b"\x00"):
                pending = b""  # zero padding after the last member, as gzip(1) allows
                continue
            in_member = True
            # Bounded output per call: a bomb never sits in memory whole.
            out = inflater.decompress(pending, _CHUNK)
            while True:
                produced += len(out)
                if produced > cap:
                    raise MalformedResultsError(
                        f"it inflates to more than {cap:,} bytes from {compressed:,} "
                        f"(over {MAX_RATIO} times): not saved; download with "
                        "decompress=False to keep it compressed",
                        format="gzip",
                    )
                plain.write(out)
                if len(out) < _CHUNK or inflater.unconsumed_tail or inflater.eof:
                    break
                out = inflater.decompress(b"", _CHUNK)  # output zlib still holds
            pending = inflater.unconsumed_tail
            if inflater.eof:
                # What follows the member; zlib may show it as the unconsumed tail too.
                pending = inflater.unused_data
                inflater = zlib.decompressobj(16 + zlib.MAX_WBITS)
                in_member = False
    except zlib.error as error:
        raise MalformedResultsError(f"not valid gzip ({error})", format="gzip") from None
    if in_member:
        raise MalformedResultsError("the gzip stream ends early (a truncated file)", format="gzip")
