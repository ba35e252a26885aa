"""The fake's create endpoint behaves like the real API: lenient about filters, but counting.

* Every create body openapi.yaml accepts, the fake accepts (200).
* Every body the vendor accepts (the spec, lenient about filter values:
  `_contract.vendor_schema`) the fake accepts too; where the spec rejects
  one of those, the client refuses it before sending.
* `total_matching` is a fixed function of the filters the API would
  recognise, so a dropped or misspelt filter shows up as a larger count.
"""

from __future__ import annotations

import json
from typing import Any

import httpx
import pytest
from _contract import (
    client_refusal,
    create_bodies,
    create_request_schema,
    spec_accepts,
    vendor_accepts,
    vendor_schema,
)
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

# The profile's examples (conftest.py); a filter with every field can be large.
body_settings = settings(
    suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.data_too_large]
)
# Deferred: made on first draw, so a test process that runs none of these skips it.
spec_bodies = st.deferred(lambda: create_bodies(create_request_schema()))
vendor_bodies = st.deferred(lambda: create_bodies(vendor_schema()))

API_KEY = "test-key"  # the contract fixtures' fake key (conftest.py)
AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXPORTS = "/companies/search/async"


def _post(body: object) -> httpx.Response:
    fake = FakeCompanyEnrich(API_KEY, clock=ManualClock(), seed=3)
    with httpx.Client(base_url=fake.base_url, transport=fake.transport(), headers=AUTH) as api:
        return api.post(EXPORTS, content=json.dumps(body).encode(), headers=_JSON)


_JSON = {"content-type": "application/json"}


@body_settings
@given(spec_bodies)
def test_every_body_the_spec_accepts_the_fake_accepts(body: dict[str, Any]) -> None:
    assert spec_accepts(body)
    response = _post(body)
    assert response.status_code == 200, response.text


def test_the_fake_accepts_what_the_vendor_would_and_the_client_refuses_the_rest() -> None:
    refused = 0

    @body_settings
    @given(vendor_bodies)
    def check(body: dict[str, Any]) -> None:
        nonlocal refused
        assert vendor_accepts(body)
        response = _post(body)
        assert response.status_code == 200, response.text
        if not spec_accepts(body):
            assert client_refusal(body) is not None, body
            refused += 1

    check()
    assert refused >= 20, "few bodies only the vendor accepts were drawn"


def test_the_vendor_schema_is_more_lenient_than_the_spec() -> None:
    """Not vacuous: the two schemas differ where, and only where, the vendor ignores values."""
    lenient = {
        "count": 1,
        "search": {"countrys": ["DE"], "employees": ["10-50"], "semanticWeight": 7, "lists": []},
    }
    assert vendor_accepts(lenient)
    assert not spec_accepts(lenient)
    assert client_refusal(lenient) is not None
    for broken in (
        {"count": 0, "search": {"query": "x"}},
        {"count": 1, "search": {"employees": "11-50"}},
        {"count": 1, "similar": {"domains": []}},
        {"count": 1, "search": {"query": "x"}, "webhook_url": "ftp://x"},
        {"count": 1, "search": {"states": [2**31]}},
    ):
        assert not vendor_accepts(broken), broken
        assert _post(broken).status_code in (400, 422), broken


# --- total_matching ----------------------------------------------------------------

POPULATION = 20_000_000


