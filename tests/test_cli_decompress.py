"""The CLI saves a gzip-served results file as the file its name says (and --keep-compressed)."""

from __future__ import annotations

import gzip
from collections.abc import Iterator
from pathlib import Path

import pytest
from _cli_helpers import Served, run_cli, run_main, served_fake

pytestmark = pytest.mark.slow


@pytest.fixture(scope="module")
def served() -> Iterator[Served]:
    with served_fake() as each:
        yield each


def talk(stderr: str) -> list[str]:
    return [line for line in stderr.splitlines() if not line.startswith("[")]


def wire(served: Served, job_id: str) -> bytes:
    """The bytes the fake's storage sends (httpx.get would inflate them)."""
    return served.fake.results_file(job_id).read()


def _gzip_job(served: Served) -> str:
    return str(
        served.fake.add_job(
            pending_for=0, processing_for=0, completing_for=0, rows=50,
            results_format="csv+gzip",
        )
    )  # fmt: skip


def test_a_gzip_encoded_file_saved_as_csv_is_csv(served: Served, tmp_path: Path) -> None:
    job_id = _gzip_job(served)
    dest = tmp_path / "companies.csv"

    result = run_cli(served, "download", job_id, str(dest))

    assert result.returncode == 0, result.stderr
    served_bytes = wire(served, job_id)
    assert served_bytes[:2] == b"\x1f\x8b"  # served compressed
    assert dest.read_bytes() == gzip.decompress(served_bytes)
    assert dest.read_bytes().startswith(b"id,name,domain,")
    assert talk(result.stderr)[-1].startswith(f"Saved {dest} (")
    assert [path.name for path in tmp_path.iterdir()] == ["companies.csv"]


def test_keep_compressed_saves_the_bytes_as_served_under_a_gz_name(
    served: Served, tmp_path: Path
) -> None:
    job_id = _gzip_job(served)
    dest = tmp_path / "companies.csv"

    result = run_main(served, "download", job_id, str(dest), "--keep-compressed")

    assert result.returncode == 0, result.stderr
    saved = tmp_path / "companies.csv.gz"
    assert saved.read_bytes() == wire(served, job_id)
    assert talk(result.stderr)[-1].startswith(f"Saved {saved} (")
    assert [path.name for path in tmp_path.iterdir()] == ["companies.csv.gz"]


def test_the_two_flags_exclude_each_other(served: Served, tmp_path: Path) -> None:
    result = run_main(
        served, "download", _gzip_job(served), str(tmp_path / "x.csv"),
        "--keep-compressed", "--decompress",
    )  # fmt: skip
    assert result.returncode == 2
    assert "not allowed with argument" in result.stderr
    assert list(tmp_path.iterdir()) == []
