"""The check of `search=` and `similar=` before a create request: no credit spent on a typo.

The API ignores unknown filter fields and values instead of refusing them,
so a misspelt key or value silently widens the query. This module refuses
them first, with the path of each problem and the nearest valid spelling.

The rules are read from the `TypedDict`s in `filters.py` (keys, `Literal`
enums, item types, `Annotated` constraints), so the types users write and
the check at run time cannot drift apart; the contract tests hold both to
openapi.yaml. Where a rule lives:

* every field of a filter object is known (else: unknown field);
* enum values are documented ones (else: off-enum value);
* numbers are in range, texts match their pattern, lists are not too long;
* JSON types are right: no `True` where a number belongs, no 2.5 for an
  integer (2.0 is one, as in JSON Schema);
* nothing is empty: a filter, list, text or object (the API reads an empty
  one as no constraint at all);
* `query` and `semanticQuery` are not both given.

With `allow_unknown=True` unknown fields and off-enum values (which the
vendor may add before this client does) are sent unchanged and a warning
names where they are; every other rule still holds.
"""

from __future__ import annotations

import logging
import math
import re
import typing
from collections.abc import Mapping
from functools import cache
from typing import Any, Literal

from companyenrich_export import filters
from companyenrich_export._jobs._constraints import Bounds, MaxItems, Pattern

__all__ = ["FilterKind", "checked_filter"]

logger = logging.getLogger("companyenrich_export")

FilterKind = Literal["search", "similar"]

# Pairs the vendor says not to combine; checked on every object that has both fields.
_EXCLUSIVE_FIELDS = (("query", "semanticQuery"),)
_EMPTY = "empty, which sets no constraint (leave it out instead)"
_OPT_OUT_HINT = (
    "To send fields or values this client does not know yet, pass "
    "allow_unknown_filters=True (CLI: --allow-unknown-filters)."
)


# --- the rules, compiled from the TypedDicts --------------------------------------


# Plain classes, not dataclasses: defining those costs milliseconds at import.


class _Text:
    __slots__ = ("pattern",)

    def __init__(self, pattern: Pattern | None) -> None:
        self.pattern = pattern


class _Integer:
    __slots__ = ("bounds",)

    def __init__(self, bounds: Bounds | None) -> None:
        self.bounds = bounds


class _Number:
    __slots__ = ("bounds",)

    def __init__(self, bounds: Bounds | None) -> None:
        self.bounds = bounds


class _Enum:
    __slots__ = ("values",)

    def __init__(self, values: tuple[str, ...]) -> None:
        self.values = values


class _Array:
    __slots__ = ("item", "max_items")

    def __init__(self, item: _Rule, max_items: int | None) -> None:
        self.item = item
        self.max_items = max_items


class _OpenObject:
    """An object whose shape is not documented: any non-empty JSON object."""

    __slots__ = ()


class _Object:
    __slots__ = ("fields", "required")

    def __init__(self, fields: dict[str, _Rule], required: frozenset[str]) -> None:
        self.fields = fields
        self.required = required


_Rule = _Text | _Integer | _Number | _Enum | _Array | _OpenObject | _Object


def _compile(hint: Any) -> _Rule:
    marks: tuple[Any, ...] = ()
    if typing.get_origin(hint) is typing.Annotated:
        hint, *extra = typing.get_args(hint)
        marks = tuple(extra)
    origin = typing.get_origin(hint)
    bounds = next((mark for mark in marks if isinstance(mark, Bounds)), None)
    if hint is str:
        return _Text(next((mark for mark in marks if isinstance(mark, Pattern)), None))
    if hint is int:
        return _Integer(bounds)
    if hint is float:
        return _Number(bounds)
    if origin is Literal:
        return _Enum(tuple(typing.get_args(hint)))
    if origin is list:
        (item,) = typing.get_args(hint)
        max_items = next((mark.count for mark in marks if isinstance(mark, MaxItems)), None)
        return _Array(_compile(item), max_items)
    if origin is dict:
        return _OpenObject()
    if typing.is_typeddict(hint):
        return _compile_object(hint)
    raise TypeError(f"filters.py uses a type the check does not know: {hint!r}")


def _compile_object(typed_dict: Any) -> _Object:
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    fields: dict[str, _Rule] = {}
    for name, hint in hints.items():
        while typing.get_origin(hint) in (typing.Required, typing.NotRequired):
            (hint,) = typing.get_args(hint)
        fields[name] = _compile(hint)
    return _Object(fields, frozenset(typed_dict.__required_keys__))


