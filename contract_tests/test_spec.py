"""Offline checks of `openapi.yaml` against itself and against the vendor's API page.

The vendor's page for GET /companies/search/async/{jobId} (the "seed") is the
contract. These tests read its markdown tables instead of repeating them, so a
new field, status or media type on that page shows up here as a failure that
names it.
"""

from __future__ import annotations

import copy
import json
import os
import re
import uuid
from collections.abc import Iterator
from datetime import datetime
from functools import cache
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

import openapi_spec_validator
import pytest
import yaml
from jsonschema import Draft202012Validator, FormatChecker

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
# A verbatim copy of the vendor's API page, kept in the repository so the suite
# needs nothing outside it; COMPANYENRICH_SEED points at a newer copy to compare.
SEED_PATH = Path(
    os.environ.get("COMPANYENRICH_SEED", Path(__file__).parent / "seed" / "get-export-job.md")
)

SCHEMA_REF_PREFIX = "#/components/schemas/"
PROBLEM_REF = SCHEMA_REF_PREFIX + "ProblemDetails"
JOB_STATUS_REF = SCHEMA_REF_PREFIX + "JobStatus"
ERROR_MEDIA_TYPES = ("application/json", "application/problem+json")
OPERATION_IDS = sorted(
    [
        "createExportJob",
        "getExportJob",
        "listExportJobs",
        # Bulk enrichment and the account-wide job list (issue 21).
        "createBulkEnrichmentJob",
        "getBulkEnrichmentJob",
        "listBulkEnrichmentJobs",
        "getAccountJob",
        "listAccountJobs",
        # The free pre-flight calls (issue 20).
        "countCompanies",
        "countSimilarCompanies",
        "getAccount",
    ]
)
HTTP_METHODS = ("get", "put", "post", "delete", "options", "head", "patch", "trace")

# Seed type -> (JSON Schema type, format). `None` as format: no format is required.
SEED_SCALAR_TYPES: dict[str, tuple[str, str | None]] = {
    "uuid": ("string", "uuid"),
    "int32": ("integer", "int32"),
    "date-time": ("string", "date-time"),
    "string": ("string", None),
}


# --------------------------------------------------------------------------- #
# Loading
# --------------------------------------------------------------------------- #


@cache
def _spec_text() -> str:
    return SPEC_PATH.read_text(encoding="utf-8")


def load_spec() -> dict[str, Any]:
    """A fresh copy of openapi.yaml, so a test cannot change another's view of it."""
    # libyaml's safe loader, as every test reading the spec uses: a tenth of the
    # pure-Python parse (0.15 s, a dozen times a run); test_shipped_spec still
    # compares the shipped copy with the pure-Python reading.
    spec = yaml.load(_spec_text(), Loader=yaml.CSafeLoader)
    assert isinstance(spec, dict), "openapi.yaml is not a mapping"
    return spec


@cache
def seed_text() -> str:
    if not SEED_PATH.is_file():
        pytest.fail(
            f"the vendor's API page (the contract) is missing: {SEED_PATH}; "
            "set COMPANYENRICH_SEED to its path"
        )
    return SEED_PATH.read_text(encoding="utf-8")


# --------------------------------------------------------------------------- #
# Seed parsing
# --------------------------------------------------------------------------- #


def seed_section(text: str, heading: str) -> str:
    """The body under the markdown heading HEADING, up to the next heading of its level or above."""
    lines = text.splitlines()
    for index, line in enumerate(lines):
        match = re.fullmatch(r"(#+)\s+(.*?)\s*", line)
        if match and match.group(2) == heading:
            level = len(match.group(1))
            body: list[str] = []
            for following in lines[index + 1 :]:
                other = re.match(r"(#+)\s", following)
                if other and len(other.group(1)) <= level:
                    break
                body.append(following)
            return "\n".join(body)
    raise AssertionError(f"seed: no heading {heading!r}")


