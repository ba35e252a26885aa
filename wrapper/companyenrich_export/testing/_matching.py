"""How many companies the fake says a query matches (`total_matching`).

A made-up but fixed model, so tests and the demo can see what a filter
did: a population of `POPULATION` companies, narrowed by a fixed factor for
each constraint the real API would recognise. Whatever the API ignores
(unknown fields, undocumented enum values, values out of range or of the
wrong form) narrows nothing, so a dropped or misspelt filter shows up as a
larger count. The same query gives the same count in every run; key order
does not matter.

The factors (a share of the population, multiplied together):

* enum lists (`employees`, `revenue`, `category`, `type`, `fundingRounds`):
  the documented values given, over all documented values;
* `countries`: 1/25 per valid code; `regions` 1/10, `states` 1/100,
  `cities` 1/1000, `naicsCode` 1/50, `lists` and `require` 1/10 per value;
* `keywords`, `technologies`, `category`: with operator `and` the shares
  multiply (all of them), otherwise they add up (any of them), 1/20 per
  keyword or technology;
* `semanticQuery` 1/10, `query` 1/1000 (names and domains only);
* each bound of `foundedYear`, `fundingYear`, `fundingAmount`, each
  `workforceSize` item with a bound, and a non-empty `workforceGrowth`: 1/2;
* `similar`: 1/100 per seed domain (up to 1), times `1 - minScore`;
* `exclude`: each recognised field takes its own share away (times
  `1 - share`), and each excluded domain one company;
* `semanticWeight` and `similarityWeight` rank results and narrow nothing.
"""

from __future__ import annotations

import math
import re
import typing
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from typing import Any, Final

from companyenrich_export import filters

__all__ = [
    "POPULATION",
    "RecordConstraints",
    "matching_companies",
    "record_constraints",
    "record_matches",
]

POPULATION: Final = 20_000_000

_ENUMS: Final[dict[str, tuple[str, ...]]] = {
    "employees": typing.get_args(filters.EmployeeRange),
    "revenue": typing.get_args(filters.RevenueRange),
    "category": typing.get_args(filters.BusinessCategory),
    "type": typing.get_args(filters.CompanyType),
    "fundingRounds": typing.get_args(filters.FundingRound),
}
_OPERATORS: Final = {
    "category": "categoryOperator",
    "keywords": "keywordsOperator",
    "technologies": "technologiesOperator",
}
_COUNTRY: Final = re.compile(r"[A-Z]{2}")
_NAICS: Final = range(10, 1_000_000)


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def _is_number(value: object) -> bool:
    return isinstance(value, int | float) and not isinstance(value, bool) and math.isfinite(value)


def _distinct(values: object, keep: Callable[[Any], bool]) -> list[Any]:
    if not isinstance(values, list):
        return []
    seen: list[Any] = []
    for value in values:
        if keep(value) and value not in seen:
            seen.append(value)
    return seen


def _text(value: object) -> bool:
    return isinstance(value, str) and value != ""


# Per-value share of the population, and which values the API would recognise.
_PER_VALUE: Final[dict[str, tuple[float, Callable[[Any], bool]]]] = {
    "countries": (1 / 25, lambda value: isinstance(value, str) and bool(_COUNTRY.fullmatch(value))),
    "regions": (1 / 10, _text),
    "states": (1 / 100, _is_int),
    "cities": (1 / 1000, _is_int),
    "naicsCode": (1 / 50, lambda value: _is_int(value) and value in _NAICS),
    "lists": (1 / 10, _text),
    "require": (1 / 10, _text),
    "keywords": (1 / 20, _text),
    "technologies": (1 / 20, _text),
    "domains": (1 / 100, _text),
}


def _list_share(name: str, values: object, operator: object) -> float:
    """The share of companies one list field keeps; 1.0 when it sets no recognised constraint."""
    if name in _ENUMS:
        allowed = _ENUMS[name]
        given = _distinct(values, lambda value: value in allowed)
        each = 1 / len(allowed)
    elif name in _PER_VALUE:
        each, recognised = _PER_VALUE[name]
        given = _distinct(values, recognised)
    else:
        return 1.0
    if not given:
        return 1.0
    if operator == "and":
        return float(each ** len(given))
    return min(1.0, each * len(given))


