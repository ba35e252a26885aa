"""Pre-flight: exports.count(), client.account(), exports.estimate(), max_credits, credit headers.

One body per behaviour, run with the sync and the async client (`api`).
"""

from __future__ import annotations

import inspect
import json
from typing import Any

import httpx
import pytest

from companyenrich_export import (
    Account,
    AccountLimitError,
    CreditHeaders,
    CreditLimitError,
    ExportEstimate,
    InsufficientCreditsError,
    PaymentRequiredError,
    PreflightRefusal,
    ResponseValidationError,
)

pytestmark = pytest.mark.anyio

BASE_URL = "https://api.companyenrich.com"
COUNT_URL = f"{BASE_URL}/companies/search/count"
SIMILAR_COUNT_URL = f"{BASE_URL}/companies/similar/count"
ME_URL = f"{BASE_URL}/me"
SEARCH = {"countries": ["DE"], "semanticQuery": "B2B SaaS"}
SIMILAR = {"domains": ["stripe.com"], "minScore": 0.5}


def me_body(*, used: int = 200, total: int = 1_000, async_limit: int = 50_000) -> dict[str, Any]:
    return {
        "userId": "0b6f5b1e-1d5e-4b7e-9a43-6a1d2e3f4a5b",
        "credits": {"used": used, "total": total},
        "capabilities": {
            "lists": True,
            "previews": False,
            "companySearchLimit": 10_000,
            "companySearchAsyncLimit": async_limit,
            "peopleSearchLimit": 5_000,
        },
    }


async def account_of(api: Any) -> Account:
    result = api.client.account()
    account: Account = await result if inspect.isawaitable(result) else result
    return account


# --- count -------------------------------------------------------------------------------


@pytest.mark.parametrize(
    ("body", "expected"),
    [
        (b"1234", 1234),
        (b'{"count": 1234}', 1234),
        (b'{"totalItems": 1234}', 1234),
        (b'{"count": 0, "took_ms": 12}', 0),
        (b" 9007199254740991 ", 9_007_199_254_740_991),
    ],
)
async def test_count_reads_every_disputed_answer_shape(
    api: Any, router: Any, body: bytes, expected: int
) -> None:
    route = router.post(COUNT_URL).respond(
        200, content=body, headers={"content-type": "application/json"}
    )
    assert await api.exports.count(search=SEARCH) == expected
    # The filter is sent as given (key order included): checked as create checks it, not rebuilt.
    sent = json.loads(route.calls.last.request.content)
    assert sent == SEARCH
    assert list(sent) == list(SEARCH)


async def test_count_of_similar_companies_uses_its_own_path(api: Any, router: Any) -> None:
    route = router.post(SIMILAR_COUNT_URL).respond(200, json={"count": 77})
    assert await api.exports.count(similar=SIMILAR) == 77
    assert json.loads(route.calls.last.request.content) == SIMILAR


DRIFT = [
    b'"1234"',
    b"1234.0",
    b"1e3",
    b"true",
    b"null",
    b"-1",
    b"9007199254740992",
    b"[1234]",
    b"{}",
    b'{"total": 1234}',
    b'{"count": "1234"}',
    b'{"count": true}',
    b'{"count": null}',
    b'{"count": -5}',
    b'{"count": 1.5}',
    b'{"count": 1, "totalItems": 1}',
    b'{"totalItems": {"count": 3}}',
    b"not json",
    b"",
    b"[" * 100_000,
    b"1" * 5_000,
]


@pytest.mark.parametrize("body", DRIFT, ids=[repr(body[:20]) for body in DRIFT])
async def test_any_other_count_answer_is_drift(api: Any, router: Any, body: bytes) -> None:
    router.post(COUNT_URL).respond(200, content=body, headers={"content-type": "application/json"})
    with pytest.raises(ResponseValidationError, match="company count"):
        await api.exports.count(search=SEARCH)


@pytest.mark.parametrize(
    ("kwargs", "error", "mentioned"),
    [
        ({}, ValueError, "exactly one"),
        ({"search": SEARCH, "similar": SIMILAR}, ValueError, "exactly one"),
        ({"search": {"countrys": ["DE"]}}, ValueError, "did you mean 'countries'"),
        ({"search": {}}, ValueError, "search"),
        ({"similar": {"domains": []}}, ValueError, "domains"),
        ({"search": ["DE"]}, TypeError, "mapping"),
    ],
)
async def test_count_checks_the_filter_before_any_request(
    api: Any, router: Any, kwargs: dict[str, Any], error: type[Exception], mentioned: str
) -> None:
    with pytest.raises(error, match=mentioned):
        await api.exports.count(**kwargs)
    assert router.calls.call_count == 0


# --- account -----------------------------------------------------------------------------