@cache
def _filter_rules(kind: FilterKind) -> _Object:
    # Compiled on first use, not at import: `import companyenrich_export` stays cheap.
    return _compile_object(filters.SearchFilter if kind == "search" else filters.SimilarFilter)


# --- checking ---------------------------------------------------------------------


class _Findings:
    __slots__ = ("errors", "opt_out_would_pass", "unknown_fields", "unknown_values")

    def __init__(self) -> None:
        self.errors: list[str] = []
        # Some error is an unknown field or value, which the opt-out would let through.
        self.opt_out_would_pass = False
        self.unknown_fields: list[str] = []
        self.unknown_values: list[str] = []


def _json_type(value: object) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "a boolean"
    if isinstance(value, int):
        return "an integer"
    if isinstance(value, float):
        return "a number"
    if isinstance(value, str):
        return "text"
    if isinstance(value, list | tuple):
        return "a list"
    if isinstance(value, Mapping):
        return "an object"
    return f"a {type(value).__name__}"


def _suggestion(given: str, choices: typing.Iterable[str]) -> str | None:
    """The choice closest to `given`: same letters ignoring case and separators first."""
    options = list(choices)

    def folded(text: str) -> str:
        return re.sub(r"[\s_\-]", "", text).lower()

    import difflib  # only when something is refused: it costs milliseconds at import

    same = [option for option in options if folded(option) == folded(given)]
    if same:
        return same[0]
    close = difflib.get_close_matches(given, options, n=1, cutoff=0.6)
    if close:
        return close[0]
    by_folded = {folded(option): option for option in options}
    close = difflib.get_close_matches(folded(given), list(by_folded), n=1, cutoff=0.6)
    return by_folded[close[0]] if close else None


class _Checker:
    def __init__(self, kind: FilterKind, allow_unknown: bool) -> None:
        self.kind = kind
        self.allow_unknown = allow_unknown
        self.found = _Findings()

    def error(self, path: str, message: str) -> None:
        self.found.errors.append(f"{path}: {message}")

    def check(self, rule: _Rule, value: object, path: str) -> None:
        if isinstance(rule, _Object):
            self.check_object(rule, value, path)
        elif isinstance(rule, _Array):
            self.check_array(rule, value, path)
        elif isinstance(rule, _Enum):
            self.check_enum(rule, value, path)
        elif isinstance(rule, _Text):
            self.check_text(rule, value, path)
        elif isinstance(rule, _Integer | _Number):
            self.check_number(rule, value, path)
        else:
            self.check_open_object(value, path)

    def check_object(self, rule: _Object, value: object, path: str) -> None:
        if not isinstance(value, Mapping):
            self.error(path, f"expected an object, got {_json_type(value)}")
            return
        if not value and not rule.required:
            what = "empty filter: it would match every company" if path == self.kind else _EMPTY
            self.error(path, what)
            return
        for key, item in value.items():
            if not isinstance(key, str):
                self.error(path, f"field names must be text, got {_json_type(key)}")
                continue
            where = f"{path}.{key}"
            known = rule.fields.get(key)
            if known is not None:
                self.check(known, item, where)
            elif self.allow_unknown:
                self.found.unknown_fields.append(where)
            else:
                self.found.opt_out_would_pass = True
                advice = self.advice(key, rule, at_top=path == self.kind)
                self.error(where, f"unknown field{advice}")
        for name in sorted(rule.required - value.keys()):
            self.error(f"{path}.{name}", "required")
        for first, second in _EXCLUSIVE_FIELDS:
            if first in value and second in value:
                self.error(path, f"give {first!r} or {second!r}, not both")

    def advice(self, key: str, rule: _Object, *, at_top: bool) -> str:
        other: FilterKind = "similar" if self.kind == "search" else "search"
        if at_top and key in _filter_rules(other).fields:
            return f" ({key!r} is a field of {other}=, not {self.kind}=)"
        guess = _suggestion(key, rule.fields)
        return f", did you mean {guess!r}?" if guess else ""

    def check_open_object(self, value: object, path: str) -> None:
        if not isinstance(value, Mapping):
            self.error(path, f"expected an object, got {_json_type(value)}")
        elif not value:
            self.error(path, _EMPTY)
        elif not all(isinstance(key, str) for key in value):
            self.error(path, "field names must be text")

    def check_array(self, rule: _Array, value: object, path: str) -> None:
        if not isinstance(value, list | tuple):
            self.error(path, f"expected a list, got {_json_type(value)}")
            return
        if not value:
            self.error(path, _EMPTY)
            return
        if rule.max_items is not None and len(value) > rule.max_items:
            self.error(path, f"{len(value)} items, at most {rule.max_items} allowed")
        for index, item in enumerate(value):
            self.check(rule.item, item, f"{path}[{index}]")

    def check_enum(self, rule: _Enum, value: object, path: str) -> None:
        if not isinstance(value, str):
            self.error(path, f"expected text, got {_json_type(value)}")
        elif value not in rule.values:
            if self.allow_unknown and value:
                self.found.unknown_values.append(path)
                return
            if value:
                self.found.opt_out_would_pass = True
            guess = _suggestion(value, rule.values)
            hint = f", did you mean {guess!r}?" if guess else f" (one of: {', '.join(rule.values)})"
            self.error(path, f"{value!r} is not a documented value{hint}")

    def check_text(self, rule: _Text, value: object, path: str) -> None:
        if not isinstance(value, str):
            self.error(path, f"expected text, got {_json_type(value)}")
        elif not value:
            self.error(path, _EMPTY)
        elif rule.pattern is not None and re.fullmatch(rule.pattern.regex, value) is None:
            fixed = value.strip().upper()
            hint = f", did you mean {fixed!r}?" if re.fullmatch(rule.pattern.regex, fixed) else ""
            self.error(path, f"{value!r} is not {rule.pattern.meaning}{hint}")

    def check_number(self, rule: _Integer | _Number, value: object, path: str) -> None:
        wanted = "an integer" if isinstance(rule, _Integer) else "a number"
        if isinstance(value, bool) or not isinstance(value, int | float):
            self.error(path, f"expected {wanted}, got {_json_type(value)}")
            return
        if not math.isfinite(value):
            self.error(path, f"expected {wanted}, got {value!r} (not valid JSON)")
            return
        # JSON has one number type: 2.0 is an integer to JSON Schema, and is sent as given.
        if isinstance(rule, _Integer) and not float(value).is_integer():
            self.error(path, f"expected an integer, got {value!r}")
            return
        bounds = rule.bounds
        if bounds is None:
            return
        if (bounds.low is not None and value < bounds.low) or (
            bounds.high is not None and value > bounds.high
        ):
            self.error(path, f"{value!r} is out of range ({bounds.describe()})")


