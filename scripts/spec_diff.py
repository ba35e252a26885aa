"""Compare a vendor OpenAPI document with our openapi.yaml, for the operations we cover.

    python scripts/spec_diff.py vendor-openapi.json [--json]    # or: make spec-diff VENDOR=...

For each of our operations (matched by method and path, else by
operationId): parameters, request body, status codes, response headers and
response bodies, field by field: added or removed fields, type, format,
enum and `required` changes. Each difference is classified for a client of
ours: breaking (something we send or read is gone or changed, or the API
may now answer a status we do not document) or additive (something new we
can ignore). Exit 0: no difference, 6: breaking, 7: additive only, 2: the
document cannot be read; the same numbers as `companyenrich-export check`.

Why our own code and not a diff library: the tools that understand OpenAPI
(oasdiff, openapi-diff) are Go and Java programs, and generic JSON diffs
(deepdiff, jsondiff) see text, not schemas: they cannot follow `$ref`s into
two documents, read 3.0 `nullable` and 3.1 type lists alike, or tell a field
added to a response (harmless) from one added to `required` in a request.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any

ROOT = Path(__file__).resolve().parent.parent
OURS = ROOT / "openapi.yaml"
METHODS = ("get", "put", "post", "delete", "patch", "head", "options")
EXIT_OK, EXIT_UNREADABLE, EXIT_BREAKING, EXIT_ADDITIVE = 0, 2, 6, 7
# A schema nested deeper than this is not compared further (a cycle of $refs).
MAX_DEPTH = 32

Change = dict[str, str]


def load(path: Path) -> dict[str, Any]:
    """A JSON or YAML OpenAPI document; ValueError when it is neither."""
    text = path.read_text(encoding="utf-8")
    try:
        document = json.loads(text)
    except ValueError:
        import yaml

        try:
            document = yaml.safe_load(text)
        except yaml.YAMLError as exc:
            raise ValueError(f"{path} is neither JSON nor YAML: {exc}") from None
    if not isinstance(document, dict) or not isinstance(document.get("paths"), dict):
        raise ValueError(f"{path} is not an OpenAPI document (no `paths`)")
    return document


def _resolve(document: dict[str, Any], node: Any) -> Any:
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return {}
        seen.add(ref)
        target: Any = document
        for part in ref[2:].split("/"):
            target = (
                target.get(part.replace("~1", "/").replace("~0", "~"), {})
                if isinstance(target, dict)
                else {}
            )
        node = target
    return node


def _types(schema: dict[str, Any]) -> set[str]:
    """The schema's types, 3.0 `nullable: true` and 3.1 `[x, "null"]` read alike."""
    raw = schema.get("type")
    types = set(raw) if isinstance(raw, list) else {raw} if isinstance(raw, str) else set()
    if schema.get("nullable") is True:
        types.add("null")
    return types


def _branch(schema: dict[str, Any], document: dict[str, Any]) -> dict[str, Any]:
    """`oneOf: [X, {type: null}]` (a nullable reference) read as X, nullable."""
    for combinator in ("oneOf", "anyOf"):
        choices = schema.get(combinator)
        if isinstance(choices, list):
            real = [c for c in choices if _types(_resolve(document, c)) != {"null"}]
            if len(real) == 1:
                merged = dict(_resolve(document, real[0]))
                if len(real) < len(choices):
                    merged["type"] = sorted(_types(merged) | {"null"})
                return merged
    return schema


