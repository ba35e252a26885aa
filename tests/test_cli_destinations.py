"""Where a download goes: `resolve_destination`, the file name taken from a results link,
and the writability check that runs before any credit is spent (CLI and `run()` alike)."""

from __future__ import annotations

import os
from pathlib import Path

import httpx
import pytest

from companyenrich_export import CompanyEnrich
from companyenrich_export._results._files import resolve_destination
from companyenrich_export.testing import FakeCompanyEnrich, ManualClock

JOB = "3fa85f64-5717-4562-b3fc-2c963f66afa6"
FALLBACK = f"{JOB}.csv"


def resolve(dest: str | Path, url: str = "https://s.example/results.csv?sig=1") -> Path:
    return resolve_destination(dest, results_url=url, fallback=FALLBACK)


def test_a_file_path_is_used_as_it_is(tmp_path: Path) -> None:
    assert resolve(tmp_path / "mine.csv") == tmp_path / "mine.csv"
    assert list(tmp_path.iterdir()) == []  # the writability probe left nothing


@pytest.mark.parametrize("spelling", ["existing", "existing/"])
def test_a_folder_gets_the_links_file_name(tmp_path: Path, spelling: str) -> None:
    (tmp_path / "existing").mkdir()
    assert resolve(f"{tmp_path}/{spelling}") == tmp_path / "existing" / "results.csv"


def test_a_trailing_slash_means_a_folder_that_must_exist(tmp_path: Path) -> None:
    (tmp_path / "a-file").write_text("keep")
    with pytest.raises(ValueError, match=r"The folder .*/nope/ does not exist; create it first"):
        resolve(f"{tmp_path}/nope/")
    with pytest.raises(ValueError, match=r"The folder .*/a-file/ is not a folder"):
        resolve(f"{tmp_path}/a-file/")
    with pytest.raises(ValueError, match=r"The folder for .*/nope/x.csv does not exist"):
        resolve(f"{tmp_path}/nope/x.csv")
    assert sorted(path.name for path in tmp_path.iterdir()) == ["a-file"]


@pytest.mark.parametrize(
    ("url", "name"),
    [
        ("https://s.example/r/report.csv?X-Sig=1", "report.csv"),
        ("https://s.example/r/we%20ird%1b%5B31m.csv", "we ird[31m.csv"),  # ESC removed
        ("https://s.example/r/a%5Cb%0Ac.csv", "abc.csv"),  # backslash and newline removed
        ("https://s.example/r/%E2%80%AEvsc.exe", "vsc.exe"),  # a bidi override removed
        ("https://s.example/r/a%2F..%2F..%2Fetc%2Fpasswd", "passwd"),  # no way out of the folder
        ("https://s.example/", FALLBACK),
        ("https://s.example/..", FALLBACK),
        ("https://s.example/a/%2E%2E", FALLBACK),
        ("https://s.example/.bashrc", FALLBACK),  # would be hidden
        ("https://s.example/%1b%07", FALLBACK),  # nothing left
    ],
)
def test_the_links_file_name_is_sanitised(tmp_path: Path, url: str, name: str) -> None:
    assert resolve(tmp_path, url) == tmp_path / name


def test_a_long_name_is_cut_keeping_its_extension(tmp_path: Path) -> None:
    url = "https://s.example/" + "é" * 300 + ".csv.gz"
    name = resolve(tmp_path, url).name
    assert name.endswith("é.csv.gz")
    # The longest temporary file beside it (a kept partial file's state) still fits NAME_MAX.
    assert len(f".{name}.{JOB}.part.json.tmp".encode()) <= 255


def test_an_unrelated_file_is_never_replaced(tmp_path: Path) -> None:
    (tmp_path / "results.json.gz").write_text("another job's results")
    (tmp_path / f"{JOB}.csv").write_text("this job's earlier download")

    unrelated = resolve(tmp_path, "https://s.example/results.json.gz")
    own = resolve(tmp_path, f"https://s.example/{JOB}.csv")

    assert unrelated == tmp_path / f"{JOB}.json.gz"  # the job id, the link's extension
    assert own == tmp_path / f"{JOB}.csv"  # this job's file: replacing it is a re-download


def test_an_unwritable_destination_is_refused_naming_it(tmp_path: Path) -> None:
    with pytest.raises(OSError, match=r"/proc/out\.csv") as raised:
        resolve("/proc/out.csv")
    assert raised.value.filename == "/proc/out.csv"
    # 220 bytes is a valid name, but its temporary files beside it would not be.
    with pytest.raises(OSError, match="too long") as too_long:
        resolve(tmp_path / ("x" * 220))
    assert too_long.value.filename == str(tmp_path / ("x" * 220))
    assert resolve(tmp_path / ("x" * 199)).name == "x" * 199
    assert list(tmp_path.iterdir()) == []


@pytest.mark.skipif(os.geteuid() == 0, reason="root ignores permission bits (hence /proc above)")
def test_a_read_only_folder_is_refused(tmp_path: Path) -> None:
    locked = tmp_path / "locked"
    locked.mkdir()
    locked.chmod(0o500)
    try:
        with pytest.raises(PermissionError, match=r"locked/out\.csv"):
            resolve(locked / "out.csv")
    finally:
        locked.chmod(0o700)


def test_run_checks_writability_before_spending_credits() -> None:
    clock = ManualClock()
    fake = FakeCompanyEnrich(api_key="run-key-1234", clock=clock)
    with (
        httpx.Client(transport=fake.transport()) as http,
        CompanyEnrich(api_key="run-key-1234", http_client=http, clock=clock) as client,
    ):
        with pytest.raises(OSError, match=r"/proc/companies\.csv"):
            client.exports.run(count=5, search={"countries": ["DE"]}, dest="/proc/companies.csv")
        with pytest.raises(ValueError, match="does not exist"):
            client.exports.run(count=5, search={"countries": ["DE"]}, dest="/no/such/folder/")
    assert fake.request_log == []
    assert fake.jobs == {}
