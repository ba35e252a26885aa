"""`companyenrich-export enrich FILE|-`: bulk enrichment of a list of domains.

Registered by `_cli/_main.py` (one line in its `COMMANDS`). Waiting, progress,
downloading and exit codes are the export commands' own (`_cli._follow`,
`_cli._download`, `describe_error`), given `client.enrichments`; the parser
pieces are imported from `_cli` when the command is added or run, since
`_cli` imports this module to register it.

Input is one domain a line (blank lines and lines starting with `#`
skipped), or with `--column NAME` a CSV file's column. The domains are
normalised, de-duplicated and checked before anything is sent (see
`_domains`); a bad one exits 2 naming the first offenders.
"""

from __future__ import annotations

import argparse
import csv
import io
import json
import sys
from typing import TYPE_CHECKING

from companyenrich_export._cli._compression import add_compression_options
from companyenrich_export._cli._output import Streams, human_size
from companyenrich_export._jobs._domains import MAX_BULK_DOMAINS, normalise_domains, split_domains

if TYPE_CHECKING:
    from companyenrich_export._cli._main import ExitCode, _Parser
    from companyenrich_export._jobs._enrichment_models import CreatedEnrichmentJob
    from companyenrich_export._sync._client import CompanyEnrich

__all__ = ["add_enrich", "read_domains"]

# A domain list is text a person or a CRM export wrote: far below this.
_MAX_INPUT_BYTES = 64 * 1024 * 1024


