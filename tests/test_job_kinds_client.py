"""One suite over every job kind: the shared machinery (get, wait, download, rows, list, errors).

Each test runs four times: company exports and bulk enrichments, each with
the sync and the async client, against the fake server (its documented
shapes, over `fake.transport()`). What differs per kind is only how a job is
made on the fake and how the kind's create is called; every assertion is
about values both kinds document.
"""

from __future__ import annotations

import inspect
import json
import os
import pickle
from collections.abc import AsyncIterator, Callable
from pathlib import Path
from typing import Any
from uuid import UUID

import attrs
import httpx
import pytest

from companyenrich_export import (
    AsyncCompanyEnrich,
    CompanyEnrich,
    EnrichmentFailedError,
    EnrichmentJob,
    EnrichmentNotReadyError,
    ExportFailedError,
    ExportJob,
    ExportNotReadyError,
    InternalServerError,
    JobFailedError,
    JobNotReadyError,
    JobStatus,
    ResponseValidationError,
    WaitTimeoutError,
    read_rows,
)
from companyenrich_export._jobs._kinds import BULK_ENRICHMENT, EXPORT, JobKind
from companyenrich_export.testing import FakeCompanyEnrich, Fault, enrichment_fails

pytestmark = pytest.mark.anyio

KEY = "kinds-suite-key-5c0ffee"
BASE = "https://api.companyenrich.test"


@attrs.define
class Case:
    """One kind, one flavour: the resource (every method awaitable) and the fake behind it."""

    kind: JobKind[Any, Any, Any, Any, Any]
    client: CompanyEnrich | AsyncCompanyEnrich
    resource: Any
    fake: FakeCompanyEnrich
    make_job: Callable[..., UUID]
    """Adds a job of this kind to the fake: `pending_for=`, `fail_with=`... as `add_job`."""
    create: Callable[[], Any]
    """Calls the kind's create with a small valid request; awaitable."""
    failed_error: type[JobFailedError]
    not_ready_error: type[JobNotReadyError]
    job_class: type[Any]

    def records(self, job_id: UUID) -> list[dict[str, Any]]:
        if self.kind is EXPORT:
            return list(self.fake.results_file(job_id).records())
        return list(self.fake.enrichment_records(job_id))

    def rows(self, job: Any, **kwargs: Any) -> AsyncIterator[Any]:
        return _each(self.client_resource.iter_rows(job, **kwargs))

    def list(self, **kwargs: Any) -> AsyncIterator[Any]:
        return _each(self.client_resource.list(**kwargs))

    @property
    def client_resource(self) -> Any:
        return self.client.exports if self.kind is EXPORT else self.client.enrichments

    def api_requests(self) -> list[str]:
        return [
            f"{entry.method} {entry.path}"
            for entry in self.fake.request_log
            if not entry.path.startswith("/results")
        ]


class _Awaited:
    def __init__(self, target: Any) -> None:
        self._target = target

    def __getattr__(self, name: str) -> Callable[..., Any]:
        method = getattr(self._target, name)

        async def call(*args: Any, **kwargs: Any) -> Any:
            return await _call(method(*args, **kwargs))

        return call


def _names(folder: Path) -> list[str]:
    return sorted(os.listdir(folder))


async def _call(result: Any) -> Any:
    return await result if inspect.isawaitable(result) else result


async def _each(iterator: Any) -> AsyncIterator[Any]:
    if hasattr(iterator, "__aiter__"):
        async for item in iterator:
            yield item
    else:
        for item in iterator:
            yield item


@pytest.fixture(params=["export", "bulk_enrichment"])
async def case(request: pytest.FixtureRequest, make_api: Any, flavour: str) -> Any:
    fake = FakeCompanyEnrich(api_key=KEY, base_url=BASE, default_durations=(1.0, 4.0, 1.0))
    pool_cls = httpx.AsyncClient if flavour == "async" else httpx.Client
    pool = pool_cls(transport=fake.transport())
    api = make_api(api_key=KEY, base_url=BASE, http_client=pool)
    fake.clock = api.clock  # one clock: the client's sleeps move the fake's jobs on
    client = api.client
    if request.param == "export":
        resource = _Awaited(client.exports)
        case = Case(
            kind=EXPORT,
            client=client,
            resource=resource,
            fake=fake,
            make_job=lambda **kw: fake.add_job(requested_count=7, **kw),
            create=lambda: resource.create(count=7, search={"countries": ["DE"]}),
            failed_error=ExportFailedError,
            not_ready_error=ExportNotReadyError,
            job_class=ExportJob,
        )
    else:
        resource = _Awaited(client.enrichments)
        domains = ["stripe.com", "example.test", "openai.com", "github.com"]
        case = Case(
            kind=BULK_ENRICHMENT,
            client=client,
            resource=resource,
            fake=fake,
            make_job=lambda **kw: fake.add_enrichment_job(domains, **kw),
            create=lambda: resource.create(["Stripe.com ", "https://www.github.com/x"]),
            failed_error=EnrichmentFailedError,
            not_ready_error=EnrichmentNotReadyError,
            job_class=EnrichmentJob,
        )
    yield case
    if isinstance(pool, httpx.AsyncClient):
        await pool.aclose()
    else:
        pool.close()