class Differ:
    def __init__(self, ours: dict[str, Any], vendor: dict[str, Any]) -> None:
        self.ours, self.vendor = ours, vendor
        self.changes: list[Change] = []

    def add(
        self, severity: str, operation: str, where: str, kind: str, ours: Any, vendor: Any
    ) -> None:
        self.changes.append(
            {
                "severity": severity,
                "operation": operation,
                "where": where,
                "kind": kind,
                "ours": _text(ours),
                "vendor": _text(vendor),
            }
        )

    def run(self) -> list[Change]:
        for path, method, ours_op in _operations(self.ours):
            op_id = ours_op.get("operationId", f"{method.upper()} {path}")
            vendor_op = self._vendor_operation(path, method, op_id)
            if vendor_op is None:
                self.add(
                    "breaking",
                    op_id,
                    f"{method.upper()} {path}",
                    "operation-removed",
                    "present",
                    "absent",
                )
                continue
            self._parameters(op_id, ours_op, vendor_op)
            self._request_body(op_id, ours_op, vendor_op)
            self._responses(op_id, ours_op, vendor_op)
        return self.changes

    def _vendor_operation(self, path: str, method: str, op_id: str) -> dict[str, Any] | None:
        item = _resolve(self.vendor, self.vendor["paths"].get(path))
        if isinstance(item, dict) and isinstance(item.get(method), dict):
            found: dict[str, Any] = item[method]
            return found
        for _, _, candidate in _operations(self.vendor):
            if candidate.get("operationId") == op_id:
                return candidate
        return None

    def _parameters(self, op_id: str, ours: dict[str, Any], vendor: dict[str, Any]) -> None:
        def by_key(
            document: dict[str, Any], operation: dict[str, Any]
        ) -> dict[tuple[str, str], Any]:
            found = {}
            for raw in operation.get("parameters") or []:
                param = _resolve(document, raw)
                if isinstance(param, dict) and "name" in param:
                    found[
                        (
                            str(param.get("in")),
                            str(param["name"]).lower()
                            if param.get("in") == "header"
                            else str(param["name"]),
                        )
                    ] = param
            return found

        mine, theirs = by_key(self.ours, ours), by_key(self.vendor, vendor)
        for key in sorted(mine.keys() | theirs.keys()):
            where = f"parameter {key[0]} {key[1]}"
            if key not in theirs:
                self.add("breaking", op_id, where, "parameter-removed", "present", "absent")
            elif key not in mine:
                required = bool(theirs[key].get("required"))
                self.add(
                    "breaking" if required else "additive",
                    op_id,
                    where,
                    "parameter-added",
                    "absent",
                    "required" if required else "optional",
                )
            else:
                if theirs[key].get("required") and not mine[key].get("required"):
                    self.add("breaking", op_id, where, "required-added", "optional", "required")
                self._schema(
                    op_id,
                    where,
                    mine[key].get("schema", {}),
                    theirs[key].get("schema", {}),
                    reading=False,
                    depth=0,
                )

    def _request_body(self, op_id: str, ours: dict[str, Any], vendor: dict[str, Any]) -> None:
        mine = _resolve(self.ours, ours.get("requestBody")) or {}
        theirs = _resolve(self.vendor, vendor.get("requestBody")) or {}
        for media, content in (mine.get("content") or {}).items():
            where = f"request {media}"
            other = (theirs.get("content") or {}).get(media)
            if other is None:
                self.add("breaking", op_id, where, "media-type-removed", "present", "absent")
                continue
            self._schema(
                op_id,
                where,
                content.get("schema", {}),
                other.get("schema", {}),
                reading=False,
                depth=0,
            )

    def _responses(self, op_id: str, ours: dict[str, Any], vendor: dict[str, Any]) -> None:
        mine, theirs = ours.get("responses") or {}, vendor.get("responses") or {}
        for status in sorted(set(mine) | set(theirs)):
            where = f"response {status}"
            if status not in theirs:
                self.add("additive", op_id, where, "status-removed", "documented", "absent")
                continue
            if status not in mine:
                # An answer our spec does not know is an unknown status to our client.
                self.add("breaking", op_id, where, "status-added", "absent", "documented")
                continue
            a, b = (
                _resolve(self.ours, mine[status]) or {},
                _resolve(self.vendor, theirs[status]) or {},
            )
            self._headers(op_id, where, a.get("headers") or {}, b.get("headers") or {})
            for media, content in (a.get("content") or {}).items():
                other = (b.get("content") or {}).get(media)
                if other is None:
                    self.add(
                        "breaking",
                        op_id,
                        f"{where} {media}",
                        "media-type-removed",
                        "present",
                        "absent",
                    )
                    continue
                self._schema(
                    op_id,
                    f"{where} {media}",
                    content.get("schema", {}),
                    other.get("schema", {}),
                    reading=True,
                    depth=0,
                )
            for media in sorted(set(b.get("content") or {}) - set(a.get("content") or {})):
                self.add(
                    "additive", op_id, f"{where} {media}", "media-type-added", "absent", "present"
                )

    def _headers(
        self, op_id: str, where: str, mine: dict[str, Any], theirs: dict[str, Any]
    ) -> None:
        lower_mine = {name.lower() for name in mine}
        lower_theirs = {name.lower() for name in theirs}
        for name in sorted(lower_theirs - lower_mine):
            self.add(
                "additive", op_id, f"{where} header {name}", "header-added", "absent", "present"
            )
        for name in sorted(lower_mine - lower_theirs):
            self.add(
                "breaking", op_id, f"{where} header {name}", "header-removed", "present", "absent"
            )

    def _schema(
        self, op_id: str, where: str, mine: Any, theirs: Any, *, reading: bool, depth: int
    ) -> None:
        if depth > MAX_DEPTH:
            return
        resolved_a, resolved_b = _resolve(self.ours, mine), _resolve(self.vendor, theirs)
        if not isinstance(resolved_a, dict) or not isinstance(resolved_b, dict):
            return  # a boolean schema (`true`) says nothing to compare
        a, b = _branch(resolved_a, self.ours), _branch(resolved_b, self.vendor)
        types_a, types_b = _types(a), _types(b)
        if types_a and types_b and types_a != types_b:
            # A reader breaks on a type it does not expect; a sender when its own is refused.
            new = types_b - types_a if reading else types_a - types_b
            self.add(
                "breaking" if new else "additive",
                op_id,
                where,
                "type-changed",
                sorted(types_a),
                sorted(types_b),
            )
        if a.get("format") != b.get("format") and a.get("format") and b.get("format"):
            self.add("breaking", op_id, where, "format-changed", a.get("format"), b.get("format"))
        self._enum(op_id, where, a, b, reading=reading)
        props_a, props_b = a.get("properties") or {}, b.get("properties") or {}
        req_a, req_b = set(a.get("required") or []), set(b.get("required") or [])
        for name in sorted(set(props_a) | set(props_b)):
            field = f"{where}.{name}" if ":" in where else f"{where}: {name}"
            if name not in props_b:
                self.add(
                    "breaking",
                    op_id,
                    field,
                    "field-removed",
                    "present" + (", required" if name in req_a else ""),
                    "absent",
                )
                continue
            if name not in props_a:
                breaks = not reading and name in req_b
                self.add(
                    "breaking" if breaks else "additive",
                    op_id,
                    field,
                    "field-added",
                    "absent",
                    "required" if name in req_b else "optional",
                )
                continue
            if (name in req_a) != (name in req_b):
                # Readers lose when a field may now be missing; senders when one is now demanded.
                breaks = (name in req_a) if reading else (name in req_b)
                self.add(
                    "breaking" if breaks else "additive",
                    op_id,
                    field,
                    "required-changed",
                    "required" if name in req_a else "optional",
                    "required" if name in req_b else "optional",
                )
            self._schema(
                op_id, field, props_a[name], props_b[name], reading=reading, depth=depth + 1
            )
        if isinstance(a.get("items"), dict) and isinstance(b.get("items"), dict):
            self._schema(
                op_id, f"{where}[]", a["items"], b["items"], reading=reading, depth=depth + 1
            )

    def _enum(
        self, op_id: str, where: str, a: dict[str, Any], b: dict[str, Any], *, reading: bool
    ) -> None:
        enum_a, enum_b = a.get("enum"), b.get("enum")
        if not isinstance(enum_a, list) or not isinstance(enum_b, list):
            if isinstance(enum_a, list) != isinstance(enum_b, list):
                self.add(
                    "breaking" if reading and isinstance(enum_a, list) else "additive",
                    op_id,
                    where,
                    "enum-changed",
                    enum_a,
                    enum_b,
                )
            return
        added = [v for v in enum_b if v not in enum_a]
        removed = [v for v in enum_a if v not in enum_b]
        if added or removed:
            # A reader breaks on a value it does not know; a sender on one no longer taken.
            breaks = bool(added) if reading else bool(removed)
            self.add(
                "breaking" if breaks else "additive", op_id, where, "enum-changed", enum_a, enum_b
            )