def _as_json(value: object) -> Any:
    """A plain JSON copy (dicts and lists), in the same order: what was checked is what is sent."""
    if isinstance(value, Mapping):
        return {key: _as_json(item) for key, item in value.items()}
    if isinstance(value, list | tuple):
        return [_as_json(item) for item in value]
    return value


def checked_filter(kind: FilterKind, value: object, *, allow_unknown: bool = False) -> Any:
    """`value` as a plain JSON object to send, or ValueError naming every problem in it.

    Raises TypeError when `value` is not a mapping at all, like the other
    arguments of `create` with a wrong type.
    """
    if not isinstance(value, Mapping):
        raise TypeError(f"{kind}= must be a mapping (a dict), got {type(value).__name__}")
    checker = _Checker(kind, allow_unknown)
    checker.check(_filter_rules(kind), value, kind)
    found = checker.found
    if found.errors:
        problems = "; ".join(found.errors)
        end = "" if problems.endswith("?") else "."
        hint = f"{end} {_OPT_OUT_HINT}" if found.opt_out_would_pass else ""
        raise ValueError(f"{kind} filter refused, nothing was sent: {problems}{hint}")
    if found.unknown_fields or found.unknown_values:
        # Paths only: a value could be anything, a secret included.
        parts = []
        if found.unknown_fields:
            parts.append("unknown fields " + ", ".join(found.unknown_fields))
        if found.unknown_values:
            parts.append("undocumented values at " + ", ".join(found.unknown_values))
        logger.warning(
            "Sending %s unchecked (allow_unknown_filters=True): %s",
            kind,
            "; ".join(parts),
        )
    plain = _as_json(value)
    _assert_json(plain, kind)
    return plain


def _assert_json(value: object, path: str) -> None:
    """Refuse what JSON cannot carry (under the opt-out, unknown fields hold anything)."""
    if isinstance(value, dict):
        for key, item in value.items():
            if not isinstance(key, str):
                raise ValueError(f"{path}: field names must be text, got {_json_type(key)}")
            _assert_json(item, f"{path}.{key}")
    elif isinstance(value, list):
        for index, item in enumerate(value):
            _assert_json(item, f"{path}[{index}]")
    elif isinstance(value, float) and not math.isfinite(value):
        raise ValueError(f"{path}: {value!r} is not valid JSON")
    elif value is not None and not isinstance(value, str | int | float):
        raise ValueError(f"{path}: {_json_type(value)} cannot be sent as JSON")
