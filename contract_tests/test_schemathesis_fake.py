"""Schemathesis against the fake, in-process over ASGI: every applicable check.

The fake must satisfy the contract as strictly as the real API should, so
these runs are what let the client's tests trust it. Where the real API is
lenient (unknown filter fields and values are ignored, not refused), the
fake is too, and the client must refuse those bodies itself: see
`_schemathesis_support`. `test_schemathesis_http.py` runs the same checks
over real HTTP.
"""

from __future__ import annotations

from collections import Counter
from typing import Any

import pytest
from _schemathesis_support import (
    JOB_PATH,
    CountsAgreeWithCreate,
    SeededFake,
    check_kwargs,
    for_the_fake,
    load_schema,
    operation_labels,
    stateful_settings,
)
from hypothesis import given, settings
from schemathesis.generation.case import Case
from schemathesis.python import asgi
from schemathesis.specs.openapi.coverage import _schema as coverage_schema

# Under pytest-xdist, schemathesis' parametrized test collapses into one item that
# does not run each operation; `make unit` runs these modules in a plain pytest.
pytestmark = pytest.mark.serial

SEEDED = SeededFake()
FAKE = SEEDED.fake
schema = load_schema(FAKE, SEEDED, max_examples=40, cover_create=True)
AUTH_ENFORCED: set[str] = set()
COUNTS = CountsAgreeWithCreate(FAKE)
CHECK_KWARGS = check_kwargs(AUTH_ENFORCED, COUNTS)


SESSION = for_the_fake(asgi.get_client(FAKE))


@schema.parametrize()
def test_fake_satisfies_the_contract(case: Case) -> None:
    case.call_and_validate(session=SESSION, **CHECK_KWARGS)


class CreateThenGet(schema.as_state_machine()):  # type: ignore[misc]
    def get_call_kwargs(self, case: Case) -> dict[str, Any]:
        return {"session": SESSION}

    def validate_response(self, response: Any, case: Case, **kwargs: Any) -> None:
        case.validate_response(
            response, transport_kwargs=kwargs or None, recorder=self.recorder, **CHECK_KWARGS
        )


TestCreateThenGet = CreateThenGet.TestCase
TestCreateThenGet.settings = stateful_settings(max_examples=15, steps=8)


@pytest.mark.parametrize("request_body", ["CreateExportRequest", "CreateBulkEnrichmentRequest"])
def test_schemathesis_sees_that_the_webhook_pattern_implies_a_uri(request_body: str) -> None:
    """So the coverage phase skips breaking only the format, which no string can do."""
    webhook_url = schema.raw_schema["components"]["schemas"][request_body]["properties"]
    assert coverage_schema._pattern_implies_format(webhook_url["webhook_url"]["pattern"], "uri")


def test_each_create_cases_filter_was_sent_to_its_count_call() -> None:
    """Not vacuous: the coverage phase's variants reached the count calls, both answers met.

    About 1,200 filters accepted and 900 refused in this seeded run.
    """
    assert COUNTS.accepted >= 600, (COUNTS.accepted, COUNTS.refused)
    assert COUNTS.refused >= 400, (COUNTS.accepted, COUNTS.refused)


def test_every_operation_refused_a_missing_and_a_wrong_key() -> None:
    """`ignored_auth` probed every operation (once each), and each refused both probes."""
    assert operation_labels(schema) == AUTH_ENFORCED


def test_generated_job_ids_reach_seeded_jobs() -> None:
    """The steering hook really turns generated GETs into 200s (and leaves some 404s)."""
    statuses: Counter[int] = Counter()

    @settings(max_examples=40, derandomize=True, database=None, deadline=None)
    @given(case=schema[JOB_PATH]["GET"].as_strategy())
    def run(case: Case) -> None:
        statuses[case.call(session=SESSION).status_code] += 1

    run()
    assert statuses[200] >= 10, statuses
    assert statuses[404] >= 1, statuses
    assert set(statuses) <= {200, 404}, statuses
