"""The vendor's company record: its fields, their kinds, and its flat (CSV) layout.

The fields are those of CompanyEnrich's company record (enrich and search
answers; the export file holds the same data). The vendor documents the
names and the nesting; where it leaves a type open (`page_rank`,
`total_funding`, a funding `amount`) the field is a "number": an integer or
a float, whichever the text says, exactly as JSON reads it.

One layout serves every flat form (a CSV file, a DataFrame, the CLI's CSV):
nested objects become dotted column names (`location.city.name`) and lists
become JSON text in one cell (`["b2b","saas"]`).
"""

from __future__ import annotations

import json
from collections.abc import Mapping
from typing import Any, Final, Literal

Kind = Literal["text", "integer", "number", "list"]
Row = dict[str, Any]
"""One company, as the vendor's record: nested objects are dicts, lists are lists."""

# (dotted path, kind), in the order the vendor's reference lists them.
RECORD_FIELDS: Final[tuple[tuple[str, Kind], ...]] = (
    ("id", "text"),
    ("name", "text"),
    ("domain", "text"),
    ("website", "text"),
    ("type", "text"),
    ("industry", "text"),
    ("industries", "list"),
    ("categories", "list"),
    ("employees", "text"),
    ("revenue", "text"),
    ("description", "text"),
    ("seo_description", "text"),
    ("founded_year", "integer"),
    ("page_rank", "number"),
    ("logo_url", "text"),
    ("keywords", "list"),
    ("technologies", "list"),
    ("naics_codes", "list"),
    ("location.address", "text"),
    ("location.phone", "text"),
    ("location.postal_code", "text"),
    ("location.city.id", "integer"),
    ("location.city.name", "text"),
    ("location.city.latitude", "number"),
    ("location.city.longitude", "number"),
    ("location.state.id", "integer"),
    ("location.state.name", "text"),
    ("location.state.code", "text"),
    ("location.country.name", "text"),
    ("location.country.code", "text"),
    ("socials.linkedin_url", "text"),
    ("socials.linkedin_id", "text"),
    ("socials.twitter_url", "text"),
    ("socials.facebook_url", "text"),
    ("socials.github_url", "text"),
    ("socials.youtube_url", "text"),
    ("socials.instagram_url", "text"),
    ("socials.crunchbase_url", "text"),
    ("socials.g2_url", "text"),
    ("socials.angellist_url", "text"),
    ("financial.total_funding", "number"),
    ("financial.funding_stage", "text"),
    ("financial.funding_date", "text"),
    ("financial.stock_symbol", "text"),
    ("financial.stock_exchange", "text"),
    ("financial.funding", "list"),
    ("subsidiaries", "list"),
    ("updated_at", "text"),
)

RECORD_COLUMNS: Final[tuple[str, ...]] = tuple(path for path, _ in RECORD_FIELDS)
"""The flat layout's columns, in order: what the fake's CSV header holds."""

FIELD_KINDS: Final[Mapping[str, Kind]] = dict(RECORD_FIELDS)

OBJECT_PATHS: Final[frozenset[str]] = frozenset(
    column.rsplit(".", depth)[0]
    for column in RECORD_COLUMNS
    for depth in range(1, column.count(".") + 1)
)
"""The nested objects of the record: `location`, `location.city`, `socials`, ..."""

# Enumerations of the vendor's search filter, which the record's fields share.
EMPLOYEE_RANGES: Final = (
    "1-10", "11-50", "51-200", "201-500", "501-1K", "1K-5K", "5K-10K", "over-10K",
)  # fmt: skip
REVENUE_RANGES: Final = (
    "under-1m", "1m-10m", "10m-50m", "50m-100m", "100m-200m", "200m-1b", "over-1b",
)  # fmt: skip
COMPANY_TYPES: Final = (
    "private", "public", "self-employed", "self-owned",
    "partnership", "nonprofit", "educational", "government",
)  # fmt: skip
CATEGORIES: Final = (
    "b2b",
    "b2c",
    "b2g",
    "e-commerce",
    "media",
    "service-provider",
    "mobile",
    "saas",
)
FUNDING_ROUNDS: Final = (
    "seed", "debt_financing", "angel", "venture", "series_a", "series_b", "series_c",
    "series_d", "series_e", "series_f", "series_g", "series_h", "other",
)  # fmt: skip


def flatten_row(row: Mapping[str, Any], *, lists_as_json: bool = True) -> dict[str, Any]:
    """The row in the flat layout: dotted keys, absent or null fields as None.

    Every column of `RECORD_COLUMNS` is present, in order, then any field
    the reference does not list (the vendor may add some), flattened alike.
    Lists become JSON text (for CSV) or stay lists (`lists_as_json=False`,
    for DataFrames).
    """
    flat: dict[str, Any] = dict.fromkeys(RECORD_COLUMNS)
    _flatten_into(flat, "", row, lists_as_json)
    return flat


# Most values are these, or dicts and lists: exact type checks first, since
# `isinstance(item, Mapping)` is an ABC's and slow (it was half the time of
# flattening a record, for the fake's CSV and for DataFrames).
_SCALARS: Final = frozenset({str, int, float, bool})
# `json.dumps` with options builds an encoder per call; this is the one it builds.
_list_json: Final = json.JSONEncoder(ensure_ascii=False, separators=(",", ":")).encode


def _flatten_into(
    flat: dict[str, Any], prefix: str, value: Mapping[str, Any], lists_as_json: bool
) -> None:
    for key, item in value.items():
        path = f"{prefix}{key}"
        kind = type(item)
        if kind in _SCALARS:
            flat[path] = item
        elif item is None:
            if path not in OBJECT_PATHS:  # a null object: its columns are already None
                flat[path] = None
        elif kind is dict or (kind is not list and isinstance(item, Mapping)):
            _flatten_into(flat, path + ".", item, lists_as_json)
        elif lists_as_json and (kind is list or isinstance(item, list | tuple)):
            flat[path] = _list_json(item)
        else:
            flat[path] = item


__all__ = [
    "CATEGORIES",
    "COMPANY_TYPES",
    "EMPLOYEE_RANGES",
    "FIELD_KINDS",
    "FUNDING_ROUNDS",
    "OBJECT_PATHS",
    "RECORD_COLUMNS",
    "RECORD_FIELDS",
    "REVENUE_RANGES",
    "Kind",
    "Row",
    "flatten_row",
]
