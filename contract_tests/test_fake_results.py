"""The fake's results files: the vendor's company record, in every plausible format.

Checked with the standard library only (gzip, csv, json), not with the
package's own reader, so a bug in one cannot hide one in the other.
"""

from __future__ import annotations

import csv
import gzip
import io
import json
import os
import subprocess
import sys
import tracemalloc
from collections import Counter
from collections.abc import Iterator, Sequence
from concurrent.futures import ThreadPoolExecutor
from email.utils import format_datetime, parsedate_to_datetime
from typing import Any
from urllib.parse import urlsplit
from uuid import UUID

import httpx
import pytest

from companyenrich_export._results._record import (
    CATEGORIES,
    COMPANY_TYPES,
    EMPLOYEE_RANGES,
    FUNDING_ROUNDS,
    RECORD_COLUMNS,
    REVENUE_RANGES,
)
from companyenrich_export.testing import (
    RESULTS_FORMATS,
    FakeCompanyEnrich,
    ManualClock,
    ResultsFile,
)
from companyenrich_export.testing._spool import SPOOLS, Spools

API_KEY = "test-key"

CONTENT_TYPES = {
    "csv": "text/csv; charset=utf-8",
    "json": "application/json",
    "jsonl": "application/x-ndjson",
}


def completed_job(fake: FakeCompanyEnrich, **kwargs: Any) -> UUID:
    return fake.add_job(pending_for=0, processing_for=0, completing_for=0, **kwargs)


def results_url(fake: FakeCompanyEnrich, job_id: UUID) -> str:
    url: str = fake.job_body(job_id)["results_url"]
    return url


def raw_get(client: httpx.Client, url: str, **headers: str) -> httpx.Response:
    """GET without httpx decoding the body: the bytes as stored."""
    with client.stream("GET", url, headers=headers) as response:
        response._content = b"".join(response.iter_raw())
    return response


def decode(data: bytes, records_format: str) -> list[dict[str, Any]]:
    if data[:2] == b"\x1f\x8b":
        data = gzip.decompress(data)
    if records_format == "csv":
        return list(csv.DictReader(io.StringIO(data.decode(), newline="")))
    if records_format == "jsonl":
        return [json.loads(line) for line in data.decode().splitlines()]
    loaded: list[dict[str, Any]] = json.loads(data)
    return loaded


@pytest.fixture
def storage(fake: FakeCompanyEnrich) -> httpx.Client:
    return httpx.Client(transport=fake.transport())


@pytest.mark.parametrize("results_format", RESULTS_FORMATS)
def test_each_format_has_its_type_encoding_and_extension(
    fake: FakeCompanyEnrich, storage: httpx.Client, results_format: str
) -> None:
    fake.results_format = results_format
    job_id = completed_job(fake, requested_count=12)
    url = results_url(fake, job_id)
    records_format, _, compression = results_format.replace(".gz", "+file").partition("+")
    response = raw_get(storage, url)

    assert response.status_code == 200
    name = urlsplit(url).path.rsplit("/", 1)[1]
    if compression == "file":
        assert name == f"{job_id}.{records_format}.gz"
        assert response.headers["content-type"] == "application/gzip"
        assert "content-encoding" not in response.headers
    else:
        assert name == f"{job_id}.{records_format}"
        assert response.headers["content-type"] == CONTENT_TYPES[records_format]
        assert response.headers.get("content-encoding") == ("gzip" if compression else None)
    assert response.headers["content-disposition"] == f'attachment; filename="{name}"'
    assert int(response.headers["content-length"]) == len(response.content)
    assert (response.content[:2] == b"\x1f\x8b") == bool(compression)
    records = decode(response.content, records_format)
    assert len(records) == 12
    if records_format != "csv":
        assert records == list(fake.results_file(job_id).records())


