""" "One contract" for create requests: the spec, the fake and the client, side by side.

openapi.yaml says what a client should send. The real API accepts more: it
ignores unknown filter fields and values instead of refusing them, and the
fake does the same. So there are three sets of create bodies:

    client sends  ⊆  spec accepts  ⊆  vendor (and fake) accepts

`vendor_schema()` is the third, derived from the spec by dropping, inside
`search` and `similar`, every rule about a value the vendor is documented
(or assumed, see the README) to ignore. The tests check that the fake
accepts exactly that set and that the client refuses everything between
the two outer ones before sending.
"""

from __future__ import annotations

import copy
from collections.abc import Mapping
from functools import cache
from typing import Any

from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

from companyenrich_export._core._arguments import create_body

from _spec import component_schema

INT32_MIN = -(2**31)
INT32_MAX = 2**31 - 1
FILTER_SCHEMAS = ("CompanySearchFilter", "SimilarCompaniesFilter")
# Rules about values, which the vendor ignores instead of refusing.
VALUE_RULES = (
    "enum",
    "pattern",
    "minLength",
    "minItems",
    "maxItems",
    "minProperties",
    "not",
    "minimum",
    "maximum",
)
# Documented as enforced: "1 to 10 seed domains".
KEPT_AS_IS = ("SeedDomains",)


def create_request_schema() -> dict[str, Any]:
    """The spec's CreateExportRequest, self-contained (3.1 style, refs into `$defs`)."""
    return component_schema("CreateExportRequest")


def filter_schema(name: str) -> dict[str, Any]:
    return component_schema(name)


def _filter_definitions(definitions: Mapping[str, Any]) -> set[str]:
    """Names of every schema reachable from the two filter schemas."""
    found: set[str] = set()

    def walk(node: Any) -> None:
        if isinstance(node, dict):
            ref = node.get("$ref")
            if isinstance(ref, str) and ref.startswith("#/$defs/"):
                name = ref.removeprefix("#/$defs/")
                if name not in found:
                    found.add(name)
                    walk(definitions[name])
            for value in node.values():
                walk(value)
        elif isinstance(node, list):
            for value in node:
                walk(value)

    for name in FILTER_SCHEMAS:
        found.add(name)
        walk(definitions[name])
    return found


def _relax(node: Any) -> Any:
    if isinstance(node, list):
        return [_relax(item) for item in node]
    if not isinstance(node, dict):
        return node
    relaxed = {
        key: _relax(value)
        for key, value in node.items()
        if key not in VALUE_RULES and not (key == "additionalProperties" and value is False)
    }
    if relaxed.get("format") == "int32":
        # A 32-bit integer is a type, not a value rule: the vendor cannot hold more.
        relaxed["minimum"], relaxed["maximum"] = INT32_MIN, INT32_MAX
    return relaxed


@cache
def _vendor_schema() -> dict[str, Any]:
    schema = copy.deepcopy(create_request_schema())
    definitions = schema["$defs"]
    for name in _filter_definitions(definitions):
        if name not in KEPT_AS_IS:
            definitions[name] = _relax(definitions[name])
    return schema


def vendor_schema() -> dict[str, Any]:
    """The create bodies the vendor (and so the fake) accepts: the spec, lenient about values."""
    return copy.deepcopy(_vendor_schema())


@cache
def _validators() -> tuple[Draft202012Validator, Draft202012Validator]:
    # No format checker: `webhook_url`'s `pattern` and the fake's RFC 3986 check
    # are compared directly by the tests that draw URLs.
    return Draft202012Validator(create_request_schema()), Draft202012Validator(_vendor_schema())


def spec_accepts(body: object) -> bool:
    return _validators()[0].is_valid(body)


def vendor_accepts(body: object) -> bool:
    return _validators()[1].is_valid(body)


def client_refusal(body: Mapping[str, Any]) -> str | None:
    """Why the client refuses to send `body` (its create arguments), or None if it would send it.

    Top-level members the spec does not name are left out: the client has no
    way to send them. A whole `count` written as 188.0 is the int 188, as a
    Python caller would pass it (JSON has one number type; Python's int and
    float are told apart on purpose).
    """
    count = body.get("count")
    if isinstance(count, float) and count.is_integer():
        count = int(count)
    try:
        create_body(
            count=count,
            search=body.get("search"),
            similar=body.get("similar"),
            webhook_url=body.get("webhook_url"),
        )
    except (ValueError, TypeError) as refused:
        return str(refused)
    return None


def create_bodies(schema: Mapping[str, Any]) -> st.SearchStrategy[dict[str, Any]]:
    """Create bodies valid under `schema` (the spec's, or `vendor_schema()`).

    Built from its parts (count, webhook_url, exactly one filter, other
    members) because hypothesis-jsonschema takes seconds per body for the
    whole schema's `oneOf` and `if`/`then`/`else`; the tests check that what
    is drawn is valid under the whole schema.
    """
    definitions = schema["$defs"]
    properties = schema["properties"]

    def part(node: Mapping[str, Any]) -> st.SearchStrategy[Any]:
        return from_schema({**copy.deepcopy(dict(node)), "$defs": copy.deepcopy(definitions)})

    filters = st.one_of(
        st.tuples(st.just("search"), part(definitions["CompanySearchFilter"])),
        st.tuples(st.just("similar"), part(definitions["SimilarCompaniesFilter"])),
    )
    others = st.dictionaries(
        st.text(max_size=10).filter(lambda name: name not in properties),
        st.none() | st.integers() | st.text(max_size=10),
        max_size=2,
    )
    # Made once here, not per draw: each from_schema() resolves every $def again.
    counts = part(properties["count"])
    webhook_urls = st.none() | part(properties["webhook_url"])

    @st.composite
    def bodies(draw: st.DrawFn) -> dict[str, Any]:
        body: dict[str, Any] = draw(others)
        body["count"] = draw(counts)
        kind, query = draw(filters)
        body[kind] = query
        other = "similar" if kind == "search" else "search"
        if draw(st.booleans()):
            body[other] = None
        if draw(st.booleans()):
            body["webhook_url"] = draw(webhook_urls)
        return body

    return bodies()