async def test_create_sends_one_request_and_answers_the_new_job(case: Case) -> None:
    created = await case.create()
    assert case.api_requests() == [f"POST {case.kind.create_path}"]
    job = await case.resource.get(created.job_id)
    assert isinstance(job, case.job_class)
    assert job.job_id == created.job_id
    assert job.status.value == "pending"


async def test_wait_follows_the_job_to_completed_with_progress(case: Case) -> None:
    job_id = case.make_job()
    seen: list[Any] = []
    job = await case.resource.wait(job_id, timeout=120, on_progress=seen.append)
    assert isinstance(job, case.job_class)
    assert job.status.value == "completed"
    assert job.results_url
    statuses = [snapshot.status.value for snapshot in seen]
    assert statuses[0] == "pending"
    assert statuses[-1] == "completed"
    done = [case.kind.done_count(snapshot) for snapshot in seen]
    assert done == sorted(done)  # progress never goes back
    assert case.kind.done_count(job) == case.kind.target_count(job) > 0


async def test_download_saves_the_file_whose_rows_are_the_jobs_records(
    case: Case, tmp_path: Path
) -> None:
    job_id = case.make_job()
    job = await case.resource.wait(job_id, timeout=120)
    path = await case.resource.download(job, tmp_path)
    assert path.parent == tmp_path
    assert [row["domain"] for row in read_rows(path)] == [
        record["domain"] for record in case.records(job_id)
    ]
    assert _names(tmp_path) == [path.name]  # nothing else left behind


async def test_iter_rows_reads_the_records_straight_from_the_link(case: Case) -> None:
    job_id = case.make_job()
    await case.resource.wait(job_id, timeout=120)
    rows = [row async for row in case.rows(job_id)]
    records = case.records(job_id)
    assert len(rows) == len(records) > 0
    assert [row["id"] for row in rows] == [record["id"] for record in records]


async def test_download_to_writes_the_same_bytes_as_download(case: Case, tmp_path: Path) -> None:
    import io

    job_id = case.make_job()
    job = await case.resource.wait(job_id, timeout=120)
    path = await case.resource.download(job, tmp_path)
    buffer = io.BytesIO()
    written = await case.resource.download_to(job, buffer)
    assert written == len(buffer.getvalue()) == path.stat().st_size
    assert buffer.getvalue() == path.read_bytes()


async def test_a_failed_job_raises_the_kinds_error_under_the_shared_base(
    case: Case, tmp_path: Path
) -> None:
    job_id = case.make_job(fail_with="upstream said no", fail_after=2.0)
    with pytest.raises(case.failed_error) as raised:
        await case.resource.wait(job_id, timeout=120)
    error = raised.value
    assert isinstance(error, JobFailedError)
    assert error.error_message == "upstream said no"
    assert str(error) == f"{case.kind.title} job {job_id} failed: upstream said no"
    with pytest.raises(case.failed_error):
        await case.resource.download(job_id, tmp_path)
    assert _names(tmp_path) == []


async def test_a_failed_job_echoing_the_key_keeps_it_out_of_the_error_and_its_pickle(
    case: Case,
) -> None:
    job_id = case.make_job(fail_with=f"refused key {KEY} (Bearer {KEY})", fail_after=0.0)
    with pytest.raises(case.failed_error) as raised:
        await case.resource.wait(job_id, timeout=60)
    error = raised.value
    assert error.error_message == "refused key [redacted] (Bearer [redacted])"
    assert str(error) == f"{case.kind.title} job {job_id} failed: {error.error_message}"
    assert error.job.job_id == job_id
    assert KEY.encode() not in pickle.dumps(error)


async def test_a_job_not_done_yet_cannot_be_downloaded(case: Case, tmp_path: Path) -> None:
    job_id = case.make_job(pending_for=600.0)
    with pytest.raises(case.not_ready_error) as raised:
        await case.resource.download(job_id, tmp_path)
    assert isinstance(raised.value, JobNotReadyError)
    assert str(raised.value).startswith(f"{case.kind.title} job {job_id} is pending")
    assert _names(tmp_path) == []


