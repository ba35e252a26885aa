"""`python -m companyenrich_export.demo` (`make demo`): the main job, end to end.

Without COMPANYENRICH_API_KEY it starts the fake CompanyEnrich server on
127.0.0.1 (a free port, real HTTP) and runs the `companyenrich-export` CLI's
own code path against it: first `create --dry-run`, which shows what the
export would match and cost (free calls, nothing created), then
`create --max-credits ... --download`, which creates an export
through the API's create endpoint, follows it with a progress bar and
streams the results to disk. Only `--base-url` differs from a real run. The
server is stopped however the run ends. As in any run of the CLI, its
progress and messages go to stderr; the demo's own narration and summary
go to stdout.

It then enriches a short list of domains (`enrich FILE --download`, a bulk
enrichment job: duplicates, a pasted URL and a domain the fake fails
included) and shows the company records it got back.

With a key it stays on the real API's free, read-only calls (no export or
enrichment is created, no credit spent): it lists your recent jobs, prices
the domain list with `enrich --dry-run` (which sends nothing) and, when
COMPANYENRICH_EXPORT_JOB_ID names one of them, downloads its results.
"""

from __future__ import annotations

import argparse
import os
import sys
import tempfile
from collections.abc import Sequence
from pathlib import Path
from uuid import UUID

from companyenrich_export._cli import _main as _cli
from companyenrich_export._cli._output import human_size
from companyenrich_export._core._requests import API_KEY_ENV

__all__ = ["DEMO_API_KEY", "main"]

# A key for the fake only: it proves the CLI sends a key, and means nothing elsewhere.
DEMO_API_KEY = "demo-key-for-the-fake-server"
DEFAULT_OUTPUT_DIR = Path("demo-output")
JOB_ID_ENV = "COMPANYENRICH_EXPORT_JOB_ID"

# Long enough to watch the bar move through each status (a poll every 0.5 s),
# short enough for a demo: pending, processing, completing, in seconds.
_DURATIONS = (0.5, 3.0, 0.5)
# Five domains: their progress shows in a few polls.
_ENRICH_DURATIONS = (0.5, 1.5, 0.5)
_REQUESTED = 2_500
_MATCHING = 48_213
_SEARCH = '{"countries": ["DE"], "semanticQuery": "B2B SaaS for logistics"}'
# The fake account's balance, so that the estimate has something to be covered by.
_DEMO_CREDITS = 10_000
# The CLI's whole wait must fit well inside a minute.
_WAIT_DEADLINE_SECONDS = 45.0
# As pasted from a CRM: a URL, a duplicate in capitals, and one the fake fails (.test).
_DOMAINS = (
    "stripe.com",
    "https://www.github.com/about",
    "openai.com",
    "STRIPE.COM",
    "example.test",
    "python.org",
)


def _summary(job_id: UUID, path: Path, base_url: str) -> str:
    from companyenrich_export._results._rows import read_rows
    from companyenrich_export._results._table import format_table

    size = path.stat().st_size
    # Records read back as the library reads them (a line count would miscount
    # a record with a line break in it).
    records = sum(1 for _ in read_rows(path))
    rows = [
        ("job", str(job_id)),
        ("rows", f"{records:,} companies, read back with read_rows()"),
        ("size", f"{human_size(size)} ({size:,} bytes)"),
        ("file", str(path.resolve())),
        ("server", f"fake CompanyEnrich at {base_url} (now stopped)"),
    ]
    lines = ["", "Demo finished:", *(f"  {label:<7} {value}" for label, value in rows)]
    first = format_table(read_rows(path), limit=5)
    return "\n".join([*lines, "", "The first companies in the file:", first])


def _enrichment_summary(path: Path) -> str:
    from companyenrich_export._results._rows import read_rows
    from companyenrich_export._results._table import format_table

    records = sum(1 for _ in read_rows(path))
    return "\n".join(
        [
            "",
            f"Bulk enrichment: {len(_DOMAINS)} domains given, {records} companies in {path}:",
            format_table(read_rows(path), limit=10),
        ]
    )


def _domains_file(output_dir: Path) -> Path:
    path = output_dir / "domains.txt"
    path.write_text("\n".join(_DOMAINS) + "\n", encoding="utf-8")
    return path


def _parse(argv: Sequence[str] | None) -> argparse.Namespace:
    parser = argparse.ArgumentParser(
        prog="python -m companyenrich_export.demo",
        description="Run the export CLI end to end: on the built-in fake server, or "
        f"read-only on the real API when {API_KEY_ENV} is set.",
    )
    parser.add_argument(
        "--output-dir",
        type=Path,
        default=DEFAULT_OUTPUT_DIR,
        metavar="DIR",
        help=f"folder for the downloaded file, created if needed (default: ./{DEFAULT_OUTPUT_DIR})",
    )
    return parser.parse_args(argv)