def _cells(row: str) -> list[str]:
    """Split a markdown table row on unescaped pipes; unescape `\\|` and drop backticks."""
    parts = re.split(r"(?<!\\)\|", row.strip())
    if parts and parts[0] == "":
        parts = parts[1:]
    if parts and parts[-1] == "":
        parts = parts[:-1]
    return [part.replace("\\|", "|").replace("`", "").strip() for part in parts]


def seed_table(section: str) -> list[dict[str, str]]:
    """The first markdown table in SECTION, as one dict per row keyed by the header cells."""
    rows = [line for line in section.splitlines() if line.lstrip().startswith("|")]
    assert len(rows) >= 2, f"seed: no table in section starting {section[:60]!r}"
    header = _cells(rows[0])
    assert all(re.fullmatch(r":?-+:?", cell) for cell in _cells(rows[1])), "seed: bad table rule"
    table = []
    for row in rows[2:]:
        cells = _cells(row)
        assert len(cells) == len(header), f"seed: row {row!r} does not match header {header}"
        table.append(dict(zip(header, cells, strict=True)))
    assert table, "seed: empty table"
    return table


def parse_seed_type(text: str) -> tuple[str, bool, bool]:
    """`'date-time | null'` -> ('date-time', nullable, required); `'uuid (required)'` too."""
    required = "(required)" in text
    text = text.replace("(required)", "").strip()
    members = [member.strip() for member in text.split("|")]
    nullable = "null" in members
    rest = [member for member in members if member != "null"]
    assert len(rest) == 1, f"seed: cannot read type {text!r}"
    return rest[0], nullable, required


def seed_enum_values(description: str) -> list[str]:
    """`'Current status of the job (a, b, c)'` -> ['a', 'b', 'c']."""
    match = re.search(r"\(([^()]*)\)\s*$", description)
    assert match, f"seed: no enum values in parentheses in {description!r}"
    return [value.strip() for value in match.group(1).split(",")]


def seed_endpoint() -> tuple[str, str, str]:
    """(method, origin, path) of the seed's `**GET** `https://...`` line."""
    match = re.search(r"\*\*([A-Z]+)\*\*\s+`([^`]+)`", seed_text())
    assert match, "seed: no **METHOD** `URL` line"
    url = urlsplit(match.group(2))
    return match.group(1).lower(), f"{url.scheme}://{url.netloc}", url.path


def seed_path_params() -> dict[str, dict[str, str]]:
    return {row["Parameter"]: row for row in seed_table(seed_section(seed_text(), "Path Params"))}


def seed_headers() -> tuple[dict[str, dict[str, str]], list[str]]:
    """The Headers table by header name, and the `Allowed:` values listed under it."""
    section = seed_section(seed_text(), "Headers")
    table = {row["Header"]: row for row in seed_table(section)}
    match = re.search(r"^Allowed:\s*(.+)$", section, re.MULTILINE)
    assert match, "seed: no 'Allowed:' line under Headers"
    return table, re.findall(r"`([^`]+)`", match.group(1))


def seed_response_fields() -> dict[str, dict[str, str]]:
    section = seed_section(seed_text(), "Response Body (object)")
    return {row["Field"]: row for row in seed_table(section)}


def seed_error_statuses() -> dict[str, str]:
    section = seed_section(seed_text(), "Error Responses")
    return {row["Status"]: row["Description"] for row in seed_table(section)}


def seed_auth_scheme() -> str:
    match = re.search(r"Authorization:\s*(\w+)\s", seed_section(seed_text(), "Example Request"))
    assert match, "seed: no Authorization header in the example request"
    return match.group(1)


def seed_example_response() -> dict[str, Any]:
    section = seed_section(seed_text(), "Example Response")
    match = re.search(r"```json\s*\n(.*?)\n```", section, re.DOTALL)
    assert match, "seed: no ```json block under Example Response"
    body = json.loads(match.group(1))
    assert isinstance(body, dict)
    return body


