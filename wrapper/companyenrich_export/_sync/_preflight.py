# Generated from _async/_preflight.py by scripts/generate_sync.py (make generate).
# Do not edit: change the async code and regenerate (make check-generated fails).
"""The free pre-flight calls: the count, the account, the estimate, and the credit guard.

Written once, as async code; `_sync/_preflight.py` is generated from it.
`client.account()` and `client.exports.count/estimate` are thin calls into
`AsyncPreflight`; `create()`/`run()` call `guard()` before they spend anything.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import Any

from companyenrich_export._core._arguments import Timeout, count_query, per_request_timeout
from companyenrich_export._core._operations import count_matching, get_me
from companyenrich_export._jobs._preflight import (
    Account,
    ExportEstimate,
    parse_account,
    parse_count,
    refusal_of,
)

from ._http import HTTP

__all__ = ["Preflight"]


class Preflight:
    """Free calls that tell what an export would cost before it is created."""

    def __init__(self, http: HTTP) -> None:
        self._http = http
        self._config = http.config

    def account(self, *, timeout: Timeout = None) -> Account:
        reply = self._http.call(get_me(), timeout=per_request_timeout(self._config, timeout))
        return parse_account(reply.body, reply.response, secret=self._config.api_key)

    def count(
        self,
        *,
        search: Mapping[str, Any] | None,
        similar: Mapping[str, Any] | None,
        allow_unknown_filters: bool = False,
        timeout: Timeout = None,
    ) -> int:
        checked_search, checked_similar = count_query(
            search, similar, allow_unknown_filters=allow_unknown_filters
        )
        per_request = per_request_timeout(self._config, timeout)
        reply = self._http.call(
            count_matching(search=checked_search, similar=checked_similar), timeout=per_request
        )
        return parse_count(reply.body, reply.response, secret=self._config.api_key)

    def estimate(
        self,
        *,
        count: int,
        search: Mapping[str, Any] | None,
        similar: Mapping[str, Any] | None,
        allow_unknown_filters: bool = False,
        timeout: Timeout = None,
    ) -> ExportEstimate:
        """Two free requests: the count of matches, then the account (balance and limit)."""
        matching = self.count(
            search=search,
            similar=similar,
            allow_unknown_filters=allow_unknown_filters,
            timeout=timeout,
        )
        account = self.account(timeout=timeout)
        return ExportEstimate(
            count=count,
            matching=matching,
            credits_remaining=account.credits_remaining,
            async_limit=account.limits.company_search_async_limit,
        )

    def guard(
        self,
        *,
        count: int,
        search: Mapping[str, Any] | None,
        similar: Mapping[str, Any] | None,
        allow_unknown_filters: bool,
        max_credits: int | None,
        timeout: Timeout = None,
    ) -> ExportEstimate:
        """The estimate, or the PreflightRefusal (`refusal_of`) that stops the export."""
        estimate = self.estimate(
            count=count,
            search=search,
            similar=similar,
            allow_unknown_filters=allow_unknown_filters,
            timeout=timeout,
        )
        refusal = refusal_of(estimate, max_credits)
        if refusal is not None:
            raise refusal
        return estimate
