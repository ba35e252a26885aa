"""Schemathesis against the fake served over real HTTP (uvicorn on 127.0.0.1).

The same checks as `test_schemathesis_fake.py`, through a real socket, HTTP
parsing and uvicorn's own handling of headers and bodies, as the
schemathesis command line would run them against
`python -m companyenrich_export.testing`. Seeded, and lighter (the
in-process run covers the create body systematically) to stay well under a
minute.
"""

from __future__ import annotations

from collections.abc import Iterator
from typing import Any

import pytest
import requests
from _schemathesis_support import (
    SeededFake,
    check_kwargs,
    for_the_fake,
    load_schema,
    operation_labels,
    stateful_settings,
)
from schemathesis.generation.case import Case

from companyenrich_export.testing import serve

# Under pytest-xdist, schemathesis' parametrized test collapses into one item that
# does not run each operation; `make unit` runs these modules in a plain pytest.
pytestmark = pytest.mark.serial

SEEDED = SeededFake()
schema = load_schema(None, SEEDED, max_examples=25, cover_create=False)
AUTH_ENFORCED: set[str] = set()
CHECK_KWARGS = check_kwargs(AUTH_ENFORCED)


@pytest.fixture(scope="module")
def base_url() -> Iterator[str]:
    with serve(SEEDED.fake) as url:
        assert url.startswith("http://127.0.0.1:")
        yield url


@pytest.fixture(scope="module")
def session() -> Iterator[requests.Session]:
    with for_the_fake(requests.Session()) as http:
        yield http


@schema.parametrize()
def test_fake_over_http_satisfies_the_contract(
    case: Case, base_url: str, session: requests.Session
) -> None:
    case.call_and_validate(base_url=base_url, session=session, **CHECK_KWARGS)


class CreateThenGetOverHttp(schema.as_state_machine()):  # type: ignore[misc]
    base_url: str = ""
    session: requests.Session | None = None

    def get_call_kwargs(self, case: Case) -> dict[str, Any]:
        return {"base_url": self.base_url, "session": self.session}

    def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
        case.validate_response(
            response, transport_kwargs=kwargs or None, recorder=self.recorder, **CHECK_KWARGS
        )


def test_create_then_get_over_http(base_url: str, session: requests.Session) -> None:
    CreateThenGetOverHttp.base_url = base_url
    CreateThenGetOverHttp.session = session
    CreateThenGetOverHttp.run(settings=stateful_settings(max_examples=10, steps=6))


def test_every_operation_refused_a_missing_and_a_wrong_key_over_http() -> None:
    """`ignored_auth` probed every operation (once each) through the socket too."""
    assert operation_labels(schema) == AUTH_ENFORCED


def test_the_run_really_went_over_the_socket(base_url: str) -> None:
    """The requests above reached the served fake: its log holds them, from every operation."""
    routes = {(entry.method, entry.route) for entry in SEEDED.fake.request_log}
    assert {("POST", "api"), ("GET", "api")} <= routes, routes
    assert len(SEEDED.fake.request_log) > 50


def test_the_preflight_calls_were_exercised(base_url: str) -> None:
    """The two count calls and GET /me were among them, answered 200 and refused."""
    answered = {(entry.path, entry.status) for entry in SEEDED.fake.request_log}
    for path in ("/me", "/companies/search/count", "/companies/similar/count"):
        assert (path, 200) in answered, path
        assert any(status >= 400 for seen, status in answered if seen == path), path
