"""The CLI's pre-flight: `count`, `account`, and `create`'s price checks.

`create` gains `--dry-run` (print the estimate, create nothing),
`--max-credits N`, and, on a terminal, a confirmation above `--confirm-above`
credits (`--yes` skips it; there is never a prompt when stdin is not a
terminal). After the export exists, an interruption, a wait deadline or a
failed download says the job keeps running and is paid for, with the exact
commands to follow and download it.

Registered from `_cli/_main.py`, which imports this module lazily (this one builds
on `_cli`'s helpers).
"""

from __future__ import annotations

import argparse
import json
import shlex
import sys
from collections.abc import Iterator
from contextlib import contextmanager
from typing import Any

from companyenrich_export._cli._main import (
    PROG,
    STANDARD_STREAM,
    ExitCode,
    _json_object,
    _json_option,
    _limit,
    _Parser,
    _subcommand,
)
from companyenrich_export._cli._output import Streams
from companyenrich_export._exceptions import ExportFailedError, PreflightRefusal
from companyenrich_export._jobs._models import CreatedExportJob
from companyenrich_export._jobs._preflight import Account, ExportEstimate, refusal_of
from companyenrich_export._sync._client import CompanyEnrich
from companyenrich_export.filters import SearchFilter, SimilarFilter

__all__ = [
    "DEFAULT_CONFIRM_ABOVE",
    "add_account",
    "add_count",
    "add_create_options",
    "before_create",
    "paid_job_notice",
]

# Credits above which `create` on a terminal asks first (about a day's worth of a
# small plan); --confirm-above changes it, --yes skips the question.
DEFAULT_CONFIRM_ABOVE = 1_000


def _query_options(parser: argparse.ArgumentParser) -> None:
    query = parser.add_mutually_exclusive_group(required=True)
    query.add_argument(
        "--search", type=_json_object, metavar="JSON", help="a company search filter (JSON, @FILE)"
    )
    query.add_argument(
        "--similar", type=_json_object, metavar="JSON", help="a similar-companies filter"
    )
    query.add_argument(
        "--similar-to",
        action="append",
        metavar="DOMAIN",
        help="shorthand for --similar with these seed domains (repeat, up to 10)",
    )
    parser.add_argument(
        "--allow-unknown-filters",
        action="store_true",
        help="send filter fields and values this client does not know yet",
    )


def _similar(args: argparse.Namespace) -> SimilarFilter | None:
    similar: SimilarFilter | None = (
        {"domains": args.similar_to} if args.similar_to else args.similar
    )
    return similar


def add_count(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "count",
        summary="count the companies a search matches (free)",
        description=(
            "Print how many companies match a search, or are similar to some domains: "
            "the free pre-flight of an export. The filter is checked as `create` checks it."
        ),
    )
    _query_options(parser)
    _json_option(parser, 'the count ({"count": N})')
    parser.set_defaults(handler=_run_count)
    return parser


def add_account(commands: argparse._SubParsersAction[_Parser]) -> argparse.ArgumentParser:
    parser = _subcommand(
        commands,
        "account",
        summary="show your credits and limits (free)",
        description=(
            "Show the account's credits (used, total, remaining = total - used) and its "
            "limits, among them the most companies one export may ask for (GET /me, free)."
        ),
    )
    _json_option(parser, "the credits and limits")
    parser.set_defaults(handler=_run_account)
    return parser


def add_create_options(parser: argparse.ArgumentParser) -> None:
    group = parser.add_argument_group("the price, before paying")
    group.add_argument(
        "--dry-run",
        action="store_true",
        help="print what the export would match, export and cost (two free calls) and "
        "create nothing: exit 0, or 8 if it would be refused",
    )
    group.add_argument(
        "--max-credits",
        type=_limit,
        metavar="N",
        help="refuse (exit 8, nothing created) if the export would cost more than N credits",
    )
    group.add_argument(
        "--confirm-above",
        type=_limit,
        default=DEFAULT_CONFIRM_ABOVE,
        metavar="N",
        help="on a terminal, ask before an export of more than N credits "
        f"(default: {DEFAULT_CONFIRM_ABOVE:,}); never asked when stdin is not a terminal",
    )
    group.add_argument(
        "-y", "--yes", action="store_true", help="do not ask for confirmation, whatever the cost"
    )


# --- the commands -----------------------------------------------------------------


