"""Bulk enrichment jobs of the fake: lifecycle, which domains fail, their records, the body.

A job goes pending, processing (domains done one after another, linearly
in time), completing, completed, like an export (see `_jobs`). Some domains
fail, deterministically, so `failed_count` is exercised: see
`enrichment_fails`. Credits (one per domain enriched) are charged on
completion, as the vendor documents.
"""

from __future__ import annotations

import bisect
import hashlib
import json
import re
from collections.abc import Iterator, Sequence
from dataclasses import dataclass, field
from datetime import datetime
from typing import Any, Final
from uuid import UUID

from companyenrich_export._jobs._webhook import is_webhook_url
from companyenrich_export._results._record import Row

from ._companies import CompanyRecords
from ._jobs import JobStatus, LifecycleJob, iso_timestamp
from ._validation import Invalid

__all__ = [
    "MAX_BULK_DOMAINS",
    "BulkRequest",
    "EnrichedRecords",
    "EnrichmentState",
    "FakeEnrichmentJob",
    "enrichment_fails",
    "parse_bulk_request",
]

MAX_BULK_DOMAINS: Final = 10_000
# RFC 2606 / RFC 6761 names: they can never be a company's domain.
_RESERVED_TLDS: Final = frozenset({"test", "example", "invalid", "localhost"})
_HOST: Final = re.compile(
    r"(?=.{4,253}$)(?:[a-z0-9](?:[a-z0-9-]{0,61}[a-z0-9])?\.)+[a-z](?:[a-z0-9-]{0,61}[a-z0-9])?"
)


def enrichment_fails(domain: str) -> bool:
    """Whether the fake fails to enrich `domain`: the same answer every time.

    A domain fails when it is not a host name (the fake, like the vendor as
    far as anyone knows, takes any non-empty text), when its top-level
    domain is reserved (`.test`, `.example`, `.invalid`, `.localhost`), or
    for about one domain in ten otherwise (by a hash of it): so a list of
    real-looking domains has failures too.
    """
    host = domain.strip().lower()
    if not _HOST.fullmatch(host):
        return True
    if host.rsplit(".", 1)[-1] in _RESERVED_TLDS:
        return True
    return hashlib.sha256(host.encode()).digest()[0] < 26


@dataclass(frozen=True, slots=True)
class BulkRequest:
    domains: tuple[str, ...]
    """Unique domains, in order (the vendor counts "unique domains to enrich")."""
    webhook_url: str | None


def _reject_constant(name: str) -> None:
    raise ValueError(f"{name} is not JSON")


def parse_bulk_request(body: bytes) -> BulkRequest | Invalid:
    """The create body of a bulk enrichment: 400 for a wrong shape, 422 for a broken rule."""
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Invalid(400, "The request body is not valid JSON.")
    if not isinstance(document, dict):
        return Invalid(400, "The request body must be a JSON object.")
    shape: dict[str, list[str]] = {}
    rules: dict[str, list[str]] = {}
    domains = document.get("domains")
    if "domains" not in document:
        shape["domains"] = ["is required"]
    elif not isinstance(domains, list):
        shape["domains"] = ["must be an array of strings"]
    else:
        for index, item in enumerate(domains):
            if not isinstance(item, str):
                shape.setdefault(f"domains[{index}]", []).append("must be a string")
            elif not item:
                rules.setdefault(f"domains[{index}]", []).append("must not be empty")
        if not 1 <= len(domains) <= MAX_BULK_DOMAINS:
            rules.setdefault("domains", []).append(f"must hold 1 to {MAX_BULK_DOMAINS} domains")
    webhook_url = document.get("webhook_url")
    if webhook_url is not None:
        if not isinstance(webhook_url, str):
            shape["webhook_url"] = ["must be a string or null"]
        elif not is_webhook_url(webhook_url):
            rules["webhook_url"] = ["must be an absolute http(s) URI with a host"]
    if shape:
        return Invalid(400, "The request body is not a valid bulk enrichment request.", shape)
    if rules:
        return Invalid(422, "One or more validation errors occurred.", rules)
    assert isinstance(domains, list)  # a shape error otherwise
    unique = dict.fromkeys(domain.strip().lower() for domain in domains)
    return BulkRequest(domains=tuple(unique), webhook_url=webhook_url)


