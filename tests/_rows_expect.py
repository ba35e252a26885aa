"""What a results file's rows must read as: the fake's records, under the documented CSV rule.

Shared by the reader's tests and the client's `iter_rows` tests (imported
by name: pytest puts this folder on sys.path).
"""

from __future__ import annotations

from typing import Any

from companyenrich_export._results._record import RECORD_COLUMNS
from companyenrich_export.testing import ResultsFile


def _lookup(record: dict[str, Any], path: str) -> Any:
    value: Any = record
    for part in path.split("."):
        if not isinstance(value, dict):
            return None
        value = value.get(part)
    return value


def csv_view(record: dict[str, Any]) -> dict[str, Any]:
    """The record as the documented CSV rule says a CSV reader returns it."""
    nested: dict[str, Any] = {}
    for column in RECORD_COLUMNS:
        value = _lookup(record, column)
        if value == "":
            value = None
        node = nested
        *parents, leaf = column.split(".")
        for part in parents:
            node = node.setdefault(part, {})
        node[leaf] = value

    def prune(node: dict[str, Any]) -> dict[str, Any] | None:
        for key, value in node.items():
            if isinstance(value, dict):
                node[key] = prune(value)
        return None if all(value is None for value in node.values()) else node

    for key, value in nested.items():
        if isinstance(value, dict):
            nested[key] = prune(value)
    return nested


def expected_rows(file: ResultsFile) -> list[dict[str, Any]]:
    records = list(file.records())
    return [csv_view(r) for r in records] if file.format.records == "csv" else records