def add_enrich(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    from companyenrich_export._cli._main import _json_option, _subcommand, _wait_options

    parser = _subcommand(
        commands,
        "enrich",
        summary="enrich a list of domains into company records (bulk enrichment)",
        description=(
            "Start bulk enrichment of the domains in FILE ('-': stdin), one a line, or "
            "the CSV column --column NAME. Domains are normalised (case, a pasted URL's "
            "host, www.), de-duplicated and checked before anything is sent. Costs 1 "
            f"credit per domain enriched; more than {MAX_BULK_DOMAINS:,} unique domains "
            "are split into several jobs. Prints each job id on stdout; --wait follows "
            "them, --download DEST saves the companies (several jobs: one joined file). "
            "--dry-run only counts: nothing is sent and no key is needed."
        ),
    )
    parser.add_argument("file", metavar="FILE", help="the domains: a file, or - for stdin")
    parser.add_argument(
        "--column",
        metavar="NAME",
        help="FILE is CSV (with a header line); take the domains from this column",
    )
    parser.add_argument(
        "--download",
        metavar="DEST",
        help="wait, then save the companies to DEST (a file, a folder, or - for stdout)",
    )
    parser.add_argument("--wait", action="store_true", help="wait for the job(s) to finish")
    parser.add_argument(
        "--dry-run",
        action="store_true",
        help="print the unique-domain count and the most it could cost; create nothing",
    )
    parser.add_argument("--webhook-url", metavar="URL", help="the API calls it when done")
    add_compression_options(parser)
    _wait_options(parser)
    _json_option(parser, "the jobs (or the dry run's counts)")
    parser.set_defaults(handler=run_enrich, offline_dry_run=True)
    return parser


def read_domains(text: str, column: str | None) -> list[str]:
    """The domains as written: lines, or one CSV column (UsageError if it is not there)."""
    from companyenrich_export._cli._main import UsageError

    if column is None:
        lines = (line.strip() for line in text.splitlines())
        return [line for line in lines if line and not line.startswith("#")]
    reader = csv.DictReader(io.StringIO(text))
    if reader.fieldnames is None or column not in reader.fieldnames:
        shown = ", ".join(repr(name) for name in (reader.fieldnames or [])[:10]) or "none"
        raise UsageError(f"no column {column!r} in the CSV header (columns: {shown})")
    return [value.strip() for row in reader if (value := row.get(column) or "").strip()]


def _read_input(path: str) -> str:
    from companyenrich_export._cli._main import STANDARD_STREAM, UsageError

    try:
        if path == STANDARD_STREAM:
            data = sys.stdin.buffer.read(_MAX_INPUT_BYTES + 1)
        else:
            with open(path, "rb") as file:
                data = file.read(_MAX_INPUT_BYTES + 1)
    except OSError as exc:
        raise UsageError(f"cannot read {path}: {exc.strerror or exc}") from None
    if len(data) > _MAX_INPUT_BYTES:
        raise UsageError(f"{path} is larger than {human_size(_MAX_INPUT_BYTES)}")
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        raise UsageError(f"{path} is not UTF-8 text") from None


def run_enrich(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    from companyenrich_export._cli._main import (
        STANDARD_STREAM,
        ExitCode,
        UsageError,
        _check_destination,
        _download,
    )

    written = read_domains(_read_input(args.file), args.column)
    domains = normalise_domains(written, limit=None)  # ValueError (exit 2) names offenders
    parts = split_domains(domains)
    if args.dry_run:
        counts = {
            "domains": len(domains),
            "duplicates_dropped": len(written) - len(domains),
            "jobs": len(parts),
            "max_credits": len(domains),
        }
        if args.json:
            out.data(json.dumps(counts, indent=2))
        else:
            out.data(
                f"{len(domains):,} unique domains ({counts['duplicates_dropped']:,} duplicates "
                f"dropped) in {len(parts)} job(s): at most {len(domains):,} credits "
                "(1 per domain enriched; nothing was sent)"
            )
        return ExitCode.OK
    if args.download is not None:
        if args.download == STANDARD_STREAM and len(parts) > 1:
            raise UsageError(
                f"--download - takes at most {MAX_BULK_DOMAINS:,} domains (one job); "
                "give a file or folder to join several jobs' results"
            )
        # Before spending credits: the results must have somewhere to go.
        _check_destination(args, args.download, out)
    if args.download is not None and len(parts) > 1:
        return _run_joined(args, client, out, domains)
    created = []
    for part in parts:
        job = client.enrichments.create(part, webhook_url=args.webhook_url)
        created.append(job)
        _announce(args, out, job)
    if args.download is not None:
        args.job_id = created[0].job_id
        return _download(args, client, out, args.download, client.enrichments)
    if args.wait:
        from companyenrich_export._cli._main import _follow

        finished = []
        for job in created:
            args.job_id = job.job_id
            finished.append(_follow(args, client, out, client.enrichments))
            done = finished[-1]
            out.info(
                f"Bulk enrichment {done.job_id} completed: {done.success_count:,} companies "
                f"enriched, {done.failed_count:,} domains failed."
            )
        if args.json:
            out.data(json.dumps([job.to_dict() for job in finished], indent=2))
        return ExitCode.OK
    if args.json:
        out.data(json.dumps([job.to_dict() for job in created], indent=2))
    return ExitCode.OK


def _announce(args: argparse.Namespace, out: Streams, job: CreatedEnrichmentJob) -> None:
    """A created (paid-for) job's id, at once: on stdout, and on stderr with its price."""
    from companyenrich_export._cli._main import STANDARD_STREAM

    if not args.json and args.download != STANDARD_STREAM:
        out.data(str(job.job_id))
    out.info(
        f"Bulk enrichment {job.job_id} started: {job.total_domains:,} domains "
        f"(at most {job.estimated_credits:,} credits).",
        # A paid-for job's id must be somewhere, and stdout has the file instead.
        even_if_quiet=args.download == STANDARD_STREAM,
    )


def _run_joined(
    args: argparse.Namespace, client: CompanyEnrich, out: Streams, domains: tuple[str, ...]
) -> ExitCode:
    from companyenrich_export._cli._main import ExitCode

    with out.job_progress() as progress:
        result = client.enrichments.run(
            domains,
            args.download,
            webhook_url=args.webhook_url,
            timeout=args.wait_timeout,
            on_progress=progress,
            on_created=lambda job: _announce(args, out, job),
        )
    size = result.path.stat().st_size
    out.info(
        f"Saved {result.path.resolve()} ({human_size(size)}, {result.success_count:,} companies "
        f"from {len(result.jobs)} bulk enrichment jobs; {result.failed_count:,} domains failed)."
    )
    if args.json:
        jobs = [job.to_dict() for job in result.jobs]
        out.data(json.dumps({"jobs": jobs, "path": str(result.path.resolve()), "size": size}))
    return ExitCode.OK