async def test_wait_ends_at_its_deadline_with_the_last_state_seen(case: Case) -> None:
    job_id = case.make_job(pending_for=3600.0)
    started = case.client._config.clock.monotonic()
    with pytest.raises(WaitTimeoutError) as raised:
        await case.resource.wait(job_id, timeout=30)
    elapsed = case.client._config.clock.monotonic() - started
    assert 30 <= elapsed <= 32
    assert raised.value.job is not None
    assert raised.value.job.status is JobStatus.PENDING
    assert str(raised.value).startswith(
        f"{case.kind.title} job {job_id} did not finish within 30 s"
    )


async def test_an_answer_about_another_job_is_refused(case: Case) -> None:
    job_id = case.make_job()
    other = case.make_job()
    case.fake.inject(Fault.malformed(body=json.dumps(case.fake.job_body(other)).encode()))
    with pytest.raises(ResponseValidationError):
        await case.resource.get(job_id)


@pytest.mark.parametrize("body", [b"{not json", b"[]", b'{"job_id": 5}', b"\xff\xfe"])
async def test_a_hostile_status_answer_is_a_typed_error(case: Case, body: bytes) -> None:
    job_id = case.make_job()
    case.fake.inject(Fault.malformed(body=body))
    with pytest.raises(ResponseValidationError):
        await case.resource.get(job_id)


async def test_as_completed_yields_each_final_state_failed_ones_too(case: Case) -> None:
    slow = case.make_job(pending_for=1.0, processing_for=20.0)
    fast = case.make_job(pending_for=0.0, processing_for=2.0)
    failing = case.make_job(fail_with="no", fail_after=5.0)
    finished = [
        job async for job in _each(case.client_resource.as_completed([slow, fast, failing, fast]))
    ]
    assert [job.job_id for job in finished] == [fast, failing, slow]
    assert all(isinstance(job, case.job_class) for job in finished)
    assert [job.status.value for job in finished] == ["completed", "failed", "completed"]


async def test_list_pages_through_this_kinds_jobs_only(case: Case) -> None:
    mine = {case.make_job() for _ in range(3)}
    # A job of the other kind is not in this kind's list.
    if case.kind is EXPORT:
        case.fake.add_enrichment_job(["stripe.com"])
    else:
        case.fake.add_job()
    listed = [item.job_id async for item in case.list(page_size=2)]
    assert set(listed) == mine
    assert len(listed) == 3


async def test_the_failed_error_pickles_without_the_key(case: Case) -> None:
    job_id = case.make_job(fail_with="no credits left", fail_after=1.0)
    with pytest.raises(case.failed_error) as raised:
        await case.resource.wait(job_id, timeout=120)
    data = pickle.dumps(raised.value)
    restored = pickle.loads(data)  # noqa: S301 - our own bytes
    assert KEY.encode() not in data
    assert type(restored) is case.failed_error
    assert restored.job == raised.value.job
    assert str(restored) == str(raised.value)


async def test_reprs_and_a_completed_jobs_repr_hide_the_key_and_the_signature(case: Case) -> None:
    job_id = case.make_job()
    job = await case.resource.wait(job_id, timeout=120)
    assert job.results_url
    assert "?" in job.results_url
    signature = job.results_url.split("?", 1)[1]
    for text in (repr(case.client_resource), repr(case.client), repr(job), str(job)):
        assert KEY not in text
        assert signature not in text


# --- bulk enrichment's own input: domains, and runs above one job's limit -----------


@pytest.fixture
async def enrich(make_api: Any, flavour: str) -> Any:
    fake = FakeCompanyEnrich(api_key=KEY, base_url=BASE)
    pool_cls = httpx.AsyncClient if flavour == "async" else httpx.Client
    pool = pool_cls(transport=fake.transport())
    api = make_api(api_key=KEY, base_url=BASE, http_client=pool)
    fake.clock = api.clock
    yield api.client, fake
    if isinstance(pool, httpx.AsyncClient):
        await pool.aclose()
    else:
        pool.close()


@pytest.mark.parametrize(
    ("domains", "error", "message"),
    [
        (["stripe.com", "nodot", "ok.io"], ValueError, "domains[1] 'nodot'"),
        ([], ValueError, "no domains given"),
        ("stripe.com", TypeError, "not a single str"),
        (["stripe.com", 5], TypeError, "domains[1] must be a str"),
        ([f"c{i}.com" for i in range(10_001)], ValueError, "10,001 unique domains"),
        (["user@stripe.com"], ValueError, "domains[0]"),
    ],
)
async def test_create_refuses_bad_domains_before_any_request(
    enrich: Any, domains: Any, error: type[Exception], message: str, tmp_path: Path
) -> None:
    client, fake = enrich
    with pytest.raises(error, match=message.replace("[", r"\[").replace("]", r"\]")):
        await _call(client.enrichments.create(domains))
    if len(domains) <= 10_000:  # run() splits what create() refuses as too many
        with pytest.raises(error):
            await _call(client.enrichments.run(domains, tmp_path / "x.csv"))
    assert fake.request_log == []
    assert _names(tmp_path) == []


