"""The public filter types, the fake's filter table and the webhook rule, held to openapi.yaml.

`companyenrich_export.filters` is written by hand (TypedDicts, so that a
user's type checker sees it) and the client's check is compiled from it;
the fake server has its own table of JSON shapes. These tests compare both
with the spec field by field, so a field, enum value, bound or pattern
added to one and not the others fails here, naming it.
"""

from __future__ import annotations

import typing
from typing import Any

import pytest

from companyenrich_export import filters
from companyenrich_export._jobs._constraints import Bounds, MaxItems, Pattern
from companyenrich_export._jobs._webhook import WEBHOOK_URL_PATTERN
from companyenrich_export.testing import _validation

from _spec import spec

SCHEMAS = spec()["components"]["schemas"]
PAIRS = [
    ("CompanySearchFilter", filters.SearchFilter),
    ("SimilarCompaniesFilter", filters.SimilarFilter),
    ("ExcludeFilter", filters.ExcludeFilter),
    ("YearRange", filters.YearRange),
    ("AmountRange", filters.AmountRange),
    ("WorkforceSize", filters.WorkforceSize),
]
JSON_TYPES = {str: "string", int: "integer", float: "number"}


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _unwrap(hint: Any) -> tuple[Any, list[Any]]:
    marks: list[Any] = []
    while True:
        origin = typing.get_origin(hint)
        if origin in (typing.Required, typing.NotRequired):
            (hint,) = typing.get_args(hint)
        elif origin is typing.Annotated:
            hint, *extra = typing.get_args(hint)
            marks.extend(extra)
        else:
            return hint, marks


def _compare(hint: Any, schema: dict[str, Any], where: str) -> list[str]:
    """Differences between one Python type and one JSON Schema, in words."""
    schema = _resolve(schema)
    hint, marks = _unwrap(hint)
    problems: list[str] = []
    bounds = next((mark for mark in marks if isinstance(mark, Bounds)), None)
    pattern = next((mark for mark in marks if isinstance(mark, Pattern)), None)
    max_items = next((mark.count for mark in marks if isinstance(mark, MaxItems)), None)
    origin = typing.get_origin(hint)
    if origin is typing.Literal:
        if list(typing.get_args(hint)) != schema.get("enum"):
            problems.append(f"{where}: {typing.get_args(hint)} != enum {schema.get('enum')}")
    elif origin is list:
        if schema.get("type") != "array" or schema.get("minItems") != 1:
            problems.append(f"{where}: a list, but {schema}")
        if schema.get("maxItems") != max_items:
            problems.append(f"{where}: at most {max_items} items, spec {schema.get('maxItems')}")
        (item,) = typing.get_args(hint)
        problems += _compare(item, schema["items"], f"{where}[]")
    elif origin is dict:
        if schema.get("type") != "object" or schema.get("additionalProperties") is not True:
            problems.append(f"{where}: an open object, but {schema}")
    elif typing.is_typeddict(hint):
        problems += _compare_object(hint, schema, where)
    else:
        if schema.get("type") != JSON_TYPES.get(hint):
            problems.append(f"{where}: {hint} but type {schema.get('type')}")
        spec_bounds = (schema.get("minimum"), schema.get("maximum"))
        ours = (bounds.low, bounds.high) if bounds else (None, None)
        if spec_bounds != ours:
            problems.append(f"{where}: bounds {ours}, spec {spec_bounds}")
        spec_pattern = schema.get("pattern")
        if (pattern and f"^{pattern.regex}$") != spec_pattern:
            problems.append(f"{where}: pattern {pattern}, spec {spec_pattern}")
        if hint is str and not pattern and schema.get("minLength") != 1:
            problems.append(f"{where}: text must be non-empty, spec {schema}")
    return problems


def _compare_object(typed_dict: Any, schema: dict[str, Any], where: str) -> list[str]:
    hints = typing.get_type_hints(typed_dict, include_extras=True)
    properties = schema.get("properties", {})
    problems = [f"{where}.{name}: not in the spec" for name in hints if name not in properties]
    problems += [f"{where}.{name}: not in the types" for name in properties if name not in hints]
    if sorted(typed_dict.__required_keys__) != sorted(schema.get("required", [])):
        problems.append(f"{where}: required {sorted(typed_dict.__required_keys__)}")
    if schema.get("additionalProperties") is not False:
        problems.append(f"{where}: the spec lets unknown fields through")
    if "required" not in schema and schema.get("minProperties") != 1:
        problems.append(f"{where}: the spec allows it empty")
    for name in hints.keys() & properties.keys():
        problems += _compare(hints[name], properties[name], f"{where}.{name}")
    return problems


@pytest.mark.parametrize(("name", "typed_dict"), PAIRS, ids=[name for name, _ in PAIRS])
def test_the_public_types_are_the_spec(name: str, typed_dict: Any) -> None:
    assert _compare_object(typed_dict, SCHEMAS[name], name) == []


def test_the_comparison_notices_a_difference() -> None:
    """Not vacuous: a wrong enum, bound, field or requirement is reported."""
    changed = {
        **SCHEMAS["SimilarCompaniesFilter"],
        "required": [],
        "properties": {
            **SCHEMAS["SimilarCompaniesFilter"]["properties"],
            "minScore": {"type": "number", "minimum": 0, "maximum": 2},
            "newField": {"type": "string"},
        },
    }
    problems = _compare_object(filters.SimilarFilter, changed, "similar")
    assert any("minScore: bounds" in problem for problem in problems), problems
    assert any("newField: not in the types" in problem for problem in problems), problems
    assert any("required" in problem for problem in problems), problems
    renamed = {**SCHEMAS["EmployeeRange"], "enum": [*SCHEMAS["EmployeeRange"]["enum"][:-1], "x"]}
    assert _compare(filters.EmployeeRange, renamed, "employees") != []


def test_the_query_fields_exclude_each_other_in_the_spec() -> None:
    for name in ("CompanySearchFilter", "SimilarCompaniesFilter"):
        assert SCHEMAS[name]["not"]["required"] == ["query", "semanticQuery"], name


def _fake_shape(schema: dict[str, Any]) -> Any:
    """The fake's table entry that the spec's schema calls for."""
    schema = _resolve(schema)
    kind = schema.get("type")
    if kind == "array":
        return [_fake_shape(schema["items"])]
    if kind == "object":
        return {name: _fake_shape(member) for name, member in schema.get("properties", {}).items()}
    if kind == "integer":
        return _validation.INT32 if schema.get("format") == "int32" else _validation.INTEGER
    return _validation.NUMBER if kind == "number" else _validation.TEXT


@pytest.mark.parametrize(
    ("name", "table"),
    [
        ("CompanySearchFilter", _validation.SEARCH_FIELDS),
        ("SimilarCompaniesFilter", _validation.SIMILAR_FIELDS),
    ],
)
def test_the_fakes_filter_shapes_are_the_spec(name: str, table: dict[str, Any]) -> None:
    assert table == _fake_shape(SCHEMAS[name])


def test_the_webhook_rule_is_the_specs_pattern() -> None:
    webhook = SCHEMAS["CreateExportRequest"]["properties"]["webhook_url"]
    assert webhook["pattern"] == WEBHOOK_URL_PATTERN
