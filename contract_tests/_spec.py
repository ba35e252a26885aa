"""openapi.yaml as plain JSON Schema, for the contract tests that generate bodies from it."""

from __future__ import annotations

import json
from functools import cache
from pathlib import Path
from typing import Any

import yaml

ROOT = Path(__file__).resolve().parent.parent
SPEC_PATH = ROOT / "openapi.yaml"
SEED_PATH = Path(__file__).resolve().parent / "seed" / "get-export-job.md"
GET_JOB_PATH = "/companies/search/async/{jobId}"


@cache
def spec() -> dict[str, Any]:
    loaded = yaml.load(SPEC_PATH.read_text(encoding="utf-8"), Loader=yaml.CSafeLoader)
    assert isinstance(loaded, dict)
    return loaded


def component_schema(name: str) -> dict[str, Any]:
    """A component schema with every `#/components/schemas/X` ref made local (`#/$defs/X`)."""
    text = json.dumps(spec()["components"]["schemas"]).replace("#/components/schemas/", "#/$defs/")
    definitions: dict[str, Any] = json.loads(text)
    return {**definitions[name], "$defs": definitions}


def documented_statuses(path: str, method: str) -> list[int]:
    responses = spec()["paths"][path][method]["responses"]
    return sorted(int(code) for code in responses)


def seed_example_response() -> dict[str, Any]:
    """The JSON example at the end of the vendor's API page."""
    text = SEED_PATH.read_text(encoding="utf-8")
    block = text.split("## Example Response", 1)[1].split("```json", 1)[1].split("```", 1)[0]
    example = json.loads(block)
    assert isinstance(example, dict)
    return example