# --------------------------------------------------------------------------- #
# Spec helpers
# --------------------------------------------------------------------------- #


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """Follow local `$ref`s (`#/...`) until NODE is not a reference."""
    seen: set[str] = set()
    while isinstance(node, dict) and "$ref" in node:
        ref = node["$ref"]
        assert isinstance(ref, str), f"$ref {ref!r} is not a string"
        assert ref.startswith("#/"), f"non-local $ref {ref!r}"
        assert ref not in seen, f"$ref cycle through {ref}"
        seen.add(ref)
        node = spec
        for part in ref[2:].split("/"):
            node = node[part.replace("~1", "/").replace("~0", "~")]
    return node


def schema_types(schema: dict[str, Any]) -> set[str]:
    kind = schema.get("type")
    if kind is None:
        return set()
    return {kind} if isinstance(kind, str) else set(kind)


def is_nullable(spec: dict[str, Any], schema: dict[str, Any]) -> bool:
    """Whether SCHEMA (or what it refers to, or one of its alternatives) accepts null."""
    schema = resolve(spec, schema)
    if "null" in schema_types(schema) or schema.get("nullable") is True:
        return True
    if "enum" in schema and None in schema["enum"]:
        return True
    return any(
        is_nullable(spec, member)
        for keyword in ("oneOf", "anyOf")
        for member in schema.get(keyword, [])
    )