async def test_account_reads_credits_and_limits(api: Any, router: Any) -> None:
    body = me_body(used=200, total=1_000, async_limit=25_000)
    body["capabilities"]["searchTermLimit"] = 12
    body["plan"] = "growth"  # unknown members are allowed
    router.get(ME_URL).respond(200, json=body)

    account = await account_of(api)

    assert (account.credits_used, account.credits_total, account.credits_remaining) == (
        200,
        1_000,
        800,
    )
    assert account.limits.company_search_async_limit == 25_000
    assert account.limits.company_search_limit == 10_000
    assert account.limits.people_search_limit == 5_000
    assert (account.limits.lists, account.limits.previews) == (True, False)
    assert account.limits.search_term_limit == 12
    assert "0b6f5b1e" not in repr(account)


async def test_more_used_than_granted_leaves_nothing_not_a_negative_balance(
    api: Any, router: Any
) -> None:
    router.get(ME_URL).respond(200, json=me_body(used=1_200, total=1_000))
    assert (await account_of(api)).credits_remaining == 0


def _without(path: str) -> dict[str, Any]:
    body = me_body()
    *parents, last = path.split(".")
    node = body
    for name in parents:
        node = node[name]
    del node[last]
    return body


def _with(path: str, value: Any) -> dict[str, Any]:
    body = me_body()
    *parents, last = path.split(".")
    node = body
    for name in parents:
        node = node[name]
    node[last] = value
    return body


BROKEN_ACCOUNTS = [
    _without("userId"),
    _without("credits"),
    _without("credits.used"),
    _without("credits.total"),
    _without("capabilities"),
    _without("capabilities.companySearchAsyncLimit"),
    _without("capabilities.lists"),
    _with("credits.used", "200"),
    _with("credits.total", -1),
    _with("credits.total", 2**31),
    _with("credits", [1, 2]),
    _with("capabilities.companySearchAsyncLimit", 1.5),
    _with("capabilities.previews", "yes"),
    _with("capabilities.searchTermLimit", "12"),
    _with("userId", 42),
    [me_body()],
    1000,
]


@pytest.mark.parametrize("body", BROKEN_ACCOUNTS)
async def test_a_broken_account_is_drift(api: Any, router: Any, body: Any) -> None:
    router.get(ME_URL).respond(200, json=body)
    with pytest.raises(ResponseValidationError, match="account"):
        await account_of(api)


# --- estimate and the credit guard -------------------------------------------------------


def _stage(router: Any, *, matching: int, used: int = 0, total: int = 10_000, limit: int = 50_000):
    count = router.post(COUNT_URL).respond(200, json=matching)
    me = router.get(ME_URL).respond(200, json=me_body(used=used, total=total, async_limit=limit))
    create = router.post(f"{BASE_URL}/companies/search/async").respond(
        200,
        json={
            "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
            "status": "pending",
            "requested_count": 500,
            "total_matching": matching,
            "estimated_credits": min(500, matching),
        },
    )
    return count, me, create


async def test_estimate_says_what_would_match_be_exported_and_cost(api: Any, router: Any) -> None:
    count, me, create = _stage(router, matching=120, used=9_950, total=10_000)

    estimate = await api.exports.estimate(count=500, search=SEARCH)

    assert estimate == ExportEstimate(
        count=500, matching=120, credits_remaining=50, async_limit=50_000
    )
    assert (estimate.exported, estimate.credits) == (120, 120)
    assert (estimate.covered, estimate.within_limit) == (False, True)
    assert (count.call_count, me.call_count, create.call_count) == (1, 1, 0)


async def test_estimate_checks_count_before_any_request(api: Any, router: Any) -> None:
    with pytest.raises(ValueError, match="count"):
        await api.exports.estimate(count=0, search=SEARCH)
    assert router.calls.call_count == 0


async def test_above_max_credits_nothing_is_created(api: Any, router: Any) -> None:
    _, _, create = _stage(router, matching=800_000)

    with pytest.raises(CreditLimitError) as refused:
        await api.exports.create(count=500, search=SEARCH, max_credits=499)

    assert create.call_count == 0
    assert refused.value.max_credits == 499
    assert refused.value.estimate.credits == 500
    assert "about 500 credits" in str(refused.value)
    assert "max_credits=499" in str(refused.value)


async def test_max_credits_counts_only_what_matches(api: Any, router: Any) -> None:
    # 500 asked, 120 match: 120 credits, under a ceiling of 200.
    count, me, create = _stage(router, matching=120)

    created = await api.exports.create(count=500, search=SEARCH, max_credits=200)

    assert created.estimated_credits == 120
    assert (count.call_count, me.call_count, create.call_count) == (1, 1, 1)
    order = [call.request.url.path for call in router.calls]
    assert order == ["/companies/search/count", "/me", "/companies/search/async"]


