"""Memory stays flat whatever the server sends: a 200 MB error body, a 1 GiB gzip bomb.

Each case runs the client in a fresh interpreter (`_memory_probe.py`), which
measures its own peak growth (tracemalloc and VmHWM) and caps its address
space and file sizes, so a client that buffers or inflates fails fast
rather than eating the machine. The hostile server runs here, on loopback,
streaming the 200 MB from one 64 KiB chunk.
"""

from __future__ import annotations

import json
import os
import subprocess
import sys
from pathlib import Path
from typing import Any

import pytest

from _hostile import (
    JOB_PATH,
    Connection,
    RawRequest,
    by_path,
    gzip_bomb,
    head,
    job_body,
    json_reply,
    reply,
)

pytestmark = pytest.mark.slow

PROBE = Path(__file__).with_name("_memory_probe.py")
WARM_UP_JOB_ID = "11111111-2222-4333-8444-555555555555"
BOMB_JOB_ID = "99999999-8888-4777-8666-555555555555"
BOMBED_ERROR_JOB_ID = "99999999-8888-4777-8666-444444444444"
MEMORY_GROWTH_LIMIT = 32 * 1024 * 1024
HUGE_BODY = 200 * 1024 * 1024
BOMB_INFLATED_MIB = 1024
PROBE_DEADLINE = 120
# A message shows the status, a title and a clipped detail: a few hundred characters.
MESSAGE_LIMIT = 1000


@pytest.fixture(scope="module")
def bomb() -> bytes:
    return gzip_bomb(BOMB_INFLATED_MIB)


def _huge_error(request: RawRequest, connection: Connection) -> None:
    prefix = b'{"title": "Internal Server Error", "detail": "'
    connection.send(
        head(500, [("Content-Type", "application/problem+json")], length=HUGE_BODY) + prefix
    )
    connection.stream(b"x" * 65536, HUGE_BODY - len(prefix))


def _script(bomb: bytes) -> Any:
    warm_up = json_reply(200, job_body(job_id=WARM_UP_JOB_ID))

    def serve_bomb(request: RawRequest, connection: Connection) -> None:
        content_type = "text/csv" if request.path.startswith("/storage/") else "application/json"
        status = 500 if BOMBED_ERROR_JOB_ID in request.path else 200
        connection.send(
            reply(status, bomb, [("Content-Type", content_type), ("Content-Encoding", "gzip")])
        )

    return by_path(
        {
            f"/companies/search/async/{WARM_UP_JOB_ID}": lambda r, c: c.send(warm_up),
            JOB_PATH: _huge_error,
            "/storage/error.csv": _huge_error,
            "/storage/bomb.csv.gz": serve_bomb,
            f"/companies/search/async/{BOMB_JOB_ID}": serve_bomb,
            f"/companies/search/async/{BOMBED_ERROR_JOB_ID}": serve_bomb,
        }
    )


def _probe_env() -> dict[str, str]:
    env = {name: value for name, value in os.environ.items() if not name.startswith("COMPANY")}
    # Without this, glibc reserves 64 MiB of address space per thread for its arenas,
    # which the probe's address-space cap would count.
    env["MALLOC_ARENA_MAX"] = "2"
    return env


def _probe(scenario: str, flavour: str, base_url: str, dest: Path) -> dict[str, Any]:
    result = subprocess.run(  # noqa: S603 - this interpreter running our own probe
        [sys.executable, str(PROBE), scenario, flavour, base_url, str(dest)],
        capture_output=True,
        text=True,
        timeout=PROBE_DEADLINE,
        check=False,
        env=_probe_env(),
    )
    assert result.returncode == 0, result.stderr[-3000:]
    report: dict[str, Any] = json.loads(result.stdout.splitlines()[-1])
    return report


def _assert_flat(report: dict[str, Any]) -> None:
    assert report["traced_peak_growth"] < MEMORY_GROWTH_LIMIT, report
    assert report["rss_peak_growth"] < MEMORY_GROWTH_LIMIT, report


@pytest.mark.parametrize("scenario", ["api-error-body", "/storage/error.csv"])
def test_a_200_mb_error_body_keeps_memory_flat_over_every_retry(
    hostile, flavour: str, bomb: bytes, tmp_path: Path, scenario: str
) -> None:
    server = hostile(_script(bomb))

    report = _probe(scenario, flavour, server.url, tmp_path / "out.csv")

    assert report["error"] == "InternalServerError", report
    assert report["message"].startswith("500 Internal Server Error"), report["message"][:300]
    assert len(report["message"]) < MESSAGE_LIMIT
    _assert_flat(report)
    # Retried like any 5xx (max_retries=2): the cap holds on every attempt.
    path = JOB_PATH if scenario == "api-error-body" else scenario
    assert sum(request.path == path for request in server.requests) == 3
    assert list(tmp_path.iterdir()) == []


def test_a_gzip_bomb_is_saved_as_served_with_flat_memory_and_honest_progress(
    hostile, flavour: str, bomb: bytes, tmp_path: Path
) -> None:
    server = hostile(_script(bomb))
    dest = tmp_path / "out.csv.gz"

    report = _probe("/storage/bomb.csv.gz", flavour, server.url, dest)

    assert report["error"] is None, report
    _assert_flat(report)
    # The file is the bytes on the wire: its size is the Content-Length.
    assert report["file_size"] == len(bomb)
    assert dest.read_bytes() == bomb
    assert report["last"] == [len(bomb), len(bomb)]
    assert report["beyond_total"] == 0
    assert [path.name for path in tmp_path.iterdir()] == ["out.csv.gz"]


def test_a_gzip_bomb_under_a_plain_name_is_refused_with_flat_memory_and_nothing_left(
    hostile, flavour: str, bomb: bytes, tmp_path: Path
) -> None:
    # Saved as `out.csv`, a gzip body is inflated (see _inflate): at most 50 times its
    # compressed size, here ~50 MB of the 1 GiB, below the probe's 64 MiB file limit.
    server = hostile(_script(bomb))

    report = _probe("/storage/bomb.csv.gz", flavour, server.url, tmp_path / "out.csv")

    assert report["error"] == "MalformedResultsError", report
    assert report["message"].startswith("Malformed gzip results file: it inflates to more than")
    _assert_flat(report)
    assert list(tmp_path.iterdir()) == []


@pytest.mark.parametrize(
    ("scenario", "expected"),
    [("api-gzip-bomb", "ResponseValidationError"), ("api-gzip-bomb-error", "InternalServerError")],
)
def test_a_gzip_bomb_as_an_api_answer_is_a_typed_error_with_flat_memory(
    hostile, flavour: str, bomb: bytes, tmp_path: Path, scenario: str, expected: str
) -> None:
    # A status body is a few hundred bytes: inflating a gigabyte to read it is no answer.
    # (httpx inflates each network read whole: 64 KiB of this bomb is 64 MiB at once.)
    server = hostile(_script(bomb))

    report = _probe(scenario, flavour, server.url, tmp_path / "unused")

    assert report["error"] == expected, report
    assert len(report["message"]) < MESSAGE_LIMIT
    _assert_flat(report)
