"""openapi.yaml's filter schemas against the vendor's documented search filter.

`seed/search-and-records.md` is a verbatim copy of what is known about the
vendor's search filter (its table of fields, types and enum values, the
`exclude` fields, the similar-companies query). These tests read that table
instead of repeating it: every documented field is in the spec with the
documented type, enum values and range, and the spec has no field the
vendor does not document.
"""

from __future__ import annotations

import re
from functools import cache
from pathlib import Path
from typing import Any

import pytest

from _spec import spec

SEED = Path(__file__).resolve().parent / "seed" / "search-and-records.md"
SCHEMAS = spec()["components"]["schemas"]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = SCHEMAS[schema["$ref"].rsplit("/", 1)[1]]
    return schema


def _cells(row: str) -> list[str]:
    return [cell.strip() for cell in row.strip().strip("|").split("|")]


@cache
def documented_fields() -> dict[str, tuple[str, str]]:
    """Field name -> (type cell, notes cell), from the search filter's table."""
    text = SEED.read_text(encoding="utf-8")
    section = text.split("## The search filter", 1)[1].split("\n## ", 1)[0]
    rows = [line for line in section.splitlines() if line.startswith("|")]
    assert _cells(rows[0]) == ["field", "type", "notes"], rows[0]
    fields: dict[str, tuple[str, str]] = {}
    for row in rows[2:]:
        names, kind, notes = _cells(row)
        for name in re.findall(r"`([^`]+)`", names):
            fields[name] = (kind, notes)
    return fields


def _backticked(text: str) -> list[str]:
    """Backticked values in order, with `series_a` … `series_h` spelt out."""
    values: list[str] = []
    for match in re.finditer(r"`([^`]+)`(\s*…\s*`([^`]+)`)?", text):
        first, last = match.group(1), match.group(3)
        if last is None:
            values.append(first)
            continue
        stem, start, end = first[:-1], first[-1], last[-1]
        assert last[:-1] == stem, match.group(0)
        values += [stem + chr(code) for code in range(ord(start), ord(end) + 1)]
    return values


def _similar_sentence() -> str:
    text = SEED.read_text(encoding="utf-8")
    match = re.search(r"The similar-companies query \(`similar`\) takes (.+?)\n\n", text, re.S)
    assert match, "seed: no sentence about the similar-companies query"
    return " ".join(match.group(1).split())


def test_the_seed_table_is_read() -> None:
    """Not vacuous: the parser finds the whole table (some two fields to a row)."""
    fields = documented_fields()
    assert len(fields) == 26
    assert {"semanticQuery", "foundedYear", "fundingYear", "exclude"} <= fields.keys()


def test_every_documented_field_is_in_the_spec_and_nothing_else() -> None:
    properties = SCHEMAS["CompanySearchFilter"]["properties"]
    assert sorted(properties) == sorted(documented_fields())


@pytest.mark.parametrize("field", sorted(documented_fields()))
def test_each_field_has_the_documented_shape(field: str) -> None:
    kind, notes = documented_fields()[field]
    schema = _resolve(SCHEMAS["CompanySearchFilter"]["properties"][field])
    if kind == "string":
        assert schema["type"] == "string"
    elif kind.startswith("number"):
        low, high = (float(bound) for bound in kind.split()[1].split(".."))
        assert (schema["type"], schema["minimum"], schema["maximum"]) == ("number", low, high)
    elif kind in ("string[]", "integer[]"):
        items = _resolve(schema["items"])
        assert (schema["type"], items["type"]) == ("array", kind.removesuffix("[]"))
        if field == "countries":
            assert items["pattern"] == "^[A-Z]{2}$"  # ISO 3166-1 alpha-2
        if field == "naicsCode":
            assert (items["minimum"], items["maximum"]) == (10, 999_999)  # 2 to 6 digits
    elif kind == "enum[]":
        items = _resolve(schema["items"])
        assert schema["type"] == "array"
        assert items["enum"] == _backticked(notes)
    elif kind == "`and` / `or`":
        assert schema["enum"] == ["and", "or"]
    elif kind.startswith("`{min?, max?}`"):
        number = {"integers": "integer", "numbers": "number"}[kind.split()[-1]]
        assert schema["type"] == "object"
        assert schema.get("required", []) == []
        assert {
            name: _resolve(member)["type"] for name, member in schema["properties"].items()
        } == {
            "min": number,
            "max": number,
        }
    elif kind == "`[{department?, min?, max?}]`":
        item = _resolve(schema["items"])
        assert schema["type"] == "array"
        assert sorted(item["properties"]) == ["department", "max", "min"]
        assert item.get("required", []) == []
    elif field == "workforceGrowth":
        assert (schema["type"], schema["additionalProperties"]) == ("object", True)
        assert "not known" in schema["description"]
    elif field == "exclude":
        assert sorted(schema["properties"]) == sorted(_backticked(notes))
        search = SCHEMAS["CompanySearchFilter"]["properties"]
        for name, member in schema["properties"].items():
            if name != "domains":  # not a search field: companies to leave out by domain
                assert member == search[name], f"exclude.{name} has another shape"
    else:
        pytest.fail(f"seed: a type this test cannot read: {kind!r}")


def test_unknown_value_sets_are_left_open_and_said_so() -> None:
    required = _resolve(SCHEMAS["CompanySearchFilter"]["properties"]["require"])
    assert "enum" not in _resolve(required["items"])
    assert "not known" in required["description"]
    assert "not known" in documented_fields()["require"][1]


def test_the_similar_query_is_the_documented_one() -> None:
    sentence = _similar_sentence()
    assert "every filter above" in sentence
    similar = SCHEMAS["SimilarCompaniesFilter"]
    search = SCHEMAS["CompanySearchFilter"]["properties"]
    own = {name: member for name, member in similar["properties"].items() if name not in search}
    assert sorted(own) == sorted(re.findall(r"`(\w+)` \(", sentence))
    for name, member in search.items():
        assert similar["properties"][name] == member, name
    assert similar["required"] == ["domains"]
    domains = _resolve(own["domains"])
    assert (domains["minItems"], domains["maxItems"]) == (1, 10)  # "1 to 10 seed domains"
    weight = _resolve(own["similarityWeight"])
    assert (weight["type"], weight["minimum"], weight["maximum"]) == ("number", -1, 1)
    score = _resolve(own["minScore"])
    assert (score["type"], score["minimum"], score["maximum"]) == ("number", 0, 1)