def operations(spec: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in spec["paths"].items():
        for method in HTTP_METHODS:
            if method in item:
                yield path, method, item[method]


def seed_operation(spec: dict[str, Any]) -> tuple[dict[str, Any], dict[str, Any]]:
    """The spec's (path item, operation) for the seed's endpoint."""
    method, _, path = seed_endpoint()
    assert path in spec["paths"], f"spec has no path {path}"
    item = spec["paths"][path]
    assert method in item, f"spec has no {method.upper()} {path}"
    return item, item[method]


def operation_parameters(
    spec: dict[str, Any], item: dict[str, Any], operation: dict[str, Any]
) -> dict[tuple[str, str], dict[str, Any]]:
    """Resolved parameters by (location, lower-case name); the operation's win over the path's."""
    params: dict[tuple[str, str], dict[str, Any]] = {}
    for raw in [*item.get("parameters", []), *operation.get("parameters", [])]:
        param = resolve(spec, raw)
        params[(param["in"], param["name"].lower())] = param
    return params


def self_contained(spec: dict[str, Any], schema: Any) -> dict[str, Any]:
    """SCHEMA with `#/components/schemas/X` rewritten to `#/$defs/X` and those defs attached."""

    def rewrite(node: Any) -> Any:
        if isinstance(node, dict):
            out = {key: rewrite(value) for key, value in node.items()}
            ref = out.get("$ref")
            if isinstance(ref, str):
                assert ref.startswith(SCHEMA_REF_PREFIX), f"schema $ref outside schemas: {ref}"
                out["$ref"] = "#/$defs/" + ref.removeprefix(SCHEMA_REF_PREFIX)
            return out
        if isinstance(node, list):
            return [rewrite(value) for value in node]
        return node

    defs = rewrite(copy.deepcopy(spec.get("components", {}).get("schemas", {})))
    result = rewrite(copy.deepcopy(schema))
    assert isinstance(result, dict)
    return {**result, "$defs": defs}


# --------------------------------------------------------------------------- #
# Format checking
# --------------------------------------------------------------------------- #

_URI_SCHEME = re.compile(r"[A-Za-z][A-Za-z0-9+.-]*")
# RFC 3986 characters (unreserved, reserved, percent sign); anything else is not a URI.
_URI_CHARS = re.compile(r"[A-Za-z0-9\-._~:/?#\[\]@!$&'()*+,;=%]*")
_RFC3339 = re.compile(
    r"\d{4}-\d{2}-\d{2}[Tt]\d{2}:\d{2}:\d{2}(\.\d+)?([Zz]|[+-]\d{2}:\d{2})",
)


def _is_uri_reference(value: object) -> bool:
    if not isinstance(value, str):
        return True
    return bool(_URI_CHARS.fullmatch(value)) and not re.search(r"%(?![0-9A-Fa-f]{2})", value)


def _is_uri(value: object) -> bool:
    """An absolute URI (RFC 3986 `scheme ":" hier-part`); http(s) ones need a host."""
    if not isinstance(value, str):
        return True
    if not _is_uri_reference(value):
        return False
    scheme, sep, _ = value.partition(":")
    if not sep or not _URI_SCHEME.fullmatch(scheme):
        return False
    parts = urlsplit(value)
    return parts.scheme.lower() not in {"http", "https"} or bool(parts.hostname)


def _is_uuid(value: object) -> bool:
    if not isinstance(value, str):
        return True
    try:
        return str(uuid.UUID(value)) == value.lower()
    except ValueError:
        return False


def _is_date_time(value: object) -> bool:
    if not isinstance(value, str):
        return True
    if not _RFC3339.fullmatch(value):
        return False
    try:
        datetime.fromisoformat(value.upper().replace("Z", "+00:00"))
    except ValueError:
        return False
    return True


def format_checker() -> FormatChecker:
    """jsonschema's checker, plus what it lacks here.

    jsonschema checks `uuid` on its own and `date-time` only with
    rfc3339-validator installed; `uri` and `uri-reference` need rfc3987, which
    is not a dependency, so without the additions they would pass anything.
    """
    checker = FormatChecker()
    own = {
        "uuid": _is_uuid,
        "date-time": _is_date_time,
        "uri": _is_uri,
        "uri-reference": _is_uri_reference,
    }
    for name, function in own.items():
        # Ours for uri and uri-reference always (rfc3987, if ever installed, accepts
        # "https://"); jsonschema's for uuid and date-time when it has them.
        if name not in checker.checkers or name.startswith("uri"):
            checker.checks(name)(function)
    return checker


def validation_errors(
    spec: dict[str, Any], schema: Any, instance: Any, *, formats: bool = True
) -> list[tuple[str, str, str]]:
    """(JSON path, failing keyword, message) for every error, sorted."""
    validator = Draft202012Validator(
        self_contained(spec, schema), format_checker=format_checker() if formats else None
    )
    return sorted(
        (error.json_path, str(error.validator), error.message)
        for error in validator.iter_errors(instance)
    )


# --------------------------------------------------------------------------- #
# The spec is a valid OpenAPI 3.1 document
# --------------------------------------------------------------------------- #


def test_spec_is_valid_openapi_3_1() -> None:
    spec = load_spec()
    assert str(spec["openapi"]).startswith("3.1."), spec["openapi"]
    openapi_spec_validator.validate(spec, cls=openapi_spec_validator.OpenAPIV31SpecValidator)


def test_format_checker_really_checks() -> None:
    """Guard for the example tests below: these formats must not pass everything."""
    checker = format_checker()
    bad = {
        "uuid": "3fa85f64",
        "date-time": "2026-02-17 yesterday",
        "uri": "string",
        "uri-reference": "a b",
    }
    good = {
        "uuid": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
        "date-time": "2026-02-17T02:04:03.743Z",
        "uri": "https://exports.companyenrich.com/x.csv",
        "uri-reference": "/problems/not-found",
    }
    for name, value in bad.items():
        assert not checker.conforms(value, name), f"format {name} accepts {value!r}"
    for name, value in good.items():
        assert checker.conforms(value, name), f"format {name} rejects {value!r}"
    for value in ("https://", "http:///path", "ftp ://x", "1http://x"):
        assert not checker.conforms(value, "uri"), f"format uri accepts {value!r}"


# --------------------------------------------------------------------------- #
# The seed (vendor's API page) and the spec agree
# --------------------------------------------------------------------------- #


def test_seed_parsing_finds_every_table() -> None:
    """The parsers read something sensible; otherwise the comparisons below prove nothing."""
    method, origin, path = seed_endpoint()
    assert (method, path) == ("get", "/companies/search/async/{jobId}")
    assert origin.startswith("https://")
    assert "jobId" in seed_path_params()
    headers, allowed = seed_headers()
    assert "accept" in headers
    assert allowed
    fields = seed_response_fields()
    assert {"job_id", "status"} <= fields.keys()
    assert all(field and row["Type"] for field, row in fields.items())
    assert "404" in seed_error_statuses()
    assert seed_example_response()


def test_seed_path_params_match() -> None:
    spec = load_spec()
    item, operation = seed_operation(spec)
    params = operation_parameters(spec, item, operation)
    for name, row in seed_path_params().items():
        param = params.get(("path", name.lower()))
        assert param is not None, f"path param {name}: not in the spec"
        assert param["name"] == name, f"path param {name}: spelled {param['name']!r} in the spec"
        kind, nullable, required = parse_seed_type(row["Type"])
        if required:
            assert param.get("required") is True, f"path param {name}: not required in the spec"
        schema = resolve(spec, param["schema"])
        expected_type, expected_format = SEED_SCALAR_TYPES[kind]
        assert schema_types(schema) == {expected_type}, f"path param {name}: type {schema}"
        assert schema.get("format") == expected_format, f"path param {name}: format {schema}"
        assert not nullable
        assert param.get("description", "").strip() == row["Description"], (
            f"path param {name}: description differs from the seed"
        )
    spec_path_params = {name for (where, name) in params if where == "path"}
    assert spec_path_params == {name.lower() for name in seed_path_params()}, (
        f"path params: spec {spec_path_params}, seed {set(seed_path_params())}"
    )


def test_seed_accept_header_matches() -> None:
    spec = load_spec()
    item, operation = seed_operation(spec)
    params = operation_parameters(spec, item, operation)
    table, allowed = seed_headers()
    for name, row in table.items():
        param = params.get(("header", name.lower()))
        assert param is not None, f"header {name}: not a parameter in the spec"
        schema = resolve(spec, param["schema"])
        kind = row["Type"].split()[0]
        assert schema_types(schema) == {kind}, f"header {name}: type {schema}"
        if "(enum)" in row["Type"]:
            assert schema.get("enum") == allowed, (
                f"header {name}: enum {schema.get('enum')} but the seed allows {allowed}"
            )
        if row.get("Default"):
            assert schema.get("default") == row["Default"], f"header {name}: default differs"
        assert param.get("required", False) is False, f"header {name}: should be optional"


def test_seed_response_fields_match_200_schema() -> None:
    spec = load_spec()
    _, operation = seed_operation(spec)
    response = resolve(spec, operation["responses"]["200"])
    schema = resolve(spec, response["content"]["application/json"]["schema"])
    assert schema_types(schema) == {"object"}, "200 body: not an object"
    properties: dict[str, Any] = schema.get("properties", {})
    fields = seed_response_fields()

    for field, row in fields.items():
        assert field in properties, f"200 field {field}: in the seed, not in the spec"
        declared = properties[field]
        target = resolve(spec, declared)
        kind, nullable, _ = parse_seed_type(row["Type"])
        if kind == "enum":
            assert declared.get("$ref") == JOB_STATUS_REF, (
                f"200 field {field}: should be $ref {JOB_STATUS_REF}, is {declared}"
            )
            values = seed_enum_values(row["Description"])
            assert target.get("enum") == values, (
                f"200 field {field}: enum {target.get('enum')} but the seed lists {values}"
            )
            assert schema_types(target) == {"string"}, f"200 field {field}: enum not strings"
        else:
            assert kind in SEED_SCALAR_TYPES, f"200 field {field}: unknown seed type {kind!r}"
            expected_type, expected_format = SEED_SCALAR_TYPES[kind]
            types = schema_types(target) - {"null"}
            assert types == {expected_type}, (
                f"200 field {field}: seed type {kind}, spec type {target.get('type')}"
            )
            if expected_format is not None:
                assert target.get("format") == expected_format, (
                    f"200 field {field}: seed type {kind}, spec format {target.get('format')}"
                )
        if nullable:
            assert "null" in schema_types(target), (
                f"200 field {field}: '{row['Type']}' in the seed, type lacks 'null' in the spec"
            )
        else:
            assert not is_nullable(spec, declared), (
                f"200 field {field}: not nullable in the seed, nullable in the spec"
            )

    extra = sorted(set(properties) - set(fields))
    assert not extra, f"200 fields in the spec that the seed does not list: {extra}"


def test_seed_response_descriptions_are_kept() -> None:
    """The spec may say more than the vendor, but not something else (status: see its enum)."""
    spec = load_spec()
    _, operation = seed_operation(spec)
    response = resolve(spec, operation["responses"]["200"])
    properties = resolve(spec, response["content"]["application/json"]["schema"])["properties"]
    for field, row in seed_response_fields().items():
        if parse_seed_type(row["Type"])[0] == "enum" or field not in properties:
            continue  # status: see its enum; a missing field: see the test above
        described = " ".join(resolve(spec, properties[field]).get("description", "").split())
        assert row["Description"] in described, (
            f"200 field {field}: description {described!r} does not contain the seed's "
            f"{row['Description']!r}"
        )


def test_seed_error_statuses_are_problem_details() -> None:
    spec = load_spec()
    _, operation = seed_operation(spec)
    responses: dict[str, Any] = operation["responses"]
    statuses = seed_error_statuses()
    for status, description in statuses.items():
        assert status in responses, f"error {status}: not a documented response"
        response = resolve(spec, responses[status])
        assert response.get("description") == description, (
            f"error {status}: described {response.get('description')!r}, seed says {description!r}"
        )
        content = response.get("content", {})
        for media_type in ERROR_MEDIA_TYPES:
            assert media_type in content, f"error {status}: no {media_type} content"
            assert content[media_type].get("schema") == {"$ref": PROBLEM_REF}, (
                f"error {status} {media_type}: schema is not {PROBLEM_REF}"
            )
    documented = sorted(code for code in responses if not code.startswith("2"))
    assert documented == sorted(statuses), (
        f"error statuses: spec documents {documented}, seed lists {sorted(statuses)}"
    )
    assert sorted(code for code in responses if code.startswith("2")) == ["200"]


def test_seed_server_security_and_title() -> None:
    spec = load_spec()
    _, origin, _ = seed_endpoint()
    assert [server["url"] for server in spec["servers"]] == [origin], (
        f"servers: {spec['servers']}, seed origin {origin}"
    )
    scheme = seed_auth_scheme()
    _, operation = seed_operation(spec)
    requirements = operation.get("security", spec.get("security"))
    assert requirements, "security: none required"
    schemes = spec["components"]["securitySchemes"]
    for requirement in requirements:
        assert requirement, "security: an empty requirement makes auth optional"
        for name in requirement:
            definition = schemes[name]
            assert definition["type"] == "http", f"security scheme {name}: not http"
            assert definition["scheme"].lower() == scheme.lower() == "bearer", (
                f"security scheme {name}: {definition['scheme']}, seed sends {scheme}"
            )
    title = re.search(r"^# (.+)$", seed_text(), re.MULTILINE)
    assert title
    assert operation.get("summary") == title.group(1), "summary differs from the seed's title"


# --------------------------------------------------------------------------- #
# Examples validate against their schemas
# --------------------------------------------------------------------------- #


SCHEMA_MAP_KEYWORDS = ("properties", "patternProperties", "$defs", "dependentSchemas")
SCHEMA_LIST_KEYWORDS = ("oneOf", "anyOf", "allOf", "prefixItems")
SCHEMA_KEYWORDS = (
    "items",
    "additionalProperties",
    "contains",
    "not",
    "if",
    "then",
    "else",
    "propertyNames",
    "unevaluatedItems",
    "unevaluatedProperties",
)


def _schema_examples(schema: Any, where: str) -> Iterator[tuple[str, Any, Any]]:
    """JSON Schema `examples` (a list) and OpenAPI's deprecated `example`, at any depth."""
    if not isinstance(schema, dict):
        return
    for index, value in enumerate(schema.get("examples") or []):
        yield f"{where}/examples/{index}", schema, value
    if "example" in schema:
        yield f"{where}/example", schema, schema["example"]
    for keyword in SCHEMA_MAP_KEYWORDS:
        for name, member in (schema.get(keyword) or {}).items():
            yield from _schema_examples(member, f"{where}/{keyword}/{name}")
    for keyword in SCHEMA_LIST_KEYWORDS:
        for index, member in enumerate(schema.get(keyword) or []):
            yield from _schema_examples(member, f"{where}/{keyword}/{index}")
    for keyword in SCHEMA_KEYWORDS:
        yield from _schema_examples(schema.get(keyword), f"{where}/{keyword}")


def _collect_examples(spec: dict[str, Any]) -> list[tuple[str, Any, Any]]:
    """(where, schema, value) for every example of a media type, parameter, header or schema."""
    found: list[tuple[str, Any, Any]] = []

    def walk(node: Any, where: str) -> None:
        # Media type, parameter and header objects: the ones with a `schema`.
        if isinstance(node, dict):
            schema = node.get("schema")
            if isinstance(schema, dict):
                if "example" in node:
                    found.append((f"{where}/example", schema, node["example"]))
                for name, example in (node.get("examples") or {}).items():
                    example = resolve(spec, example)
                    assert "value" in example, f"{where}/examples/{name}: no inline value"
                    found.append((f"{where}/examples/{name}", schema, example["value"]))
                found.extend(_schema_examples(schema, f"{where}/schema"))
            for key, value in node.items():
                if key not in {"schema", "example", "examples"}:
                    walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(spec["paths"], "#/paths")
    components = spec.get("components", {})
    for kind in ("parameters", "headers", "requestBodies", "responses"):
        walk(components.get(kind, {}), f"#/components/{kind}")
    for name, schema in components.get("schemas", {}).items():
        found.extend(_schema_examples(schema, f"#/components/schemas/{name}"))
    return found


def test_examples_validate_against_their_schemas() -> None:
    spec = load_spec()
    examples = _collect_examples(spec)
    # Not vacuous: the status endpoint's 200 examples at least are found.
    assert any("{jobId}/get/responses/200" in where for where, _, _ in examples), examples
    failures = {
        where: errors
        for where, schema, value in examples
        if (errors := validation_errors(spec, schema, value))
    }
    assert not failures, f"examples that do not match their schema: {failures}"


# --------------------------------------------------------------------------- #
# Descriptions and names
# --------------------------------------------------------------------------- #


def _has_text(node: dict[str, Any]) -> bool:
    return isinstance(node.get("description"), str) and bool(node["description"].strip())


def _undescribed_properties(spec: dict[str, Any], schema: Any, where: str) -> Iterator[str]:
    """Properties (at any depth) with neither a description nor a $ref to a described schema.

    `if`/`then`/`else`/`not` hold constraints, not declarations, and are not walked.
    """
    if not isinstance(schema, dict) or "$ref" in schema:
        return
    for name, prop in schema.get("properties", {}).items():
        here = f"{where}/properties/{name}"
        if not _has_text(prop) and not ("$ref" in prop and _has_text(resolve(spec, prop))):
            yield here
        yield from _undescribed_properties(spec, prop, here)
    for keyword in ("items", "additionalProperties"):
        yield from _undescribed_properties(spec, schema.get(keyword), f"{where}/{keyword}")
    for keyword in ("oneOf", "anyOf", "allOf", "prefixItems"):
        for index, member in enumerate(schema.get(keyword, [])):
            yield from _undescribed_properties(spec, member, f"{where}/{keyword}/{index}")


def test_everything_is_described() -> None:
    spec = load_spec()
    missing: list[str] = []
    for path, method, operation in operations(spec):
        where = f"{method.upper()} {path}"
        if not _has_text(operation):
            missing.append(f"operation {where}")
        params = [*spec["paths"][path].get("parameters", []), *operation.get("parameters", [])]
        for raw in params:
            param = resolve(spec, raw)
            if not _has_text(param):
                missing.append(f"parameter {param['name']} of {where}")
            missing.extend(_undescribed_properties(spec, param.get("schema"), where))
        body = resolve(spec, operation.get("requestBody", {}))
        for media in body.get("content", {}).values():
            missing.extend(_undescribed_properties(spec, media.get("schema"), f"{where} body"))
        for status, raw in operation.get("responses", {}).items():
            for media in resolve(spec, raw).get("content", {}).values():
                missing.extend(
                    _undescribed_properties(spec, media.get("schema"), f"{where} {status}")
                )
    components = spec.get("components", {})
    for kind in ("parameters", "headers"):
        for name, node in components.get(kind, {}).items():
            if not _has_text(resolve(spec, node)):
                missing.append(f"components/{kind}/{name}")
    for name, schema in components.get("schemas", {}).items():
        if not _has_text(schema):
            missing.append(f"schema {name}")
        missing.extend(_undescribed_properties(spec, schema, f"#/components/schemas/{name}"))
    assert not missing, f"no description: {missing}"


def test_operation_ids() -> None:
    spec = load_spec()
    ids = sorted(operation.get("operationId", "") for _, _, operation in operations(spec))
    assert ids == OPERATION_IDS


def test_status_enum_is_the_named_job_status_schema() -> None:
    spec = load_spec()
    job_status = spec["components"]["schemas"].get("JobStatus")
    assert job_status is not None, "no components/schemas/JobStatus"
    values = seed_enum_values(seed_response_fields()["status"]["Description"])
    assert job_status.get("enum") == values

    # The values are declared once: everything else refers to JobStatus.
    places: list[str] = []

    def walk(node: Any, where: str) -> None:
        if isinstance(node, dict):
            if isinstance(node.get("enum"), list) and set(node["enum"]) & set(values):
                places.append(where)
            for key, value in node.items():
                walk(value, f"{where}/{key}")
        elif isinstance(node, list):
            for index, value in enumerate(node):
                walk(value, f"{where}/{index}")

    walk(spec, "#")
    assert places == ["#/components/schemas/JobStatus"], places


# --------------------------------------------------------------------------- #
# The vendor's own example, and why we require `status`
# --------------------------------------------------------------------------- #


def test_seed_example_fails_only_for_missing_status_and_placeholder_url() -> None:
    """The vendor's example response is not a valid ExportJob, for two reasons only.

    1. It has no `status`. The spec requires `status` on purpose (see the
       ExportJob description): a status endpoint without a status is useless,
       and the list endpoint requires it for the same job, so a body without
       one must be reported as drift rather than guessed at.
    2. Its `results_url` is the placeholder "string", not a URI; that only
       fails where `format: uri` is enforced (jsonschema without rfc3987 does
       not; our format checker does).

    Once both are fixed the example is valid: every other field matches.
    """
    spec = load_spec()
    export_job = {"$ref": SCHEMA_REF_PREFIX + "ExportJob"}
    definition = spec["components"]["schemas"]["ExportJob"]
    assert "status" in definition["required"]
    assert "status" in definition["description"], "the reason for requiring status is gone"

    example = seed_example_response()
    assert "status" not in example
    assert validation_errors(spec, export_job, example) == [
        ("$", "required", "'status' is a required property"),
        ("$.results_url", "format", "'string' is not a 'uri'"),
    ]
    assert validation_errors(spec, export_job, example, formats=False) == [
        ("$", "required", "'status' is a required property"),
    ]

    fixed = {
        **example,
        "status": "completed",
        "results_url": f"https://exports.companyenrich.com/{example['job_id']}.csv",
    }
    assert validation_errors(spec, export_job, fixed) == []
    for value in seed_enum_values(seed_response_fields()["status"]["Description"]):
        assert validation_errors(spec, export_job, {**fixed, "status": value}) == []
    assert validation_errors(spec, export_job, {**fixed, "status": "done"}) != []
