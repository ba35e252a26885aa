# ruff: noqa: E501 - the table of refusals reads best as one case a line.
"""Search filters are checked before `create` and `run` send anything (sync and async).

The API ignores unknown fields and values instead of refusing them, so the
client's check is the only thing between a typo and 50,000 credits. Each
refusal is a ValueError naming the place and, where one is close, the
valid spelling; the router proves nothing was sent.
"""

from __future__ import annotations

import json
import logging
import math
from typing import Any

import pytest

import companyenrich_export as ce
from companyenrich_export import filters

pytestmark = pytest.mark.anyio

PREFIX = "search filter refused, nothing was sent: "
OPT_OUT = (
    "To send fields or values this client does not know yet, pass "
    "allow_unknown_filters=True (CLI: --allow-unknown-filters)."
)

REFUSED: list[tuple[str, dict[str, Any], str]] = [
    ("search", {"countrys": ["DE"]}, "search.countrys: unknown field, did you mean 'countries'?"),
    ("search", {"Countries": ["DE"]}, "search.Countries: unknown field, did you mean 'countries'?"),
    ("search", {"semantic_query": "x"}, "search.semantic_query: unknown field, did you mean 'semanticQuery'?"),
    ("search", {"employees": ["10-50"]}, "search.employees[0]: '10-50' is not a documented value, did you mean '11-50'?"),
    ("search", {"exclude": {"employees": ["1-10", "10-50"]}}, "search.exclude.employees[1]: '10-50' is not a documented value, did you mean '11-50'?"),
    ("search", {"exclude": {"employee": ["1-10"]}}, "search.exclude.employee: unknown field, did you mean 'employees'?"),
    ("search", {"revenue": ["10M-50M"]}, "search.revenue[0]: '10M-50M' is not a documented value, did you mean '10m-50m'?"),
    ("search", {"fundingRounds": ["Series A"]}, "search.fundingRounds[0]: 'Series A' is not a documented value, did you mean 'series_a'?"),
    ("search", {"type": ["startup"]}, "search.type[0]: 'startup' is not a documented value (one of: private, public, self-employed, self-owned, partnership, nonprofit, educational, government)"),
    ("search", {"categoryOperator": "AND"}, "search.categoryOperator: 'AND' is not a documented value, did you mean 'and'?"),
    ("search", {"domains": ["stripe.com"]}, "search.domains: unknown field ('domains' is a field of similar=, not search=)"),
    ("search", {}, "search: empty filter: it would match every company"),
    ("search", {"query": "acme", "semanticQuery": "B2B"}, "search: give 'query' or 'semanticQuery', not both"),
    ("search", {"semanticWeight": 1.5}, "search.semanticWeight: 1.5 is out of range (from 0 to 1)"),
    ("search", {"semanticWeight": True}, "search.semanticWeight: expected a number, got a boolean"),
    ("search", {"semanticWeight": math.nan}, "search.semanticWeight: expected a number, got nan (not valid JSON)"),
    ("search", {"naicsCode": [5112, 5]}, "search.naicsCode[1]: 5 is out of range (from 10 to 999999)"),
    ("search", {"foundedYear": {"min": 1990.5}}, "search.foundedYear.min: expected an integer, got 1990.5"),
    ("search", {"foundedYear": {"min": "1990"}}, "search.foundedYear.min: expected an integer, got text"),
    ("search", {"fundingAmount": {"min": -5}}, "search.fundingAmount.min: -5 is out of range (at least 0)"),
    ("search", {"states": ["Bavaria"]}, "search.states[0]: expected an integer, got text"),
    ("search", {"cities": [2**31]}, "search.cities[0]: 2147483648 is out of range (from -2147483648 to 2147483647)"),
    ("search", {"employees": "11-50"}, "search.employees: expected a list, got text"),
    ("search", {"countries": ["de"]}, "search.countries[0]: 'de' is not an ISO 3166-1 alpha-2 country code, did you mean 'DE'?"),
    ("search", {"countries": ["Germany"]}, "search.countries[0]: 'Germany' is not an ISO 3166-1 alpha-2 country code"),
    ("search", {"keywords": []}, "search.keywords: empty, which sets no constraint (leave it out instead)"),
    ("search", {"keywords": ["ai", ""]}, "search.keywords[1]: empty, which sets no constraint (leave it out instead)"),
    ("search", {"foundedYear": {}}, "search.foundedYear: empty, which sets no constraint (leave it out instead)"),
    ("search", {"workforceGrowth": []}, "search.workforceGrowth: expected an object, got a list"),
    ("search", {"workforceSize": [{"min": -1}]}, "search.workforceSize[0].min: -1 is out of range (from 0 to 2147483647)"),
    ("search", {"exclude": {1: ["x"]}}, "search.exclude: field names must be text, got an integer"),
    ("similar", {"minScore": 0.5}, "similar.domains: required"),
    ("similar", {}, "similar.domains: required"),
    ("similar", {"domains": ["a.com"], "similarityWeight": -2}, "similar.similarityWeight: -2 is out of range (from -1 to 1)"),
    ("similar", {"domains": [f"d{i}.com" for i in range(11)]}, "similar.domains: 11 items, at most 10 allowed"),
    ("similar", {"domains": ["a.com"], "minScore": 0.5, "employees": ["10-50"]}, "similar.employees[0]: '10-50' is not a documented value, did you mean '11-50'?"),
]  # fmt: skip


