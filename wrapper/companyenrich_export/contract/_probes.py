"""The probes: which free, read-only requests the check sends, in order.

Each probe is one entry: the operation (method and path template of the
shipped spec), what to send, and which status the contract promises for it.
Adding a call is one more `Probe(...)` in `PROBES`; a probe whose operation
the shipped spec lacks is left out rather than guessed at. Every probe is
free: reads, and the pre-flight count, which creates nothing.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any, Final, Literal

import attrs

from companyenrich_export._core._operations import (
    ACCOUNT_JOBS_PATH,
    ACCOUNT_PATH,
    BULK_ENRICHMENT_PATH,
    DEFAULT_PAGE_SIZE,
    EXPORTS_PATH,
    SEARCH_COUNT_PATH,
)

__all__ = ["JOBS_PATH", "JOB_PATH", "PROBES", "JobSource", "Probe"]

JOBS_PATH: Final = f"{EXPORTS_PATH}/jobs"
JOB_PATH: Final = f"{EXPORTS_PATH}/{{jobId}}"

# Where a probe's `{jobId}` comes from: the caller's or the first listed job,
# a random well-formed id (nobody's job), or text that is not a job id at all.
JobSource = Literal["listed", "unknown", "malformed"]


@attrs.frozen(kw_only=True)
class Probe:
    """One request of the check and the answer the contract promises."""

    name: str
    method: str
    path: str
    """The path template, as in the spec (`{jobId}` filled in from `job`)."""
    expect: frozenset[int]
    """Statuses that pass; any other documented one is drift, an undocumented one too."""
    description: str
    params: Mapping[str, str] | None = None
    json: Any = None
    job: JobSource | None = None
    accept: str = "application/json"
    send_key: bool = True
    authenticates: bool = False
    """A 401 or 403 here means the key was refused: the check stops at once."""


PROBES: Final[tuple[Probe, ...]] = (
    Probe(
        name="authentication",
        method="GET",
        path=JOBS_PATH,
        params={"page": "1", "pageSize": "1"},
        expect=frozenset({200}),
        authenticates=True,
        description="the key is accepted (one job listed)",
    ),
    Probe(
        name="job-list",
        method="GET",
        path=JOBS_PATH,
        params={"page": "1", "pageSize": str(DEFAULT_PAGE_SIZE)},
        expect=frozenset({200}),
        description="a page of jobs, every item checked",
    ),
    Probe(
        name="job",
        method="GET",
        path=JOB_PATH,
        job="listed",
        expect=frozenset({200}),
        description="a named or listed job",
    ),
    Probe(
        name="unknown-job",
        method="GET",
        path=JOB_PATH,
        job="unknown",
        expect=frozenset({404}),
        description="a well-formed id that is nobody's job: 404 with problem details",
    ),
    Probe(
        name="unknown-job-problem-json",
        method="GET",
        path=JOB_PATH,
        job="unknown",
        accept="application/problem+json",
        expect=frozenset({404}),
        description="the same, asking for application/problem+json",
    ),
    Probe(
        name="malformed-job-id",
        method="GET",
        path=JOB_PATH,
        job="malformed",
        # The spec documents 400, 404 and 422 for this operation; which one a
        # malformed id gets is not said, so any of them passes.
        expect=frozenset({400, 404, 422}),
        description="an id that is not a UUID: a client error with problem details",
    ),
    # The free pre-flight calls and the other jobs' lists: answers only, nothing created.
    Probe(
        name="account",
        method="GET",
        path=ACCOUNT_PATH,
        expect=frozenset({200}),
        description="the account's credits and limits",
    ),
    Probe(
        name="search-count",
        method="POST",
        path=SEARCH_COUNT_PATH,
        json={"countries": ["DE"]},
        expect=frozenset({200}),
        description="the free count of companies matching a search",
    ),
    Probe(
        name="account-jobs",
        method="GET",
        path=ACCOUNT_JOBS_PATH,
        params={"page": "1", "pageSize": "1"},
        expect=frozenset({200}),
        description="the account's jobs of every kind",
    ),
    Probe(
        name="bulk-enrichment-jobs",
        method="GET",
        path=f"{BULK_ENRICHMENT_PATH}/jobs",
        params={"page": "1", "pageSize": "1"},
        expect=frozenset({200}),
        description="the bulk enrichment jobs",
    ),
    Probe(
        name="no-key",
        method="GET",
        path=JOBS_PATH,
        params={"page": "1", "pageSize": "1"},
        send_key=False,
        expect=frozenset({401}),
        description="no key: 401 with problem details",
    ),
)