@pytest.mark.parametrize("results_format", RESULTS_FORMATS)
def test_ranges_if_range_and_head_work_for_every_format(
    fake: FakeCompanyEnrich, storage: httpx.Client, results_format: str
) -> None:
    url = results_url(fake, completed_job(fake, requested_count=40, results_format=results_format))
    whole = raw_get(storage, url)
    body, etag = whole.content, whole.headers["etag"]
    middle = len(body) // 2

    part = raw_get(storage, url, range=f"bytes={middle}-", **{"if-range": etag})
    assert (part.status_code, part.content) == (206, body[middle:])
    assert part.headers["content-range"] == f"bytes {middle}-{len(body) - 1}/{len(body)}"
    assert part.headers["etag"] == etag
    window = raw_get(storage, url, range="bytes=10-19")
    assert (window.status_code, window.content) == (206, body[10:20])
    stale = raw_get(storage, url, range=f"bytes={middle}-", **{"if-range": '"another"'})
    assert (stale.status_code, stale.content) == (200, body)
    assert raw_get(storage, url, range=f"bytes={len(body)}-").status_code == 416
    head = storage.head(url)
    assert head.headers["content-length"] == str(len(body))
    assert head.headers["etag"] == etag


def test_if_range_takes_the_last_modified_date(
    fake: FakeCompanyEnrich, clock: ManualClock, storage: httpx.Client
) -> None:
    job_id = completed_job(fake, requested_count=20)
    completed_at = fake.job_body(job_id)["completed_at"]
    clock.advance(30)
    url = results_url(fake, job_id)
    whole = raw_get(storage, url)
    modified = whole.headers["last-modified"]
    assert parsedate_to_datetime(modified).isoformat().startswith(completed_at[:19])

    resumed = raw_get(storage, url, range="bytes=100-", **{"if-range": modified})
    assert (resumed.status_code, resumed.content) == (206, whole.content[100:])
    later = format_datetime(parsedate_to_datetime(modified).replace(second=59), usegmt=True)
    other = raw_get(storage, url, range="bytes=100-", **{"if-range": later})
    assert (other.status_code, other.content) == (200, whole.content)
    weak = raw_get(storage, url, range="bytes=100-", **{"if-range": "W/" + whole.headers["etag"]})
    assert weak.status_code == 200  # a weak validator never allows a range


def test_a_replaced_file_has_new_bytes_and_validators(
    fake: FakeCompanyEnrich, clock: ManualClock, storage: httpx.Client
) -> None:
    job_id = completed_job(fake, requested_count=20)
    before = raw_get(storage, results_url(fake, job_id))
    clock.advance(5)
    fake.replace_results(job_id)
    url = results_url(fake, job_id)
    after = raw_get(storage, url)
    assert after.content != before.content
    assert after.headers["etag"] != before.headers["etag"]
    assert parsedate_to_datetime(after.headers["last-modified"]) > parsedate_to_datetime(
        before.headers["last-modified"]
    )
    # A resume with the old validator gets the whole new file, not a splice.
    old = before.headers["etag"]
    resumed = raw_get(storage, url, range="bytes=100-", **{"if-range": old})
    assert (resumed.status_code, resumed.content) == (200, after.content)


def test_the_url_signs_the_object_name_with_its_extension(
    fake: FakeCompanyEnrich, storage: httpx.Client
) -> None:
    job_id = completed_job(fake, requested_count=3)
    url = results_url(fake, job_id)
    renamed = storage.get(url.replace(".csv?", ".json?"))
    assert renamed.status_code == 403
    assert b"SignatureDoesNotMatch" in renamed.content
    # The stored object changes format: the old URL now names no object.
    fake.results_format = "jsonl"
    assert storage.get(url).status_code == 404
    assert results_url(fake, job_id).split("?")[0].endswith(".jsonl")


def test_the_format_is_chosen_per_fake_and_per_job() -> None:
    fake = FakeCompanyEnrich(API_KEY, clock=ManualClock(), results_format="json.gz")
    default = completed_job(fake, requested_count=1)
    own = completed_job(fake, requested_count=1, results_format="csv+gzip")
    assert fake.results_file(default).file_name.endswith(".json.gz")
    assert fake.results_file(own).format.content_encoding == "gzip"
    with pytest.raises(ValueError, match="csv, json, jsonl"):
        FakeCompanyEnrich(API_KEY, results_format="xlsx")
    with pytest.raises(ValueError, match="results_format"):
        fake.add_job(results_format="parquet")
    with pytest.raises(ValueError, match="has not completed"):
        fake.results_file(fake.add_job(pending_for=60))


def test_the_same_job_gives_the_same_bytes_in_any_fake() -> None:
    job_id = UUID("3fa85f64-5717-4562-b3fc-2c963f66afa6")
    files = [ResultsFile(job_id, 30, results_format="jsonl+gzip") for _ in range(2)]
    assert files[0].read() == files[1].read()
    assert files[0].etag == files[1].etag
    assert files[0].size == len(files[0].read())
    other = ResultsFile(job_id, 30, results_format="jsonl+gzip", revision=1)
    assert other.read() != files[0].read()


