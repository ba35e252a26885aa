"""Contract drift on demand: the fake answers as if the vendor had changed its API.

    fake.drift = frozenset({"field-removed", "enum-changed"})
    python -m companyenrich_export.testing --drift field-added --drift type-changed

Each kind rewrites the fake's successful API answers (jobs in the list, a
job, a created job) the way a vendor change would, so `companyenrich-export
check` and its users see every kind of drift report without a real change:

- `field-removed`: jobs lose `status`, a required field (breaking);
- `field-added`: jobs gain `region`, a field the spec does not know (additive);
- `enum-changed`: job statuses get new names, `completed` becomes `done` (breaking);
- `type-changed`: `requested_count` becomes a string, `"100"` (breaking);
- `header-added`: answers carry `x-companyenrich-region`, a header the spec
  does not know (additive).

The fake's own state is untouched: only what goes on the wire changes.
"""

from __future__ import annotations

import json
from collections.abc import Iterable
from typing import Any, Final, Literal, get_args

from ._http import FakeResponse, json_bytes

__all__ = ["DRIFT_KINDS", "DriftKind", "apply_drift", "parse_drift"]

DriftKind = Literal["field-removed", "field-added", "enum-changed", "type-changed", "header-added"]
DRIFT_KINDS: Final[tuple[str, ...]] = get_args(DriftKind)

ADDED_FIELD: Final = "region"
ADDED_HEADER: Final = "x-companyenrich-region"
REMOVED_FIELD: Final = "status"
RETYPED_FIELD: Final = "requested_count"
RENAMED_STATUSES: Final = {
    "pending": "queued",
    "processing": "running",
    "completing": "finalizing",
    "completed": "done",
    "failed": "error",
}


def parse_drift(kinds: Iterable[str]) -> frozenset[str]:
    """The kinds, checked: a misspelt kind is a ValueError, not a fake that never drifts."""
    chosen = frozenset(kinds)
    unknown = sorted(chosen - set(DRIFT_KINDS))
    if unknown:
        raise ValueError(
            f"unknown drift kind(s) {', '.join(unknown)}; choose from {', '.join(DRIFT_KINDS)}"
        )
    return chosen


def apply_drift(kinds: frozenset[str], response: FakeResponse) -> None:
    """Rewrite a successful API answer in place, as the chosen kinds say."""
    if not kinds or response.status != 200 or not isinstance(response.body, bytes):
        return
    if "header-added" in kinds:
        response.headers.append((ADDED_HEADER, "eu-west-1"))
    try:
        payload = json.loads(response.body)
    except ValueError:
        return
    if not isinstance(payload, dict):
        return
    jobs = payload["items"] if isinstance(payload.get("items"), list) else [payload]
    changed = False
    for job in jobs:
        if isinstance(job, dict) and "job_id" in job:
            _drift_job(kinds, job)
            changed = True
    if changed:
        response.body = json_bytes(payload)
        response.headers = [
            (name, str(len(response.body)) if name.lower() == "content-length" else value)
            for name, value in response.headers
        ]


def _drift_job(kinds: frozenset[str], job: dict[str, Any]) -> None:
    if "enum-changed" in kinds and job.get("status") in RENAMED_STATUSES:
        job["status"] = RENAMED_STATUSES[job["status"]]
    if "type-changed" in kinds and isinstance(job.get(RETYPED_FIELD), int):
        job[RETYPED_FIELD] = str(job[RETYPED_FIELD])
    if "field-added" in kinds:
        job[ADDED_FIELD] = "eu-west-1"
    if "field-removed" in kinds:
        job.pop(REMOVED_FIELD, None)
