"""Property-based: the client sends every filter the spec allows, and nothing else.

Filters are drawn from openapi.yaml's own `CompanySearchFilter` and
`SimilarCompaniesFilter` schemas (hypothesis-jsonschema). Every valid one
must pass the client's check and reach the wire byte for byte as given.
Then each is broken in exactly one way, at any depth (a misspelt key, an
off-enum value, a number out of range): the client must refuse it with a
ValueError naming the place, and send nothing (respx counts the calls).
The places to break are found by walking the filter along the spec's
schema, not the client's types, so the two are checked against each other.
"""

from __future__ import annotations

import copy
import json
import ssl
from collections import Counter
from collections.abc import Iterable, Iterator
from typing import Any, Literal

import httpx
import pytest
import respx
from hypothesis import HealthCheck, given, settings, target
from hypothesis import strategies as st
from hypothesis_jsonschema import from_schema
from jsonschema import Draft202012Validator

import companyenrich_export as ce

from _spec import component_schema

BASE_URL = "https://api.companyenrich.com"
CREATED = {
    "job_id": "3fa85f64-5717-4562-b3fc-2c963f66afa6",
    "requested_count": 1,
    "total_matching": 10,
    "estimated_credits": 1,
}
Kind = Literal["search", "similar"]
SCHEMAS: dict[Kind, dict[str, Any]] = {
    "search": component_schema("CompanySearchFilter"),
    "similar": component_schema("SimilarCompaniesFilter"),
}
DEFINITIONS = SCHEMAS["search"]["$defs"]
VALIDATORS = {kind: Draft202012Validator(schema) for kind, schema in SCHEMAS.items()}

# from_schema() rewrites the schema it is given (refs inlined, `false` spelt `{"not": {}}`):
# it gets a copy, so the walk below reads the spec as written.
# Deferred: made on first draw, so a test process that runs none of these skips it.
filters = st.deferred(
    lambda: st.one_of(
        *(
            st.tuples(st.just(kind), from_schema(copy.deepcopy(schema)))
            for kind, schema in SCHEMAS.items()
        )
    )
)

# The profile's examples (conftest.py); a filter with every field can be large.
property_settings = settings(
    suppress_health_check=[*settings.default.suppress_health_check, HealthCheck.data_too_large]
)


# Loading the CA bundle costs ~30 ms per client, most of this test's time over
# hundreds of examples; the context itself is stateless for these mocked calls.
_TLS = ssl.create_default_context()


def _client(http: httpx.Client) -> ce.CompanyEnrich:
    return ce.CompanyEnrich(api_key="test-key", base_url=BASE_URL, max_retries=0, http_client=http)


def _wire_json(value: Any) -> bytes:
    # How httpx writes a `json=` body (httpx._content.encode_json, pinned httpx).
    return json.dumps(value, ensure_ascii=False, separators=(",", ":"), allow_nan=False).encode()


def _send(kind: Kind, value: Any) -> tuple[respx.Route, BaseException | None]:
    """Create an export with `value` as the filter; the route, and what was raised if anything."""
    with (
        respx.mock(base_url=BASE_URL, assert_all_called=False) as router,
        httpx.Client(verify=_TLS) as http,  # ours to close: the client leaves it open
    ):
        route = router.post("/companies/search/async").respond(200, json=CREATED)
        with _client(http) as client:
            try:
                client.exports.create(count=1, **{kind: value})
            except (ValueError, TypeError) as refused:
                return route, refused
    return route, None


@property_settings
@given(filters)
def test_every_valid_filter_is_sent_byte_for_byte(drawn: tuple[Kind, dict[str, Any]]) -> None:
    kind, value = drawn
    as_given = _wire_json(value)
    route, refused = _send(kind, value)
    assert refused is None, f"refused a filter the spec allows: {refused}"
    assert route.call_count == 1
    sent = route.calls.last.request.content
    assert as_given in sent  # same keys, same order, same number spelling
    assert _wire_json(json.loads(sent)[kind]) == as_given
    assert _wire_json(value) == as_given  # and the caller's dict was left alone


# --- one mutation each ------------------------------------------------------------

Path = tuple[str | int, ...]


def _resolve(schema: dict[str, Any]) -> dict[str, Any]:
    while "$ref" in schema:
        schema = DEFINITIONS[schema["$ref"].removeprefix("#/$defs/")]
    return schema


def _sites(schema: dict[str, Any], value: Any, path: Path) -> Iterator[tuple[str, Path]]:
    """Every place in `value` that one mutation can break, by the spec's schema."""
    schema = _resolve(schema)
    if isinstance(value, dict):
        if schema.get("additionalProperties") is False and value:
            yield "key", path
        properties = schema.get("properties", {})
        for key, item in value.items():
            if key in properties:
                yield from _sites(properties[key], item, (*path, key))
    elif isinstance(value, list):
        for index, item in enumerate(value):
            yield from _sites(schema.get("items", {}), item, (*path, index))
    elif isinstance(value, str) and "enum" in schema:
        yield "enum", path
    elif (
        isinstance(value, int | float)
        and not isinstance(value, bool)
        and ("minimum" in schema or "maximum" in schema)
    ):
        yield "range", path


def _schema_at(kind: Kind, path: Path) -> dict[str, Any]:
    schema = _resolve(SCHEMAS[kind])
    for step in path:
        schema = _resolve(schema["items"] if isinstance(step, int) else schema["properties"][step])
    return schema


def _at(value: Any, path: Path) -> Any:
    for step in path:
        value = value[step]
    return value