@pytest.mark.parametrize(
    ("kind", "query", "problem"),
    REFUSED,
    ids=[f"{i}-{problem.split(':')[0]}" for i, (_, _, problem) in enumerate(REFUSED)],
)
async def test_a_bad_filter_is_refused_before_anything_is_sent(
    api, router, kind: str, query: dict[str, Any], problem: str
) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())
    with pytest.raises(ValueError, match="nothing was sent") as refused:
        await api.exports.create(count=10, **{kind: query})
    message = str(refused.value)
    assert message.startswith(f"{kind} filter refused, nothing was sent: {problem}")
    assert "\n" not in message
    # The way out is offered exactly when it would help: an unknown field or value.
    assert message.endswith(OPT_OUT) == ("unknown field" in problem or "documented" in problem)
    assert route.call_count == 0
    assert router.calls.call_count == 0


async def test_every_problem_is_listed_in_one_line(api, router) -> None:
    query = {"countrys": ["DE"], "employees": ["11-50", "10-50"], "semanticWeight": 2}
    with pytest.raises(ValueError, match="nothing was sent") as refused:
        await api.exports.create(count=1, search=query)
    assert str(refused.value) == (
        PREFIX + "search.countrys: unknown field, did you mean 'countries'?; "
        "search.employees[1]: '10-50' is not a documented value, did you mean '11-50'?; "
        "search.semanticWeight: 2 is out of range (from 0 to 1). " + OPT_OUT
    )
    assert router.calls.call_count == 0


async def test_run_refuses_a_bad_filter_before_anything_is_sent(api, router, tmp_path) -> None:
    router.post(api.create_url).respond(200, json=api.bodies.created())
    with pytest.raises(ValueError, match=r"search\.exclude\.type\[0\]: 'NGO'"):
        await api.exports.run(
            count=5, search={"exclude": {"type": ["NGO"]}}, dest=tmp_path / "out.csv"
        )
    with pytest.raises(ValueError, match=r"similar\.domains: required"):
        await api.exports.run(count=5, similar={"minScore": 0.9}, dest=tmp_path / "out.csv")
    assert router.calls.call_count == 0
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize("query", [["countries", "DE"], "countries=DE", None.__class__])
async def test_a_filter_that_is_not_a_mapping_is_a_type_error(api, router, query: Any) -> None:
    with pytest.raises(TypeError, match="search= must be a mapping"):
        await api.exports.create(count=1, search=query)
    assert router.calls.call_count == 0


async def test_a_valid_filter_is_sent_exactly_as_given(api, router) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())
    query: filters.SearchFilter = {
        "semanticQuery": "Logistik-Software für den Mittelstand",
        "semanticWeight": 1,
        "countries": ["DE", "AT"],
        "employees": ["51-200", "201-500"],
        "fundingAmount": {"min": 1.0, "max": 2.5e7},
        "foundedYear": {"max": 2020.0},  # a whole number, as JSON reads it
        "workforceGrowth": {"anything": [1, {"nested": None}]},  # shape unknown: unchecked
        "require": ["website", "some-new-feature"],  # values unknown: unchecked
        "exclude": {"type": ["nonprofit"], "domains": ["dhl.com"]},
    }
    await api.exports.create(count=100, search=query)
    sent = route.calls.last.request.content
    given = json.dumps(query, ensure_ascii=False, separators=(",", ":")).encode()
    assert given in sent
    assert json.loads(sent) == {"search": query, "count": 100}


async def test_tuples_are_sent_as_lists_and_json_from_a_file_works(api, router) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())
    loaded = json.loads('{"domains": ["stripe.com", "adyen.com"], "minScore": 0.5}')
    await api.exports.create(count=5, similar=loaded)
    await api.exports.create(count=5, similar={"domains": ("stripe.com",), "revenue": ("over-1b",)})
    first, second = (json.loads(call.request.content) for call in route.calls)
    assert first["similar"] == loaded
    assert second["similar"] == {"domains": ["stripe.com"], "revenue": ["over-1b"]}


