"""`companyenrich-export jobs`: the account's jobs of every kind (the free `/jobs` list).

Registered by `_cli/_main.py` (one line in its `COMMANDS`); the parser pieces and
`ExitCode` are imported from there when the command is added or run, since
`_cli` imports this module to register it.
"""

from __future__ import annotations

import argparse
import json
from typing import TYPE_CHECKING, TextIO, cast

from companyenrich_export._cli._output import (
    Streams,
    _readable_time,
    print_table,
    terminal_safe,
)
from companyenrich_export._jobs._enrichment_models import AccountJob

if TYPE_CHECKING:
    from companyenrich_export._cli._main import ExitCode, _Parser
    from companyenrich_export._sync._client import CompanyEnrich

__all__ = ["add_jobs"]

# A title is the server's text: cut in the table, whole in --json.
_TITLE_WIDTH = 60


def _job_type(text: str) -> str:
    if not text.strip() or not text.isprintable():
        raise argparse.ArgumentTypeError(f"not a job type: {text!r}")
    return text


def add_jobs(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    from companyenrich_export._cli._main import _job_list_options, _subcommand

    parser = _subcommand(
        commands,
        "jobs",
        summary="list your jobs of every kind (exports, bulk enrichments...), newest first",
        description=(
            "List the account's jobs of every kind, newest first (a free call): their "
            "id, type, status, credits and title. Counts and results links are not in "
            "this list: each kind's own command shows them ('get JOB_ID' for an export). "
            "Only the type bulk_enrichment is documented; --type passes any other value on "
            "as given."
        ),
    )
    parser.add_argument(
        "--type",
        dest="job_type",
        type=_job_type,
        metavar="TYPE",
        help="only jobs of this type (bulk_enrichment, ...)",
    )
    _job_list_options(parser)
    parser.set_defaults(handler=run_jobs)
    return parser


def run_jobs(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    from companyenrich_export._cli._main import ExitCode

    jobs: list[AccountJob] = []
    for job in client.jobs.list(type=args.job_type, status=args.status):
        jobs.append(job)
        if len(jobs) == args.limit:
            break  # pages are fetched lazily: stop asking once there are enough
    if args.json:
        out.data(json.dumps([job.to_dict() for job in jobs], indent=2))
    elif jobs:
        header = ("JOB", "TYPE", "STATUS", "CREDITS", "CREATED", "TITLE")
        rows = [
            (
                str(job.id),
                _one_line(job.type),
                job.status.value,
                "-" if job.credits_charged is None else f"{job.credits_charged:,}",
                _readable_time(job.created_at),
                _title(job.title),
            )
            for job in jobs
        ]
        print_table(header, rows, cast("TextIO", out.stdout), interactive=out.stdout_is_terminal)
    else:
        filters = [f"of type {args.job_type}" if args.job_type else ""]
        filters.append(f"in status {args.status}" if args.status else "")
        out.info(" ".join(["No jobs", *filter(None, filters)]) + ".")
    return ExitCode.OK


def _one_line(text: str) -> str:
    return " ".join(terminal_safe(text).split())


def _title(title: str | None) -> str:
    if not title:
        return "-"
    shown = _one_line(title)
    return shown if len(shown) <= _TITLE_WIDTH else shown[: _TITLE_WIDTH - 3] + "..."