def _operations(document: dict[str, Any]) -> Iterator[tuple[str, str, dict[str, Any]]]:
    for path, item in (document.get("paths") or {}).items():
        resolved = _resolve(document, item)
        if isinstance(resolved, dict):
            for method in METHODS:
                if isinstance(resolved.get(method), dict):
                    yield path, method, resolved[method]


def _text(value: Any) -> str:
    return value if isinstance(value, str) else json.dumps(value)


def diff(ours: dict[str, Any], vendor: dict[str, Any]) -> list[Change]:
    return Differ(ours, vendor).run()


def render(changes: list[Change]) -> str:
    if not changes:
        return "No differences in the operations we cover."
    breaking = [c for c in changes if c["severity"] == "breaking"]
    lines = [f"{len(breaking)} breaking, {len(changes) - len(breaking)} additive:"]
    for change in sorted(
        changes, key=lambda c: (c["severity"] != "breaking", c["operation"], c["where"])
    ):
        severity, kind = change["severity"].upper(), change["kind"]
        lines.append(f"  {severity:<9} {kind:<19} {change['operation']}  {change['where']}")
        lines.append(f"            ours: {change['ours']}  vendor: {change['vendor']}")
    return "\n".join(lines)


def main(argv: list[str] | None = None) -> int:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("vendor", type=Path, help="the vendor's OpenAPI document (JSON or YAML)")
    parser.add_argument("--ours", type=Path, default=OURS, help="our spec (default: openapi.yaml)")
    parser.add_argument("--json", action="store_true", help="the differences as a JSON array")
    args = parser.parse_args(argv)
    try:
        ours, vendor = load(args.ours), load(args.vendor)
    except (OSError, ValueError, RecursionError) as exc:
        print(f"error: {exc}", file=sys.stderr)
        return EXIT_UNREADABLE
    changes = diff(ours, vendor)
    print(json.dumps(changes, indent=2) if args.json else render(changes))
    if any(c["severity"] == "breaking" for c in changes):
        return EXIT_BREAKING
    return EXIT_ADDITIVE if changes else EXIT_OK


if __name__ == "__main__":
    raise SystemExit(main())
