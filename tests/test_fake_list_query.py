"""The fake answers a list query with numbers no int() will parse as a 400 problem, not a 500.

Python refuses int() of more than 4,300 digits; the fake checks the length
first, so `?page=<5,000 digits>` is the documented 400 like any other bad
query parameter.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from companyenrich_export.testing import FakeCompanyEnrich

KEY = "fake-list-key"
LIST_URL = "https://api.companyenrich.com/companies/search/async/jobs"


@pytest.fixture
def api() -> Iterator[httpx.Client]:
    fake = FakeCompanyEnrich(api_key=KEY)
    with httpx.Client(transport=fake.transport(), headers={"Authorization": f"Bearer {KEY}"}) as c:
        yield c


@pytest.mark.parametrize("name", ["page", "pageSize"])
@pytest.mark.parametrize(
    "value",
    ["9" * 5_000, "-" + "9" * 5_000, "0" * 5_000 + "1", "2147483648", "99999999999"],
    ids=["5000-digits", "minus-5000-digits", "leading-zeros", "int32-max-plus-one", "11-digits"],
)
def test_a_number_too_long_or_too_big_is_a_400_problem(
    api: httpx.Client, name: str, value: str
) -> None:
    response = api.get(
        LIST_URL, params={name: value}, headers={"Accept": "application/problem+json"}
    )

    assert response.status_code == 400
    assert response.headers["content-type"].startswith("application/problem+json")
    problem = response.json()
    assert problem["status"] == 400
    assert name in problem["errors"]


def test_the_largest_page_is_still_served(api: httpx.Client) -> None:
    response = api.get(LIST_URL, params={"page": "2147483647"})

    assert response.status_code == 200
    assert response.json()["page"] == 2147483647