@pytest.mark.parametrize("results_format", ["csv", "json", "jsonl", "json+gzip"])
def test_result_bytes_pads_every_format_exactly(results_format: str) -> None:
    file = ResultsFile(UUID(int=3), 40, 300_000, results_format=results_format)
    data = gzip.decompress(file.read()) if "gzip" in results_format else file.read()
    assert len(data) == 300_000
    records = decode(data, results_format.split("+")[0])
    assert len(records) == 40
    if not results_format.startswith("csv"):
        assert records == list(file.records())


def test_a_large_file_is_sized_and_served_without_holding_it() -> None:
    """Sized into its spool, served from there, then made again once dropped: flat each time."""
    # 1,000 records are 1.5 MB; a making or a read holds about 0.3 MB whatever the size.
    file = ResultsFile(UUID(int=4), 1000, results_format="json")
    tracemalloc.start()
    try:
        size = file.size
        kept_at = file._kept_at
        assert kept_at is not None
        from_disk = sum(len(chunk) for chunk in file.iter_bytes(size // 2))
        SPOOLS.drop(kept_at)  # as the budget would
        made_again = sum(len(chunk) for chunk in file.iter_bytes(size // 2))
        peak = tracemalloc.get_traced_memory()[1]
    finally:
        tracemalloc.stop()
    assert from_disk == made_again == size - size // 2
    assert peak < 1_000_000 < size  # less than the file: it was never held whole


# --- made once, kept on disk within bounds ---------------------------------------


class _CountedRecords(Sequence[dict[str, Any]]):
    """Records that count how often they are gone through (each is a making of the file)."""

    def __init__(self, records: list[dict[str, Any]]) -> None:
        self.records = records
        self.passes = 0

    def __len__(self) -> int:
        return len(self.records)

    def __getitem__(self, index: int) -> dict[str, Any]:  # type: ignore[override]
        return self.records[index]

    def __iter__(self) -> Iterator[dict[str, Any]]:
        self.passes += 1
        return iter(self.records)


@pytest.mark.parametrize("results_format", ["csv", "jsonl+gzip"])
@pytest.mark.parametrize(("file_limit", "passes"), [(64 << 20, 1), (100, 4)])
def test_a_file_is_made_once_unless_it_is_over_the_limit(
    results_format: str, file_limit: int, passes: int, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(SPOOLS, "file_limit", file_limit)
    reference = ResultsFile(UUID(int=5), 40, results_format=results_format)
    records = _CountedRecords(list(reference.records()))
    file = ResultsFile(UUID(int=5), 40, results_format=results_format, companies=records)
    whole, again = file.read(), file.read()
    part = b"".join(file.iter_bytes(100, 900))
    # Sized and read twice, and a range: one making, or one for each.
    assert records.passes == passes
    assert whole == again == reference.read()
    assert part == whole[100:900]
    assert file.size == len(whole)
    assert b"".join(file.iter_bytes(len(whole) - 3, len(whole) + 50)) == whole[-3:]
    assert list(file.iter_bytes(len(whole) + 1)) == []


def _kept(spools: Spools, *pieces: bytes) -> str:
    path = spools.keep(pieces)[1]
    assert path is not None
    return path


def test_the_spools_keep_a_budget_dropping_the_least_recently_read() -> None:
    spools = Spools(budget=30, file_limit=20)
    first, second, third = (_kept(spools, bytes([65 + n]) * 10) for n in range(3))
    assert b"".join(spools.read(first, 0, 10, 4) or []) == b"A" * 10  # first is now the newest
    fourth = _kept(spools, b"D" * 6, b"D" * 4)
    assert spools.read(second, 0, 10, 4) is None
    assert not os.path.exists(second)
    assert b"".join(spools.read(first, 2, 5, 4) or []) == b"AAA"
    over, not_kept = spools.keep([b"E" * 15, b"E" * 15])
    assert (over, not_kept) == (30, None)
    folder = os.path.dirname(first)
    assert sorted(os.listdir(folder)) == sorted(os.path.basename(p) for p in (first, third, fourth))
    for path in (first, third, fourth):
        spools.drop(path)
    assert os.listdir(folder) == []


def test_a_file_dropped_while_it_is_read_is_still_read_whole() -> None:
    spools = Spools()
    path = _kept(spools, b"x" * 100, b"y" * 100)
    reader = spools.read(path, 50, 200, 30)
    assert reader is not None
    first = next(reader)
    spools.drop(path)
    assert not os.path.exists(path)
    assert first + b"".join(reader) == b"x" * 50 + b"y" * 100
    assert spools.read(path, 0, 10, 30) is None


def test_a_making_that_fails_leaves_no_file_and_the_error_stands() -> None:
    spools = Spools()

    def pieces() -> Iterator[bytes]:
        yield b"x" * 1000
        raise RuntimeError("a record that cannot be encoded")

    with pytest.raises(RuntimeError, match="cannot be encoded"):
        spools.keep(pieces())
    kept = _kept(spools, b"y")  # the folder exists now, whichever way it went
    assert os.listdir(os.path.dirname(kept)) == [os.path.basename(kept)]


def test_threads_sizing_one_file_make_and_keep_it_once(monkeypatch: pytest.MonkeyPatch) -> None:
    keep, kept = SPOOLS.keep, []

    def counted(pieces: Any) -> tuple[int, str | None]:
        kept.append(keep(pieces))
        return kept[-1]

    monkeypatch.setattr(SPOOLS, "keep", counted)
    file = ResultsFile(UUID(int=8), 400)
    with ThreadPoolExecutor(4) as pool:
        sizes = set(pool.map(lambda _: file.size, range(8)))
    assert len(kept) == 1
    assert sizes == {kept[0][0]}
    assert b"".join(file.iter_bytes(-5, 10)) == file.read()[:10]  # a start below 0 is 0


class _HeldByThisThread:
    """A lock that fails when taken: `drop` runs in finalizers, maybe while this thread holds it."""

    def __enter__(self) -> None:
        raise AssertionError("drop took the lock: a finalizer run inside keep or read deadlocks")

    def __exit__(self, *exc_info: object) -> None:
        return None


def test_dropping_takes_no_lock_and_the_next_holder_settles_the_budget() -> None:
    spools = Spools(budget=25, file_limit=20)
    first, second = _kept(spools, b"a" * 10), _kept(spools, b"b" * 10)
    lock, spools._lock = spools._lock, _HeldByThisThread()  # type: ignore[assignment]
    spools.drop(first)
    spools._lock = lock
    assert not os.path.exists(first)
    assert spools.read(first, 0, 10, 4) is None
    # The dropped file's 10 bytes are off the budget: a third fits beside the second.
    third = _kept(spools, b"c" * 10)
    assert b"".join(spools.read(second, 0, 10, 4) or []) == b"b" * 10
    assert b"".join(spools.read(third, 0, 10, 4) or []) == b"c" * 10


def test_each_process_removes_its_own_spool_folder_when_it_ends() -> None:
    """A forked child keeps its files in a folder of its own, and removes only that one."""
    script = """
import os, sys
from uuid import UUID
from companyenrich_export.testing import ResultsFile
parent_file = ResultsFile(UUID(int=6), 5)
assert parent_file.size
parent_folder = os.path.dirname(parent_file._kept_at)
child = os.fork()
if child == 0:
    child_file = ResultsFile(UUID(int=7), 5)
    assert child_file.size
    print("child", os.path.dirname(child_file._kept_at), flush=True)
    sys.exit(0)  # runs the finalizers it inherited, parent_file's among them
os.waitpid(child, 0)
idle_child = os.fork()
if idle_child == 0:
    sys.exit(0)  # keeps nothing of its own, and runs the inherited finalizers all the same
os.waitpid(idle_child, 0)
print("parent", parent_folder, os.path.exists(parent_file._kept_at), flush=True)
"""
    done = subprocess.run(  # noqa: S603 - this interpreter, a fixed script
        [sys.executable, "-c", script], capture_output=True, text=True, timeout=60, check=True
    )
    folders = dict(line.split(" ", 1) for line in done.stdout.splitlines())
    child_folder = folders["child"]
    parent_folder, parents_file_kept_after_the_child = folders["parent"].rsplit(" ", 1)
    assert child_folder != parent_folder
    assert parents_file_kept_after_the_child == "True"
    assert not os.path.exists(child_folder)
    assert not os.path.exists(parent_folder)


# --- the records look like the vendor's ------------------------------------------


@pytest.fixture(scope="module")
def companies() -> list[dict[str, Any]]:
    return list(ResultsFile(UUID(int=42), 600, results_format="json").records())


def _values(companies: list[dict[str, Any]], path: str) -> list[Any]:
    values = []
    for company in companies:
        value: Any = company
        for part in path.split("."):
            value = value.get(part) if isinstance(value, dict) else None
        values.append(value)
    return values


def test_every_field_of_the_record_is_there_with_its_kind(
    companies: list[dict[str, Any]],
) -> None:
    kinds = {
        "founded_year": int,
        "page_rank": float,
        "location.city.id": int,
        "location.city.latitude": float,
        "location.city.longitude": float,
        "location.state.id": int,
        "financial.total_funding": int,
    }
    for column in RECORD_COLUMNS:
        present = [value for value in _values(companies, column) if value is not None]
        assert present, f"{column} is never filled"
        if column in kinds:
            assert all(type(value) is kinds[column] for value in present), column
    assert {type(value) for value in _values(companies, "keywords") if value is not None} == {list}


def test_values_come_from_the_vendors_enumerations(companies: list[dict[str, Any]]) -> None:
    assert set(_values(companies, "employees")) <= {*EMPLOYEE_RANGES, None}
    assert set(_values(companies, "revenue")) <= {*REVENUE_RANGES, None}
    assert set(_values(companies, "type")) <= set(COMPANY_TYPES)
    assert {c for company in companies for c in company["categories"]} <= set(CATEGORIES)
    funding = [r for f in _values(companies, "financial.funding") if f for r in f]
    assert funding
    assert {entry["type"] for entry in funding} <= set(FUNDING_ROUNDS)
    assert set(funding[0]) == {"date", "type", "amount", "from", "url"}
    subsidiaries = [s for group in _values(companies, "subsidiaries") if group for s in group]
    assert subsidiaries
    assert set(subsidiaries[0]) == {"name", "domain"}
    # Several size bands, not one.
    assert len(Counter(_values(companies, "employees"))) >= 6


def test_records_have_realistic_nulls_and_gaps(companies: list[dict[str, Any]]) -> None:
    assert any(company["financial"] is None for company in companies)
    assert any(company["socials"] is None for company in companies)
    assert any("seo_description" not in company for company in companies)  # absent, not null
    assert any(company.get("seo_description", "") is None for company in companies)
    assert all(company["id"] and company["name"] and company["domain"] for company in companies)


def test_domains_are_unique_plausible_and_invented(companies: list[dict[str, Any]]) -> None:
    domains = [company["domain"] for company in companies]
    assert len(set(domains)) == len(domains)
    assert all(not domain.endswith((".example", ".test", ".invalid")) for domain in domains)
    assert len({domain.rsplit(".", 1)[1] for domain in domains}) >= 6  # many TLDs
    assert any(not company["name"].isascii() for company in companies)
    websites = [w for w in _values(companies, "website") if w]
    assert all(w.startswith("https://") for w in websites)


@pytest.mark.slow
def test_the_command_line_serves_the_format_asked_for() -> None:
    refused = subprocess.run(
        [sys.executable, "-m", "companyenrich_export.testing", "--results-format", "xlsx"],
        capture_output=True,
        text=True,
        check=False,
    )
    assert refused.returncode == 2
    assert "invalid choice: 'xlsx'" in refused.stderr
    process = subprocess.Popen(
        [
            sys.executable,
            "-m",
            "companyenrich_export.testing",
            "--port",
            "0",
            "--durations",
            "0,0,0",
            "--results-format",
            "json.gz",
        ],
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        assert process.stdout is not None
        url = process.stdout.readline().strip()
        auth = {"Authorization": f"Bearer {API_KEY}"}
        created = httpx.post(
            url + "/companies/search/async",
            json={"count": 3, "search": {"countries": ["DE"]}},
            headers=auth,
            timeout=10,
        ).json()
        job = httpx.get(
            f"{url}/companies/search/async/{created['job_id']}", headers=auth, timeout=10
        )
        results = job.json()["results_url"]
        assert urlsplit(results).path.endswith(".json.gz")
        assert len(json.loads(gzip.decompress(httpx.get(results, timeout=10).content))) == 3
    finally:
        process.terminate()
        process.communicate(timeout=15)
