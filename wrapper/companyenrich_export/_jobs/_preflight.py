"""Knowing the price before paying: the count, the account, the estimate, the credit headers.

Values and the strict reading of the two free pre-flight answers (sans-IO):

* the count (POST `/companies/search/count`, `/companies/similar/count`),
  whose shape the vendor's sources disagree on: a bare integer,
  `{"count": N}` or `{"totalItems": N}` are read, anything else is
  `ResponseValidationError` (drift);
* the account (GET `/me`): credits used and total, and the plan's limits;
* the optional `x-credit-cost` / `x-credit-remaining` headers, read from any
  answer that has them and ignored when unreadable (never an error: they are
  not documented on every route).
"""

from __future__ import annotations

import json
import re
from collections.abc import Mapping
from typing import Any

import attrs
import httpx

from companyenrich_export._core._operations import MAX_COMPANY_COUNT
from companyenrich_export._core._redact import redact_secret
from companyenrich_export._exceptions import (
    AccountLimitError,
    CreditLimitError,
    InsufficientCreditsError,
    PreflightRefusal,
    ResponseValidationError,
    describe_body,
)

__all__ = [
    "Account",
    "AccountLimits",
    "CreditHeaders",
    "ExportEstimate",
    "credit_headers",
    "parse_account",
    "parse_count",
    "refusal_of",
]

_INT32_MAX = 2**31 - 1
# The count's keys, in the order the sources are trusted: the reference page, then a snippet.
COUNT_KEYS = ("count", "totalItems")
# At most 18 ASCII digits: anything longer is no balance, and int() of a huge text is slow.
_HEADER_NUMBER = re.compile(r"[0-9]{1,18}", re.ASCII)


@attrs.frozen(kw_only=True)
class CreditHeaders:
    """What an answer's `x-credit-cost` and `x-credit-remaining` headers said (None: not sent).

    Both are optional: the vendor's own scripts read them, but their presence
    on every route is not documented. An unreadable value (not a plain
    non-negative integer, or sent twice) reads as absent.
    """

    cost: int | None = None
    remaining: int | None = None


def _header_number(headers: httpx.Headers, name: str) -> int | None:
    values = headers.get_list(name)
    if len(values) != 1:
        return None  # absent, or sent twice: which one would be the balance?
    text = values[0].strip()
    return int(text) if _HEADER_NUMBER.fullmatch(text) else None


def credit_headers(headers: httpx.Headers) -> CreditHeaders | None:
    """The credit headers of one answer, or None when it carried neither (readably)."""
    cost = _header_number(headers, "x-credit-cost")
    remaining = _header_number(headers, "x-credit-remaining")
    if cost is None and remaining is None:
        return None
    return CreditHeaders(cost=cost, remaining=remaining)


@attrs.frozen(kw_only=True)
class AccountLimits:
    """The plan's limits from GET /me (`capabilities`)."""

    company_search_async_limit: int
    """The most companies one export (async company search) may ask for."""
    company_search_limit: int
    people_search_limit: int
    lists: bool
    previews: bool
    search_term_limit: int | None = None
    """Only in the vendor's newer schema; None when absent."""


@attrs.frozen(kw_only=True)
class Account:
    """The caller's account (GET /me, free): credits and limits."""

    user_id: str = attrs.field(repr=False)
    credits_used: int
    credits_total: int
    limits: AccountLimits

    @property
    def credits_remaining(self) -> int:
        """`credits_total - credits_used` (the API has no balance field); never below 0."""
        return max(self.credits_total - self.credits_used, 0)


@attrs.frozen(kw_only=True)
class ExportEstimate:
    """What an export would do and cost, found out with free calls only (nothing created).

    `exported` is `min(count, matching)`: an export never returns more than
    matches. `credits` is one per exported company (charged on completion).
    """

    count: int
    """Companies asked for."""
    matching: int
    """Companies that match the query now (the count endpoint)."""
    credits_remaining: int
    """The account's balance (total - used, from GET /me)."""
    async_limit: int
    """The most companies one export may ask for on this account."""

    @property
    def exported(self) -> int:
        return min(self.count, self.matching)

    @property
    def credits(self) -> int:
        return self.exported

    @property
    def covered(self) -> bool:
        """Whether the balance covers the estimated credits."""
        return self.credits <= self.credits_remaining

    @property
    def within_limit(self) -> bool:
        """Whether `count` is within the account's async search limit."""
        return self.count <= self.async_limit


