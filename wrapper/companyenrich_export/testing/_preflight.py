"""The fake's pre-flight side: the count endpoints, GET /me, per-key credits, credit headers.

Credits follow the vendor's documentation: an export costs one credit per
exported company, charged when it completes. So what an account has used is
never stored per request: it is the credits already charged by its jobs at
the fake's current time, plus a configurable starting amount.

Assumptions (the vendor does not document them), also in docs/preflight.md:

* a create whose estimate (`min(count, total_matching)`) is above what the
  account has left, after what its unfinished jobs will charge, is refused
  at once with 402 problem+json (the real API may instead accept it and fail
  or cut it short later);
* a create above the account's `companySearchAsyncLimit` is a 422 naming it;
* every authenticated answer carries `x-credit-cost` (0: reads and creates
  cost nothing when made) and `x-credit-remaining`; an unauthenticated one
  (401) carries neither, since it has no account.
"""

from __future__ import annotations

import hashlib
import json
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any, Final, Literal
from uuid import UUID

from ._http import FakeResponse, json_response
from ._jobs import FakeJob
from ._matching import matching_companies
from ._validation import (
    SEARCH_FIELDS,
    SIMILAR_FIELDS,
    Invalid,
    _check_seed_domains,
    _check_shape,
    _Errors,
    _reject_constant,
)

__all__ = [
    "COUNT_SHAPES",
    "DEFAULT_ASYNC_LIMIT",
    "DEFAULT_CREDITS",
    "CountShape",
    "Ledger",
    "count_body",
    "parse_count_request",
]

CountShape = Literal["integer", "count", "totalItems"]
COUNT_SHAPES: Final[tuple[CountShape, ...]] = ("integer", "count", "totalItems")
# Enough that no test or benchmark runs out by accident (2,000 exports of 50,000).
DEFAULT_CREDITS: Final = 100_000_000
DEFAULT_ASYNC_LIMIT: Final = 50_000
_NOT_FINISHED: Final = frozenset({"pending", "processing", "completing"})


@dataclass(slots=True)
class _Account:
    total: int
    used: int  # before any job of the fake charged anything
    async_limit: int


class Ledger:
    """Per-key credits and limits, by owner digest (never the key)."""

    def __init__(self, default_total: int, default_async_limit: int) -> None:
        self.default_total = default_total
        self.default_async_limit = default_async_limit
        self._accounts: dict[str, _Account] = {}

    def account(self, owner: str) -> _Account:
        found = self._accounts.get(owner)
        if found is None:
            found = _Account(self.default_total, 0, self.default_async_limit)
            self._accounts[owner] = found
        return found

    def set(
        self, owner: str, *, total: int | None, used: int | None, async_limit: int | None
    ) -> None:
        account = self.account(owner)
        for name, value in (("total", total), ("used", used), ("async_limit", async_limit)):
            if value is None:
                continue
            if isinstance(value, bool) or not isinstance(value, int) or value < 0:
                raise ValueError(f"{name} must be an int, 0 or more, got {value!r}")
            setattr(account, name, value)

    def used(self, owner: str, jobs: Iterable[FakeJob], now: float) -> int:
        """Credits used: the starting amount plus what the owner's jobs have charged by now."""
        charged = sum(job.state(now).credits_charged for job in jobs if job.owner == owner)
        return self.account(owner).used + charged

    def remaining(self, owner: str, jobs: Iterable[FakeJob], now: float) -> int:
        return max(self.account(owner).total - self.used(owner, jobs, now), 0)

    def available(self, owner: str, jobs: list[FakeJob], now: float) -> int:
        """What is left once the owner's unfinished jobs have charged what they will."""
        promised = sum(
            job.target_count
            for job in jobs
            if job.owner == owner and job.state(now).status in _NOT_FINISHED
        )
        return max(self.remaining(owner, jobs, now) - promised, 0)

    def me(self, owner: str, jobs: list[FakeJob], now: float) -> dict[str, Any]:
        """GET /me's body."""
        account = self.account(owner)
        digest = hashlib.sha256(f"user:{owner}".encode()).digest()
        return {
            "userId": str(UUID(bytes=digest[:16], version=4)),
            "credits": {
                "used": min(self.used(owner, jobs, now), 2**31 - 1),
                "total": account.total,
            },
            "capabilities": {
                "lists": True,
                "previews": True,
                "companySearchLimit": 10_000,
                "companySearchAsyncLimit": account.async_limit,
                "peopleSearchLimit": 10_000,
            },
        }

    def stamp(self, response: FakeResponse, owner: str, jobs: list[FakeJob], now: float) -> None:
        """The credit headers, on every authenticated answer."""
        response.headers.append(("x-credit-cost", "0"))
        response.headers.append(("x-credit-remaining", str(self.remaining(owner, jobs, now))))


def parse_count_request(
    body: bytes, kind: Literal["search", "similar"]
) -> tuple[dict[str, Any] | None, dict[str, Any] | None] | Invalid:
    """(search, similar) from a count body, as leniently as create reads its filter."""
    try:
        document = json.loads(body.decode("utf-8"), parse_constant=_reject_constant)
    except (UnicodeDecodeError, ValueError, RecursionError):
        return Invalid(400, "The request body is not valid JSON.")
    if not isinstance(document, dict):
        return Invalid(400, "The request body must be a JSON object.")
    errors = _Errors()
    _check_shape(SEARCH_FIELDS if kind == "search" else SIMILAR_FIELDS, document, kind, errors)
    if kind == "similar":
        if "domains" not in document:
            errors.wrong_shape("similar.domains", "is required")
        else:
            _check_seed_domains(document["domains"], errors)
    if errors.shape:
        return Invalid(400, "The request body is not a valid filter.", errors.shape)
    if errors.rules:
        return Invalid(422, "One or more validation errors occurred.", errors.rules)
    return (document, None) if kind == "search" else (None, document)


def count_body(
    search: dict[str, Any] | None,
    similar: dict[str, Any] | None,
    *,
    shape: CountShape,
    default_total_matching: int | None,
) -> FakeResponse:
    """The count's answer in one of the three disputed shapes; the same number create uses."""
    total = default_total_matching
    if total is None:
        total = matching_companies(search, similar)
    return json_response(200, total if shape == "integer" else {shape: total})