async def test_create_sends_the_domains_normalised_and_deduplicated(enrich: Any) -> None:
    client, fake = enrich
    created = await _call(
        client.enrichments.create(
            (d for d in [" Stripe.COM", "https://www.stripe.com/pricing", "openai.com."]),
            webhook_url="https://hooks.example.com/done",
        )
    )
    assert [(entry.method, entry.path) for entry in fake.request_log] == [
        ("POST", "/companies/enrich/bulk")
    ]
    sent = fake.enrichment_jobs[created.job_id]
    assert sent.domains == ("stripe.com", "openai.com")
    assert sent.webhook_url == "https://hooks.example.com/done"


@pytest.mark.slow
async def test_run_splits_above_10000_domains_and_joins_one_file(
    enrich: Any, tmp_path: Path
) -> None:
    client, fake = enrich
    domains = [f"company{i}.com" for i in range(10_001)] + ["COMPANY0.com"]
    result = await _call(client.enrichments.run(domains, tmp_path / "companies.csv"))
    creates = [entry for entry in fake.request_log if entry.method == "POST"]
    assert len(creates) == 2
    assert [len(fake.enrichment_jobs[job.job_id].domains) for job in result.jobs] == [10_000, 1]
    assert fake.enrichment_jobs[result.jobs[1].job_id].domains == ("company10000.com",)
    assert result.path == tmp_path / "companies.csv"
    assert _names(tmp_path) == ["companies.csv"]  # parts removed
    rows = list(read_rows(result.path))
    # Every enriched domain once, in the order given (the records of job 1, then of job 2).
    expected = [domain for domain in domains[:10_001] if not enrichment_fails(domain)]
    assert [row["domain"] for row in rows] == expected
    assert len(rows) == result.success_count == sum(job.success_count for job in result.jobs)
    assert result.success_count + result.failed_count == 10_001
    # One header: the second file's was dropped.
    lines = result.path.read_bytes().splitlines()
    assert lines.count(lines[0]) == 1


@pytest.mark.parametrize("results_format", ["jsonl", "json", "csv.gz"])
async def test_run_joins_every_format_into_one_plain_file(
    enrich: Any, tmp_path: Path, results_format: str
) -> None:
    client, fake = enrich
    fake.results_format = results_format
    domains = ["stripe.com", "openai.com", "github.com", "python.org", "rust-lang.org"]
    result = await _call(client.enrichments.run(domains, tmp_path, job_size=2))
    assert len(result.jobs) == 3
    assert _names(tmp_path) == [result.path.name]
    rows = list(read_rows(result.path))
    expected = [
        record["id"] for job in result.jobs for record in fake.enrichment_records(job.job_id)
    ]
    assert [row["id"] for row in rows] == expected
    assert result.path.read_bytes()[:2] != b"\x1f\x8b"  # joined plain


async def test_run_names_the_paid_jobs_when_it_fails_after_creating_some(
    enrich: Any, tmp_path: Path, caplog: pytest.LogCaptureFixture
) -> None:
    # The first job is created (and will be charged); the second create fails.
    client, fake = enrich
    created: list[Any] = []

    def on_created(job: Any) -> None:
        created.append(job)
        fake.inject(Fault.server_error(500))

    domains = ["stripe.com", "openai.com", "github.com"]
    dest = tmp_path / "x.csv"
    with (
        caplog.at_level("WARNING", logger="companyenrich_export"),
        pytest.raises(InternalServerError) as raised,
    ):
        await _call(client.enrichments.run(domains, dest, job_size=2, on_created=on_created))
    (first,) = created
    assert fake.enrichment_jobs[first.job_id].domains == ("stripe.com", "openai.com")
    assert len(fake.enrichment_jobs) == 1
    (note,) = raised.value.__notes__
    assert str(first.job_id) in note
    assert "they run and are charged" in note
    assert f"after creating 1 of 2 bulk enrichment jobs: {first.job_id}" in caplog.text
    assert _names(tmp_path) == []


async def test_run_names_the_paid_jobs_when_the_wait_ends_unfinished(
    enrich: Any, tmp_path: Path
) -> None:
    client, fake = enrich
    fake.default_durations = (3600.0, 3600.0, 3600.0)  # an hour pending: past the deadline
    domains = ["stripe.com", "openai.com", "github.com"]
    with pytest.raises(WaitTimeoutError) as raised:
        await _call(client.enrichments.run(domains, tmp_path / "x.csv", job_size=2, timeout=5))
    ids = sorted(str(job_id) for job_id in fake.enrichment_jobs)
    assert len(ids) == 2
    (note,) = raised.value.__notes__
    assert all(job_id in note for job_id in ids)