def _run_count(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    search: SearchFilter | None = args.search
    number = client.exports.count(
        search=search, similar=_similar(args), allow_unknown_filters=args.allow_unknown_filters
    )
    out.data(json.dumps({"count": number}) if args.json else str(number))
    return ExitCode.OK


def account_to_json(account: Account) -> dict[str, Any]:
    limits = account.limits
    return {
        "credits": {
            "used": account.credits_used,
            "total": account.credits_total,
            "remaining": account.credits_remaining,
        },
        "limits": {
            "companySearchAsyncLimit": limits.company_search_async_limit,
            "companySearchLimit": limits.company_search_limit,
            "peopleSearchLimit": limits.people_search_limit,
            "searchTermLimit": limits.search_term_limit,
            "lists": limits.lists,
            "previews": limits.previews,
        },
    }


def _run_account(args: argparse.Namespace, client: CompanyEnrich, out: Streams) -> ExitCode:
    account = client.account()
    if args.json:
        out.data(json.dumps(account_to_json(account), indent=2))
        return ExitCode.OK
    limits = account.limits
    lines = [
        ("credits remaining", f"{account.credits_remaining:,}"),
        ("credits used", f"{account.credits_used:,} of {account.credits_total:,}"),
        ("export limit", f"{limits.company_search_async_limit:,} companies per export"),
        ("search limit", f"{limits.company_search_limit:,} companies per search"),
        ("people limit", f"{limits.people_search_limit:,} people per search"),
    ]
    out.data("\n".join(f"{name:<18} {value}" for name, value in lines))
    return ExitCode.OK


def estimate_to_json(estimate: ExportEstimate) -> dict[str, Any]:
    return {
        "count": estimate.count,
        "matching": estimate.matching,
        "exported": estimate.exported,
        "credits": estimate.credits,
        "credits_remaining": estimate.credits_remaining,
        "covered": estimate.covered,
        "async_limit": estimate.async_limit,
        "within_limit": estimate.within_limit,
    }


def format_estimate(estimate: ExportEstimate) -> str:
    covered = "covered" if estimate.covered else "NOT covered"
    within = "within it" if estimate.within_limit else "count is ABOVE it"
    lines = [
        ("matching", f"{estimate.matching:,} companies"),
        ("would export", f"{estimate.exported:,} companies (count {estimate.count:,})"),
        ("would cost", f"about {estimate.credits:,} credits, charged on completion"),
        ("balance", f"{estimate.credits_remaining:,} credits remaining: {covered}"),
        ("export limit", f"{estimate.async_limit:,} companies per export: {within}"),
    ]
    return "\n".join(f"{name:<13} {value}" for name, value in lines)


def _asks(args: argparse.Namespace) -> bool:
    """Whether a confirmation may be asked: a person at a terminal, and no --yes."""
    stdin = sys.stdin
    return not args.yes and stdin is not None and not stdin.closed and stdin.isatty()


def _confirmed(estimate: ExportEstimate, out: Streams) -> bool:
    out.stderr.write(
        f"This export would cost about {estimate.credits:,} credits ({estimate.exported:,} of "
        f"{estimate.matching:,} matching companies; {estimate.credits_remaining:,} remaining). "
        "Create it? [y/N] "
    )
    out.stderr.flush()
    answer = sys.stdin.readline()
    return answer.strip().lower() in ("y", "yes")


def before_create(
    args: argparse.Namespace,
    client: CompanyEnrich,
    out: Streams,
    similar: SimilarFilter | None,
) -> ExitCode | None:
    """The checks of `create` before it spends anything: an exit code to stop with, or None.

    The estimate (two free calls) is made only when something needs it:
    --dry-run, --max-credits, or a confirmation that may be asked (a
    terminal, no --yes, and a count above --confirm-above).
    """
    asks = _asks(args) and args.count > args.confirm_above
    if not (args.dry_run or args.max_credits is not None or asks):
        return None
    estimate = client.exports.estimate(
        count=args.count,
        search=args.search,
        similar=similar,
        allow_unknown_filters=args.allow_unknown_filters,
    )
    refusal = refusal_of(estimate, args.max_credits)
    if args.dry_run:
        out.data(
            json.dumps(estimate_to_json(estimate), indent=2)
            if args.json
            else format_estimate(estimate)
        )
        if refusal is not None:
            out.warn(f"{refusal.message} (dry run: nothing was created)")
            return ExitCode.COST_REFUSED
        out.info("Dry run: nothing was created.")
        return ExitCode.OK
    if refusal is not None:
        raise refusal
    if asks and estimate.credits > args.confirm_above and not _confirmed(estimate, out):
        raise PreflightRefusal("Export not created: not confirmed.", estimate)
    return None


@contextmanager
def paid_job_notice(
    created: CreatedExportJob, args: argparse.Namespace, out: Streams
) -> Iterator[None]:
    """After create: on anything but the job's own failure, say it goes on, and how to get it."""
    try:
        yield
    except ExportFailedError:
        raise
    except BaseException:
        job = created.job_id
        dest = args.download if args.download not in (None, STANDARD_STREAM) else "companies.csv"
        if args.download == STANDARD_STREAM:
            dest = STANDARD_STREAM
        if out.stderr.isatty():
            out.stderr.write("\n")  # past a "^C" the terminal echoed
        for line in (
            f"Export {job} was created and is not cancelled: it keeps running on the server, "
            f"and its credits (about {created.estimated_credits:,}) are charged when it "
            "completes.",
            f"  follow it:    {PROG} wait {job}",
            f"  download it:  {PROG} download {job} {shlex.quote(dest)}",
        ):
            out.info(line, even_if_quiet=True)
        raise