def _matching(**query: Any) -> int:
    body = {"count": 10, **query}
    response = _post(body)
    assert response.status_code == 200, response.text
    total = response.json()["total_matching"]
    assert isinstance(total, int)
    return total


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        # The documented model (testing/_matching.py): shares of 20,000,000 companies.
        ({"search": {"countrys": ["DE"]}}, POPULATION),
        ({"search": {"countries": ["DE"]}}, POPULATION // 25),
        ({"search": {"countries": ["DE", "AT"]}}, POPULATION * 2 // 25),
        ({"search": {"employees": ["11-50"]}}, POPULATION // 8),
        ({"search": {"employees": ["10-50"]}}, POPULATION),
        ({"search": {"employees": ["11-50", "10-50"]}}, POPULATION // 8),
        ({"search": {"semanticQuery": "B2B SaaS"}}, POPULATION // 10),
        ({"search": {"query": "stripe"}}, POPULATION // 1000),
        ({"search": {"foundedYear": {"min": 2000, "max": 2010}}}, POPULATION // 4),
        ({"search": {"keywords": ["a", "b"], "keywordsOperator": "and"}}, POPULATION // 400),
        ({"search": {"keywords": ["a", "b"]}}, POPULATION // 10),
        ({"search": {"exclude": {"employees": ["1-10", "11-50"]}}}, POPULATION * 3 // 4),
        ({"search": {"exclude": {"domains": ["a.com", "b.com"]}}}, POPULATION - 2),
        ({"similar": {"domains": ["stripe.com"]}}, POPULATION // 100),
        ({"similar": {"domains": ["stripe.com"], "minScore": 0.5}}, POPULATION // 200),
        ({"search": {"domains": ["stripe.com"]}}, POPULATION),  # not a search field
    ],
)
def test_total_matching_follows_the_documented_model(query: dict[str, Any], expected: int) -> None:
    assert _matching(**query) == expected


def test_each_recognised_filter_narrows_and_a_typo_does_not() -> None:
    full = {
        "semanticQuery": "logistics software",
        "countries": ["DE"],
        "employees": ["51-200"],
        "revenue": ["10m-50m"],
        "type": ["private"],
        "fundingYear": {"min": 2015},
        "exclude": {"category": ["b2c"]},
    }
    narrowed = _matching(search=full)
    assert narrowed > 0
    for name in full:
        dropped = {key: value for key, value in full.items() if key != name}
        misspelt = {(key + "s" if key == name else key): value for key, value in full.items()}
        assert _matching(search=dropped) > narrowed, name
        assert _matching(search=misspelt) == _matching(search=dropped), name


def test_total_matching_is_stable_and_ignores_key_order() -> None:
    query = {"countries": ["FR"], "employees": ["1-10", "11-50"], "semanticQuery": "bakeries"}
    reordered = dict(reversed(query.items()))
    counts = {_matching(search=query) for _ in range(3)} | {_matching(search=reordered)}
    assert counts == {POPULATION // 25 * 2 // 8 // 10}


def test_a_set_total_matching_wins(clock: ManualClock) -> None:
    fake = FakeCompanyEnrich(API_KEY, clock=clock, default_total_matching=1234)
    with httpx.Client(base_url=fake.base_url, transport=fake.transport(), headers=AUTH) as api:
        response = api.post(EXPORTS, json={"count": 5, "search": {"countries": ["DE"]}})
    assert response.json()["total_matching"] == 1234


def test_a_job_exports_no_more_than_matched(fake: FakeCompanyEnrich, clock: ManualClock) -> None:
    with httpx.Client(base_url=fake.base_url, transport=fake.transport(), headers=AUTH) as api:
        created = api.post(
            EXPORTS, json={"count": 50_000, "search": {"query": "x", "cities": [1, 2]}}
        ).json()
        assert created["total_matching"] == POPULATION // 1000 * 2 // 1000 == 40
        clock.advance(3600)
        job = api.get(f"{EXPORTS}/{created['job_id']}").json()
    assert (job["status"], job["exported_count"], job["credits_charged"]) == ("completed", 40, 40)


@given(st.dictionaries(st.text(max_size=8), st.integers() | st.text(max_size=5), max_size=4))
def test_unknown_fields_never_change_the_count(extra: dict[str, Any]) -> None:
    known = {"countries": ["DE"], "employees": ["11-50"]}
    unknown = {key: value for key, value in extra.items() if key not in _SEARCH_FIELD_NAMES}
    assert _matching(search={**unknown, **known}) == POPULATION // 25 // 8


_SEARCH_FIELD_NAMES = set(create_request_schema()["$defs"]["CompanySearchFilter"]["properties"])
