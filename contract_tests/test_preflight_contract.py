"""The two pre-flight operations (the count, GET /me) against openapi.yaml, like the others.

* respx plays the API for each documented status of each operation, in both
  error content types;
* hypothesis draws answers from the spec's own `CompanyCount` and `Account`
  schemas: every one parses to the value it holds; and for any JSON value
  near those shapes, the client reads it exactly when the spec accepts it,
  and otherwise raises ResponseValidationError and nothing else.
"""

from __future__ import annotations

import json
from collections.abc import Callable, Iterator
from contextlib import contextmanager
from typing import Any

import httpx
import pytest
import respx
from hypothesis import given, settings
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

import companyenrich_export as ce

from _spec import component_schema, documented_statuses

BASE_URL = "https://api.companyenrich.com"
API_KEY = "sk-contract-SECRET-42"
SEARCH = {"countries": ["DE"]}
ERROR_CLASSES: dict[int, type[ce.APIStatusError]] = {
    400: ce.BadRequestError,
    401: ce.AuthenticationError,
    402: ce.PaymentRequiredError,
    404: ce.NotFoundError,
    422: ce.UnprocessableEntityError,
    429: ce.RateLimitError,
}
PROBLEM_CONTENT_TYPES = ("application/json", "application/problem+json")

COUNT_SCHEMA = component_schema("CompanyCount")
ACCOUNT_SCHEMA = component_schema("Account")


def _count(client: ce.CompanyEnrich) -> object:
    return client.exports.count(search=SEARCH)


def _similar_count(client: ce.CompanyEnrich) -> object:
    return client.exports.count(similar={"domains": ["stripe.com"]})


def _account(client: ce.CompanyEnrich) -> object:
    return client.account()


# (spec path, method, the client call that sends it)
OPERATIONS: list[tuple[str, str, Callable[[ce.CompanyEnrich], object]]] = [
    ("/companies/search/count", "post", _count),
    ("/companies/similar/count", "post", _similar_count),
    ("/me", "get", _account),
]
MATRIX = [
    (path, method, call, status)
    for path, method, call in OPERATIONS
    for status in documented_statuses(path, method)
    if status >= 400
]


def _client(**kwargs: Any) -> ce.CompanyEnrich:
    return ce.CompanyEnrich(api_key=API_KEY, base_url=BASE_URL, max_retries=0, **kwargs)


def test_every_documented_status_has_an_error_class() -> None:
    for path, method, _ in OPERATIONS:
        documented = documented_statuses(path, method)
        assert documented[0] == 200, path
        assert set(documented[1:]) <= set(ERROR_CLASSES), path


@pytest.mark.parametrize("content_type", PROBLEM_CONTENT_TYPES)
@pytest.mark.parametrize(
    ("path", "method", "call", "status"),
    MATRIX,
    ids=[f"{method.upper()} {path} {status}" for path, method, _, status in MATRIX],
)
def test_each_documented_error_raises_its_class(
    path: str,
    method: str,
    call: Callable[[ce.CompanyEnrich], object],
    status: int,
    content_type: str,
) -> None:
    problem = {"title": f"Title {status}", "status": status, "detail": f"Detail {status}"}
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        route = api.route(method=method.upper(), path=path).respond(
            status,
            content=json.dumps(problem).encode(),
            headers={"content-type": content_type, "x-credit-remaining": "12"},
        )
        with pytest.raises(ce.APIStatusError) as caught:
            call(client)
        # The credit headers are read from an error answer too.
        assert client.credits == ce.CreditHeaders(cost=None, remaining=12)
    assert type(caught.value) is ERROR_CLASSES[status]
    assert (caught.value.title, caught.value.detail) == (problem["title"], problem["detail"])
    assert route.call_count == 1  # 4xx are never retried
    assert API_KEY not in str(caught.value)


@pytest.mark.parametrize(
    ("path", "method", "call"), OPERATIONS, ids=[path for path, _, _ in OPERATIONS]
)
def test_a_200_is_read_with_the_bearer_key_and_optional_credit_headers(
    path: str, method: str, call: Callable[[ce.CompanyEnrich], object]
) -> None:
    body: object = 7
    if path == "/me":
        body = {
            "userId": "u",
            "credits": {"used": 1, "total": 8},
            "capabilities": {
                "lists": True,
                "previews": True,
                "companySearchLimit": 1,
                "companySearchAsyncLimit": 2,
                "peopleSearchLimit": 3,
            },
        }
    with respx.mock(base_url=BASE_URL) as api, _client() as client:
        route = api.route(method=method.upper(), path=path).respond(200, json=body)
        result = call(client)
        assert client.credits is None  # optional: none sent, none required
    assert result == 7 or isinstance(result, ce.Account)
    assert route.calls.last.request.headers["authorization"] == f"Bearer {API_KEY}"


# --- properties: every answer shape --------------------------------------------------------