def _bounds_share(value: object, *, integers: bool) -> float:
    if not isinstance(value, Mapping):
        return 1.0
    valid = _is_int if integers else _is_number
    return 0.5 ** sum(1 for bound in ("min", "max") if valid(value.get(bound)))


def _field_share(name: str, value: object, query: Mapping[str, Any]) -> float:
    operator = query.get(_OPERATORS[name]) if name in _OPERATORS else None
    if name in _ENUMS or name in _PER_VALUE:
        return _list_share(name, value, operator)
    if name == "semanticQuery":
        return 0.1 if _text(value) else 1.0
    if name == "query":
        return 0.001 if _text(value) else 1.0
    if name in ("foundedYear", "fundingYear"):
        return _bounds_share(value, integers=True)
    if name == "fundingAmount":
        return _bounds_share(value, integers=False)
    if name == "workforceSize" and isinstance(value, list):
        bounded = [item for item in value if _bounds_share(item, integers=True) < 1]
        return 0.5 ** len(bounded)
    if name == "workforceGrowth":
        return 0.5 if isinstance(value, Mapping) and value else 1.0
    if name == "minScore" and isinstance(value, int | float) and _is_number(value):
        return 1.0 - float(value) if 0 <= value <= 1 else 1.0
    return 1.0


def _fields(typed_dict: Any) -> frozenset[str]:
    return frozenset(typed_dict.__required_keys__ | typed_dict.__optional_keys__)


_SEARCH_FIELDS: Final = _fields(filters.SearchFilter)
_SIMILAR_FIELDS: Final = _fields(filters.SimilarFilter)
_EXCLUDE_FIELDS: Final = _fields(filters.ExcludeFilter) - {"domains"}


def _share(query: Mapping[str, Any], known: frozenset[str]) -> float:
    share = 1.0
    for name, value in query.items():
        if name in known and name != "exclude":
            share *= _field_share(name, value, query)
    excluded = query.get("exclude") if "exclude" in known else None
    if isinstance(excluded, Mapping):
        for name, values in excluded.items():
            if name in _EXCLUDE_FIELDS:
                share *= 1.0 - _list_share(name, values, None)
    return share


def _excluded_domains(query: Mapping[str, Any]) -> int:
    """Companies left out by name: one each."""
    excluded = query.get("exclude")
    if not isinstance(excluded, Mapping):
        return 0
    return len(_distinct(excluded.get("domains"), _text))


def matching_companies(search: Mapping[str, Any] | None, similar: Mapping[str, Any] | None) -> int:
    """How many companies the fake's population holds for this create request."""
    if search is not None:
        query, known = search, _SEARCH_FIELDS
    elif similar is not None:
        query, known = similar, _SIMILAR_FIELDS
    else:
        return POPULATION
    kept = math.floor(POPULATION * _share(query, known))
    return max(kept - _excluded_domains(query), 0)


# --- records that follow the query ---------------------------------------------------


@dataclass(frozen=True)
class RecordConstraints:
    """What every record of an export must satisfy: the recognised fields of its query.

    Recognised as in `matching_companies` (the same rules: documented enum
    values, `XX` country codes, integer year bounds); `None` means the field
    sets no constraint. Exclusions are folded in (`type` minus `exclude.type`).
    """

    countries: frozenset[str] | None = None
    employees: frozenset[str] | None = None
    revenue: frozenset[str] | None = None
    types: frozenset[str] | None = None
    excluded_categories: frozenset[str] = frozenset()
    categories: tuple[tuple[str, ...], bool] | None = None  # (values, all of them)
    keywords: tuple[tuple[str, ...], bool] | None = None
    technologies: tuple[tuple[str, ...], bool] | None = None
    excluded_keywords: frozenset[str] = frozenset()
    excluded_technologies: frozenset[str] = frozenset()
    founded_min: int | None = None
    founded_max: int | None = None

    @property
    def active(self) -> bool:
        return self != RecordConstraints()