def refusal_of(estimate: ExportEstimate, max_credits: int | None) -> PreflightRefusal | None:
    """Why an export with this estimate must not be created, or None.

    In this order: a count above the account's async limit (the API would
    refuse it), credits above `max_credits`, then above the balance.
    """
    if not estimate.within_limit:
        return AccountLimitError(estimate)
    if max_credits is not None and estimate.credits > max_credits:
        return CreditLimitError(estimate, max_credits)
    if not estimate.covered:
        return InsufficientCreditsError(estimate)
    return None


# --- reading the answers -------------------------------------------------------------


class _Invalid(Exception):
    pass


def _integer(name: str, value: object, maximum: int) -> int:
    # bool is an int subclass; 2.0 or "10" is not what the schema says.
    if type(value) is not int:
        raise _Invalid(f"{name} must be an integer, got {type(value).__name__}")
    if not 0 <= value <= maximum:
        raise _Invalid(f"{name} must be between 0 and {maximum:,}, got {value}")
    return value


def _boolean(name: str, value: object) -> bool:
    if not isinstance(value, bool):
        raise _Invalid(f"{name} must be true or false, got {type(value).__name__}")
    return value


def _member(data: Mapping[str, Any], name: str, where: str) -> Any:
    if name not in data:
        raise _Invalid(f"missing required field {where}{name!r}")
    return data[name]


def _object(name: str, value: object) -> Mapping[str, Any]:
    if not isinstance(value, dict):
        raise _Invalid(f"{name} must be an object, got {type(value).__name__}")
    return value


def _count_of(data: object) -> int:
    if type(data) is int:
        return _integer("the count", data, MAX_COMPANY_COUNT)
    if isinstance(data, dict):
        present = [key for key in COUNT_KEYS if key in data]
        if len(present) == 1:
            return _integer(present[0], data[present[0]], MAX_COMPANY_COUNT)
        if len(present) > 1:
            # Two counts that might disagree: which one is the price? Report, don't guess.
            raise _Invalid(f"both {' and '.join(present)} are present")
        raise _Invalid("expected an integer, or an object with 'count' or 'totalItems'")
    raise _Invalid(
        f"expected an integer, or an object with 'count' or 'totalItems', got {type(data).__name__}"
    )


def _account_of(data: object) -> Account:
    body = _object("the account", data)
    credits = _object("credits", _member(body, "credits", ""))
    capabilities = _object("capabilities", _member(body, "capabilities", ""))
    user_id = _member(body, "userId", "")
    if not isinstance(user_id, str):
        raise _Invalid(f"userId must be a string, got {type(user_id).__name__}")

    def limit(name: str) -> int:
        return _integer(
            f"capabilities.{name}", _member(capabilities, name, "capabilities."), _INT32_MAX
        )

    newer = capabilities.get("searchTermLimit")
    return Account(
        user_id=user_id,
        credits_used=_integer("credits.used", _member(credits, "used", "credits."), _INT32_MAX),
        credits_total=_integer("credits.total", _member(credits, "total", "credits."), _INT32_MAX),
        limits=AccountLimits(
            company_search_async_limit=limit("companySearchAsyncLimit"),
            company_search_limit=limit("companySearchLimit"),
            people_search_limit=limit("peopleSearchLimit"),
            lists=_boolean("capabilities.lists", _member(capabilities, "lists", "capabilities.")),
            previews=_boolean(
                "capabilities.previews", _member(capabilities, "previews", "capabilities.")
            ),
            search_term_limit=None
            if newer is None
            else _integer("capabilities.searchTermLimit", newer, _INT32_MAX),
        ),
    )


def _parse(
    body: bytes, response: httpx.Response | None, what: str, secret: str | None, read: Any
) -> Any:
    text = body.decode("utf-8", "replace")

    def invalid(message: str) -> ResponseValidationError:
        return ResponseValidationError(message, response=response, body=text, secret=secret)

    try:
        data = json.loads(body)
    except RecursionError:
        raise invalid(f"{what}: the body is nested too deeply to be an API answer") from None
    except ValueError:
        excerpt = describe_body(redact_secret(text, secret))
        raise invalid(f"{what}: the body is not JSON: {excerpt!r}") from None
    try:
        return read(data)
    except _Invalid as exc:
        raise invalid(f"{what} breaks the API contract: {exc}") from None


def parse_count(
    body: bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> int:
    """The count from its answer: `N`, `{"count": N}` or `{"totalItems": N}`; else drift."""
    count: int = _parse(body, response, "company count", secret, _count_of)
    return count


def parse_account(
    body: bytes, response: httpx.Response | None = None, *, secret: str | None = None
) -> Account:
    """The account from GET /me's answer; a missing or mistyped field is drift."""
    account: Account = _parse(body, response, "account", secret, _account_of)
    return account