@dataclass(frozen=True, slots=True)
class EnrichmentState:
    """What a bulk enrichment job looks like at one instant."""

    status: JobStatus
    success_count: int
    failed_count: int
    credits_charged: int
    started_at: datetime | None
    completed_at: datetime | None
    error_message: str | None


@dataclass(kw_only=True, slots=True)
class FakeEnrichmentJob(LifecycleJob):
    """One bulk enrichment job held by the fake: its units of work are the domains.

    Domains are processed in order during `processing_for` seconds; each one
    succeeds or fails as `enrichment_fails` says.
    """

    domains: tuple[str, ...]
    _failures: list[int] = field(default_factory=list, repr=False)
    """Positions (0-based, ascending) of the domains that fail."""

    def __post_init__(self) -> None:
        # Not super(): a slotted dataclass is a new class, which zero-argument super() misses.
        LifecycleJob.__post_init__(self)
        self._failures = [
            index for index, domain in enumerate(self.domains) if enrichment_fails(domain)
        ]

    @property
    def total_domains(self) -> int:
        return len(self.domains)

    @property
    def enriched_domains(self) -> tuple[str, ...]:
        """The domains whose records the results file holds, in order."""
        failing = set(self._failures)
        return tuple(d for index, d in enumerate(self.domains) if index not in failing)

    def state(self, now: float) -> EnrichmentState:
        phase = self.phase(now)
        done = self.units_done(self.total_domains, phase.offset)
        failed = bisect.bisect_left(self._failures, done)
        success = done - failed
        # One credit per domain enriched, charged on completion.
        credits = success if phase.status == "completed" else 0
        return EnrichmentState(
            phase.status,
            success,
            failed,
            credits,
            phase.started_at,
            phase.completed_at,
            phase.error_message,
        )

    def summary(self, now: float) -> dict[str, Any]:
        """The job as the fake's bulk list shows it (the vendor's is undocumented)."""
        state = self.state(now)
        return {
            "job_id": str(self.job_id),
            "status": state.status,
            "total_domains": self.total_domains,
            "success_count": state.success_count,
            "failed_count": state.failed_count,
            "credits_charged": state.credits_charged,
            "created_at": iso_timestamp(self.created_at),
            "started_at": iso_timestamp(state.started_at) if state.started_at else None,
            "completed_at": iso_timestamp(state.completed_at) if state.completed_at else None,
        }

    def detail(self, now: float, results_url: str | None) -> dict[str, Any]:
        """The job as GET /companies/enrich/bulk/{jobId} shows it."""
        state = self.state(now)
        return {
            **self.summary(now),
            "results_url": results_url if state.status == "completed" else None,
            "error_message": state.error_message,
        }

    def account_item(self, now: float) -> dict[str, Any]:
        """The job as GET /jobs shows it."""
        state = self.state(now)
        return {
            "id": str(self.job_id),
            "type": "bulk_enrichment",
            "status": state.status,
            "title": f"Bulk enrichment of {self.total_domains} domains",
            "created_at": iso_timestamp(self.created_at),
            "started_at": iso_timestamp(state.started_at) if state.started_at else None,
            "completed_at": iso_timestamp(state.completed_at) if state.completed_at else None,
            "credits_charged": state.credits_charged,
            "error_message": state.error_message,
        }


class EnrichedRecords(Sequence[Row]):
    """The company records of an enrichment's results: one per enriched domain, in order.

    Each is a generated company (see `CompanyRecords`) carrying the domain
    it was asked for.
    """

    def __init__(self, job_id: UUID, domains: Sequence[str], *, revision: int = 0) -> None:
        self.domains = domains
        self._companies = CompanyRecords(job_id, len(domains), revision=revision)

    def __len__(self) -> int:
        return len(self.domains)

    def __getitem__(self, index: int) -> Row:  # type: ignore[override]
        record = dict(self._companies[index])
        domain = self.domains[index if index >= 0 else index + len(self.domains)]
        record["domain"] = domain
        if record.get("website") is not None:
            record["website"] = f"https://{domain}"
        return record

    def __iter__(self) -> Iterator[Row]:
        return (self[index] for index in range(len(self.domains)))
