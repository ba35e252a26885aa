"""The fake CompanyEnrich server in a process of its own, for the benchmarks.

    python -m benchmarks._server

Prints one JSON line, `{"base_url": ..., "api_key": ...}`, then serves over
real HTTP on 127.0.0.1 until its stdin is closed (so it cannot outlive the
benchmark that started it). A client measured in another process then pays
nothing for the server: no shared GIL, no shared heap.

On top of the fake's API it answers one private route, `POST /_bench/jobs`,
which adds jobs with the given durations and result sizes *now* and returns
their ids and the instant each one finishes on the machine's monotonic
clock (`time.monotonic()` is CLOCK_MONOTONIC on Linux: the same in every
process), so a client can measure detection lag against the truth.
"""

from __future__ import annotations

import json
import sys
from collections.abc import Iterable, Mapping
from typing import Any

from companyenrich_export.testing import FakeCompanyEnrich, FakeResponse, serve

API_KEY = "bench-key"
JOBS_ROUTE = "/_bench/jobs"


class BenchFake(FakeCompanyEnrich):
    """The fake, plus `POST /_bench/jobs` to add timed jobs from another process."""

    def handle(
        self,
        method: str,
        path: str,
        *,
        query: str = "",
        headers: Mapping[str, str] | Iterable[tuple[str, str]] = (),
        body: bytes = b"",
    ) -> FakeResponse:
        if path == JOBS_ROUTE and method.upper() == "POST":
            return self._add_jobs(json.loads(body))
        return super().handle(method, path, query=query, headers=headers, body=body)

    def _add_jobs(self, spec: dict[str, Any]) -> FakeResponse:
        added: list[dict[str, Any]] = []
        for job in spec["jobs"]:
            durations = (
                float(job.get("pending_for", 0.0)),
                float(job.get("processing_for", 0.0)),
                float(job.get("completing_for", 0.0)),
            )
            job_id = self.add_job(
                requested_count=int(job.get("requested_count", 100)),
                total_matching=int(job.get("total_matching", 2345)),
                pending_for=durations[0],
                processing_for=durations[1],
                completing_for=durations[2],
                rows=job.get("rows"),
                result_bytes=job.get("result_bytes"),
            )
            created = self.jobs[job_id].created_monotonic
            added.append({"job_id": str(job_id), "done_at": created + sum(durations)})
        payload = json.dumps({"jobs": added}).encode()
        return FakeResponse(
            status=200,
            headers=[("content-type", "application/json"), ("content-length", str(len(payload)))],
            body=payload,
        )


def main() -> int:
    fake = BenchFake(API_KEY)
    with serve(fake, host="127.0.0.1", port=0) as url:
        print(json.dumps({"base_url": url, "api_key": API_KEY}), flush=True)
        # Serve until the parent closes our stdin (or dies).
        sys.stdin.read()
    return 0


if __name__ == "__main__":
    sys.exit(main())