def _where(kind: Kind, path: Path) -> str:
    return kind + "".join(f"[{step}]" if isinstance(step, int) else f".{step}" for step in path)


@st.composite
def _typo(draw: st.DrawFn, word: str) -> str:
    """`word` as a hand might mistype it: a letter lost, doubled, swapped, or another case."""
    index = draw(st.integers(0, len(word) - 1))
    edits = [
        word[:index] + word[index + 1 :],
        word[:index] + word[index] + word[index:],
        word[:index] + word[index].swapcase() + word[index + 1 :],
        word + "s",
    ]
    if index + 1 < len(word):
        edits.append(word[:index] + word[index + 1] + word[index] + word[index + 2 :])
    return draw(st.sampled_from(edits))


def _is_deep(what: str, path: Path) -> bool:
    """Below the filter's top level: a key of a nested object, a value in a list or object."""
    return len(path) > (0 if what == "key" else 1)


def _site_classes(sites: Iterable[tuple[str, Path]]) -> list[tuple[str, bool]]:
    return sorted({(what, _is_deep(what, at)) for what, at in sites})


def _mutate(
    data: st.DataObject, kind: Kind, value: dict[str, Any], sites: list[tuple[str, Path]]
) -> tuple[str, str]:
    """Break `value` in place at one drawn site; (what was done, the path to name)."""
    # The kind of mutation and its depth first, so that the many sites of one kind
    # (or the one top-level key) do not outnumber the rest.
    what, deep = data.draw(st.sampled_from(_site_classes(sites)), label="mutation")
    path = data.draw(
        st.sampled_from([at for site, at in sites if (site, _is_deep(site, at)) == (what, deep)]),
        label="site",
    )
    schema = _schema_at(kind, path)
    if what == "key":
        target = _at(value, path)
        key = data.draw(st.sampled_from(sorted(target)), label="key")
        known = set(schema.get("properties", {})) | set(target)
        typo = data.draw(_typo(key).filter(lambda text: text and text not in known), label="typo")
        renamed = {typo if name == key else name: item for name, item in target.items()}
        target.clear()
        target.update(renamed)
        return what, _where(kind, (*path, typo))
    parent, last = _at(value, path[:-1]), path[-1]
    if what == "enum":
        word = parent[last]
        off = _typo(word) | st.text(min_size=1)
        parent[last] = data.draw(off.filter(lambda text: text not in schema["enum"]), "value")
    else:
        integer = schema.get("type") == "integer"
        step = data.draw(st.sampled_from([1, 10**6] if integer else [1e-9, 0.5, 1, 10**6]))
        if "maximum" in schema and ("minimum" not in schema or data.draw(st.booleans())):
            parent[last] = schema["maximum"] + step
        else:
            parent[last] = schema["minimum"] - step
    return what, _where(kind, path)


@pytest.mark.slow
def test_every_single_mutation_is_refused_before_sending() -> None:
    seen: Counter[tuple[str, bool]] = Counter()

    # Four times the profile's examples: nested objects are rare in drawn filters,
    # and the check below needs each kind of site mutated at depth a few times.
    @settings(property_settings, max_examples=settings.default.max_examples * 4)
    @given(drawn=filters, data=st.data())
    def check(drawn: tuple[Kind, dict[str, Any]], data: st.DataObject) -> None:
        kind, value = drawn
        # Steers generation towards filters with every kind of site at every depth
        # (nested objects are rare in plain draws), so that each is mutated.
        sites = list(_sites(SCHEMAS[kind], value, ()))
        target(len(_site_classes(sites)))
        what, where = _mutate(data, kind, value, sites)
        assert not VALIDATORS[kind].is_valid(value), f"the {what} mutation left a valid filter"

        route, refused = _send(kind, value)

        assert route.call_count == 0, f"a {what} mutation at {where} was sent"
        assert isinstance(refused, ValueError), refused
        message = str(refused)
        assert f"{where}:" in message, message
        assert message.startswith(f"{kind} filter refused, nothing was sent: ")
        seen[what, where.count(".") + where.count("[") > 1] += 1

    check()
    # Not vacuous: every kind of mutation happened, at the top and deeper down.
    for what in ("key", "enum", "range"):
        assert seen[what, True] >= 3, seen
    assert seen["key", False] >= 3, seen


@pytest.mark.parametrize("kind", ["search", "similar"])
def test_the_mutations_reach_every_kind_of_site(kind: Kind) -> None:
    """Not vacuous: a filter with every field has every kind of site, at every depth."""
    full: dict[str, Any] = {
        "semanticQuery": "b2b payments",
        "semanticWeight": 0.5,
        "employees": ["11-50"],
        "foundedYear": {"min": 2000},
        "workforceSize": [{"department": "sales", "min": 5}],
        "exclude": {"employees": ["1-10", "11-50"], "naicsCode": [5112]},
    }
    if kind == "similar":
        full = {"domains": ["stripe.com"], "minScore": 0.5, **full}
    assert VALIDATORS[kind].is_valid(full)
    sites = set(_sites(SCHEMAS[kind], full, ()))
    assert ("key", ()) in sites
    assert ("key", ("exclude",)) in sites
    assert ("key", ("workforceSize", 0)) in sites
    assert ("enum", ("exclude", "employees", 1)) in sites
    assert ("range", ("semanticWeight",)) in sites
    assert ("range", ("workforceSize", 0, "min")) in sites
    assert ("range", ("exclude", "naicsCode", 0)) in sites