class _Served:
    """One client for every example (an httpx client loads its CA bundle, ~30 ms, when made)."""

    body = b""

    def __init__(self) -> None:
        def answer(request: httpx.Request) -> httpx.Response:
            return httpx.Response(
                200, content=self.body, headers={"content-type": "application/json"}
            )

        self.client = _client(http_client=httpx.Client(transport=httpx.MockTransport(answer)))


_SERVED = _Served()


@contextmanager
def _serve(body: bytes) -> Iterator[ce.CompanyEnrich]:
    _SERVED.body = body
    yield _SERVED.client


def _expected_count(body: Any) -> int:
    if isinstance(body, dict):
        return int(body["count"] if "count" in body else body["totalItems"])
    return int(body)


# Deferred: building a strategy from a schema canonicalises it (seconds), and
# every pytest-xdist worker imports this module, but only one runs its tests.
@given(st.deferred(lambda: from_schema(COUNT_SCHEMA)))
def test_every_count_answer_the_spec_allows_is_read(body: Any) -> None:
    with _serve(json.dumps(body).encode()) as client:
        assert client.exports.count(search=SEARCH) == _expected_count(body)


# Whole numbers written as 2.0 are left out: JSON Schema calls them integers, while
# this client, everywhere, reads a count only from an integer literal (as for jobs).
_fractions = st.floats(allow_nan=False, allow_infinity=False).filter(lambda f: not f.is_integer())
_numbers = st.one_of(
    st.integers(min_value=-5, max_value=2**53 + 5),
    _fractions,
    st.booleans(),
    st.none(),
    st.text(max_size=5),
)
near_counts = st.one_of(
    _numbers,
    st.lists(_numbers, max_size=2),
    st.dictionaries(
        st.sampled_from(["count", "totalItems", "total", "Count", "items"]), _numbers, max_size=3
    ),
)


@given(near_counts)
def test_a_count_answer_is_read_exactly_when_the_spec_accepts_it(body: Any) -> None:
    accepted = Draft202012Validator(COUNT_SCHEMA).is_valid(body)
    with _serve(json.dumps(body).encode()) as client:
        try:
            counted = client.exports.count(search=SEARCH)
        except ce.ResponseValidationError:
            assert not accepted, body
        else:
            assert accepted, body
            assert counted == _expected_count(body)


_accounts = st.deferred(lambda: from_schema(ACCOUNT_SCHEMA))
# Drawing a whole account from its schema is slow (nested references): fewer examples.
account_settings = settings(max_examples=settings.default.max_examples // 2)


def _check_account(account: ce.Account, body: dict[str, Any]) -> None:
    credits, capabilities = body["credits"], body["capabilities"]
    assert account.user_id == body["userId"]
    assert (account.credits_used, account.credits_total) == (credits["used"], credits["total"])
    assert account.credits_remaining == max(credits["total"] - credits["used"], 0)
    limits = account.limits
    assert limits.company_search_async_limit == capabilities["companySearchAsyncLimit"]
    assert limits.company_search_limit == capabilities["companySearchLimit"]
    assert limits.people_search_limit == capabilities["peopleSearchLimit"]
    assert (limits.lists, limits.previews) == (capabilities["lists"], capabilities["previews"])
    assert limits.search_term_limit == capabilities.get("searchTermLimit")


@account_settings
@given(_accounts)
def test_every_account_the_spec_allows_is_read_field_by_field(body: dict[str, Any]) -> None:
    with _serve(json.dumps(body).encode()) as client:
        _check_account(client.account(), body)


_wrong = st.one_of(
    st.integers(min_value=-(2**40), max_value=2**40),
    st.text(max_size=4),
    st.booleans(),
    st.none(),
    _fractions,
    st.just([]),
)
_PLACES = [
    ("userId",),
    ("credits",),
    ("credits", "used"),
    ("credits", "total"),
    ("capabilities",),
    ("capabilities", "lists"),
    ("capabilities", "previews"),
    ("capabilities", "companySearchLimit"),
    ("capabilities", "companySearchAsyncLimit"),
    ("capabilities", "peopleSearchLimit"),
    ("capabilities", "searchTermLimit"),
]


@st.composite
def near_accounts(draw: st.DrawFn) -> dict[str, Any]:
    """A valid account with one member removed or replaced by any JSON value."""
    body: dict[str, Any] = draw(_accounts)
    *parents, last = draw(st.sampled_from(_PLACES))
    node = body
    for name in parents:
        node = node[name]
    if draw(st.booleans()):
        node.pop(last, None)
    else:
        node[last] = draw(_wrong)
    return body


@account_settings
@given(near_accounts())
def test_an_account_is_read_exactly_when_the_spec_accepts_it(body: dict[str, Any]) -> None:
    accepted = Draft202012Validator(ACCOUNT_SCHEMA).is_valid(body)
    with _serve(json.dumps(body).encode()) as client:
        try:
            account = client.account()
        except ce.ResponseValidationError:
            assert not accepted, body
        else:
            assert accepted, body
            _check_account(account, body)
