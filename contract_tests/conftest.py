"""Shared pieces of the contract tests: the spec, a fake, clients on it."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import httpx
import pytest

from companyenrich_export.testing import FakeCompanyEnrich, ManualClock, reset_request_budgets

SPEC_PATH = Path(__file__).resolve().parent.parent / "openapi.yaml"
API_KEY = "test-key"
AUTH = {"Authorization": f"Bearer {API_KEY}"}
EXPORTS = "/companies/search/async"
JOBS = "/companies/search/async/jobs"
# The job id of the spec's examples (and of the vendor's API page).
EXAMPLE_JOB_ID = "3fa85f64-5717-4562-b3fc-2c963f66afa6"


@pytest.fixture
def clock() -> ManualClock:
    return ManualClock()


@pytest.fixture
def fake(clock: ManualClock) -> FakeCompanyEnrich:
    return FakeCompanyEnrich(API_KEY, clock=clock, seed=7)


@pytest.fixture
def api(fake: FakeCompanyEnrich) -> Iterator[httpx.Client]:
    """A client of the fake's API, authenticated, in-process."""
    with httpx.Client(base_url=fake.base_url, transport=fake.transport(), headers=AUTH) as client:
        yield client


@pytest.fixture
def anonymous(fake: FakeCompanyEnrich) -> Iterator[httpx.Client]:
    """A client with no credentials (for storage, and for 401s)."""
    with httpx.Client(base_url=fake.base_url, transport=fake.transport()) as client:
        yield client


@pytest.fixture(autouse=True)
def _fresh_request_budgets() -> Iterator[None]:
    # Real-clock clients share one budget per key for the whole process: without
    # this, one test's requests (or a low max_requests_per_minute) would make the
    # tests after it wait in real time.
    yield
    reset_request_budgets()
