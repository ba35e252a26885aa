"""`--keep-compressed` / `--decompress`: the CLI's side of `download(decompress=...)`."""

from __future__ import annotations

import argparse

__all__ = ["add_compression_options"]


def add_compression_options(parser: argparse.ArgumentParser) -> None:
    """Sets `args.decompress`: None (inflate gzip unless DEST ends .gz), False or True."""
    group = parser.add_mutually_exclusive_group()
    group.add_argument(
        "--keep-compressed",
        dest="decompress",
        action="store_const",
        const=False,
        default=None,
        help="a gzip-compressed results file is saved as served, its name given .gz "
        "(by default it is inflated unless DEST ends in .gz; stdout always gets the "
        "bytes as served)",
    )
    group.add_argument(
        "--decompress",
        dest="decompress",
        action="store_const",
        const=True,
        help="inflate a gzip-compressed results file even when DEST ends in .gz",
    )
