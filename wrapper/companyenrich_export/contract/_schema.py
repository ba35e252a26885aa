"""One JSON answer against a schema of the spec: every difference, classified.

Breaking differences are what a JSON-Schema validator (`jsonschema`, 2020-12,
formats checked) finds: a required field missing, a type, an enum value, a
format or a range that no longer holds. Additive ones are what validation
lets pass by design: members the spec does not name, reported for objects
that do not say `additionalProperties: true` (those, such as problem
details, expect extension members and would otherwise report one on every run).
"""

from __future__ import annotations

import json
import re
from collections.abc import Iterator
from typing import Any

import attrs

from companyenrich_export._core._redact import clip, redact_secret

from ._spec import resolve

__all__ = ["Finding", "json_type", "schema_findings", "shown"]

# A value from the server is shown at most this long (it is hostile and may be huge).
SHOWN_LIMIT = 80
_INDEX = re.compile(r"\[\d+\]")


@attrs.frozen(kw_only=True)
class Finding:
    """One difference between an answer and its schema (before it is tied to a probe)."""

    severity: str
    kind: str
    where: str
    expected: str
    got: str


def shown(value: Any, secret: str | None = None) -> str:
    """A value from an answer as JSON text, on one line, without `secret`, clipped.

    Redacted before clipping: a clip could leave the start of the key.
    """
    try:
        text = json.dumps(value, ensure_ascii=False)
    except (TypeError, ValueError):
        text = repr(value)
    return clip(redact_secret(text, secret), SHOWN_LIMIT)


def json_type(value: Any) -> str:
    if value is None:
        return "null"
    if isinstance(value, bool):
        return "boolean"
    if isinstance(value, int):
        return "integer"
    if isinstance(value, float):
        return "number"
    if isinstance(value, str):
        return "string"
    if isinstance(value, list):
        return "array"
    return "object" if isinstance(value, dict) else type(value).__name__


def _where(parts: Any, secret: str | None) -> str:
    text = ""
    for part in parts:
        # A member name is the server's text: one line, clipped, like its values.
        name = clip(redact_secret(str(part), secret), SHOWN_LIMIT)
        text += f"[{part}]" if isinstance(part, int) else (f".{name}" if text else name)
    # Every item of a list drifts alike: one line for `items[]`, not one per job.
    return _INDEX.sub("[]", text) or "(body)"


def _validator(spec: dict[str, Any], schema: dict[str, Any]) -> Any:
    from jsonschema import Draft202012Validator, FormatChecker

    # The spec's components ride along in the root document, so `#/components/...` resolves.
    root = {**schema, "components": spec.get("components", {})}
    return Draft202012Validator(root, format_checker=FormatChecker())


def schema_findings(
    spec: dict[str, Any], schema: dict[str, Any], instance: Any, secret: str | None = None
) -> list[Finding]:
    """Every breaking and additive difference between `instance` and `schema`, deduplicated.

    `instance` is checked as the server sent it (a short key may well occur in
    an id or a date); `secret` is taken out of what the findings show.
    """
    findings: list[Finding] = []
    for error in _validator(spec, schema).iter_errors(instance):
        findings.extend(_from_error(error, secret))
    findings.extend(_new_fields(spec, schema, instance, [], secret))
    unique: dict[tuple[str, str, str], Finding] = {}
    for finding in findings:
        unique.setdefault((finding.kind, finding.where, finding.expected), finding)
    return list(unique.values())


def _from_error(error: Any, secret: str | None) -> Iterator[Finding]:
    path = list(error.absolute_path)
    keyword = error.validator
    value = error.validator_value
    if keyword == "required" and isinstance(error.instance, dict):
        for name in value:
            if name not in error.instance:
                yield Finding(
                    severity="breaking",
                    kind="missing-field",
                    where=_where([*path, name], secret),
                    expected="a required field",
                    got="absent",
                )
        return
    got = shown(error.instance, secret)
    if keyword == "type":
        types = value if isinstance(value, list) else [value]
        yield Finding(
            severity="breaking",
            kind="type-changed",
            where=_where(path, secret),
            expected=" or ".join(str(each) for each in types),
            got=f"{json_type(error.instance)} {got}",
        )
    elif keyword == "enum":
        yield Finding(
            severity="breaking",
            kind="enum-changed",
            where=_where(path, secret),
            expected="one of " + ", ".join(shown(each) for each in value),
            got=got,
        )
    elif keyword == "format":
        yield Finding(
            severity="breaking",
            kind="format-changed",
            where=_where(path, secret),
            expected=f"format {value}",
            got=got,
        )
    else:
        yield Finding(
            severity="breaking",
            kind="value-changed",
            where=_where(path, secret),
            expected=f"{keyword} {shown(value)}",
            got=got,
        )


def _new_fields(
    spec: dict[str, Any], schema: Any, instance: Any, path: list[Any], secret: str | None
) -> Iterator[Finding]:
    schema = resolve(spec, schema)
    if not isinstance(schema, dict):
        return
    for combinator in ("oneOf", "anyOf"):
        choices = schema.get(combinator)
        if isinstance(choices, list):
            # The branch the answer matches names its fields; with none, the break is reported.
            for choice in choices:
                if isinstance(choice, dict) and _validator(spec, choice).is_valid(instance):
                    yield from _new_fields(spec, choice, instance, path, secret)
                    break
    if isinstance(instance, dict):
        properties = schema.get("properties")
        if not isinstance(properties, dict):
            return
        # `additionalProperties` said outright (true, or a schema) means extension members
        # are expected; `false` is a break the validator reports.
        open_ended = "additionalProperties" in schema
        for name, value in instance.items():
            if name in properties:
                yield from _new_fields(spec, properties[name], value, [*path, name], secret)
            elif not open_ended:
                yield Finding(
                    severity="additive",
                    kind="new-field",
                    where=_where([*path, name], secret),
                    expected="not in the spec",
                    got=f"{json_type(value)} {shown(value, secret)}",
                )
    elif isinstance(instance, list) and isinstance(schema.get("items"), dict):
        for index, item in enumerate(instance):
            yield from _new_fields(spec, schema["items"], item, [*path, index], secret)
