"""`companyenrich-export check`: the contract check, its report and its exit code.

The report is the command's data (stdout): text, or JSON with `--json`;
`--junit-xml PATH` also writes it for a CI system. One line on stderr says
the outcome when it is not "no drift". Exit codes (the CLI's table):
0 no drift, 6 breaking drift, 7 additive drift only, 3 cannot check.
"""

from __future__ import annotations

import argparse
import os

from companyenrich_export._cli._output import Streams, terminal_safe
from companyenrich_export._jobs._models import coerce_job_id
from companyenrich_export._sync._client import CompanyEnrich

__all__ = ["JOB_ID_ENV", "add_check_options", "run_check_command"]

JOB_ID_ENV = "COMPANYENRICH_EXPORT_JOB_ID"

CHECK_SUMMARY = "check that the API still answers as the contract says (free, read-only)"
CHECK_DESCRIPTION = (
    "Contract check for CI: a few free, read-only calls (authentication first, then "
    "the job list, a listed or named job, an unknown id, the error bodies), every "
    "answer validated against the spec inside this package. Reports each drift per "
    "operation and field, breaking (a required field gone, a type, enum or status "
    "changed) or additive (a new field or header). Exit 0: no drift, 6: breaking "
    "drift, 7: additive drift only, 3: cannot check (key refused, no connection, "
    "rate limit, server error). Needs the [check] extra (jsonschema)."
)


def _job_id(text: str) -> str:
    try:
        return str(coerce_job_id(text))
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a job id: {text!r} (expected a UUID)") from None


def add_check_options(parser: argparse.ArgumentParser) -> None:
    parser.add_argument(
        "--job-id",
        type=_job_id,
        metavar="JOB_ID",
        # argparse passes a text default through `type`: a bad value is a usage error too.
        default=os.environ.get(JOB_ID_ENV) or None,
        help=f"a job of yours to fetch (default: ${JOB_ID_ENV}, else the newest listed one)",
    )
    parser.add_argument(
        "--junit-xml",
        metavar="PATH",
        help="also write the report as JUnit XML to PATH (for CI test pages)",
    )
    parser.add_argument(
        "--ignore-header",
        action="append",
        default=[],
        metavar="NAME",
        help="a response header your proxy or CDN adds: not reported as new (repeatable)",
    )


def run_check_command(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> int:
    try:
        import jsonschema  # noqa: F401  (the extra's only import: say so before any request)
    except ImportError:
        raise ValueError(
            "the check needs jsonschema: pip install 'companyenrich-export[check]'"
        ) from None
    from companyenrich_export.contract import render_json, render_text, run_check, write_junit_xml

    report = run_check(client, job_id=args.job_id, ignore_headers=args.ignore_header)
    if args.json:
        out.data(render_json(report))
    elif report.outcome != "cannot-check":
        # A check that could not run has nothing to show but its one line below.
        out.data("\n".join(terminal_safe(line) for line in render_text(report).splitlines()))
    if args.junit_xml:
        # After the report: a file that cannot be written (exit 1) still leaves it on stdout.
        write_junit_xml(report, args.junit_xml)
    if report.outcome == "cannot-check":
        out.error(report.error or "cannot check")
    elif report.outcome == "breaking":
        out.error(
            f"breaking drift: {len(report.breaking)} change(s) break the contract "
            f"({len(report.additive)} additive)"
        )
    elif report.outcome == "additive":
        out.warn(f"additive drift only: {len(report.additive)} new field(s) or header(s)")
    return report.exit_code
