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

from ._fake import RESULTS_FORMATS, FakeCompanyEnrich
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
    args = parser.parse_args(argv)
    if importlib.util.find_spec("uvicorn") is None:
        print(
            "error: serving the fake over HTTP needs uvicorn: "
            "pip install 'companyenrich-export[server]'",
            file=sys.stderr,
        )
        return EXIT_NO_SERVER_EXTRA

    fake = FakeCompanyEnrich(
        args.api_key,
        default_durations=args.durations,
        url_ttl=args.url_ttl,
        results_format=args.results_format,
    )
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