async def test_a_count_above_the_accounts_async_limit_is_refused_naming_it(
    api: Any, router: Any
) -> None:
    _, _, create = _stage(router, matching=800_000, total=10**9, limit=1_000)

    with pytest.raises(AccountLimitError, match="companySearchAsyncLimit of 1,000") as refused:
        await api.exports.create(count=5_000, search=SEARCH, preflight=True)

    assert refused.value.limit == 1_000
    assert create.call_count == 0


async def test_a_balance_that_does_not_cover_it_is_refused(api: Any, router: Any) -> None:
    _, _, create = _stage(router, matching=800_000, used=9_800, total=10_000)

    with pytest.raises(InsufficientCreditsError, match="has 200 left"):
        await api.exports.create(count=500, search=SEARCH, max_credits=1_000)
    assert create.call_count == 0


async def test_without_max_credits_create_sends_only_the_create(api: Any, router: Any) -> None:
    count, me, create = _stage(router, matching=800_000, used=10_000, total=10_000)

    await api.exports.create(count=500, search=SEARCH)

    assert (count.call_count, me.call_count, create.call_count) == (0, 0, 1)


@pytest.mark.parametrize(
    ("max_credits", "error"),
    [(-1, ValueError), (True, TypeError), ("500", TypeError), (5.0, TypeError)],
)
async def test_an_invalid_max_credits_is_refused_before_any_request(
    api: Any, router: Any, max_credits: object, error: type[Exception]
) -> None:
    with pytest.raises(error, match="max_credits"):
        await api.exports.create(count=5, search=SEARCH, max_credits=max_credits)
    assert router.calls.call_count == 0


async def test_a_402_from_create_is_payment_required(api: Any, router: Any) -> None:
    router.post(f"{BASE_URL}/companies/search/async").respond(
        402,
        json={"title": "Payment Required", "status": 402, "detail": "Not enough credits."},
        headers={"content-type": "application/problem+json", "x-credit-remaining": "3"},
    )
    with pytest.raises(PaymentRequiredError, match="Not enough credits"):
        await api.exports.create(count=5, search=SEARCH)
    # Read from the error answer too.
    assert api.client.credits == CreditHeaders(cost=None, remaining=3)


def test_every_refusal_is_a_preflight_refusal() -> None:
    for error in (CreditLimitError, InsufficientCreditsError, AccountLimitError):
        assert issubclass(error, PreflightRefusal)


# --- credit headers ----------------------------------------------------------------------


async def test_credit_headers_are_read_on_every_answer(api: Any, router: Any) -> None:
    assert api.client.credits is None
    router.post(COUNT_URL).respond(
        200, json=5, headers={"x-credit-cost": "0", "x-credit-remaining": "9500"}
    )
    router.get(ME_URL).respond(200, json=me_body(), headers={"X-Credit-Remaining": "9400"})

    await api.exports.count(search=SEARCH)
    assert api.client.credits == CreditHeaders(cost=0, remaining=9_500)
    await account_of(api)
    assert api.client.credits == CreditHeaders(cost=None, remaining=9_400)


async def test_an_answer_without_them_keeps_the_last_seen(api: Any, router: Any) -> None:
    router.post(COUNT_URL).mock(
        side_effect=[
            httpx.Response(200, json=5, headers={"x-credit-remaining": "70"}),
            httpx.Response(200, json=5),
        ]
    )
    await api.exports.count(search=SEARCH)
    await api.exports.count(search=SEARCH)
    assert api.client.credits == CreditHeaders(cost=None, remaining=70)


HOSTILE_VALUES = [
    "",
    "-5",
    "1e3",
    "1_000",
    "12.5",
    "0x10",
    "9" * 19,
    "9" * 5_000,
    "\u0661\u0662",  # Arabic-Indic digits: int() would read them
    "NaN",
    "12 13",
]


@pytest.mark.parametrize("value", HOSTILE_VALUES)
async def test_unreadable_credit_headers_are_ignored_never_an_error(
    api: Any, router: Any, value: str
) -> None:
    router.post(COUNT_URL).respond(
        200,
        json=5,
        headers=[
            ("x-credit-cost", value.encode("utf-8")),
            ("x-credit-remaining", value.encode("utf-8")),
        ],
    )
    assert await api.exports.count(search=SEARCH) == 5
    assert api.client.credits is None


async def test_a_credit_header_sent_twice_is_ignored(api: Any, router: Any) -> None:
    router.post(COUNT_URL).respond(
        200,
        json=5,
        headers=[("x-credit-remaining", "5"), ("x-credit-remaining", "6"), ("x-credit-cost", "1")],
    )
    await api.exports.count(search=SEARCH)
    assert api.client.credits == CreditHeaders(cost=1, remaining=None)
