"""Serve a fake CompanyEnrich export API until interrupted.

    python -m companyenrich_export.testing --port 0 --api-key KEY

The first line on stdout is the API base URL; everything else goes to stderr.
Exit codes: 0 after Ctrl-C or SIGTERM, 2 for bad arguments, 69 (EX_UNAVAILABLE)
when uvicorn, which the `[server]` extra brings, is not installed.
"""

from __future__ import annotations

import argparse
import contextlib
import importlib.util
import os
import signal
import sys
import threading
from collections.abc import Sequence

import attrs

from ._drift import DRIFT_KINDS
from ._fake import RESULTS_FORMATS, FakeCompanyEnrich
from ._ratelimit import RateLimit
from ._serve import serve

# sysexits.h's EX_UNAVAILABLE: what the command needs is not there.
EXIT_NO_SERVER_EXTRA = 69


def _durations(text: str) -> tuple[float, float, float]:
    parts = [float(part) for part in text.split(",")]
    if len(parts) != 3 or any(part < 0 for part in parts):
        raise argparse.ArgumentTypeError(
            "expected PENDING,PROCESSING,COMPLETING seconds, e.g. 1,3,1"
        )
    return parts[0], parts[1], parts[2]


def _rate_limit(text: str) -> RateLimit:
    try:
        return RateLimit.parse(text)
    except ValueError as exc:
        raise argparse.ArgumentTypeError(str(exc)) from None


def main(argv: Sequence[str] | None = None) -> int:
    parser = argparse.ArgumentParser(
        prog="python -m companyenrich_export.testing",
        description="Serve a fake CompanyEnrich export API on loopback.",
        epilog="exit codes: 0 stopped (Ctrl-C, SIGTERM); 2 bad arguments; "
        f"{EXIT_NO_SERVER_EXTRA} uvicorn missing (install the [server] extra)",
    )
    parser.add_argument("--host", default="127.0.0.1", help="address to listen on")
    parser.add_argument("--port", type=int, default=0, help="port; 0 picks a free one")
    parser.add_argument(
        "--api-key",
        default=os.environ.get("COMPANYENRICH_FAKE_API_KEY", "test-key"),
        help="the key clients must send (default: $COMPANYENRICH_FAKE_API_KEY or test-key)",
    )
    parser.add_argument(
        "--durations",
        type=_durations,
        default=(1.0, 3.0, 1.0),
        help="seconds a new job spends pending, processing, completing (default 1,3,1)",
    )
    parser.add_argument(
        "--url-ttl", type=float, default=600.0, help="seconds a results URL stays valid"
    )
    parser.add_argument(
        "--results-format",
        choices=RESULTS_FORMATS,
        default="csv",
        help="how results files are served (default csv)",
    )
    parser.add_argument(
        "--rate-limit",
        type=_rate_limit,
        default=None,
        help="requests per key, e.g. 500/min (the vendor's), 10/s; default: no limit",
    )
    parser.add_argument(
        "--no-retry-after",
        action="store_true",
        help="answer 429s without Retry-After (the vendor's behaviour is unknown)",
    )
    parser.add_argument(
        "--drift",
        action="append",
        choices=DRIFT_KINDS,
        default=[],
        help="answer as if the vendor's API had drifted this way (repeatable; "
        "see companyenrich_export.testing._drift)",
    )
    parser.add_argument(
        "--jobs",
        type=int,
        default=0,
        metavar="N",
        help="start with N completed jobs for the key, so list and get have jobs to show",
    )
    args = parser.parse_args(argv)
    if importlib.util.find_spec("uvicorn") is None:
        print(
            "error: serving the fake over HTTP needs uvicorn: "
            "pip install 'companyenrich-export[server]'",
            file=sys.stderr,
        )
        return EXIT_NO_SERVER_EXTRA
    if args.rate_limit is not None and args.no_retry_after:
        args.rate_limit = attrs.evolve(args.rate_limit, retry_after=False)

    fake = FakeCompanyEnrich(
        args.api_key,
        default_durations=args.durations,
        url_ttl=args.url_ttl,
        results_format=args.results_format,
        rate_limit=args.rate_limit,
    )
    fake.drift = args.drift
    for _ in range(max(args.jobs, 0)):
        fake.complete_now(fake.add_job())
    stop = threading.Event()
    signal.signal(signal.SIGTERM, lambda *_: stop.set())
    with serve(fake, host=args.host, port=args.port) as url:
        print(url, flush=True)
        print(
            f"Fake CompanyEnrich API at {url}, results from {fake.storage_base_url}. "
            "Ctrl-C to stop.",
            file=sys.stderr,
            flush=True,
        )
        with contextlib.suppress(KeyboardInterrupt):
            stop.wait()
    return 0


if __name__ == "__main__":
    sys.exit(main())
