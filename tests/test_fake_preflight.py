"""The fake's pre-flight side with the real client: count, /me, credits, 402, credit headers."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path
from typing import Any

import httpx
import pytest

from companyenrich_export import (
    AsyncCompanyEnrich,
    CompanyEnrich,
    CreditHeaders,
    CreditLimitError,
    ExportEstimate,
    PaymentRequiredError,
    UnprocessableEntityError,
)
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

CREATE_PATH = "/companies/search/async"
# Filters whose counts the fake's model narrows differently (see testing/_matching.py).
QUERIES: list[dict[str, Any]] = [
    {"countries": ["DE"]},
    {"countries": ["DE", "FR"], "employees": ["51-200"]},
    {"semanticQuery": "B2B SaaS", "foundedYear": {"min": 2010}},
    {"countries": ["DE"], "exclude": {"domains": ["a.com", "b.com"]}},
]


@pytest.fixture
def fake() -> FakeCompanyEnrich:
    return FakeCompanyEnrich(clock=ManualClock(), default_durations=(1.0, 2.0, 1.0))


@pytest.fixture
def client(fake: FakeCompanyEnrich) -> Iterator[CompanyEnrich]:
    http = httpx.Client(transport=fake.transport())
    with CompanyEnrich(
        api_key=fake.api_key, base_url=fake.base_url, http_client=http, clock=fake.clock
    ) as made:
        yield made
    http.close()


def creates(fake: FakeCompanyEnrich, since: int = 0) -> int:
    """Create requests that reached the fake: what spends credits."""
    return sum(
        1
        for entry in fake.request_log[since:]
        if entry.method == "POST" and entry.path == CREATE_PATH
    )


@pytest.mark.parametrize("query", QUERIES)
@pytest.mark.parametrize("shape", ["integer", "count", "totalItems"])
def test_the_count_is_the_total_matching_a_create_would_report(
    fake: FakeCompanyEnrich, client: CompanyEnrich, query: dict[str, Any], shape: Any
) -> None:
    fake.count_shape = shape
    counted = client.exports.count(search=query)
    created = client.exports.create(count=10, search=query)
    assert counted == created.total_matching
    assert counted < 20_000_000  # the filter narrowed it


def test_the_similar_count_follows_the_same_model(
    fake: FakeCompanyEnrich, client: CompanyEnrich
) -> None:
    similar = {"domains": ["stripe.com", "adyen.com"], "minScore": 0.5}
    assert client.exports.count(similar=similar) == 200_000
    assert client.exports.create(count=10, similar=similar).total_matching == 200_000


def test_credits_are_charged_on_completion_not_on_create(
    fake: FakeCompanyEnrich, client: CompanyEnrich
) -> None:
    fake.set_credits(1_000, used=100)
    created = client.exports.create(count=300, search={"countries": ["DE"]})
    assert client.account().credits_remaining == 900
    assert client.credits == CreditHeaders(cost=0, remaining=900)

    fake.clock.advance(10)  # type: ignore[attr-defined]
    assert client.exports.get(created.job_id).credits_charged == 300
    account = client.account()
    assert (account.credits_used, account.credits_remaining) == (400, 600)
    assert client.credits == CreditHeaders(cost=0, remaining=600)


def test_a_create_the_balance_cannot_cover_is_402_and_creates_nothing(
    fake: FakeCompanyEnrich, client: CompanyEnrich
) -> None:
    fake.set_credits(500)
    client.exports.create(count=300, search={"countries": ["DE"]})  # 300 promised
    before = len(fake.jobs)
    with pytest.raises(PaymentRequiredError, match="Not enough credits") as refused:
        client.exports.create(count=300, search={"countries": ["DE"]})
    assert refused.value.status_code == 402
    assert refused.value.headers["content-type"].startswith("application/json")
    assert len(fake.jobs) == before
    # What matches, not what is asked, is what it costs: 20 companies fit in the 200 left.
    narrow = {"cities": [1], "query": "acme"}
    assert client.exports.create(count=5_000, search=narrow).total_matching == 20
    assert len(fake.jobs) == before + 1


def test_402_only_for_the_key_that_cannot_pay(fake: FakeCompanyEnrich) -> None:
    fake.add_api_key("rich-key")
    fake.set_credits(0)
    fake.set_credits(10**6, api_key="rich-key")
    assert fake.credits_remaining() == 0
    assert fake.credits_remaining("rich-key") == 10**6
    answer = fake.handle(
        "POST",
        CREATE_PATH,
        headers={"authorization": "Bearer rich-key", "content-type": "application/json"},
        body=b'{"count": 5, "search": {"countries": ["DE"]}}',
    )
    assert answer.status == 200


def test_a_create_above_the_async_limit_is_422_naming_it(
    fake: FakeCompanyEnrich, client: CompanyEnrich
) -> None:
    fake.set_credits(async_limit=1_000)
    with pytest.raises(UnprocessableEntityError, match="companySearchAsyncLimit"):
        client.exports.create(count=1_001, search={"countries": ["DE"]})
    assert client.account().limits.company_search_async_limit == 1_000


@pytest.mark.parametrize(
    ("method", "path", "body"),
    [
        ("GET", "/me", b""),
        ("POST", "/companies/search/count", b'{"countries": ["DE"]}'),
        ("POST", "/companies/similar/count", b'{"domains": ["a.com"]}'),
        ("GET", "/companies/search/async/jobs", b""),
        ("POST", CREATE_PATH, b'{"count": 1, "search": {"countries": ["DE"]}}'),
        ("POST", CREATE_PATH, b"not json"),  # an error answer carries them too
        ("GET", "/companies/search/async/3fa85f64-5717-4562-b3fc-2c963f66afa6", b""),
    ],
)
def test_every_authenticated_answer_carries_the_credit_headers(
    fake: FakeCompanyEnrich, method: str, path: str, body: bytes
) -> None:
    fake.set_credits(777)
    answer = fake.handle(
        method, path, headers={"authorization": f"Bearer {fake.api_key}"}, body=body
    )
    assert answer.header("x-credit-cost") == "0"
    assert answer.header("x-credit-remaining") == "777"


def test_an_unauthenticated_answer_has_no_account_to_report(fake: FakeCompanyEnrich) -> None:
    answer = fake.handle("GET", "/me")
    assert answer.status == 401
    assert answer.header("x-credit-remaining") is None


@pytest.mark.parametrize(
    ("path", "body", "status"),
    [
        ("/companies/search/count", b"[1]", 400),
        ("/companies/search/count", b'{"countries": "DE"}', 400),
        ("/companies/similar/count", b"{}", 400),
        ("/companies/similar/count", b'{"domains": []}', 422),
        ("/companies/search/count", b"\xff", 400),
    ],
)
def test_the_count_refuses_what_create_refuses(
    fake: FakeCompanyEnrich, path: str, body: bytes, status: int
) -> None:
    answer = fake.handle(
        "POST", path, headers={"authorization": f"Bearer {fake.api_key}"}, body=body
    )
    assert answer.status == status


def test_run_refused_by_max_credits_sends_no_create(
    fake: FakeCompanyEnrich, client: CompanyEnrich, tmp_path: Path
) -> None:
    with pytest.raises(CreditLimitError):
        client.exports.run(
            count=500, search={"countries": ["DE"]}, dest=tmp_path / "x.csv", max_credits=499
        )
    assert creates(fake) == 0
    assert not (tmp_path / "x.csv").exists()


def test_run_reports_the_estimate_and_the_credit_headers(
    fake: FakeCompanyEnrich, client: CompanyEnrich, tmp_path: Path
) -> None:
    fake.set_credits(10_000)
    result = client.exports.run(
        count=50, search={"countries": ["DE"]}, dest=tmp_path / "x.csv", max_credits=50
    )
    assert result.estimate == ExportEstimate(
        count=50, matching=800_000, credits_remaining=10_000, async_limit=50_000
    )
    # The last API answer came after completion: 50 credits charged.
    assert result.credits == CreditHeaders(cost=0, remaining=9_950)
    assert creates(fake) == 1


@pytest.mark.anyio
async def test_the_async_client_reads_the_same(fake: FakeCompanyEnrich) -> None:
    fake.set_credits(42, used=2)
    async with httpx.AsyncClient(transport=fake.transport()) as http:
        client = AsyncCompanyEnrich(
            api_key=fake.api_key, base_url=fake.base_url, http_client=http, clock=fake.clock
        )
        assert await client.exports.count(search={"countries": ["DE"]}) == 800_000
        assert (await client.account()).credits_remaining == 40
        assert client.credits == CreditHeaders(cost=0, remaining=40)


@pytest.fixture
def anyio_backend() -> str:
    return "asyncio"
