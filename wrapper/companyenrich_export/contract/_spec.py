"""The spec shipped inside the package (`openapi.json`, made from openapi.yaml by `make generate`).

Read through importlib.resources, so a wheel, a zip and an editable install
find it alike. Everything here is lookup: which operation a method and path
template are, which responses, media types and headers it documents.
"""

from __future__ import annotations

import json
from functools import cache
from importlib import resources
from typing import Any, cast

__all__ = ["Operation", "load_spec", "operation"]

SPEC_RESOURCE = "openapi.json"


@cache
def load_spec() -> dict[str, Any]:
    """The shipped OpenAPI document, parsed once."""
    text = resources.files(__package__).joinpath(SPEC_RESOURCE).read_text(encoding="utf-8")
    return cast("dict[str, Any]", json.loads(text))


def resolve(spec: dict[str, Any], node: Any) -> Any:
    """`node` with a local `$ref` followed (repeatedly); anything else as it is."""
    seen: set[str] = set()
    while isinstance(node, dict) and isinstance(node.get("$ref"), str):
        ref: str = node["$ref"]
        if not ref.startswith("#/") or ref in seen:
            return node
        seen.add(ref)
        target: Any = spec
        for part in ref[2:].split("/"):
            target = target.get(part.replace("~1", "/").replace("~0", "~"), {})
        node = target
    return node


class Operation:
    """One operation of the shipped spec, with its documented answers."""

    def __init__(self, spec: dict[str, Any], method: str, path: str) -> None:
        self.spec = spec
        self.method = method.upper()
        self.path = path
        self.definition: dict[str, Any] = spec["paths"][path][method.lower()]
        self.operation_id: str = self.definition.get("operationId", f"{self.method} {path}")

    def documented_statuses(self) -> list[str]:
        return sorted(self.definition.get("responses", {}))

    def response(self, status: int) -> dict[str, Any] | None:
        """The response object for `status` (exact, then `4XX`-style, then `default`)."""
        responses = self.definition.get("responses", {})
        for key in (str(status), f"{status // 100}XX", "default"):
            if key in responses:
                return cast("dict[str, Any]", resolve(self.spec, responses[key]))
        return None


def operation(method: str, path: str) -> Operation | None:
    """The shipped spec's operation at `method path`, or None when the spec has none."""
    spec = load_spec()
    if method.lower() not in spec.get("paths", {}).get(path, {}):
        return None
    return Operation(spec, method, path)