# --- the opt-out ---------------------------------------------------------------------


async def test_the_opt_out_sends_unknown_fields_and_values_and_warns(api, router, caplog) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())
    query = {
        "countries": ["DE"],
        "employees": ["11-50", "10K-50K"],  # a range the vendor might add
        "aiScore": {"min": "secret-looking-value-42"},
        "exclude": {"stage": ["seed"]},
    }
    with caplog.at_level(logging.WARNING, logger="companyenrich_export"):
        await api.exports.create(count=5, search=query, allow_unknown_filters=True)

    assert json.loads(route.calls.last.request.content)["search"] == query
    (record,) = [r for r in caplog.records if r.name == "companyenrich_export"]
    assert record.levelno == logging.WARNING
    assert record.getMessage() == (
        "Sending search unchecked (allow_unknown_filters=True): unknown fields "
        "search.aiScore, search.exclude.stage; undocumented values at search.employees[1]"
    )
    assert "secret-looking-value-42" not in caplog.text
    assert "10K-50K" not in caplog.text


async def test_the_opt_out_is_silent_when_everything_is_known(api, router, caplog) -> None:
    router.post(api.create_url).respond(200, json=api.bodies.created())
    with caplog.at_level(logging.DEBUG, logger="companyenrich_export"):
        await api.exports.create(count=5, search={"query": "x"}, allow_unknown_filters=True)
    assert not [r for r in caplog.records if r.levelno >= logging.WARNING]


@pytest.mark.parametrize(
    ("query", "problem"),
    [
        ({"newField": 1, "semanticWeight": 3}, "search.semanticWeight: 3 is out of range"),
        ({"newField": 1, "employees": "11-50"}, "search.employees: expected a list, got text"),
        ({"newField": 1, "employees": [""]}, "search.employees[0]: '' is not a documented"),
        ({"query": "a", "semanticQuery": "b"}, "search: give 'query' or 'semanticQuery'"),
        ({}, "search: empty filter"),
        ({"newField": math.inf}, "search.newField: inf is not valid JSON"),
        ({"newField": {1, 2}}, "search.newField: a set cannot be sent as JSON"),
    ],
)
async def test_the_opt_out_still_refuses_everything_else(
    api, router, query: dict[str, Any], problem: str
) -> None:
    with pytest.raises(ValueError, match=problem.replace("[", r"\[").replace("]", r"\]")):
        await api.exports.create(count=5, search=query, allow_unknown_filters=True)
    assert router.calls.call_count == 0


async def test_run_has_the_opt_out_too(api, router, tmp_path) -> None:
    create = router.post(api.create_url).respond(200, json=api.bodies.created())
    router.get(api.job_url).respond(200, json=api.bodies.job(results_url=api.storage_url))
    router.get(api.storage_url).respond(200, content=b"id\n1\n")
    result = await api.exports.run(
        count=1, search={"newField": ["x"]}, dest=tmp_path / "out.csv", allow_unknown_filters=True
    )
    assert result.path.read_bytes() == b"id\n1\n"
    assert json.loads(create.calls.last.request.content)["search"] == {"newField": ["x"]}


# --- webhook_url: the spec's rule, nothing else -------------------------------------


@pytest.mark.parametrize(
    "url",
    [
        "",
        "hooks.example.com/done",
        "ftp://hooks.example.com/done",
        "https://",
        "https:///no-host",
        "https://[::1]/done",  # IP literals are left out of the spec's pattern
        "https://hooks.example.com/a b",
        "https://hooks.example.com/%zz",
        "https://bücher.example/done",
        "https://hooks.example.com/done\n",
    ],
)
async def test_a_webhook_url_outside_the_spec_is_refused(api, router, url: str) -> None:
    with pytest.raises(ValueError, match="webhook_url must be an absolute http"):
        await api.exports.create(count=1, search={"query": "x"}, webhook_url=url)
    assert router.calls.call_count == 0


@pytest.mark.parametrize(
    "url",
    [
        "https://hooks.example.com/done",
        "HTTP://10.0.0.7:8080/hook?job=1&x=%2F#top",
        "https://user:pass@hooks.example.com/a/b;c",
        "https://xn--bcher-kva.example/done",
    ],
)
async def test_a_webhook_url_the_spec_allows_is_sent(api, router, url: str) -> None:
    route = router.post(api.create_url).respond(200, json=api.bodies.created())
    await api.exports.create(count=1, search={"query": "x"}, webhook_url=url)
    assert json.loads(route.calls.last.request.content)["webhook_url"] == url


def test_the_filter_types_are_exported_from_the_package() -> None:
    for name in filters.__all__:
        assert getattr(ce, name) is getattr(filters, name), name
        assert name in ce.__all__
