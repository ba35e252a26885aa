"""The fake told to drift: what goes on the wire changes, its own state does not."""

from __future__ import annotations

import httpx
import pytest

from companyenrich_export.testing import DRIFT_KINDS, FakeCompanyEnrich


def _client(fake: FakeCompanyEnrich) -> httpx.Client:
    return httpx.Client(
        base_url=fake.base_url,
        transport=fake.transport(),
        headers={"authorization": f"Bearer {fake.api_key}"},
    )


def test_a_misspelt_kind_is_refused() -> None:
    fake = FakeCompanyEnrich()
    with pytest.raises(ValueError, match="unknown drift kind"):
        fake.drift = {"field-renamed"}
    assert fake.drift == frozenset()


def test_each_kind_changes_the_job_as_documented() -> None:
    fake = FakeCompanyEnrich()
    job = fake.add_job(requested_count=100)
    fake.complete_now(job)
    expected_body = fake.job_body(job)
    with _client(fake) as client:
        fake.drift = set(DRIFT_KINDS) - {"field-removed"}
        response = client.get(f"/companies/search/async/{job}")
        listed = client.get("/companies/search/async/jobs").json()["items"][0]
        fake.drift = {"field-removed"}
        removed = client.get(f"/companies/search/async/{job}").json()

    body = response.json()
    assert int(response.headers["content-length"]) == len(response.content)
    assert response.headers["x-companyenrich-region"] == "eu-west-1"
    assert body["status"] == "done"
    assert body["requested_count"] == "100"
    assert body["region"] == "eu-west-1"
    assert (listed["status"], listed["requested_count"], listed["region"]) == (
        "done",
        "100",
        "eu-west-1",
    )
    assert "status" not in removed
    # Only the answer drifted: the fake's own view of the job is unchanged.
    assert fake.job_body(job) == expected_body
    assert fake.status(job) == "completed"


def test_error_answers_and_results_files_do_not_drift() -> None:
    fake = FakeCompanyEnrich()
    job = fake.add_job(rows=3)
    fake.complete_now(job)
    url = fake.job_body(job)["results_url"]
    fake.drift = set(DRIFT_KINDS)
    with _client(fake) as client:
        missing = client.get("/companies/search/async/3fa85f64-5717-4562-b3fc-2c963f66afa6")
    with httpx.Client(transport=fake.transport()) as plain:
        results = plain.get(url)
    assert missing.status_code == 404
    assert "x-companyenrich-region" not in missing.headers
    assert "region" not in missing.json()
    assert results.status_code == 200
    assert "x-companyenrich-region" not in results.headers
