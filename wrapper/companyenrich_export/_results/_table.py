"""A few rows as a plain-text table, for people: a demo, a quick look at a file."""

from __future__ import annotations

import itertools
import re
from collections.abc import Iterable, Mapping, Sequence
from typing import Any, Final

from companyenrich_export._results._record import Row, flatten_row

__all__ = ["DEFAULT_TABLE_COLUMNS", "format_table"]

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
