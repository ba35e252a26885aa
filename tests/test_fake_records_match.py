"""The fake's records follow the query that made them: every recognised filter field.

A property test over search filters built from the recognised fields (and
exclusions), and one through the fake's API: exported rows match the
`search` sent. `record_matches` is the check; it is tested first on its own,
so a check that passes everything would fail here.
"""

from __future__ import annotations

import typing
from typing import Any
from uuid import UUID

import httpx
from hypothesis import given
from hypothesis import strategies as st

from companyenrich_export import CompanyEnrich, filters
from companyenrich_export.testing import FakeCompanyEnrich
from companyenrich_export.testing._companies import _COUNTRIES, CompanyRecords
from companyenrich_export.testing._matching import record_constraints, record_matches

COUNTRIES = [country.code for country in _COUNTRIES]
KEYWORDS = ["saas", "logistics", "healthcare", "fintech"]
TECHNOLOGIES = ["HubSpot", "Stripe", "Snowflake"]


def _subset(values: list[str] | tuple[str, ...]) -> st.SearchStrategy[list[str]]:
    return st.lists(st.sampled_from(values), min_size=1, max_size=3, unique=True)


def _enum(name: type[Any] | Any) -> tuple[str, ...]:
    return typing.get_args(name)


@st.composite
def searches(draw: st.DrawFn) -> dict[str, Any]:
    search: dict[str, Any] = {}
    fields = {
        "countries": _subset(COUNTRIES),
        "employees": _subset(_enum(filters.EmployeeRange)),
        "revenue": _subset(_enum(filters.RevenueRange)),
        "category": _subset(_enum(filters.BusinessCategory)),
        "type": _subset(_enum(filters.CompanyType)),
        "keywords": _subset(KEYWORDS),
        "technologies": _subset(TECHNOLOGIES),
    }
    for name, strategy in fields.items():
        if draw(st.booleans()):
            search[name] = draw(strategy)
    for name in ("category", "keywords", "technologies"):
        if name in search and draw(st.booleans()):
            search[name + "Operator"] = draw(st.sampled_from(["and", "or"]))
    if draw(st.booleans()):
        low = draw(st.integers(1900, 2025))
        high = draw(st.integers(low, 2025))
        search["foundedYear"] = draw(
            st.sampled_from([{"min": low}, {"max": high}, {"min": low, "max": high}])
        )
    if draw(st.booleans()):
        search["exclude"] = {
            name: draw(strategy)
            for name, strategy in (
                ("countries", _subset(COUNTRIES[:4])),
                ("type", _subset(_enum(filters.CompanyType)[:3])),
                ("category", _subset(_enum(filters.BusinessCategory)[:3])),
                ("technologies", _subset(TECHNOLOGIES)),
            )
            if draw(st.booleans())
        }
    return search


def _consistent(search: dict[str, Any]) -> bool:
    """A query that some company can match (not all it asks for excluded)."""
    excluded = search.get("exclude", {})
    for name in ("countries", "type", "category", "technologies"):
        asked, removed = set(search.get(name, ())), set(excluded.get(name, ()))
        every = search.get(name + "Operator") == "and" and name in ("category", "technologies")
        if asked and (asked <= removed or (every and asked & removed)):
            return False
    return "countries" in search or not set(COUNTRIES) <= set(excluded.get("countries", ()))


def test_the_check_itself_finds_a_record_that_does_not_match() -> None:
    record = CompanyRecords(UUID(int=1), 1)[0]
    country = record["location"]["country"]["code"]
    other = next(code for code in COUNTRIES if code != country)
    assert record_matches(record, record_constraints({"countries": [other]})) == ["countries"]
    assert record_matches(record, record_constraints({"countries": [country]})) == []
    assert "foundedYear" in record_matches(
        {**record, "founded_year": 1900}, record_constraints({"foundedYear": {"min": 2000}})
    )
    assert record_matches(
        {**record, "technologies": ["Stripe"]},
        record_constraints({"exclude": {"technologies": ["Stripe"]}}),
    ) == ["exclude.technologies"]


@given(search=searches(), job=st.integers(0, 2**32))
def test_every_record_matches_every_recognised_filter_field(
    search: dict[str, Any], job: int
) -> None:
    if not _consistent(search):
        return
    records = CompanyRecords(UUID(int=job), 12, search=search)
    constraints = record_constraints(search)
    for record in records:
        assert record_matches(record, constraints) == [], (search, record)
    # The same query gives the same records: deterministic.
    assert list(CompanyRecords(UUID(int=job), 12, search=search)) == list(records)


def test_without_a_search_the_records_are_unchanged() -> None:
    plain = list(CompanyRecords(UUID(int=7), 30))
    assert list(CompanyRecords(UUID(int=7), 30, search={})) == plain
    assert list(CompanyRecords(UUID(int=7), 30, search={"semanticQuery": "B2B"})) == plain
    assert {record["location"]["country"]["code"] for record in plain} != {"DE"}


def test_exported_rows_match_the_query_sent_to_the_fake() -> None:
    search: filters.SearchFilter = {
        "countries": ["DE"],
        "employees": ["11-50", "51-200"],
        "category": ["saas"],
        "type": ["private"],
        "foundedYear": {"min": 2010},
    }
    fake = FakeCompanyEnrich(api_key="fake-key-1234", default_durations=(0.0, 0.0, 0.0))
    http = httpx.Client(transport=fake.transport())
    with CompanyEnrich(api_key="fake-key-1234", http_client=http) as client:
        created = client.exports.create(count=40, search=search)
        rows = list(client.exports.iter_rows(client.exports.wait(created.job_id)))
    assert len(rows) == 40
    assert {row["location"]["country"]["code"] for row in rows} == {"DE"}
    assert {row["employees"] for row in rows} <= {"11-50", "51-200"}
    assert all("saas" in row["categories"] for row in rows)
    assert {row["type"] for row in rows} == {"private"}
    assert all(row["founded_year"] >= 2010 for row in rows)