def _echo(arguments: list[str]) -> None:
    # The key goes in the argument list, as a user could type it; it is left
    # out of the echoed command, as a user should keep it.
    shown = " ".join(f"'{arg}'" if " " in arg or "{" in arg else arg for arg in arguments)
    print(f"\n$ companyenrich-export {shown}\n", flush=True)


def run_on_fake(output_dir: Path) -> int:
    # Imported here: the fake (and uvicorn) are needed only when the demo really runs.
    from .testing import FakeCompanyEnrich, serve

    output_dir.mkdir(parents=True, exist_ok=True)
    fake = FakeCompanyEnrich(
        api_key=DEMO_API_KEY,
        default_durations=_DURATIONS,
        default_total_matching=_MATCHING,
        credits=_DEMO_CREDITS,
    )
    with serve(fake) as base_url:
        print(f"Started a fake CompanyEnrich server at {base_url} (nothing leaves this machine).")
        # The price before paying: the same export, estimated with free calls only.
        estimate = ["create", "--count", str(_REQUESTED), "--search", _SEARCH, "--dry-run"]
        _echo([*estimate, "--base-url", base_url])
        code = _cli.main([*estimate, "--base-url", base_url, "--api-key", DEMO_API_KEY])
        if code != _cli.ExitCode.OK:
            print(f"\nThe demo failed: the dry run exited with {code}.", file=sys.stderr)
            return code
        arguments = [
            "create",
            "--count",
            str(_REQUESTED),
            "--search",
            _SEARCH,
            # Refused, with nothing created, if it would cost more than estimated.
            "--max-credits",
            str(_REQUESTED),
            # A folder (the trailing slash says so): the file is named after the
            # job, so no run overwrites another.
            "--download",
            f"{output_dir}/",
            "--poll-interval",
            "0.5",
            "--wait-timeout",
            f"{_WAIT_DEADLINE_SECONDS:g}",
            "--base-url",
            base_url,
        ]
        _echo(arguments)
        code = _cli.main([*arguments, "--api-key", DEMO_API_KEY])
        created = list(fake.jobs)
        enriched = output_dir / "enriched.csv"
        enrich_code = int(_cli.ExitCode.OK)
        if code == _cli.ExitCode.OK:
            fake.default_durations = _ENRICH_DURATIONS
            arguments = [
                "enrich",
                str(_domains_file(output_dir)),
                "--download",
                str(enriched),
                "--poll-interval",
                "0.5",
                "--wait-timeout",
                f"{_WAIT_DEADLINE_SECONDS:g}",
                "--base-url",
                base_url,
            ]
            _echo(arguments)
            enrich_code = _cli.main([*arguments, "--api-key", DEMO_API_KEY])
    if code != _cli.ExitCode.OK:
        print(f"\nThe demo failed: the CLI exited with {code}.", file=sys.stderr)
        return code
    job_id = created[-1]
    print(_summary(job_id, output_dir / f"{job_id}.csv", base_url))
    if enrich_code != _cli.ExitCode.OK:
        print(f"\nThe enrichment failed: the CLI exited with {enrich_code}.", file=sys.stderr)
        return enrich_code
    print(_enrichment_summary(enriched))
    return 0


def run_on_real_api(output_dir: Path) -> int:
    print(
        f"{API_KEY_ENV} is set: showing your account with free, read-only calls "
        "(no export is created, no enrichment either, no credit spent).\n"
        f"Unset it to run the demo on the built-in fake server instead."
    )
    # Free: the balance and the account's export limit.
    _echo(["account"])
    code = _cli.main(["account"])
    if code != _cli.ExitCode.OK:
        return code
    arguments = ["list", "--limit", "5"]
    _echo(arguments)
    code = _cli.main(arguments)
    if code == _cli.ExitCode.OK:
        # --dry-run sends nothing: it counts the domains and the most they could cost.
        with tempfile.TemporaryDirectory(prefix="companyenrich-demo-") as scratch:
            arguments = ["enrich", str(_domains_file(Path(scratch))), "--dry-run"]
            _echo(arguments)
            code = _cli.main(arguments)
    job_id = os.environ.get(JOB_ID_ENV)
    if code != _cli.ExitCode.OK or not job_id:
        if code == _cli.ExitCode.OK:
            print(f"\nSet {JOB_ID_ENV} to one of these jobs to download its results too.")
        return code
    output_dir.mkdir(parents=True, exist_ok=True)
    arguments = ["download", job_id, str(output_dir)]
    _echo(arguments)
    return _cli.main(arguments)


def main(argv: Sequence[str] | None = None) -> int:
    args = _parse(argv)
    try:
        if os.environ.get(API_KEY_ENV):
            return run_on_real_api(args.output_dir)
        return run_on_fake(args.output_dir)
    except KeyboardInterrupt:
        # serve() has already stopped the server on the way out.
        print("\ninterrupted", file=sys.stderr)
        return int(_cli.ExitCode.INTERRUPTED)


if __name__ == "__main__":
    sys.exit(main())
