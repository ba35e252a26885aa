"""`scripts/spec_diff.py` (make spec-diff): every change made to a copy of our spec is named.

Vendor documents here are our openapi.yaml with one named mutation each (and
all of them at once); the report must name each, with the right class.
"""

from __future__ import annotations

import copy
import importlib.util
import json
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path
from types import ModuleType
from typing import Any

import pytest
import yaml

ROOT = Path(__file__).resolve().parent.parent
SCRIPT = ROOT / "scripts" / "spec_diff.py"
JOB = "/companies/search/async/{jobId}"
JOBS = "/companies/search/async/jobs"
OK_200 = "response 200 application/json"


def _script() -> ModuleType:
    spec = importlib.util.spec_from_file_location("spec_diff", SCRIPT)
    assert spec is not None
    assert spec.loader is not None
    module = importlib.util.module_from_spec(spec)
    spec.loader.exec_module(module)
    return module


spec_diff = _script()
OURS: dict[str, Any] = yaml.load(
    (ROOT / "openapi.yaml").read_text(encoding="utf-8"), Loader=yaml.CSafeLoader
)


def _schemas(doc: dict[str, Any]) -> dict[str, Any]:
    schemas: dict[str, Any] = doc["components"]["schemas"]
    return schemas


def remove_required_field(doc: dict[str, Any]) -> None:
    job = _schemas(doc)["ExportJob"]
    del job["properties"]["exported_count"]
    job["required"].remove("exported_count")


def add_field(doc: dict[str, Any]) -> None:
    _schemas(doc)["ExportJob"]["properties"]["region"] = {"type": "string"}


def change_type(doc: dict[str, Any]) -> None:
    _schemas(doc)["ExportJobSummary"]["properties"]["requested_count"]["type"] = "string"


def add_enum_value(doc: dict[str, Any]) -> None:
    _schemas(doc)["JobStatus"]["enum"].append("cancelled")


def stop_requiring(doc: dict[str, Any]) -> None:
    _schemas(doc)["ExportJob"]["required"].remove("credits_charged")


def add_status_code(doc: dict[str, Any]) -> None:
    doc["paths"][JOB]["get"]["responses"]["409"] = {"description": "Conflict"}


def remove_status_code(doc: dict[str, Any]) -> None:
    del doc["paths"][JOB]["get"]["responses"]["404"]


def require_query_parameter(doc: dict[str, Any]) -> None:
    doc["paths"][JOBS]["get"]["parameters"][0]["required"] = True


def add_response_header(doc: dict[str, Any]) -> None:
    doc["paths"][JOB]["get"]["responses"]["200"]["headers"] = {
        "X-Credits-Left": {"schema": {"type": "integer"}}
    }


def require_request_field(doc: dict[str, Any]) -> None:
    _schemas(doc)["CreateExportRequest"]["required"].append("webhook_url")


def change_format(doc: dict[str, Any]) -> None:
    _schemas(doc)["ExportJob"]["properties"]["created_at"]["format"] = "date"


def remove_operation(doc: dict[str, Any]) -> None:
    del doc["paths"][JOBS]


# Each mutation and what the report must say: (severity, kind, operation, where).
MUTATIONS: dict[Callable[[dict[str, Any]], None], tuple[str, str, str, str]] = {
    remove_required_field: (
        "breaking",
        "field-removed",
        "getExportJob",
        f"{OK_200}: exported_count",
    ),
    add_field: ("additive", "field-added", "getExportJob", f"{OK_200}: region"),
    change_type: (
        "breaking",
        "type-changed",
        "listExportJobs",
        f"{OK_200}: items[].requested_count",
    ),
    add_enum_value: ("breaking", "enum-changed", "getExportJob", f"{OK_200}: status"),
    stop_requiring: (
        "breaking",
        "required-changed",
        "getExportJob",
        f"{OK_200}: credits_charged",
    ),
    add_status_code: ("breaking", "status-added", "getExportJob", "response 409"),
    remove_status_code: ("additive", "status-removed", "getExportJob", "response 404"),
    require_query_parameter: (
        "breaking",
        "required-added",
        "listExportJobs",
        "parameter query page",
    ),
    add_response_header: (
        "additive",
        "header-added",
        "getExportJob",
        "response 200 header x-credits-left",
    ),
    require_request_field: (
        "breaking",
        "required-changed",
        "createExportJob",
        "request application/json: webhook_url",
    ),
    change_format: ("breaking", "format-changed", "getExportJob", f"{OK_200}: created_at"),
}


def _found(changes: list[dict[str, str]]) -> set[tuple[str, str, str, str]]:
    return {(c["severity"], c["kind"], c["operation"], c["where"]) for c in changes}


def test_our_own_spec_has_no_differences() -> None:
    assert spec_diff.diff(OURS, copy.deepcopy(OURS)) == []


@pytest.mark.parametrize("mutate", MUTATIONS, ids=lambda mutate: mutate.__name__)
def test_each_mutation_is_named_with_its_class(mutate: Callable[[dict[str, Any]], None]) -> None:
    vendor = copy.deepcopy(OURS)
    mutate(vendor)
    assert MUTATIONS[mutate] in _found(spec_diff.diff(OURS, vendor))


def test_a_removed_operation_is_breaking() -> None:
    vendor = copy.deepcopy(OURS)
    remove_operation(vendor)
    assert _found(spec_diff.diff(OURS, vendor)) == {
        ("breaking", "operation-removed", "listExportJobs", f"GET {JOBS}")
    }


def test_openapi_3_0_nullable_reads_like_a_3_1_type_list() -> None:
    vendor = copy.deepcopy(OURS)
    started = _schemas(vendor)["ExportJob"]["properties"]["started_at"]
    started["type"], started["nullable"] = "string", True
    assert spec_diff.diff(OURS, vendor) == []


def _run(*args: str) -> subprocess.CompletedProcess[str]:
    return subprocess.run(  # noqa: S603 - our own script
        [sys.executable, str(SCRIPT), *args], capture_output=True, text=True, check=False
    )


def test_the_command_names_every_mutation_of_one_vendor_document(tmp_path: Path) -> None:
    vendor = copy.deepcopy(OURS)
    for mutate in MUTATIONS:
        mutate(vendor)
    document = tmp_path / "vendor.json"
    document.write_text(json.dumps(vendor), encoding="utf-8")

    as_json = _run(str(document), "--json")
    as_text = _run(str(document))

    assert as_json.returncode == as_text.returncode == 6
    assert set(MUTATIONS.values()) <= _found(json.loads(as_json.stdout))
    for severity, kind, operation, where in MUTATIONS.values():
        assert any(
            line.split()[:3] == [severity.upper(), kind, operation] and line.endswith(where)
            for line in as_text.stdout.splitlines()
        ), (kind, where)


def test_exit_codes_additive_only_none_and_unreadable(tmp_path: Path) -> None:
    additive = copy.deepcopy(OURS)
    add_field(additive)
    (tmp_path / "additive.yaml").write_text(yaml.safe_dump(additive), encoding="utf-8")
    (tmp_path / "same.json").write_text(json.dumps(OURS), encoding="utf-8")
    (tmp_path / "junk.json").write_text("[1, 2", encoding="utf-8")

    assert _run(str(tmp_path / "additive.yaml")).returncode == 7
    same = _run(str(tmp_path / "same.json"))
    assert same.returncode == 0
    assert same.stdout.strip() == "No differences in the operations we cover."
    junk = _run(str(tmp_path / "junk.json"))
    assert junk.returncode == 2
    assert junk.stderr.startswith("error: ")
    assert "Traceback" not in junk.stderr
