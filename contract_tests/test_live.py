"""Opt-in: the same contract checked against the real CompanyEnrich API.

    COMPANYENRICH_API_KEY=... [COMPANYENRICH_EXPORT_JOB_ID=<a job of yours>] \
        .venv/bin/python -m pytest contract_tests -m live

`make contract-live` runs the shipped check (`companyenrich-export check`);
these tests run it too, beside schemathesis' generated cases.

Only the free, read-only endpoints are exercised (no export is created, no
credit is spent). Without a key every test here is skipped. Point
COMPANYENRICH_BASE_URL elsewhere (the fake server, a staging host) to rehearse.
A failure here is API drift: the API no longer answers as openapi.yaml says.
"""

from __future__ import annotations

import os
import uuid

import pytest
import schemathesis
from hypothesis import HealthCheck, settings
from schemathesis.config import SchemathesisConfig

import companyenrich_export as ce
from companyenrich_export.contract import render_text, run_check

from _spec import GET_JOB_PATH, SPEC_PATH

API_KEY = os.environ.get("COMPANYENRICH_API_KEY", "")
JOB_ID = os.environ.get("COMPANYENRICH_EXPORT_JOB_ID", "")
BASE_URL = os.environ.get("COMPANYENRICH_BASE_URL", "https://api.companyenrich.com")

pytestmark = [
    pytest.mark.live,
    pytest.mark.skipif(not API_KEY, reason="set COMPANYENRICH_API_KEY to check the live API"),
]

CONFIG = SchemathesisConfig.from_dict(
    {
        "base-url": BASE_URL,
        # Well under the ~500 requests a minute reported for the API.
        "rate-limit": "120/m",
        "generation": {"max-examples": 15, "database": "none"},
        # Schemathesis makes the coverage phase's cases while collecting: without
        # a key, when every test here is skipped, that was 1.5 CPU-s for nothing
        # in each of `make unit`'s processes.
        "phases": {"coverage": {"enabled": bool(API_KEY)}},
        # The scheme-aware form keeps `ignored_auth` meaningful in every phase
        # (a plain header is taken for generated data by the fuzzing phase).
        "auth": {"openapi": {"bearerAuth": {"bearer": API_KEY or "unset"}}},
    }
)
schema = schemathesis.openapi.from_path(SPEC_PATH, config=CONFIG)


@pytest.fixture(scope="module", autouse=True)
def _key_is_accepted() -> None:
    """Every test here fails at once with a refused key.

    A 401 conforms to the spec, so schemathesis alone would pass without ever
    authenticating: a check that cannot authenticate must not look green.
    """
    with ce.CompanyEnrich(api_key=API_KEY, base_url=BASE_URL, max_retries=0) as client:
        try:
            client.exports.list_page(page_size=1)
        except ce.AuthenticationError as exc:
            pytest.fail(f"the API key was refused ({exc.status_code}): nothing was checked")


def test_live_shipped_check_finds_no_drift() -> None:
    report = run_check(api_key=API_KEY, base_url=BASE_URL, job_id=JOB_ID or None)
    assert report.outcome == "ok", render_text(report)


read_only = schema.include(method="GET")


@read_only.parametrize()
@settings(deadline=None, suppress_health_check=list(HealthCheck))
def test_live_api_answers_as_the_spec_says(case: schemathesis.Case) -> None:
    case.call_and_validate()


@pytest.mark.skipif(not JOB_ID, reason="set COMPANYENRICH_EXPORT_JOB_ID to check a 200")
def test_live_job_status_validates_against_the_spec() -> None:
    operation = schema[GET_JOB_PATH]["GET"]
    case = operation.Case(path_parameters={"jobId": JOB_ID})
    # A hand-made case does not go through the [auth] config: send the key here.
    response = case.call(headers={"Authorization": f"Bearer {API_KEY}"})
    assert response.status_code == 200, response.text
    case.validate_response(response)


def test_live_client_smoke() -> None:
    with ce.CompanyEnrich(api_key=API_KEY, base_url=BASE_URL) as client:
        page = client.exports.list_page(page_size=5)
        assert page.page == 1
        assert all(isinstance(item, ce.ExportJobSummary) for item in page.items)
        # A well-formed id that is nobody's job is a 404, not an error of ours.
        with pytest.raises(ce.NotFoundError):
            client.exports.get(uuid.uuid4())
        if JOB_ID:
            job = client.exports.get(JOB_ID)
            assert str(job.job_id) == JOB_ID.lower()
            assert job.status in ce.JobStatus