def _allowed(
    query: Mapping[str, Any], excluded: Mapping[str, Any], name: str
) -> frozenset[str] | None:
    if name in _ENUMS:
        universe: tuple[str, ...] = _ENUMS[name]
        given = _distinct(query.get(name), lambda value: value in universe)
        removed = _distinct(excluded.get(name), lambda value: value in universe)
    else:
        recognised = _PER_VALUE[name][1]
        given = _distinct(query.get(name), recognised)
        removed = _distinct(excluded.get(name), recognised)
        if not given:
            return frozenset(f"!{value}" for value in removed) if removed else None
    if not given and not removed:
        return None
    return frozenset(given or universe) - frozenset(removed)


def _wanted(query: Mapping[str, Any], name: str) -> tuple[tuple[str, ...], bool] | None:
    universe = _ENUMS.get(name)
    given = _distinct(
        query.get(name), (lambda value: value in universe) if universe else _PER_VALUE[name][1]
    )
    if not given:
        return None
    return tuple(given), query.get(_OPERATORS[name]) == "and"


def record_constraints(search: Mapping[str, Any] | None) -> RecordConstraints:
    """The constraints a search filter puts on each record (none for `similar` exports)."""
    if not isinstance(search, Mapping):
        return RecordConstraints()
    excluded = search.get("exclude")
    excluded = excluded if isinstance(excluded, Mapping) else {}
    founded = search.get("foundedYear")
    founded = founded if isinstance(founded, Mapping) else {}
    low, high = founded.get("min"), founded.get("max")

    def texts(name: str) -> frozenset[str]:
        return frozenset(_distinct(excluded.get(name), _text))

    return RecordConstraints(
        countries=_allowed(search, excluded, "countries"),
        employees=_allowed(search, excluded, "employees"),
        revenue=_allowed(search, excluded, "revenue"),
        types=_allowed(search, excluded, "type"),
        excluded_categories=frozenset(
            _distinct(excluded.get("category"), lambda value: value in _ENUMS["category"])
        ),
        categories=_wanted(search, "category"),
        keywords=_wanted(search, "keywords"),
        technologies=_wanted(search, "technologies"),
        excluded_keywords=texts("keywords"),
        excluded_technologies=texts("technologies"),
        founded_min=low if _is_int(low) else None,
        founded_max=high if _is_int(high) else None,
    )


def record_matches(record: Mapping[str, Any], constraints: RecordConstraints) -> list[str]:
    """The constraints `record` breaks, by field name (empty: it matches)."""
    broken: list[str] = []
    country = ((record.get("location") or {}).get("country") or {}).get("code")
    if constraints.countries is not None and not _in(country, constraints.countries):
        broken.append("countries")
    for name, allowed in (
        ("employees", constraints.employees),
        ("revenue", constraints.revenue),
        ("type", constraints.types),
    ):
        if allowed is not None and record.get(name) not in allowed:
            broken.append(name)
    founded = record.get("founded_year")
    if constraints.founded_min is not None or constraints.founded_max is not None:
        low = constraints.founded_min if constraints.founded_min is not None else -(10**9)
        high = constraints.founded_max if constraints.founded_max is not None else 10**9
        if not (isinstance(founded, int) and low <= founded <= high):
            broken.append("foundedYear")
    for name, field, wanted, excluded in (
        ("category", "categories", constraints.categories, constraints.excluded_categories),
        ("keywords", "keywords", constraints.keywords, constraints.excluded_keywords),
        (
            "technologies",
            "technologies",
            constraints.technologies,
            constraints.excluded_technologies,
        ),
    ):
        held = set(record.get(field) or ())
        if wanted is not None:
            values, every = wanted
            if not (held.issuperset(values) if every else held.intersection(values)):
                broken.append(name)
        if held & excluded:
            broken.append(f"exclude.{name}")
    return broken


def _in(value: object, allowed: frozenset[str]) -> bool:
    """`allowed` as `_allowed` makes it: values, or only `!value` exclusions."""
    if any(item.startswith("!") for item in allowed):
        return f"!{value}" not in allowed
    return value in allowed
